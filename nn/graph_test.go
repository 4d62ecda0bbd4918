package nn

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

func TestPlan(t *testing.T) {
	p, err := NewPlan(3, []int{2, 2}, []Pair{{1, 0}, {0, 1}, {1, 1}})
	require.NoError(t, err)
	require.Equal(t, []int{0, 1, 2}, p.First(), "pairs add the first derivatives they need")
	require.Equal(t, []Pair{{0, 1}, {1, 1}}, p.Second(), "pairs normalised to I ≤ J, duplicates dropped")
	require.Equal(t, 6, p.Blocks())
	require.Equal(t, 2, p.Order())
	b, ok := p.SecondBlock(1, 0)
	require.True(t, ok)
	require.Equal(t, 4, b)
	_, ok = p.SecondBlock(2, 2)
	require.False(t, ok)
	require.Equal(t, "dim 3: ∂0 ∂1 ∂2 ∂01 ∂11", p.String())

	_, err = NewPlan(2, []int{2}, nil)
	require.ErrorContains(t, err, "outside")
	_, err = NewPlan(0, nil, nil)
	require.Error(t, err)
	require.Equal(t, 0, ValuePlan(2).Order())
	require.Equal(t, 1+2+2, LaplacianPlan(2).Blocks())
	require.Equal(t, 1+3+6, HessianPlan(3).Blocks())

	j := NewInputJet(LaplacianPlan(2), kernel.MatrixFrom(2, 2, []float64{1, 2, 3, 4}))
	require.Equal(t, []float64{1, 0, 1, 0}, j.D(0).Data[:4])
	require.Equal(t, []float64{0, 1, 0, 1}, j.D(1).Data[:4])
	require.Equal(t, []float64{0, 0, 0, 0}, j.D2(1, 1).Data[:4])
}

func TestGraphConstruction(t *testing.T) {
	tanh, err := act.New("tanh", nil)
	require.NoError(t, err)
	d := NewDense(2, 3, true)

	g := NewGraph(2)
	h := g.Apply(d, g.Input())
	g.Apply(d, h)
	_, err = g.Build(h)
	require.ErrorContains(t, err, "used twice")

	g = NewGraph(2)
	g.Apply(NewDense(3, 3, true), g.Input())
	_, err = g.Build(1)
	require.ErrorContains(t, err, "expects width 3, its input has width 2")

	g = NewGraph(2)
	a := g.Apply(NewDense(2, 3, true), g.Input())
	b := g.Apply(NewDense(2, 4, true), g.Input())
	g.Add(a, b)
	_, err = g.Build(a)
	require.ErrorContains(t, err, "same width")

	g = NewGraph(2)
	enc := g.ApplyNamed("enc", NewDense(2, 3, true), g.Input())
	inner, err := Chain(NewDense(3, 3, true), NewActivation(tanh, 3, false))
	require.NoError(t, err)
	out := g.Apply(inner, enc)
	net, err := g.Build(out)
	require.NoError(t, err)
	ps, err := net.ParamSet()
	require.NoError(t, err)
	require.Equal(t, []string{"enc.weight", "enc.bias", "1.0.weight", "1.0.bias"}, ps.Names())
	_, err = net.Build(out)
	require.ErrorContains(t, err, "twice")
}

// TestFusedSineMatchesGeneral checks that the fused dense+sine paths (LinearSin for 3 inputs,
// GEMM + AffineSinCos for 6) compute what Dense followed by the sine Activation computes,
// forward and backward.
func TestFusedSineMatchesGeneral(t *testing.T) {
	for _, in := range []int{3, 6} {
		t.Run(fmt.Sprintf("in=%d", in), func(t *testing.T) { testFusedSine(t, in) })
	}
}

func testFusedSine(t *testing.T, nin int) {
	sine, err := act.New("sine", act.Config{"omega": 30})
	require.NoError(t, err)
	rng := NewRNG(4)
	fused := NewDenseAct(nin, 5, true, sine, false)
	require.NoError(t, InitDense(fused.Dense, Init{Weight: "siren_first"}, rng))
	require.Equal(t, nin <= 4, func() bool { fused.Forward(NewJet(ValuePlan(nin), 1, nin)); return fused.thin }())
	dense := NewDense(nin, 5, true)
	copy(dense.W.Value, fused.Dense.W.Value)
	copy(dense.B.Value, fused.Dense.B.Value)
	general, err := Chain(dense, NewActivation(sine, 5, false))
	require.NoError(t, err)

	x := kernel.NewMatrix(7, nin)
	for i := range x.Data {
		x.Data[i] = 2*rng.Float64() - 1
	}
	in := NewInputJet(ValuePlan(nin), x)
	yf := fused.Forward(in).M.Clone()
	yg := general.Forward(in).M.Clone()
	g := kernel.NewMatrix(7, 5)
	for i := range g.Data {
		g.Data[i] = rng.NormFloat64()
	}
	dxf := fused.Backward(Wrap(ValuePlan(nin), 7, g.Clone()), true).M.Clone()
	dxg := general.Backward(Wrap(ValuePlan(nin), 7, g.Clone()), true).M.Clone()
	// Same operations up to the order of roundings (ω folded into the GEMM scale): 1e-13.
	for i := range yf.Data {
		require.InDelta(t, yg.Data[i], yf.Data[i], 1e-13)
	}
	for i := range dxf.Data {
		require.InDelta(t, dxg.Data[i], dxf.Data[i], 1e-13*(1+abs(dxg.Data[i])))
	}
	for i := range dense.W.Grad {
		require.InDelta(t, dense.W.Grad[i], fused.Dense.W.Grad[i], 1e-12*(1+abs(dense.W.Grad[i])))
	}
	for i := range dense.B.Grad {
		require.InDelta(t, dense.B.Grad[i], fused.Dense.B.Grad[i], 1e-12*(1+abs(dense.B.Grad[i])))
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
