package nn

import (
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// DenseAct is a dense layer followed by an activation, y = σ(Scale·(x·W) + b). It computes exactly
// what Chain(dense, activation) computes, but for the sine activation (σ(z) = sin(ωz), SIREN's
// layer) on value-only jets it takes the fused path SIREN's training speed depends on: one GEMM,
// then one pass of kernel.AffineSinCos that writes sin(ω(z+b)) to the output and cos(ω(z+b))
// over the pre-activation buffer, kept for the backward pass. The backward pass then multiplies
// the incoming gradient by that cosine in place and folds ω into the two GEMMs' scale factors, so
// no extra pass over the N×width matrices is spent on constants.
//
// For a thin first layer (at most 4 inputs, Scale 1) the forward pass is kernel.LinearSin, one
// streaming pass that writes only the sines; the backward pass recomputes the cosines (a K ≤ 4
// product is cheaper than storing and re-reading them).
//
// On jets with derivative blocks, or for any other activation, it runs the general path.
type DenseAct struct {
	Dense *Dense
	Act   *Activation

	omega float64 // > 0 when the fused sine path applies
	zeroB []float64
	fused bool // whether the last Forward took the fused path
	thin  bool // whether it took the LinearSin path (cosines recomputed in Backward)
	// noThin turns the LinearSin path off, so that tests and benchmarks can compare the two.
	noThin bool
	x      Jet
	z      JetBuffer // pre-activation, then its cosine, then dZ
	s      JetBuffer
	dx     JetBuffer
	res    Jet
	colSum []float64
}

// NewDenseAct returns the layer in→out with activation f (shared parameters unless perUnit).
// Weights start at zero: apply an Init.
func NewDenseAct(in, out int, bias bool, f act.Func, perUnit bool) *DenseAct {
	l := &DenseAct{Dense: NewDense(in, out, bias), Act: NewActivation(f, out, perUnit)}
	if f.Name() == "sine" && len(f.Params()) == 0 {
		if w, ok := f.Config()["omega"]; ok && w != 0 {
			l.omega = w
			l.zeroB = make([]float64, out)
			l.colSum = make([]float64, out)
		}
	}
	return l
}

func (l *DenseAct) InWidth() int  { return l.Dense.in }
func (l *DenseAct) OutWidth() int { return l.Dense.out }

func (l *DenseAct) Params() []*Param { return append(l.Dense.Params(), l.Act.Params()...) }

func (l *DenseAct) Forward(in Jet) Jet {
	l.fused = l.omega != 0 && in.Plan.Order() == 0
	if !l.fused {
		return l.Act.Forward(l.Dense.Forward(in))
	}
	checkIn("dense+sine", l, in)
	d := l.Dense
	l.x = in
	d.x = in // what the dense part saw, for initialisers that inspect it (LSUV)
	s := l.s.Like(in, d.out)
	b := l.bias()
	l.thin = d.in <= 4 && d.Scale == 1 && !l.noThin
	if l.thin {
		kernel.LinearSin(s.M, kernel.Matrix{}, in.M, d.W.Matrix(), b, l.omega)
		l.res = s
		return s
	}
	z := l.z.Like(in, d.out)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, d.Scale, in.M, d.W.Matrix(), 0, z.M)
	kernel.AffineSinCos(s.M, z.M, z.M, b, l.omega)
	l.res = s
	return s
}

func (l *DenseAct) Backward(dOut Jet, needIn bool) Jet {
	if !l.fused {
		return l.Dense.Backward(l.Act.Backward(dOut, true), needIn)
	}
	checkGrad("dense+sine", l.res, dOut)
	d := l.Dense
	// dZ/ω = dS·cos(ω(z+b)), in place over the cosine.
	z := l.z.Like(dOut, d.out)
	if l.thin {
		kernel.LinearSin(kernel.Matrix{}, z.M, l.x.M, d.W.Matrix(), l.bias(), l.omega)
	}
	// One pass forms dZ/ω and, for the bias, its column sums.
	if d.B != nil {
		kernel.MulColSums(z.M, z.M, dOut.M, l.colSum, 0)
		kernel.Axpy(l.omega, l.colSum, d.B.Grad)
	} else {
		zf := z.Data()
		kernel.Mul(zf, zf, dOut.Data())
	}
	kernel.Gemm(kernel.Trans, kernel.NoTrans, d.Scale*l.omega, l.x.M, z.M, 1, d.W.GradMatrix())
	if !needIn {
		return Jet{}
	}
	dx := l.dx.Like(dOut, d.in)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, d.Scale*l.omega, z.M, d.W.Matrix(), 0, dx.M)
	return dx
}

func (l *DenseAct) bias() []float64 {
	if l.Dense.B != nil {
		return l.Dense.B.Value
	}
	return l.zeroB
}
