package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
)

// LowRank is the dense layer y = x·(U·V) + b with U in×rank and V rank×out (SL²A's hidden
// layers), computed as (x·U)·V: two thin GEMMs over the whole jet instead of one with the full
// in×out product.
type LowRank struct {
	U, V, B      *Param
	in, out, rnk int

	x     Jet
	t     JetBuffer // x·U
	y, dx JetBuffer
	dt    JetBuffer
	res   Jet
}

// NewLowRank returns an in→out layer of the given rank with bias, initialised as the SL²A code
// (PyTorch's kaiming_uniform(a=√5) on the stored shapes, whose fan_in is the second dimension,
// inr-architectures.md §0 and §4.1): U ~ U(±1/√rank), V ~ U(±1/√out), b ~ U(±1/√rank).
func NewLowRank(in, out, rank int, rng *rand.Rand) (*LowRank, error) {
	if in < 1 || out < 1 || rank < 1 {
		return nil, fmt.Errorf("low-rank layer %d→%d of rank %d: sizes must be ≥ 1", in, out, rank)
	}
	l := &LowRank{U: NewParam("U", in, rank), V: NewParam("V", rank, out), B: NewParam("bias", out), in: in, out: out, rnk: rank}
	fill := func(v []float64, bound float64) {
		for i := range v {
			v[i] = bound * (2*rng.Float64() - 1)
		}
	}
	fill(l.U.Value, 1/math.Sqrt(float64(rank)))
	fill(l.V.Value, 1/math.Sqrt(float64(out)))
	fill(l.B.Value, 1/math.Sqrt(float64(rank)))
	return l, nil
}

func (l *LowRank) InWidth() int     { return l.in }
func (l *LowRank) OutWidth() int    { return l.out }
func (l *LowRank) Params() []*Param { return []*Param{l.U, l.V, l.B} }

func (l *LowRank) Forward(in Jet) Jet {
	checkIn("low-rank", l, in)
	l.x = in
	t := l.t.Like(in, l.rnk)
	y := l.y.Like(in, l.out)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, in.M, l.U.Matrix(), 0, t.M)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, t.M, l.V.Matrix(), 0, y.M)
	kernel.AddBias(y.Value(), l.B.Value)
	l.res = y
	return y
}

func (l *LowRank) Backward(dy Jet, needIn bool) Jet {
	checkGrad("low-rank", l.res, dy)
	t := l.t.Like(dy, l.rnk)
	kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, t.M, dy.M, 1, l.V.GradMatrix())
	kernel.ColSums(l.B.Grad, dy.Value(), 1)
	dt := l.dt.Like(dy, l.rnk)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, dy.M, l.V.Matrix(), 0, dt.M)
	kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, l.x.M, dt.M, 1, l.U.GradMatrix())
	if !needIn {
		return Jet{}
	}
	dx := l.dx.Like(dy, l.in)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, dt.M, l.U.Matrix(), 0, dx.M)
	return dx
}
