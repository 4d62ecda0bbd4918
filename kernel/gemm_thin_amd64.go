//go:build amd64 && !purego

package kernel

import "unsafe"

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

// gemmSmallK computes C = alpha·op(A)·op(B) + beta·C for K ≤ 4 as a stream of outer products:
// op(B) (K×N) is copied to a contiguous block and each output row is written once.
func gemmSmallK(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA {
		k = a.Rows
	}
	buf := getBuf(k*n + n)
	defer putBuf(buf)
	bp := (*buf)[:k*n]
	for q := 0; q < k; q++ {
		row := bp[q*n : q*n+n]
		if tB {
			for j := range row {
				row[j] = b.Data[j*b.Stride+q]
			}
		} else {
			copy(row, b.Row(q))
		}
	}
	zeros := (*buf)[k*n : k*n+n] // the kernel's bias
	clear(zeros)
	ars, aks := a.Stride, 1
	if tA {
		ars, aks = 1, a.Stride
	}
	// An output larger than ntBytes is written around the caches (it would not stay there);
	// that needs 32-byte aligned rows.
	nt := 0
	if beta == 0 && m*n*8 > ntBytes && c.Stride%4 == 0 && uintptr(unsafe.Pointer(&c.Data[0]))%32 == 0 {
		nt = 1
	}
	per := max(1, streamChunk/max(n, 1))
	parallelTasks(ceilDiv(m, per), threads, func(_, t int) {
		r0 := t * per
		rows := min(per, m-r0)
		smallKAVX2(rows, n, k, &a.Data[r0*ars], ars, aks, &bp[0], n, &zeros[0], &c.Data[r0*c.Stride], c.Stride, alpha, beta, nt)
	})
}

// gemmSmallNDot computes C = alpha·A·op(B) + beta·C for N ≤ 3 as three dot products per row of A,
// streaming A once; op(B)ᵀ (N×K) is copied to three contiguous rows (zero rows for N < 3).
func gemmSmallNDot(tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	m, n, k := c.Rows, c.Cols, a.Cols
	buf := getBuf(3 * k)
	defer putBuf(buf)
	bt := (*buf)[:3*k]
	clear(bt)
	for j := 0; j < n; j++ {
		row := bt[j*k : j*k+k]
		if tB {
			copy(row, b.Row(j))
		} else {
			for p := range row {
				row[p] = b.Data[p*b.Stride+j]
			}
		}
	}
	per := max(1, streamChunk/k)
	tasks := ceilDiv(m, per)
	outs := make([]*[]float64, min(threads, tasks))
	for w := range outs {
		outs[w] = getBuf(3 * per)
	}
	defer func() {
		for _, o := range outs {
			putBuf(o)
		}
	}()
	parallelTasks(tasks, threads, func(w, t int) {
		r0 := t * per
		rows := min(per, m-r0)
		out := *outs[w]
		dot3AVX2(rows, k, &a.Data[r0*a.Stride], a.Stride, &bt[0], &out[0])
		for i := 0; i < rows; i++ {
			crow := c.Row(r0 + i)
			for j := range crow {
				if beta == 0 {
					crow[j] = alpha * out[3*i+j]
				} else {
					crow[j] = alpha*out[3*i+j] + beta*crow[j]
				}
			}
		}
	})
}

// gemmSummationOuter computes C = alpha·Aᵀ·B + beta·C when C has ≤ 3 rows or ≤ 3 columns and the
// summation (the rows of A and B, the batch of a weight gradient) is long. The operand with
// ≤ 3 columns ("small") is broadcast against 16-wide bands of the other ("large"), one row of both
// at a time, so each is read once in order. Bands are split across workers; the summation never is.
func gemmSummationOuter(alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	kk := a.Rows
	small, large := b, a // C[v, r] = Σ_p large[p,v]·small[p,r]: C has ≤ 3 columns
	lanes, width := c.Cols, c.Rows
	transposed := true
	if c.Rows <= smallNMax && (c.Cols > smallNMax || c.Rows < c.Cols) {
		small, large = a, b // C[r, v]: C has ≤ 3 rows
		lanes, width = c.Rows, c.Cols
		transposed = false
	}
	o1, o2 := min(1, lanes-1), min(2, lanes-1)
	if lanes == 2 {
		o2 = 0 // a duplicate of lane 0, computed and dropped
	}
	// Rows per pass over the bands: a large operand that streams from memory is read in short
	// blocks of rows (16 KiB-64 KiB of it, which the bands then take from L1/L2 instead of
	// striding through memory); one that fits in cache in long ones, loading the sums less often.
	const band = 16
	pBlock := 256
	if kk*width > 1<<22 {
		pBlock = 32
	}
	bands := width / band
	per := max(1, bands/(4*threads))
	if threads <= 1 {
		per = max(bands, 1)
	}
	tasks := ceilDiv(bands, per)
	if width%band != 0 {
		tasks++ // the last task sums the partial band in Go
	}
	put := func(r, v int, sum float64) {
		i, j := r, v
		if transposed {
			i, j = v, r
		}
		idx := i*c.Stride + j
		if beta == 0 {
			c.Data[idx] = alpha * sum
		} else {
			c.Data[idx] = alpha*sum + beta*c.Data[idx]
		}
	}
	parallelTasks(tasks, threads, func(_, t int) {
		if t*per >= bands { // partial band
			v0 := bands * band
			for r := 0; r < lanes; r++ {
				for v := v0; v < width; v++ {
					var s float64
					for p := 0; p < kk; p++ {
						s += small.Data[p*small.Stride+r] * large.Data[p*large.Stride+v]
					}
					put(r, v, s)
				}
			}
			return
		}
		b0, b1 := t*per, min(bands, (t+1)*per)
		var accs [8 * 3 * band]float64
		for g0 := b0; g0 < b1; g0 += 8 { // up to 8 bands share one pass over a block of rows
			g1 := min(b1, g0+8)
			acc := accs[:(g1-g0)*3*band]
			clear(acc)
			for p0 := 0; p0 < kk; p0 += pBlock {
				kp := min(pBlock, kk-p0)
				for g := g0; g < g1; g++ {
					axpy3AVX2(kp, &small.Data[p0*small.Stride], small.Stride, o1, o2,
						&large.Data[p0*large.Stride+g*band], large.Stride, &acc[(g-g0)*3*band])
				}
			}
			for g := g0; g < g1; g++ {
				for r := 0; r < lanes; r++ {
					for v := 0; v < band; v++ {
						put(r, g*band+v, acc[(g-g0)*3*band+r*band+v])
					}
				}
			}
		}
	})
}
