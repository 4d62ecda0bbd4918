package kernel

import (
	"fmt"
	"math"
)

// linearBlock is about how many outputs the buffered path of a thin LinearSin produces per
// block: the pre-activations of a block (16 KiB) stay in L1 between the product and the sine.
const linearBlock = 2048

// fusedLimit is the largest bound on |v| (the argument in turns) of a row that the fused
// kernels take: their reduction is exact for every finite argument, and the bound only keeps
// rows with Inf or NaN (which VREDUCEPD would map to 0), or so large that a sum might overflow,
// on the buffered path.
const fusedLimit = 0x1p1000

// linearNTBytes is the output size above which the fused kernels write around the caches
// (non-temporal stores need no read of the old line first; measured faster from 8 MiB on).
const linearNTBytes = 4 << 20

// LinearSin is a SIREN layer in one call: with z = x·w + b (x M×K, w K×N, b of length ≥ N),
// it sets s = sin(omega·z) and, when c.Data != nil, c = cos(omega·z). s may be the zero Matrix
// to compute only the cosines (the backward pass recomputes them this way instead of storing
// them). s and c must not share memory with x or w.
//
// For a thin first layer (K ≤ 4) it is one streaming pass that writes each output once, and it
// works in turns: the argument is rounded as v = (ω′·b) + Σ_q x_q·(ω′·w_q) with ω′ = ω/2π,
// summed by fused multiply-adds in the order q = 0…K−1 with ω′ applied to the K+1 rows of
// weights and bias first, and s = sin 2πv, c = cos 2πv within 4 ulp for every finite v. v
// differs from ω·(x·w+b)/2π by rounding only (a few ulp of v), as any other order would, and
// every implementation uses it. In turns the reduction to a quarter period is exact (v minus a
// multiple of ½), so no digits of π are needed and the accuracy holds at any magnitude. With
// AVX-512 or AVX2 the whole pass runs in registers (the same arithmetic, so the same bits);
// rows holding Inf or NaN, and every row of the generic implementation, take a buffered path
// that reduces in Go and calls the vmath sine. Wider layers run Gemm
// followed by AffineSinCos, u = ω·(x·w + b).
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

// linearSinStream is LinearSin for K ≤ 4. The weights and bias are scaled by ω/2π into K+1 rows;
// then each run of rows whose arguments are bounded by fusedLimit goes through the fused kernels
// (when the implementation has them), and every other row through the buffered path: the
// arguments of a block of rows into an L1-sized buffer, then the vmath functions over it.
func (k *Impl) linearSinStream(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	m, n, kk := x.Rows, w.Cols, x.Cols
	j := linearJobs.Get()
	*j = linearJob{k: k, s: s, c: c, x: x, m: m, n: n, kk: kk, fused: k.b.linSin != nil}
	j.blk = max(1, linearBlock/n)
	j.per = max(j.blk, streamChunk/n)
	tasks := ceilDiv(m, j.per)
	threads := workers(m*n*16, k.Threads()) // a sine costs about as much as 16 multiply-adds
	wBuf := getBuf((kk + 1) * n)
	j.wsc = *wBuf
	turn := omega / (2 * math.Pi)
	for q := 0; q <= kk; q++ {
		src := b
		if q < kk {
			src = w.Row(q)
		}
		dst := j.wsc[q*n : q*n+n]
		var big float64
		for i, v := range src {
			dst[i] = turn * v
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
	linearJobs.Put(j)
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
	wsc      []float64 // ω/2π·w (K rows of n) then ω/2π·b
	bound    [smallKMax + 1]float64
	u        []float64 // blk·n arguments (in turns) per worker
	nt       [2]int    // non-temporal stores for s, c
	fused    bool
}

var linearJobs = NewFreeList[linearJob](16)

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
	for _, o := range [2]struct {
		m   Matrix
		cos bool
	}{{s, false}, {c, true}} {
		if o.m.Data == nil {
			continue
		}
		if o.m.Stride == n || rows == 1 { // the rows are one slice
			d := o.m.Data[i*o.m.Stride : i*o.m.Stride+rows*n]
			turnAngles(d, u, o.cos)
			vm.Sin(d, d)
			continue
		}
		for r := range rows {
			d := o.m.Row(i + r)
			turnAngles(d, u[r*n:r*n+n], o.cos)
			vm.Sin(d, d)
		}
	}
}

// turnAngles sets dst[i] to an angle a = 2π·h with |h| ≤ ¼ and sin 2πh = sin 2πv[i] (cos false)
// or cos 2πv[i] (cos true). The reduction of v to h is exact, as in the fused kernels
// (internal/asmgen/linsin.go): q = v − round(v); for the sine h is q − round(2q)/2 with the sign
// of q, for the cosine ¼ − |q|. Only the product 2π·h rounds (under 1 ulp of the sine). Inf and
// NaN give NaN.
func turnAngles(dst, v []float64, cos bool) {
	dst = dst[:len(v)]
	if cos {
		for i, x := range v {
			dst[i] = 2 * math.Pi * (0.25 - math.Abs(turnFrac(x)))
		}
		return
	}
	for i, x := range v {
		q := turnFrac(x)
		f := q - ((2*q+roundMagic)-roundMagic)*0.5
		dst[i] = 2 * math.Pi * math.Copysign(f, q)
	}
}

// roundMagic rounds by addition: (x + roundMagic) − roundMagic is x rounded to an integer, ties
// to even, for |x| < 2⁵². (math.RoundToEven compiles to SSE4.1 ROUNDSD, whose false dependency
// on its destination register chained the loop iterations: 7× slower.)
const roundMagic = 0x1.8p52

// turnFrac is x − round(x), exactly: 0 for |x| ≥ 2⁵² (integers), NaN for ±Inf and NaN.
func turnFrac(x float64) float64 {
	if math.Abs(x) < 0x1p52 {
		return x - ((x + roundMagic) - roundMagic)
	}
	return x - x
}

// LinearSin runs the default implementation; see Impl.LinearSin.
func LinearSin(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	defaultImpl.LinearSin(s, c, x, w, b, omega)
}
