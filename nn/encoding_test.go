package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

func TestEncodingValues(t *testing.T) {
	x := kernel.MatrixFrom(2, 2, []float64{0.3, -0.7, -0.1, 0.9})
	in := NewInputJet(ValuePlan(2), x)

	pe, err := NewPositionalEncoding(2, 3)
	require.NoError(t, err)
	require.Equal(t, 2*(1+2*3), pe.OutWidth())
	y := pe.Forward(in).Value()
	for p := range 2 {
		for j := range 2 {
			v := x.At(p, j)
			require.Equal(t, v, y.At(p, j))
			for i := range 3 {
				f := math.Pow(2, float64(i)) * math.Pi
				// 1e-15: the kernel's sin/cos are within a few ulps of math.Sin/Cos.
				require.InDelta(t, math.Sin(f*v), y.At(p, 2+i*2+j), 1e-15)
				require.InDelta(t, math.Cos(f*v), y.At(p, 2+6+i*2+j), 1e-15)
			}
		}
	}

	ff, err := NewFourierFeatures(2, 5, 10, true, NewRNG(1))
	require.NoError(t, err)
	require.Equal(t, 10, ff.OutWidth())
	y = ff.Forward(in).Value()
	for p := range 2 {
		for k := range 5 {
			var u float64
			for j := range 2 {
				u += 2 * math.Pi * ff.B.Value[k*2+j] * (x.At(p, j) + 1) / 2
			}
			// The affine map is folded into the matrix (πB·x + πB·1): rounding of a few ulps of
			// |u| ≲ 100 gives ~1e-13.
			require.InDelta(t, math.Sin(u), y.At(p, k), 1e-12)
			require.InDelta(t, math.Cos(u), y.At(p, 5+k), 1e-12)
		}
	}

	// The frequency matrix is a buffer: named in a graph, saved, never trained.
	g := NewGraph(2)
	net, err := g.Build(g.Apply(ff, g.Input()))
	require.NoError(t, err)
	require.Empty(t, net.Params())
	require.Len(t, net.Buffers(), 1)
	require.Equal(t, "0.B", net.Buffers()[0].Name)
}

func TestNormalize(t *testing.T) {
	l, err := NewNormalize([]float64{-2, 10}, []float64{2, 20})
	require.NoError(t, err)
	in := NewInputJet(GradientPlan(2), kernel.MatrixFrom(2, 2, []float64{-2, 10, 2, 20}))
	y := l.Forward(in)
	require.Equal(t, []float64{-1, -1, 1, 1}, y.Value().Data[:4])
	require.Equal(t, []float64{0.5, 0, 0.5, 0}, y.D(0).Data[:4], "∂/∂x₀ scaled by 2/(hi−lo), no shift")
	require.Equal(t, []float64{0, 0.2, 0, 0.2}, y.D(1).Data[:4])
	_, err = NewNormalize([]float64{1}, []float64{1})
	require.ErrorContains(t, err, "bounds")
	_, err = NewAffine([]float64{1}, nil)
	require.Error(t, err)
}
