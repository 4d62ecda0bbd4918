package reference

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGaussHermite(t *testing.T) {
	for _, n := range []int{1, 2, 5, 20, 100, 240, 800} {
		z, lw, err := gaussHermite(n)
		require.NoError(t, err)
		require.Len(t, z, n)
		integrate := func(g func(float64) float64) float64 {
			s := 0.0
			for i := range z {
				s += math.Exp(lw[i]) * g(z[i])
			}
			return s
		}
		sqrtPi := math.Sqrt(math.Pi)
		// Exact for polynomials of degree < 2n: ∫ e^{−z²} = √π, ∫ z² e^{−z²} = √π/2,
		// ∫ z^(2k) e^{−z²} = Γ(k + ½).
		assert.InEpsilon(t, sqrtPi, integrate(func(float64) float64 { return 1 }), 1e-14, "n=%d", n)
		if n >= 2 {
			assert.InEpsilon(t, sqrtPi/2, integrate(func(x float64) float64 { return x * x }), 1e-13, "n=%d", n)
		}
		if n >= 6 {
			assert.InEpsilon(t, math.Gamma(5.5), integrate(func(x float64) float64 { return math.Pow(x, 10) }), 1e-12, "n=%d", n)
		}
		if n >= 20 {
			// ∫ cos(z) e^{−z²} = √π e^{−1/4}: not a polynomial, converges geometrically.
			assert.InEpsilon(t, sqrtPi*math.Exp(-0.25), integrate(math.Cos), 1e-14, "n=%d", n)
		}
		for i := 1; i < n; i++ {
			require.Less(t, z[i-1], z[i], "ascending nodes")
		}
		// The weights are accurate relative to themselves far into the tail, where Golub–Welsch's
		// eigenvector weights would be noise: the last weight must equal 1/(n p_{n−1}(z)²) in
		// closed form for n = 2 (z = ±1/√2, w = √π/2).
		if n == 2 {
			assert.InEpsilon(t, math.Sqrt(0.5), z[1], 1e-15)
			assert.InEpsilon(t, sqrtPi/2, math.Exp(lw[1]), 1e-15)
		}
	}
	// Tail weights: ∫ e^{−z²} 1{z>a} for a deep in the tail is dominated by the outer nodes; with
	// 800 nodes the outermost weight is e^{−1590}, far below the float64 range, yet its log is finite.
	z, lw, err := gaussHermite(800)
	require.NoError(t, err)
	assert.Less(t, lw[799], -1500.0)
	assert.False(t, math.IsInf(lw[799], 0))
	// e^{z²} w(z) varies smoothly (≈ π/√(2n) near the middle): a garbage tail weight would break it.
	mid := math.Exp(lw[400] + z[400]*z[400])
	assert.InEpsilon(t, math.Pi/math.Sqrt(2*800), mid, 1e-3)
	_, _, err = gaussHermite(0)
	assert.Error(t, err)
}
