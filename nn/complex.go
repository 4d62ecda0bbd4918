package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// Complex layers (WIRE) keep complex features as real pairs: a complex jet of width W is a real
// jet of width 2W whose columns are [Re | Im] halves, every derivative block likewise (the
// derivative of a complex feature is the pair of derivatives of its parts).

// ComplexMode says which side of a ComplexDense is complex.
type ComplexMode int

const (
	// ComplexToComplex: complex input [a | b] (2·in columns) to complex output (2·out).
	ComplexToComplex ComplexMode = iota
	// RealToComplex: real input (in columns), complex weights, complex output: a first layer.
	RealToComplex
	// ComplexToReal: complex input, output Re(h·W + b) (out columns): WIRE's output layer.
	ComplexToReal
)

// ComplexDense is z = h·W + b with complex W = Wr + iWi (in×out) and b = br + ibi, computed as
// ONE real GEMM of the [Re | Im] input with the real block matrix
//
//	[ Wr  Wi ]        (a + ib)(Wr + iWi) = (aWr − bWi) + i(aWi + bWr)
//	[ −Wi Wr ]
//
// (or its first block row for a real input, its first block column for a real output), built
// from Wr and Wi at every forward pass. Parameters: "weight_re", "weight_im" (in×out), "bias_re",
// "bias_im" (out; only bias_re for ComplexToReal, whose imaginary bias would be discarded).
type ComplexDense struct {
	Wr, Wi, Br, Bi *Param
	Mode           ComplexMode
	in, out        int

	m, dm kernel.Matrix // the real block matrix and its gradient
	bias  []float64
	dbias []float64
	x     Jet
	y, dx JetBuffer
	res   Jet
}

// NewComplexDense returns a complex dense layer initialised as PyTorch does complex nn.Linear in
// WIRE (real and imaginary parts each U(±1/√in), weights and biases).
func NewComplexDense(in, out int, mode ComplexMode, rng *rand.Rand) (*ComplexDense, error) {
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("complex dense %d→%d: sizes must be ≥ 1", in, out)
	}
	l := &ComplexDense{Wr: NewParam("weight_re", in, out), Wi: NewParam("weight_im", in, out),
		Br: NewParam("bias_re", out), Mode: mode, in: in, out: out}
	if mode != ComplexToReal {
		l.Bi = NewParam("bias_im", out)
	}
	bound := 1 / math.Sqrt(float64(in))
	for _, p := range l.Params() {
		for i := range p.Value {
			p.Value[i] = bound * (2*rng.Float64() - 1)
		}
	}
	rows, cols := 2*in, 2*out
	if mode == RealToComplex {
		rows = in
	}
	if mode == ComplexToReal {
		cols = out
	}
	l.m, l.dm = kernel.NewMatrix(rows, cols), kernel.NewMatrix(rows, cols)
	l.bias, l.dbias = make([]float64, cols), make([]float64, cols)
	return l, nil
}

func (l *ComplexDense) InWidth() int  { return l.m.Rows }
func (l *ComplexDense) OutWidth() int { return l.m.Cols }

func (l *ComplexDense) Params() []*Param {
	if l.Bi == nil {
		return []*Param{l.Wr, l.Wi, l.Br}
	}
	return []*Param{l.Wr, l.Wi, l.Br, l.Bi}
}

// build assembles the real block matrix and the real bias from the complex parameters.
func (l *ComplexDense) build() {
	in, out := l.in, l.out
	for i := range in {
		for j := range out {
			wr, wi := l.Wr.Value[i*out+j], l.Wi.Value[i*out+j]
			switch l.Mode {
			case ComplexToComplex:
				l.m.Set(i, j, wr)
				l.m.Set(i, out+j, wi)
				l.m.Set(in+i, j, -wi)
				l.m.Set(in+i, out+j, wr)
			case RealToComplex:
				l.m.Set(i, j, wr)
				l.m.Set(i, out+j, wi)
			case ComplexToReal:
				l.m.Set(i, j, wr)
				l.m.Set(in+i, j, -wi)
			}
		}
	}
	copy(l.bias, l.Br.Value)
	if l.Bi != nil {
		copy(l.bias[out:], l.Bi.Value)
	}
}

func (l *ComplexDense) Forward(in Jet) Jet {
	checkIn("complex dense", l, in)
	l.build()
	l.x = in
	y := l.y.Like(in, l.m.Cols)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, in.M, l.m, 0, y.M)
	kernel.AddBias(y.Value(), l.bias)
	l.res = y
	return y
}

func (l *ComplexDense) Backward(dy Jet, needIn bool) Jet {
	checkGrad("complex dense", l.res, dy)
	in, out := l.in, l.out
	kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, l.x.M, dy.M, 0, l.dm)
	// Fold the block-matrix gradient back onto Wr and Wi (each appears in two blocks).
	for i := range in {
		for j := range out {
			k := i*out + j
			switch l.Mode {
			case ComplexToComplex:
				l.Wr.Grad[k] += l.dm.At(i, j) + l.dm.At(in+i, out+j)
				l.Wi.Grad[k] += l.dm.At(i, out+j) - l.dm.At(in+i, j)
			case RealToComplex:
				l.Wr.Grad[k] += l.dm.At(i, j)
				l.Wi.Grad[k] += l.dm.At(i, out+j)
			case ComplexToReal:
				l.Wr.Grad[k] += l.dm.At(i, j)
				l.Wi.Grad[k] -= l.dm.At(in+i, j)
			}
		}
	}
	kernel.ColSums(l.dbias, dy.Value(), 0)
	addTo(l.Br.Grad, l.dbias[:out])
	if l.Bi != nil {
		addTo(l.Bi.Grad, l.dbias[out:])
	}
	if !needIn {
		return Jet{}
	}
	dx := l.dx.Like(dy, l.m.Rows)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, dy.M, l.m, 0, dx.M)
	return dx
}

// RealPart keeps the real half [Re] of a complex jet of width 2W.
type RealPart struct {
	w     int
	y, dx JetBuffer
	res   Jet
}

// NewRealPart returns the layer taking a complex jet of width w (2w real columns) to its real part.
func NewRealPart(w int) *RealPart { return &RealPart{w: w} }

func (r *RealPart) InWidth() int     { return 2 * r.w }
func (r *RealPart) OutWidth() int    { return r.w }
func (r *RealPart) Params() []*Param { return nil }

func (r *RealPart) Forward(in Jet) Jet {
	checkIn("real part", r, in)
	y := r.y.Like(in, r.w)
	y.M.CopyFrom(in.M.View(0, 0, in.M.Rows, r.w))
	r.res = y
	return y
}

func (r *RealPart) Backward(dy Jet, needIn bool) Jet {
	checkGrad("real part", r.res, dy)
	if !needIn {
		return Jet{}
	}
	dx := r.dx.Like(dy, 2*r.w)
	dx.M.View(0, 0, dx.M.Rows, r.w).CopyFrom(dy.M)
	dx.M.View(0, r.w, dx.M.Rows, r.w).Zero()
	return dx
}

// ComplexActivation applies a complex activation ψ(a + ib) (act.PairFunc, given by its real
// partial derivatives since it need not be holomorphic) to every unit of a complex jet, by the
// two-variable chain rule: for each output part o ∈ {Re ψ, Im ψ},
//
//	oᵢ = o_a·aᵢ + o_b·bᵢ
//	oᵢⱼ = o_aa·aᵢaⱼ + o_ab·(aᵢbⱼ + aⱼbᵢ) + o_bb·bᵢbⱼ + o_a·aᵢⱼ + o_b·bᵢⱼ
//
// A combination block S = Σ C·∂ᵢ∂ⱼ sums the bilinear part over its terms with the weights C.
// With realInput the input is a real jet of width W (b ≡ 0: WIRE's first layer, whose
// pre-activation is real). The partial derivatives are evaluated again in the backward pass
// (one order higher) rather than stored: they would be up to 18 numbers per unit and point.
type ComplexActivation struct {
	f         act.PairFunc
	w         int
	realInput bool

	x     Jet
	y, dx JetBuffer
	res   Jet
}

// NewComplexActivation returns the activation layer for w complex units.
func NewComplexActivation(f act.PairFunc, w int, realInput bool) *ComplexActivation {
	return &ComplexActivation{f: f, w: w, realInput: realInput}
}

func (c *ComplexActivation) InWidth() int {
	if c.realInput {
		return c.w
	}
	return 2 * c.w
}
func (c *ComplexActivation) OutWidth() int    { return 2 * c.w }
func (c *ComplexActivation) Params() []*Param { return nil }

// pairAt returns (a, b) of unit k in row r of jet j.
func (c *ComplexActivation) pairAt(j Jet, r, k int) (float64, float64) {
	row := j.M.Row(r)
	if c.realInput {
		return row[k], 0
	}
	return row[k], row[c.w+k]
}

func (c *ComplexActivation) Forward(in Jet) Jet {
	checkIn("complex activation", c, in)
	c.x = in
	y := c.y.Like(in, 2*c.w)
	plan := in.Plan
	n, r := in.N, plan.Order()
	var d act.PairDerivs
	for p := range n {
		for k := range c.w {
			a, b := c.pairAt(in, p, k)
			c.f.EvalPair(a, b, r, &d)
			for o := range 2 {
				y.M.Row(p)[o*c.w+k] = d.V[o]
			}
			for blk := 1; blk <= plan.NumFirst(); blk++ {
				ai, bi := c.pairAt(in, blk*n+p, k)
				for o := range 2 {
					y.M.Row(blk*n + p)[o*c.w+k] = d.D1[o][0]*ai + d.D1[o][1]*bi
				}
			}
			for q := range plan.NumSecond() {
				blk := plan.SecondStart() + q
				// The bilinear forms Σ C·aᵢaⱼ, Σ C·(aᵢbⱼ + aⱼbᵢ), Σ C·bᵢbⱼ over the block's terms.
				var qaa, qab, qbb float64
				for _, t := range plan.TermBlocks(q) {
					ai, bi := c.pairAt(in, t.Bi*n+p, k)
					aj, bj := c.pairAt(in, t.Bj*n+p, k)
					qaa += t.C * ai * aj
					qab += t.C * (ai*bj + aj*bi)
					qbb += t.C * bi * bj
				}
				aij, bij := c.pairAt(in, blk*n+p, k)
				for o := range 2 {
					y.M.Row(blk*n + p)[o*c.w+k] = d.D2[o][0]*qaa + d.D2[o][1]*qab + d.D2[o][2]*qbb +
						d.D1[o][0]*aij + d.D1[o][1]*bij
				}
			}
		}
	}
	c.res = y
	return y
}

func (c *ComplexActivation) Backward(g Jet, needIn bool) Jet {
	checkGrad("complex activation", c.res, g)
	if !needIn {
		return Jet{}
	}
	in := c.x
	plan := g.Plan
	n, r := g.N, plan.Order()
	dx := c.dx.Like(g, c.InWidth())
	dx.Zero()
	// add accumulates (da, db) into unit k of row rr of dx.
	add := func(rr, k int, da, db float64) {
		row := dx.M.Row(rr)
		row[k] += da
		if !c.realInput {
			row[c.w+k] += db
		}
	}
	var d act.PairDerivs
	for p := range n {
		for k := range c.w {
			a, b := c.pairAt(in, p, k)
			c.f.EvalPair(a, b, r+1, &d)
			for o := range 2 {
				col := o*c.w + k
				go0 := g.M.Row(p)[col]
				da := go0 * d.D1[o][0]
				db := go0 * d.D1[o][1]
				for blk := 1; blk <= plan.NumFirst(); blk++ {
					gi := g.M.Row(blk*n + p)[col]
					ai, bi := c.pairAt(in, blk*n+p, k)
					da += gi * (d.D2[o][0]*ai + d.D2[o][1]*bi)
					db += gi * (d.D2[o][1]*ai + d.D2[o][2]*bi)
					add(blk*n+p, k, gi*d.D1[o][0], gi*d.D1[o][1])
				}
				for q := range plan.NumSecond() {
					blk := plan.SecondStart() + q
					gk := g.M.Row(blk*n + p)[col]
					aij, bij := c.pairAt(in, blk*n+p, k)
					da += gk * (d.D2[o][0]*aij + d.D2[o][1]*bij)
					db += gk * (d.D2[o][1]*aij + d.D2[o][2]*bij)
					for _, t := range plan.TermBlocks(q) {
						ai, bi := c.pairAt(in, t.Bi*n+p, k)
						aj, bj := c.pairAt(in, t.Bj*n+p, k)
						cross := ai*bj + aj*bi
						gc := gk * t.C
						da += gc * (d.D3[o][0]*ai*aj + d.D3[o][1]*cross + d.D3[o][2]*bi*bj)
						db += gc * (d.D3[o][1]*ai*aj + d.D3[o][2]*cross + d.D3[o][3]*bi*bj)
						add(t.Bi*n+p, k, gc*(d.D2[o][0]*aj+d.D2[o][1]*bj), gc*(d.D2[o][1]*aj+d.D2[o][2]*bj))
						add(t.Bj*n+p, k, gc*(d.D2[o][0]*ai+d.D2[o][1]*bi), gc*(d.D2[o][1]*ai+d.D2[o][2]*bi))
					}
					add(blk*n+p, k, gk*d.D1[o][0], gk*d.D1[o][1])
				}
				add(p, k, da, db)
			}
		}
	}
	return dx
}
