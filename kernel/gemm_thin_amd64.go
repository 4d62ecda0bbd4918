//go:build amd64 && !purego

package kernel

import (
	"math"
	"unsafe"
)

// ntBytes is the output size above which the outer-product path uses non-temporal stores.
const ntBytes = 64 << 20

//go:noescape
func smallKAVX2(rows, n, k int, a *float64, ars, aks int, b *float64, ldb int, bias *float64, c *float64, ldc int, alpha, beta float64, nt int)

//go:noescape
func dot3x4AVX2(rows, k int, a *float64, lda, gap int, bt *float64, out *float64)

//go:noescape
func outer3x4AVX2(rows, width int, l *float64, lld, gap int, s *float64, sps, o1, o2 int, acc *float64)

// gemm picks the path for one product: the thin shapes of coordinate networks are bandwidth-
// bound and have their own kernels; everything else runs the packed, register-blocked driver.
func (mk *microKernel) gemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA {
		k = a.Rows
	}
	threads = workers(m*n*k, threads)
	switch {
	case k <= smallKMax:
		gemmSmallK(tA, tB, alpha, a, b, beta, c, threads)
	case n <= smallNMax && tA == NoTrans:
		gemmSmallNDot(tB, alpha, a, b, beta, c, threads)
	case tA == Trans && tB == NoTrans && (n <= smallNMax || m <= smallNMax):
		gemmSummationOuter(alpha, a, b, beta, c, threads)
	default:
		mk.blockedGemm(tA, tB, alpha, a, b, beta, c, threads)
	}
}

// thinJob is one call of a thin-shape path; its task sets are views of it (pooled, so a call
// allocates nothing).
type thinJob struct {
	tA          Transpose
	alpha, beta float64
	a, c        Matrix
	m, n, k     int
	per         int       // rows (outer/dot forms) or large-operand columns (summation-outer) per task
	bp, bias    []float64 // outer form: op(B) packed K×N, and the zero bias
	ars, aks    int       // outer form: steps between rows and between k of op(A)
	nt          int       // outer form: non-temporal stores
	bt          []float64 // dot form: op(B)ᵀ as three rows of K
	out         []float64 // dot form: 3·per sums per worker
	// summation-outer form: C[r,v] (or C[v,r] when transposed) = Σ_p small[p,r]·large[p,v];
	// per is then the columns of the large operand per task, out the sums (3 per column)
	small, large Matrix
	lanes, width int
	o1, o2       int
	transposed   bool
}

var thinJobs = NewFreeList[thinJob](16)

func getThinJob() *thinJob { return thinJobs.Get() }

func putThinJob(j *thinJob) {
	*j = thinJob{}
	thinJobs.Put(j)
}

// gemmSmallK computes C = alpha·op(A)·op(B) + beta·C for K ≤ 4 as a stream of outer products:
// op(B) (K×N) is copied to a contiguous block and each output row is written once.
func gemmSmallK(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA {
		k = a.Rows
	}
	buf := getBuf(k*n + n)
	j := getThinJob()
	*j = thinJob{tA: tA, alpha: alpha, beta: beta, a: a, c: c, m: m, n: n, k: k,
		bp: (*buf)[:k*n], bias: (*buf)[k*n : k*n+n], ars: a.Stride, aks: 1}
	for q := 0; q < k; q++ {
		row := j.bp[q*n : q*n+n]
		if tB {
			for i := range row {
				row[i] = b.Data[i*b.Stride+q]
			}
		} else {
			copy(row, b.Row(q))
		}
	}
	clear(j.bias)
	if tA {
		j.ars, j.aks = 1, a.Stride
	}
	// An output larger than ntBytes is written around the caches (it would not stay there);
	// that needs 32-byte aligned rows.
	if beta == 0 && m*n*8 > ntBytes && c.Stride%4 == 0 && uintptr(unsafe.Pointer(&c.Data[0]))%32 == 0 {
		j.nt = 1
	}
	j.per = max(1, streamChunk/max(n, 1))
	parallelFor(ceilDiv(m, j.per), threads, (*smallKTasks)(j))
	putThinJob(j)
	putBuf(buf)
}

type smallKTasks thinJob

func (p *smallKTasks) run(_, t int) {
	j := (*thinJob)(p)
	r0 := t * j.per
	rows := min(j.per, j.m-r0)
	smallKAVX2(rows, j.n, j.k, &j.a.Data[r0*j.ars], j.ars, j.aks, &j.bp[0], j.n, &j.bias[0],
		&j.c.Data[r0*j.c.Stride], j.c.Stride, j.alpha, j.beta, j.nt)
}

// gemmSmallNDot computes C = alpha·A·op(B) + beta·C for N ≤ 3 as three dot products per row of A,
// streaming A once; op(B)ᵀ (N×K) is copied to three contiguous rows (zero rows for N < 3). A task
// is a block of rows, read as four quarters at once (see dot3x4AVX2).
func gemmSmallNDot(tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	m, n, k := c.Rows, c.Cols, a.Cols
	per := max(4, streamChunk/k)
	tasks := ceilDiv(m, per)
	buf := getBuf(3*k + 3*per*min(threads, tasks))
	j := getThinJob()
	*j = thinJob{alpha: alpha, beta: beta, a: a, c: c, m: m, n: n, k: k, per: per,
		bt: (*buf)[:3*k], out: (*buf)[3*k:]}
	clear(j.bt)
	for col := 0; col < n; col++ {
		row := j.bt[col*k : col*k+k]
		if tB {
			copy(row, b.Row(col))
		} else {
			for p := range row {
				row[p] = b.Data[p*b.Stride+col]
			}
		}
	}
	parallelFor(tasks, threads, (*dotTasks)(j))
	putThinJob(j)
	putBuf(buf)
}

type dotTasks thinJob

func (p *dotTasks) run(w, t int) {
	j := (*thinJob)(p)
	r0 := t * j.per
	rows := min(j.per, j.m-r0)
	out := j.out[w*3*j.per : (w+1)*3*j.per]
	lda := j.a.Stride
	q := rows / 4
	if q > 0 {
		dot3x4AVX2(q, j.k, &j.a.Data[r0*lda], lda, q, &j.bt[0], &out[0])
	}
	for i := 4 * q; i < rows; i++ { // the last rows one at a time (same sums)
		dot3x4AVX2(1, j.k, &j.a.Data[(r0+i)*lda], lda, 0, &j.bt[0], &out[3*i])
	}
	for i := 0; i < rows; i++ {
		crow := j.c.Row(r0 + i)
		for col := range crow {
			if j.beta == 0 {
				crow[col] = j.alpha * out[3*i+col]
			} else {
				crow[col] = j.alpha*out[3*i+col] + j.beta*crow[col]
			}
		}
	}
}

// gemmSummationOuter computes C = alpha·Aᵀ·B + beta·C when C has ≤ 3 rows or ≤ 3 columns and the
// summation (the rows of A and B, the batch of a weight gradient) is long. The operand with
// ≤ 3 columns ("small") is broadcast against rows of the other ("large"), which is read once, in
// four quarters at once (see outer3x4AVX2). Workers split the columns of the large operand;
// the summation is never split, so the sums do not depend on the number of workers.
func gemmSummationOuter(alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	j := getThinJob()
	*j = thinJob{alpha: alpha, beta: beta, c: c, k: a.Rows,
		small: b, large: a, lanes: c.Cols, width: c.Rows, transposed: true} // C[v, r]: ≤ 3 columns
	if c.Rows <= smallNMax && (c.Cols > smallNMax || c.Rows < c.Cols) {
		j.small, j.large = a, b // C[r, v]: ≤ 3 rows
		j.lanes, j.width = c.Rows, c.Cols
		j.transposed = false
	}
	j.o1, j.o2 = min(1, j.lanes-1), min(2, j.lanes-1)
	if j.lanes == 2 {
		j.o2 = 0 // a duplicate of lane 0, computed and dropped
	}
	// One task for all columns on one worker; else bands of whole cache lines, about four per
	// worker.
	j.per = j.width
	if threads > 1 {
		j.per = min(j.width, max(8, ceilDiv(ceilDiv(j.width, 4*threads), 8)*8))
	}
	buf := getBuf(3 * j.width)
	j.out = *buf
	clear(j.out)
	parallelFor(ceilDiv(j.width, j.per), threads, (*outerTasks)(j))
	putThinJob(j)
	putBuf(buf)
}

// put stores alpha·sum (+ beta·C) for lane r, position v.
func (j *thinJob) put(r, v int, sum float64) {
	i, col := r, v
	if j.transposed {
		i, col = v, r
	}
	idx := i*j.c.Stride + col
	if j.beta == 0 {
		j.c.Data[idx] = j.alpha * sum
	} else {
		j.c.Data[idx] = j.alpha*sum + j.beta*j.c.Data[idx]
	}
}

type outerTasks thinJob

// run sums the columns [t·per, (t+1)·per) of the large operand over all rows: the four-region
// kernel for the first 4·⌊k/4⌋ rows, then the last ≤ 3 rows in order.
func (p *outerTasks) run(_, t int) {
	j := (*thinJob)(p)
	small, large, kk := j.small, j.large, j.k
	v0 := t * j.per
	w := min(j.per, j.width-v0)
	acc := j.out[3*v0 : 3*v0+3*w] // lane r at acc[r*w:]
	if q := kk / 4; q > 0 {
		outer3x4AVX2(q, w, &large.Data[v0], large.Stride, q, &small.Data[0], small.Stride, j.o1, j.o2, &acc[0])
	}
	offs := [3]int{0, j.o1, j.o2}
	for p := kk / 4 * 4; p < kk; p++ {
		srow, lrow := small.Data[p*small.Stride:], large.Row(p)[v0:v0+w]
		for r := range 3 {
			s, a := srow[offs[r]], acc[r*w:r*w+w]
			for v, x := range lrow {
				a[v] = math.FMA(s, x, a[v])
			}
		}
	}
	for r := 0; r < j.lanes; r++ {
		for v := range w {
			j.put(r, v0+v, acc[r*w+v])
		}
	}
}
