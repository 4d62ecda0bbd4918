package kan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/nn"
)

// perturb moves every parameter by Gaussian noise of the given size, so that zero-initialised
// parts (FKAN's bias, the near-zero spline coefficients) take part in the checks.
func perturb(l nn.Layer, rng *rand.Rand, size float64) {
	for _, p := range l.Params() {
		for i := range p.Value {
			p.Value[i] += size * rng.NormFloat64()
		}
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		require.NoError(t, err)
		return v
	}
}

func TestLayersFiniteDifferences(t *testing.T) {
	exp := must[*Expansion](t)
	cases := []struct {
		name    string
		mk      func(rng *rand.Rand) nn.Layer
		inScale float64
		step    float64
	}{
		{"chebyshev/3x4/K=6", func(rng *rand.Rand) nn.Layer { return exp(NewChebyshevKAN(3, 4, 6, rng)) }, 1, 1e-3},
		{"chebyshev/2x3/K=40", func(rng *rand.Rand) nn.Layer { return exp(NewChebyshevKAN(2, 3, 40, rng)) }, 0.5, 1e-4},
		{"fourier/3x4/K=5/bias", func(rng *rand.Rand) nn.Layer {
			l := exp(NewFourierKAN(3, 4, 5, true, rng))
			perturb(l, rng, 0.1)
			return l
		}, 0.5, 1e-3},
		{"fourier/2x2/K=20", func(rng *rand.Rand) nn.Layer { return exp(NewFourierKAN(2, 2, 20, false, rng)) }, 0.3, 1e-4},
		{"bspline/3x4/G=5,k=3", func(rng *rand.Rand) nn.Layer {
			l := exp(NewBSplineKAN(3, 4, 5, 3, rng))
			perturb(l, rng, 0.5)
			return l
		}, 1, 1e-5},
		{"bspline/2x3/G=4,k=2/no_base", func(rng *rand.Rand) nn.Layer {
			cfg := DefaultBSplineConfig()
			cfg.Grid, cfg.Order, cfg.Base = 4, 2, false
			l := exp(NewBSplineKANConfig(2, 3, cfg, rng))
			perturb(l, rng, 0.5)
			return l
		}, 1, 1e-5},
		{"chain/chebyshev_layernorm_fourier", func(rng *rand.Rand) nn.Layer {
			a := exp(NewChebyshevKAN(3, 4, 5, rng))
			ln := nn.NewLayerNorm(4)
			b := exp(NewFourierKAN(4, 2, 3, true, rng))
			perturb(b, rng, 0.1)
			g, err := nn.Chain(a, ln, b)
			require.NoError(t, err)
			return g
		}, 1, 1e-4}, // LayerNorm's curvature needs the shorter step on the combination blocks
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runLayerFD(t, c.mk, c.inScale, c.step) })
	}
}
