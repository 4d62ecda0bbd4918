package nn

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// Activation applies an activation σ elementwise to a jet, by the chain rule (Faà di Bruno) block
// by block. With z the input jet:
//
//	value:  σ(z)
//	∂ᵢ:     σ′(z)·zᵢ
//	∂ᵢⱼ:    σ″(z)·zᵢ·zⱼ + σ′(z)·zᵢⱼ
//
// The forward pass evaluates σ…σ⁽ʳ⁺¹⁾ once (r the plan's order) and keeps σ′…σ⁽ʳ⁺¹⁾ for the
// backward pass, which therefore needs σ‴ for second-order jets. tanh takes a fused path
// (kernel.TanhJet): it keeps only sech², derives σ″ and σ‴ from it and tanh itself, and runs the
// chain rule of all blocks in one pass per chunk of elements, forwards and backwards.
//
// The activation's trainable parameters θ are either shared by the whole layer (one θ, and the
// activation's vectorised slice path is used when it has one) or per unit (θ for every column).
// Their parameter is named "theta", of shape [len θ] or [width, len θ].
type Activation struct {
	f       act.Func
	sf      act.SliceFunc     // non-nil when f has a slice path and θ is shared
	uf      act.UnitSliceFunc // non-nil when f has a slice path for per-unit θ and θ is per unit
	width   int
	perUnit bool
	nTheta  int
	theta   *Param // nil when the activation has no parameters
	// tanh takes the fused path (kernel.TanhJet): tanh and sech² from one exponential and the
	// whole chain rule in one pass per chunk. fused says whether the last Forward took it.
	tanh, fused bool

	x     Jet
	y     JetBuffer
	deriv [3]floatBuf // σ′, σ″, σ‴ at the value block, N×width each
	d     [3][]float64
	res   Jet
	pg    [][4]float64
	ev    evalRanges
}

// evalRanges is one evaluation of the slice path, run over ranges of elements on the kernel's
// threads (kernel.ForRanges): the slice functions are pure, and every element's values are
// the same whichever range holds it (ranges start at multiples of sliceAlign, of whole rows for
// per-unit parameters), so the result is bit-identical for any thread count.
type evalRanges struct {
	a     *Activation
	z, th []float64
	order int
	dst   [4][]float64
}

// sliceAlign is where ranges of a shared-parameter slice path may start: a multiple of the slice
// functions' chunk (256 elements) and of every vector width.
const sliceAlign = 256

// sliceWork is the rough cost of an activation with its derivatives, per element, in the
// kernel's units of work (multiply-adds).
const sliceWork = 16

func (e *evalRanges) RunRange(_, lo, hi int) {
	var d [4][]float64
	for k, s := range e.dst {
		if s != nil {
			d[k] = s[lo:hi]
		}
	}
	if e.a.sf != nil {
		e.a.sf.EvalSlice(e.z[lo:hi], e.th, e.order, d)
		return
	}
	e.a.uf.EvalUnits(e.z[lo:hi], e.a.width, e.a.theta.Value, e.order, d)
}

// fusedTanhValues is the most elements a value-only tanh jet takes the fused path for: below it
// the parallel slice functions would not split the work anyway.
const fusedTanhValues = 1 << 16

// NewActivation returns an activation layer of the given width. perUnit gives every unit its own
// copy of the activation's parameters (ignored when it has none). The parameters start at the
// activation's declared initial values.
func NewActivation(f act.Func, width int, perUnit bool) *Activation {
	if width < 1 {
		panic(fmt.Sprintf("nn: activation of width %d", width))
	}
	a := &Activation{f: f, width: width, nTheta: len(f.Params())}
	if a.nTheta > 0 {
		a.perUnit = perUnit
		if perUnit {
			a.theta = NewParam("theta", width, a.nTheta)
		} else {
			a.theta = NewParam("theta", a.nTheta)
		}
		for i := range a.theta.Value {
			a.theta.Value[i] = f.Params()[i%a.nTheta].Init
		}
		a.pg = make([][4]float64, a.nTheta)
	}
	if sf, ok := f.(act.SliceFunc); ok && !a.perUnit {
		a.sf = sf
	}
	if uf, ok := f.(act.UnitSliceFunc); ok && a.perUnit {
		a.uf = uf
	}
	a.tanh = f.Name() == "tanh" && a.nTheta == 0
	return a
}

// Func returns the activation function.
func (a *Activation) Func() act.Func { return a.f }

func (a *Activation) InWidth() int  { return a.width }
func (a *Activation) OutWidth() int { return a.width }

func (a *Activation) Params() []*Param {
	if a.theta == nil {
		return nil
	}
	return []*Param{a.theta}
}

// thetaFor returns the parameters unit j uses.
func (a *Activation) thetaFor(j int) []float64 {
	if a.theta == nil {
		return nil
	}
	if a.perUnit {
		return a.theta.Value[j*a.nTheta : (j+1)*a.nTheta]
	}
	return a.theta.Value
}

// evalValue fills out (N×W, contiguous) with σ(z) and the stash buffers with σ′…σ⁽ᵒʳᵈᵉʳ⁾.
func (a *Activation) evalValue(z []float64, out []float64, order int) {
	n := len(z)
	var dst [4][]float64
	dst[0] = out
	for k := 1; k <= order; k++ {
		a.d[k-1] = a.deriv[k-1].get(n)
		dst[k] = a.d[k-1]
	}
	if a.sf != nil || a.uf != nil {
		a.ev = evalRanges{a: a, z: z, order: order, dst: dst}
		align := sliceAlign
		if a.theta != nil {
			a.ev.th = a.theta.Value
		}
		if a.uf != nil {
			align = a.width
		}
		kernel.ForRanges(n, align, sliceWork, &a.ev)
		a.ev = evalRanges{}
		return
	}
	var d [4]float64
	w := a.width
	for p, v := range z {
		a.f.Eval(v, a.thetaFor(p%w), order, &d)
		for k := 0; k <= order; k++ {
			dst[k][p] = d[k]
		}
	}
}

func (a *Activation) Forward(in Jet) Jet {
	checkInNamed("activation", a.f.Name(), a, in)
	a.x = in
	y := a.y.Like(in, a.width)
	r := in.Plan.Order()
	n := len(in.BlockData(0))
	// Values only: a large batch goes to the parallel slice path instead (TanhJet runs on one
	// goroutine).
	a.fused = a.tanh && (r > 0 || n <= fusedTanhValues)
	if a.fused {
		a.d[0] = a.deriv[0].get(n)
		kernel.TanhJet(y.Data(), a.d[0], in.Data(), n, in.Plan.layout)
		a.res = y
		return y
	}
	a.evalValue(in.BlockData(0), y.BlockData(0), r+1)
	if r > 0 {
		ChainForward(y, in, a.d[0], 1, a.d[1], 1)
	}
	a.res = y
	return y
}

func (a *Activation) Backward(g Jet, needIn bool) Jet {
	checkGradNamed("activation", a.f.Name(), a.res, g)
	if a.theta != nil {
		a.paramGrad(g)
	}
	if !needIn {
		return Jet{}
	}
	if g.Plan.Order() == 0 {
		g0 := g.BlockData(0)
		kernel.Mul(g0, g0, a.d[0])
		return g
	}
	if a.fused {
		t := a.res.BlockData(0)
		kernel.TanhJetBackward(g.Data(), a.x.Data(), t, a.d[0], len(t), g.Plan.layout)
		return g
	}
	chainBackwardInPlace(g, a.x, a.d[0], a.d[1], a.d[2])
	return g
}

// paramGrad accumulates ∂L/∂θ. The derivative blocks depend on θ through σ⁽ᵏ⁾(z; θ):
// ∂v/∂θ = ∂σ/∂θ, ∂vᵢ/∂θ = ∂σ′/∂θ·zᵢ, ∂vᵢⱼ/∂θ = ∂σ″/∂θ·zᵢzⱼ + ∂σ′/∂θ·zᵢⱼ (weighted by C over the
// terms of a combination block).
func (a *Activation) paramGrad(g Jet) {
	plan := g.Plan
	r := plan.Order()
	z := a.x
	zv := z.BlockData(0)
	w := a.width
	nf, ns, s0 := plan.NumFirst(), plan.NumSecond(), plan.SecondStart()
	gr := a.theta.Grad
	if r == 0 && a.uf != nil {
		a.uf.ParamGradUnits(zv, g.BlockData(0), w, a.theta.Value, gr)
		return
	}
	blockLen := len(zv)
	gf, zf := g.Data(), z.Data()
	for p, v := range zv {
		j := p % w
		th := a.thetaFor(j)
		a.f.EvalParamGrad(v, th, r, a.pg)
		gp := gf[p]
		var c1, c2 float64 // coefficients of ∂σ′/∂θ and ∂σ″/∂θ
		for b := 1; b <= nf; b++ {
			c1 += gf[b*blockLen+p] * zf[b*blockLen+p]
		}
		for k := range ns {
			b := s0 + k
			gk := gf[b*blockLen+p]
			for _, t := range plan.TermBlocks(k) {
				c2 += gk * t.C * zf[t.Bi*blockLen+p] * zf[t.Bj*blockLen+p]
			}
			c1 += gk * zf[b*blockLen+p]
		}
		off := 0
		if a.perUnit {
			off = j * a.nTheta
		}
		for m := range a.nTheta {
			t := gp * a.pg[m][0]
			if r >= 1 {
				t += c1 * a.pg[m][1]
			}
			if r >= 2 {
				t += c2 * a.pg[m][2]
			}
			gr[off+m] += t
		}
	}
}
