package nn

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

// LayerNorm normalises every point over the width: y = γ⊙(x − μ)·s + β with μ the mean,
// s = 1/√(σ² + ε), σ² the biased variance, ε = 1e-5, γ = 1 and β = 0 at start (PyTorch's
// LayerNorm). It is nonlinear in x, so the derivative blocks carry the derivatives of μ and s.
// With c = x − μ, v = mean(c²) and a block direction i (cᵢ = xᵢ − mean(xᵢ)):
//
//	vᵢ = 2·mean(c·cᵢ),                 sᵢ = −½s³vᵢ
//	vᵢⱼ = 2·mean(cᵢcⱼ + c·cᵢⱼ),         sᵢⱼ = ¾s⁵vᵢvⱼ − ½s³vᵢⱼ
//	x̂ = c·s,  x̂ᵢ = cᵢs + c·sᵢ,  x̂ᵢⱼ = cᵢⱼs + cᵢsⱼ + cⱼsᵢ + c·sᵢⱼ,   yᵦ = γ⊙x̂ᵦ (+β on values)
//
// A combination block S = Σ C·∂ᵢ∂ⱼ takes each formula's bilinear part summed over its terms with
// the weights C (every formula is linear in the second-order quantities). The backward pass runs
// these formulas in reverse, point by point.
type LayerNorm struct {
	Gamma, Beta *Param
	Eps         float64
	width       int

	c, xhat JetBuffer
	sc      floatBuf // per point and block: s, sᵢ…, sᵢⱼ…
	vc      floatBuf // per point and block: v, vᵢ…, vᵢⱼ…
	y, dx   JetBuffer
	res     Jet
	rows    lnRows
}

// NewLayerNorm returns a layer normalisation over the given width.
func NewLayerNorm(width int) *LayerNorm {
	if width < 1 {
		panic(fmt.Sprintf("nn: layer norm of width %d", width))
	}
	l := &LayerNorm{Gamma: NewParam("gamma", width), Beta: NewParam("beta", width), Eps: 1e-5, width: width}
	for i := range l.Gamma.Value {
		l.Gamma.Value[i] = 1
	}
	return l
}

func (l *LayerNorm) InWidth() int     { return l.width }
func (l *LayerNorm) OutWidth() int    { return l.width }
func (l *LayerNorm) Params() []*Param { return []*Param{l.Gamma, l.Beta} }

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func (l *LayerNorm) Forward(in Jet) Jet {
	checkIn("layer norm", l, in)
	plan := in.Plan
	nb, n, w := plan.Blocks(), in.N, l.width
	c := l.c.Like(in, w)
	xh := l.xhat.Like(in, w)
	y := l.y.Like(in, w)
	S := l.sc.get(n * nb)
	V := l.vc.get(n * nb)
	l.rows = lnRows{l: l, x: in, c: c, xh: xh, y: y, S: S, V: V}
	kernel.ForRanges(n, 1, lnWork*w*nb, &l.rows)
	l.rows = lnRows{}
	l.res = y
	return y
}

// lnRows runs the loops of a layer norm's passes on the kernel's threads (kernel.ForRanges):
// the per-point loops over ranges of points, the parameter gradients over bands of columns.
type lnRows struct {
	l                  *LayerNorm
	x, c, xh, y, g, dx Jet
	S, V               []float64
	pass               lnPass
}

type lnPass uint8

const (
	lnForward  lnPass = iota // points: normalise
	lnParams                 // columns: γ's and β's gradients
	lnBackward               // points: the input gradient
)

// lnWork is the rough cost of a unit of a point's row per block, in the kernel's units of work.
const lnWork = 8

func (r *lnRows) RunRange(_, lo, hi int) {
	switch r.pass {
	case lnForward:
		r.forwardRows(lo, hi)
	case lnParams:
		r.paramColumns(lo, hi)
	case lnBackward:
		r.backwardRows(lo, hi)
	}
}

// paramColumns accumulates γ's and β's gradients of columns [lo, hi) over every point.
func (r *lnRows) paramColumns(lo, hi int) {
	g, xh := r.g, r.xh
	dGamma, dBeta := r.l.Gamma.Grad[lo:hi], r.l.Beta.Grad[lo:hi]
	for b := range g.Plan.Blocks() {
		gb, xb := g.Block(b), xh.Block(b)
		for p := range g.N {
			gr, xr := gb.Row(p)[lo:hi], xb.Row(p)[lo:hi]
			for k, v := range gr {
				dGamma[k] += v * xr[k]
			}
			if b == 0 {
				for k, v := range gr {
					dBeta[k] += v
				}
			}
		}
	}
}

// forwardRows normalises points [lo, hi): each point's figures are its own, so the points are
// split across the kernel's threads (lnRows) with the same bits for any thread count.
func (r *lnRows) forwardRows(lo, hi int) {
	l, in, c, xh, y, S, V := r.l, r.x, r.c, r.xh, r.y, r.S, r.V
	plan := in.Plan
	nb, n := plan.Blocks(), in.N
	nf, s0 := plan.NumFirst(), plan.SecondStart()
	fw := float64(l.width)
	for p := lo; p < hi; p++ {
		row := func(j Jet, b int) []float64 { return j.M.Row(b*n + p) }
		// Centre every block.
		for b := range nb {
			x, cb := row(in, b), row(c, b)
			m := mean(x)
			for k, v := range x {
				cb[k] = v - m
			}
		}
		sv, vv := S[p*nb:(p+1)*nb], V[p*nb:(p+1)*nb]
		c0 := row(c, 0)
		vv[0] = dot(c0, c0) / fw
		s := 1 / math.Sqrt(vv[0]+l.Eps)
		sv[0] = s
		s3 := s * s * s
		for b := 1; b <= nf; b++ {
			vv[b] = 2 * dot(c0, row(c, b)) / fw
			sv[b] = -0.5 * s3 * vv[b]
		}
		for k := range plan.NumSecond() {
			b := s0 + k
			q, qs := dot(c0, row(c, b)), 0.0
			for _, t := range plan.TermBlocks(k) {
				q += t.C * dot(row(c, t.Bi), row(c, t.Bj))
				qs += t.C * vv[t.Bi] * vv[t.Bj]
			}
			vv[b] = 2 * q / fw
			sv[b] = 0.75*s3*s*s*qs - 0.5*s3*vv[b]
		}
		// x̂ blocks and the output.
		for b := range nb {
			xb := row(xh, b)
			cb := row(c, b)
			for k := range xb {
				xb[k] = cb[k] * s
			}
			if b >= 1 && b <= nf {
				axpy(sv[b], c0, xb)
			}
			if b >= s0 {
				for _, t := range plan.TermBlocks(b - s0) {
					axpy(t.C*sv[t.Bj], row(c, t.Bi), xb)
					axpy(t.C*sv[t.Bi], row(c, t.Bj), xb)
				}
				axpy(sv[b], c0, xb)
			}
			yb := row(y, b)
			for k, v := range xb {
				yb[k] = l.Gamma.Value[k] * v
			}
			if b == 0 {
				for k := range yb {
					yb[k] += l.Beta.Value[k]
				}
			}
		}
	}
}

func (l *LayerNorm) Backward(g Jet, needIn bool) Jet {
	checkGrad("layer norm", l.res, g)
	plan := g.Plan
	nb, n, w := plan.Blocks(), g.N, l.width
	c := l.c.Like(g, w)
	xh := l.xhat.Like(g, w)
	S := l.sc.get(n * nb)
	V := l.vc.get(n * nb)
	// γ's and β's gradients, a band of columns per range: each column sums its points in the
	// same order whatever the thread count.
	l.rows = lnRows{l: l, g: g, xh: xh, pass: lnParams}
	kernel.ForRanges(w, 8, 2*n*nb, &l.rows)
	l.rows = lnRows{}
	if !needIn {
		return Jet{}
	}
	dx := l.dx.Like(g, w)
	l.rows = lnRows{l: l, g: g, c: c, dx: dx, S: S, V: V, pass: lnBackward}
	kernel.ForRanges(n, 1, lnWork*w*nb, &l.rows)
	l.rows = lnRows{}
	return dx
}

// backwardRows forms the input gradient of points [lo, hi) (γ's and β's gradients, sums over the
// points, are formed before it, by paramColumns).
func (r *lnRows) backwardRows(lo, hi int) {
	l, g, c, dx, S, V := r.l, r.g, r.c, r.dx, r.S, r.V
	plan := g.Plan
	nb, n := plan.Blocks(), g.N
	gamma := l.Gamma.Value
	var adj [32]float64 // the scalar adjoints of a point: gs and gv per block
	buf := adj[:]
	if 2*nb > len(adj) {
		buf = make([]float64, 2*nb)
	}
	gs, gv := buf[:nb], buf[nb:2*nb]
	nf, s0 := plan.NumFirst(), plan.SecondStart()
	fw := float64(l.width)
	for p := lo; p < hi; p++ {
		row := func(j Jet, b int) []float64 { return j.M.Row(b*n + p) }
		sv, vv := S[p*nb:(p+1)*nb], V[p*nb:(p+1)*nb]
		s := sv[0]
		s2 := s * s
		s3 := s2 * s
		c0 := row(c, 0)
		clear(gs)
		clear(gv)
		// gx̂ = γ⊙g, held in g's rows (g is scratch), and the adjoints of the c blocks in dx.
		for b := range nb {
			gr := row(g, b)
			for k := range gr {
				gr[k] *= gamma[k]
			}
			clear(row(dx, b))
		}
		for b := range nb {
			gr, cb, dxb := row(g, b), row(c, b), row(dx, b)
			axpy(s, gr, dxb)       // cᵦ·s
			gs[0] += dot(gr, cb)   // …its s
			if b >= 1 && b <= nf { // c·sᵢ
				axpy(sv[b], gr, row(dx, 0))
				gs[b] += dot(gr, c0)
			}
			if b >= s0 { // cᵢsⱼ + cⱼsᵢ + c·sᵢⱼ
				for _, t := range plan.TermBlocks(b - s0) {
					axpy(t.C*sv[t.Bj], gr, row(dx, t.Bi))
					gs[t.Bj] += t.C * dot(gr, row(c, t.Bi))
					axpy(t.C*sv[t.Bi], gr, row(dx, t.Bj))
					gs[t.Bi] += t.C * dot(gr, row(c, t.Bj))
				}
				axpy(sv[b], gr, row(dx, 0))
				gs[b] += dot(gr, c0)
			}
		}
		// Scalars in reverse: sᵢⱼ, then sᵢ, then s.
		for k := plan.NumSecond() - 1; k >= 0; k-- {
			b := s0 + k
			qs := 0.0
			for _, t := range plan.TermBlocks(k) {
				qs += t.C * vv[t.Bi] * vv[t.Bj]
				gv[t.Bi] += gs[b] * 0.75 * s3 * s2 * t.C * vv[t.Bj]
				gv[t.Bj] += gs[b] * 0.75 * s3 * s2 * t.C * vv[t.Bi]
			}
			gs[0] += gs[b] * (3.75*s2*s2*qs - 1.5*s2*vv[b])
			gv[b] += gs[b] * (-0.5 * s3)
		}
		for b := 1; b <= nf; b++ {
			gs[0] += gs[b] * (-1.5 * s2 * vv[b])
			gv[b] += gs[b] * (-0.5 * s3)
		}
		gv[0] += gs[0] * (-0.5 * s3)
		// The v's in terms of the c blocks.
		for k := range plan.NumSecond() {
			b := s0 + k
			f := 2 * gv[b] / fw
			for _, t := range plan.TermBlocks(k) {
				axpy(t.C*f, row(c, t.Bj), row(dx, t.Bi))
				axpy(t.C*f, row(c, t.Bi), row(dx, t.Bj))
			}
			axpy(f, row(c, b), row(dx, 0))
			axpy(f, c0, row(dx, b))
		}
		for b := 1; b <= nf; b++ {
			f := 2 * gv[b] / fw
			axpy(f, row(c, b), row(dx, 0))
			axpy(f, c0, row(dx, b))
		}
		axpy(2*gv[0]/fw, c0, row(dx, 0))
		// cᵦ = xᵦ − mean(xᵦ): remove the mean of each adjoint.
		for b := range nb {
			r := row(dx, b)
			m := mean(r)
			for k := range r {
				r[k] -= m
			}
		}
	}
}
