package kernel

import (
	"fmt"
	"math"
)

// linearBlock is about how many outputs the buffered path of a thin LinearSin produces per
// block: the pre-activations of a block (16 KiB) stay in L1 between the product and the sine.
const linearBlock = 2048

// fusedLimit is the largest |ω·z| the fused first-layer kernels take: their reduction and their
// accuracy are tested up to it. Rows that may exceed it (or hold Inf or NaN) take the buffered
// path, which hands large arguments to the general vmath code.
const fusedLimit = 0x1p20

// linearNTBytes is the output size above which the fused kernels write around the caches
// (non-temporal stores need no read of the old line first; measured faster from 8 MiB on).
const linearNTBytes = 4 << 20

// LinearSin is a SIREN layer in one call: with z = x·w + b (x M×K, w K×N, b of length ≥ N),
// it sets s = sin(omega·z) and, when c.Data != nil, c = cos(omega·z). s may be the zero Matrix
// to compute only the cosines (the backward pass recomputes them this way instead of storing
// them). s and c must not share memory with x or w.
//
// For a thin first layer (K ≤ 4) it is one streaming pass that writes each output once, and the
// argument is rounded as u = (ω·b) + Σ_q x_q·(ω·w_q), summed by fused multiply-adds in the order
// q = 0…K−1 with ω applied to the K+1 rows of weights and bias first: it differs from
// ω·(x·w+b) by rounding only (a few ulp of u), as any other order would, and every
// implementation uses it. With AVX-512 the sines (cosines) are then evaluated in registers
// within 4 ulp of sin u (cos u) for |u| ≤ 2²⁰ (rows that may exceed that go to the general
// vmath functions). Wider layers run Gemm followed by AffineSinCos, u = ω·(x·w + b).
func (k *Impl) LinearSin(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	x.check("linear sin x")
	w.check("linear sin w")
	m, n := x.Rows, w.Cols
	okOut := func(o Matrix) bool { return o.Data == nil || (o.Rows == m && o.Cols == n) }
	if x.Cols != w.Rows || len(b) < n || !okOut(s) || !okOut(c) || (s.Data == nil && c.Data == nil) {
		panic(fmt.Sprintf("kernel: linear sin shapes: x %d×%d, w %d×%d, bias %d, s %d×%d, c %d×%d",
			x.Rows, x.Cols, w.Rows, w.Cols, len(b), s.Rows, s.Cols, c.Rows, c.Cols))
	}
	for _, o := range []Matrix{s, c} {
		if o.Data != nil {
			o.check("linear sin output")
			if overlap(o, x) || overlap(o, w) {
				panic("kernel: linear sin output aliases an input")
			}
		}
	}
	if m == 0 || n == 0 {
		return
	}
	if kk := x.Cols; kk >= 1 && kk <= smallKMax {
		k.linearSinStream(s, c, x, w, b[:n], omega)
		return
	}
	if c.Data != nil {
		k.Gemm(NoTrans, NoTrans, 1, x, w, 0, c)
		k.AffineSinCos(s, c, c, b, omega)
		return
	}
	k.Gemm(NoTrans, NoTrans, 1, x, w, 0, s)
	j := elemJob{k: k, op: opSinBias, s: s, b: b, omega: omega}
	j.exec(m, 16*n)
}

// linearSinStream is LinearSin for K ≤ 4. The weights and bias are scaled by ω into K+1 rows;
// then each run of rows whose arguments are bounded by fusedLimit goes through the fused kernels
// (when the implementation has them), and every other row through the buffered path: the
// arguments of a block of rows into an L1-sized buffer, then the vmath functions over it.
func (k *Impl) linearSinStream(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	m, n, kk := x.Rows, w.Cols, x.Cols
	j := linearJobs.get()
	*j = linearJob{k: k, s: s, c: c, x: x, m: m, n: n, kk: kk, fused: k.b.linSin != nil}
	j.blk = max(1, linearBlock/n)
	j.per = max(j.blk, streamChunk/n)
	tasks := ceilDiv(m, j.per)
	threads := workers(m*n*16, k.Threads()) // a sine costs about as much as 16 multiply-adds
	wBuf := getBuf((kk + 1) * n)
	j.wsc = *wBuf
	for q := 0; q <= kk; q++ {
		src := b
		if q < kk {
			src = w.Row(q)
		}
		dst := j.wsc[q*n : q*n+n]
		var big float64
		for i, v := range src {
			dst[i] = omega * v
			if a := math.Abs(dst[i]); !(a <= big) { // NaN propagates
				big = a
			}
		}
		j.bound[q] = big
	}
	uBuf := getBuf(j.blk * n * min(threads, tasks))
	j.u = *uBuf
	j.nt[0], j.nt[1] = ntOK(s, m, n), ntOK(c, m, n)
	parallelFor(tasks, threads, j)
	*j = linearJob{}
	linearJobs.put(j)
	putBuf(uBuf)
	putBuf(wBuf)
}

// ntOK is 1 when the fused kernels should write o with non-temporal stores: it is large and its
// rows start on 64-byte boundaries.
func ntOK(o Matrix, m, n int) int {
	if o.Data == nil || m*n*8 <= linearNTBytes || o.Stride%8 != 0 ||
		uintptr(unsafePointer(&o.Data[0]))%64 != 0 {
		return 0
	}
	return 1
}

// linearJob is one streaming LinearSin call; task t is the block of rows [t·per, (t+1)·per).
type linearJob struct {
	k        *Impl
	s, c, x  Matrix
	m, n, kk int
	per, blk int       // rows per task, rows per buffered block
	wsc      []float64 // ω·w (K rows of n) then ω·b
	bound    [smallKMax + 1]float64
	u        []float64 // blk·n pre-activations per worker
	nt       [2]int    // non-temporal stores for s, c
	fused    bool
}

var linearJobs = newFreeList[linearJob](16)

func (j *linearJob) run(wk, t int) {
	r0 := t * j.per
	r1 := min(r0+j.per, j.m)
	if j.fused && j.allFast(r0, r1) {
		j.fusedRows(r0, r1)
		return
	}
	for i := r0; i < r1; {
		e := i + 1
		if j.fused && j.fast(i) {
			for e < r1 && j.fast(e) {
				e++
			}
			j.fusedRows(i, e)
		} else {
			for e < r1 && e-i < j.blk && !(j.fused && j.fast(e)) {
				e++
			}
			j.bufferedRows(wk, i, e)
		}
		i = e
	}
}

// allFast reports whether every argument of rows [r0, r1) is within fusedLimit, from the
// largest |x| of each input column (one pass, cheaper than testing row by row).
func (j *linearJob) allFast(r0, r1 int) bool {
	var big [smallKMax]float64
	for i := r0; i < r1; i++ {
		for q, v := range j.x.Data[i*j.x.Stride : i*j.x.Stride+j.kk] {
			if a := math.Abs(v); !(a <= big[q]) { // NaN propagates
				big[q] = a
			}
		}
	}
	bound := j.bound[j.kk]
	for q := range j.kk {
		bound += big[q] * j.bound[q]
	}
	return bound <= fusedLimit
}

// fast reports whether every argument of row i is within fusedLimit (false for Inf or NaN).
func (j *linearJob) fast(i int) bool {
	xr := j.x.Data[i*j.x.Stride : i*j.x.Stride+j.kk]
	bound := j.bound[j.kk]
	for q, v := range xr {
		bound += math.Abs(v) * j.bound[q]
	}
	return bound <= fusedLimit
}

// fusedRows runs the fused kernels over rows [i, e).
func (j *linearJob) fusedRows(i, e int) {
	xp := &j.x.Data[i*j.x.Stride]
	if j.s.Data != nil {
		j.k.b.linSin(e-i, j.n, j.kk, xp, j.x.Stride, &j.wsc[0], j.n, &j.s.Data[i*j.s.Stride], j.s.Stride, j.nt[0])
	}
	if j.c.Data != nil {
		j.k.b.linCos(e-i, j.n, j.kk, xp, j.x.Stride, &j.wsc[0], j.n, &j.c.Data[i*j.c.Stride], j.c.Stride, j.nt[1])
	}
}

// bufferedRows computes rows [i, e) (at most blk) through worker wk's argument buffer.
func (j *linearJob) bufferedRows(wk, i, e int) {
	n, kk, s, c := j.n, j.kk, j.s, j.c
	rows := e - i
	u := j.u[wk*j.blk*n : wk*j.blk*n+rows*n]
	if aff := j.k.b.affineK; aff != nil {
		// alpha = 1 leaves the FMA sum unchanged, so the arguments are the fused kernels'.
		aff(rows, n, kk, &j.x.Data[i*j.x.Stride], j.x.Stride, 1, &j.wsc[0], n, &j.wsc[kk*n], &u[0], n, 1, 0, 0)
	} else {
		for r := range rows {
			xr, ur := j.x.Row(i+r), u[r*n:r*n+n]
			copy(ur, j.wsc[kk*n:kk*n+n])
			for q := range kk {
				xq, wq := xr[q], j.wsc[q*n:q*n+n]
				for col := range ur {
					ur[col] = math.FMA(xq, wq[col], ur[col])
				}
			}
		}
	}
	vm := j.k.b.vm
	block := func(o Matrix) []float64 { // the rows of o as one slice when they are contiguous
		if o.Data == nil || (o.Stride != n && rows > 1) {
			return nil
		}
		return o.Data[i*o.Stride : i*o.Stride+rows*n]
	}
	sb, cb := block(s), block(c)
	switch {
	case s.Data != nil && c.Data != nil && sb != nil && cb != nil:
		vm.SinCos(sb, cb, u)
	case s.Data != nil && c.Data == nil && sb != nil:
		vm.Sin(sb, u)
	case s.Data == nil && cb != nil:
		vm.Cos(cb, u)
	default: // strided outputs: row by row
		for r := range rows {
			ur := u[r*n : r*n+n]
			switch {
			case s.Data != nil && c.Data != nil:
				vm.SinCos(s.Row(i+r), c.Row(i+r), ur)
			case s.Data != nil:
				vm.Sin(s.Row(i+r), ur)
			default:
				vm.Cos(c.Row(i+r), ur)
			}
		}
	}
}

// LinearSin runs the default implementation; see Impl.LinearSin.
func LinearSin(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	defaultImpl.LinearSin(s, c, x, w, b, omega)
}
