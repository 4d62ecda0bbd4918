//go:build amd64 && !purego

package kernel

import (
	"unsafe"
)

// ntBytes is the output size above which the outer-product path uses non-temporal stores.
const ntBytes = 64 << 20

//go:noescape
func smallKAVX2(rows, n, k int, a *float64, ars, aks int, b *float64, ldb int, bias *float64, c *float64, ldc int, alpha, beta float64, nt int)

//go:noescape
func dot3AVX2(rows, k int, a *float64, lda int, bt *float64, out *float64)

//go:noescape
func axpy3AVX2(kp int, s *float64, sps, o1, o2 int, l *float64, lld int, acc *float64)

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
	per         int       // rows (outer/dot forms) or bands (summation-outer form) per task
	bp, bias    []float64 // outer form: op(B) packed K×N, and the zero bias
	ars, aks    int       // outer form: steps between rows and between k of op(A)
	nt          int       // outer form: non-temporal stores
	bt          []float64 // dot form: op(B)ᵀ as three rows of K
	out         []float64 // dot form: 3·per sums per worker
	// summation-outer form: C[r,v] (or C[v,r] when transposed) = Σ_p small[p,r]·large[p,v]
	small, large        Matrix
	lanes, width, bands int
	pBlock, o1, o2      int
	transposed          bool
}

var thinJobs = newFreeList[thinJob](16)

func getThinJob() *thinJob { return thinJobs.get() }

func putThinJob(j *thinJob) {
	*j = thinJob{}
	thinJobs.put(j)
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
// streaming A once; op(B)ᵀ (N×K) is copied to three contiguous rows (zero rows for N < 3).
func gemmSmallNDot(tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	m, n, k := c.Rows, c.Cols, a.Cols
	per := max(1, streamChunk/k)
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
	dot3AVX2(rows, j.k, &j.a.Data[r0*j.a.Stride], j.a.Stride, &j.bt[0], &out[0])
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

// summationBand is the width of the large operand's bands in the summation-outer form (four
// YMM registers per lane), and summationGroup how many bands share one pass over its rows.
const summationBand, summationGroup = 16, 16

// gemmSummationOuter computes C = alpha·Aᵀ·B + beta·C when C has ≤ 3 rows or ≤ 3 columns and the
// summation (the rows of A and B, the batch of a weight gradient) is long. The operand with
// ≤ 3 columns ("small") is broadcast against 16-wide bands of the other ("large"), one row of both
// at a time, so each is read once in order. Bands are split across workers; the summation never is.
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
	// Rows per pass over the bands: a large operand that streams from memory is read in short
	// blocks of rows (16 KiB-64 KiB of it, which the bands then take from L1/L2 instead of
	// striding through memory); one that fits in cache in long ones, loading the sums less often.
	j.pBlock = 256
	if j.k*j.width > 1<<22 {
		j.pBlock = 32
	}
	j.bands = j.width / summationBand
	j.per = max(1, j.bands/(4*threads))
	if threads <= 1 {
		j.per = max(j.bands, 1)
	}
	tasks := ceilDiv(j.bands, j.per)
	if j.width%summationBand != 0 {
		tasks++ // the last task sums the partial band in Go
	}
	parallelFor(tasks, threads, (*outerTasks)(j))
	putThinJob(j)
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

func (p *outerTasks) run(_, t int) {
	j := (*thinJob)(p)
	const band = summationBand
	small, large, kk := j.small, j.large, j.k
	if t*j.per >= j.bands { // the partial band
		for r := 0; r < j.lanes; r++ {
			for v := j.bands * band; v < j.width; v++ {
				var s float64
				for q := 0; q < kk; q++ {
					s += small.Data[q*small.Stride+r] * large.Data[q*large.Stride+v]
				}
				j.put(r, v, s)
			}
		}
		return
	}
	b0, b1 := t*j.per, min(j.bands, (t+1)*j.per)
	var accs [summationGroup * 3 * band]float64
	for g0 := b0; g0 < b1; g0 += summationGroup {
		g1 := min(b1, g0+summationGroup)
		acc := accs[:(g1-g0)*3*band]
		clear(acc)
		for p0 := 0; p0 < kk; p0 += j.pBlock {
			kp := min(j.pBlock, kk-p0)
			for g := g0; g < g1; g++ {
				axpy3AVX2(kp, &small.Data[p0*small.Stride], small.Stride, j.o1, j.o2,
					&large.Data[p0*large.Stride+g*band], large.Stride, &acc[(g-g0)*3*band])
			}
		}
		for g := g0; g < g1; g++ {
			for r := 0; r < j.lanes; r++ {
				for v := 0; v < band; v++ {
					j.put(r, g*band+v, acc[(g-g0)*3*band+r*band+v])
				}
			}
		}
	}
}
