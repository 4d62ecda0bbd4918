package kernel

// genericGemm is the portable GEMM: output rows are split into blocks across workers, and each
// element's sum over K runs in the same order whatever the split, so results do not depend on the
// thread count.
func genericGemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	k := a.Cols
	if tA {
		k = a.Rows
	}
	j := genericGemmJob{tA: tA, tB: tB, alpha: alpha, beta: beta, a: a, b: b, c: c, k: k}
	chunk := splitChunk(c.Rows, c.Cols*k, threads)
	if chunk == 0 {
		j.rows(0, c.Rows)
		return
	}
	p := genericGemmJobs.Get()
	*p = j
	p.chunk = chunk
	parallelFor(ceilDiv(c.Rows, chunk), threads, p)
	*p = genericGemmJob{}
	genericGemmJobs.Put(p)
}

// genericGemmJob is one genericGemm call; task t computes rows [t·chunk, (t+1)·chunk).
type genericGemmJob struct {
	tA, tB      Transpose
	alpha, beta float64
	a, b, c     Matrix
	k, chunk    int
}

var genericGemmJobs = NewFreeList[genericGemmJob](16)

func (j *genericGemmJob) run(_, t int) {
	r0 := t * j.chunk
	j.rows(r0, min(r0+j.chunk, j.c.Rows))
}

func (j *genericGemmJob) rows(r0, r1 int) {
	a, b, c, k := j.a, j.b, j.c, j.k
	buf := getBuf(c.Cols)
	acc := *buf
	for i := r0; i < r1; i++ {
		clear(acc)
		for p := 0; p < k; p++ {
			var aip float64
			if j.tA {
				aip = a.Data[p*a.Stride+i]
			} else {
				aip = a.Data[i*a.Stride+p]
			}
			if j.tB {
				for col := range acc {
					acc[col] += aip * b.Data[col*b.Stride+p]
				}
			} else {
				brow := b.Row(p)
				for col, bv := range brow {
					acc[col] += aip * bv
				}
			}
		}
		crow := c.Row(i)
		if j.beta == 0 {
			for col, v := range acc {
				crow[col] = j.alpha * v
			}
		} else {
			for col, v := range acc {
				crow[col] = j.alpha*v + j.beta*crow[col]
			}
		}
	}
	putBuf(buf)
}
