package kernel

import "fmt"

// linearBlock is about how many outputs LinearSin produces per block: the pre-activations of a
// block (16 KiB) stay in L1 between the product and the sine.
const linearBlock = 2048

// LinearSin is a SIREN layer in one call: with z = x·w + b (x M×K, w K×N, b of length ≥ N),
// it sets s = sin(omega·z) and, when c.Data != nil, c = cos(omega·z). s may be the zero Matrix
// to compute only the cosines (the backward pass recomputes them this way instead of storing
// them). For a thin first layer (K ≤ 4) the product, bias, scaling and sine are one streaming
// pass that writes each output once; otherwise it is Gemm followed by AffineSinCos.
// s and c must not share memory with x or w.
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
	if kk := x.Cols; kk >= 1 && kk <= smallKMax && k.b.affineK != nil {
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

// linearSinStream is LinearSin for K ≤ 4: each block of rows gets omega·(x·w + b) from the
// outer-product kernel into an L1-sized buffer, then its sines (and cosines) straight into s, c.
func (k *Impl) linearSinStream(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	m, n := x.Rows, w.Cols
	per := max(1, linearBlock/n)
	tasks := ceilDiv(m, per)
	threads := workers(m*n*16, k.Threads()) // a sine costs about as much as 16 multiply-adds
	buf := getBuf(per * n * min(threads, tasks))
	j := linearJobs.get()
	*j = linearJob{k: k, s: s, c: c, x: x, w: w, b: b, omega: omega, m: m, n: n, per: per, u: *buf}
	parallelFor(tasks, threads, j)
	*j = linearJob{}
	linearJobs.put(j)
	putBuf(buf)
}

// linearJob is one streaming LinearSin call; task t is the block of rows [t·per, (t+1)·per).
type linearJob struct {
	k          *Impl
	s, c, x, w Matrix
	b          []float64
	omega      float64
	m, n, per  int
	u          []float64 // per·n pre-activations per worker
}

var linearJobs = newFreeList[linearJob](16)

func (j *linearJob) run(wk, t int) {
	n, s, c := j.n, j.s, j.c
	r0 := t * j.per
	rows := min(j.per, j.m-r0)
	u := j.u[wk*j.per*n : wk*j.per*n+rows*n]
	j.k.b.affineK(rows, n, j.x.Cols, &j.x.Data[r0*j.x.Stride], j.x.Stride, 1, &j.w.Data[0], j.w.Stride,
		&j.b[0], &u[0], n, j.omega, 0, 0)
	vm := j.k.b.vm
	block := func(o Matrix) []float64 { // the rows of o as one slice when they are contiguous
		if o.Data == nil || (o.Stride != n && rows > 1) {
			return nil
		}
		return o.Data[r0*o.Stride : r0*o.Stride+rows*n]
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
		for i := 0; i < rows; i++ {
			ui := u[i*n : i*n+n]
			switch {
			case s.Data != nil && c.Data != nil:
				vm.SinCos(s.Row(r0+i), c.Row(r0+i), ui)
			case s.Data != nil:
				vm.Sin(s.Row(r0+i), ui)
			default:
				vm.Cos(c.Row(r0+i), ui)
			}
		}
	}
}

// LinearSin runs the default implementation; see Impl.LinearSin.
func LinearSin(s, c Matrix, x, w Matrix, b []float64, omega float64) {
	defaultImpl.LinearSin(s, c, x, w, b, omega)
}
