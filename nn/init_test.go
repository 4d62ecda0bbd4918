package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

func TestInitSchemes(t *testing.T) {
	const fanIn, fanOut = 200, 300
	n := float64(fanIn)
	cases := []struct {
		init    Init
		uniform bool    // U(±bound); else normal with std
		scale   float64 // bound or std
		cut     float64 // normal: every |w| ≤ cut (0: no cut)
	}{
		{Init{Weight: "torch"}, true, 1 / math.Sqrt(n), 0},
		{Init{Weight: "glorot_uniform"}, true, math.Sqrt(6.0 / (fanIn + fanOut)), 0},
		{Init{Weight: "he_uniform"}, true, math.Sqrt(6 / n), 0},
		{Init{Weight: "siren_first"}, true, 1 / n, 0},
		{Init{Weight: "siren_hidden", Omega: 30}, true, math.Sqrt(6/n) / 30, 0},
		{Init{Weight: "torch", Gain: 2}, true, 2 / math.Sqrt(n), 0},
		{Init{Weight: "he_normal"}, false, math.Sqrt(2 / n), 0},
		// Truncated at 2σ, the standard deviation is σ·0.8796 (that of N(0,1) cut at ±2).
		{Init{Weight: "glorot_normal"}, false, 0.879626 * math.Sqrt(2.0/(fanIn+fanOut)), 2 * math.Sqrt(2.0/(fanIn+fanOut))},
	}
	for _, c := range cases {
		t.Run(c.init.Weight, func(t *testing.T) {
			w := make([]float64, fanIn*fanOut)
			b := make([]float64, fanOut)
			require.NoError(t, c.init.Fill(w, b, fanIn, fanOut, NewRNG(1)))
			var maxAbs, sumSq float64
			for _, v := range w {
				maxAbs = math.Max(maxAbs, math.Abs(v))
				sumSq += v * v
			}
			std := math.Sqrt(sumSq / float64(len(w)))
			// 60,000 draws: the sample std is within 0.3% (one σ) of the truth; 3% is ten σ.
			if c.uniform {
				require.LessOrEqual(t, maxAbs, c.scale)
				require.Greater(t, maxAbs, 0.999*c.scale)
				require.InEpsilon(t, c.scale/math.Sqrt(3), std, 0.03)
			} else {
				require.InEpsilon(t, c.scale, std, 0.03)
			}
			if c.cut > 0 {
				require.LessOrEqual(t, maxAbs, c.cut)
			}
			// Biases keep PyTorch's default U(±1/√fan_in).
			for _, v := range b {
				require.LessOrEqual(t, math.Abs(v), 1/math.Sqrt(n))
			}
		})
	}
}

func TestInitOrthogonalAndErrors(t *testing.T) {
	for _, shape := range [][2]int{{5, 8}, {8, 5}, {6, 6}} {
		r, c := shape[0], shape[1]
		w := make([]float64, r*c)
		require.NoError(t, Init{Weight: "orthogonal", Bias: "zero"}.Fill(w, nil, r, c, NewRNG(2)))
		m := kernel.MatrixFrom(r, c, w)
		k := min(r, c)
		g := kernel.NewMatrix(k, k)
		if r <= c {
			kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, m, m, 0, g) // rows orthonormal
		} else {
			kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, m, m, 0, g) // columns orthonormal
		}
		for i := range k {
			for j := range k {
				want := 0.0
				if i == j {
					want = 1
				}
				require.InDelta(t, want, g.At(i, j), 1e-14, "%dx%d Gram[%d,%d]", r, c, i, j)
			}
		}
	}
	require.ErrorContains(t, Init{Weight: "kaiming"}.Validate(), "unknown weight initialisation")
	require.ErrorContains(t, Init{Weight: "siren_hidden"}.Validate(), "omega")
	require.ErrorContains(t, Init{Weight: "torch", Bias: "ones"}.Validate(), "bias")

	a := make([]float64, 50)
	b := make([]float64, 50)
	require.NoError(t, Init{Weight: "he_normal"}.Fill(a, nil, 10, 5, NewRNG(9)))
	require.NoError(t, Init{Weight: "he_normal"}.Fill(b, nil, 10, 5, NewRNG(9)))
	require.Equal(t, a, b, "same seed, same weights")
}

func TestLSUV(t *testing.T) {
	tanh, err := act.New("tanh", nil)
	require.NoError(t, err)
	net, err := NewMLP(MLPConfig{Widths: []int{2, 32, 32, 32, 1}, Act: tanh, Init: Init{Weight: "torch"}}, NewRNG(1))
	require.NoError(t, err)
	x := gridInput(ValuePlan(2), 400)
	require.NoError(t, LSUV(net, x, 1e-3, 20, NewRNG(2)))
	net.Forward(x)
	count := 0
	Walk(net, func(l Layer) {
		d, ok := l.(*Dense)
		if !ok {
			return
		}
		count++
		z := kernel.NewMatrix(x.N, d.out)
		kernel.Gemm(kernel.NoTrans, kernel.NoTrans, d.Scale, d.x.Value(), d.W.Matrix(), 0, z)
		kernel.AddBias(z, d.B.Value)
		require.InDelta(t, 1, variance(z.Data), 1e-3, "layer %d output variance", count)
	})
	require.Equal(t, 4, count)
}
