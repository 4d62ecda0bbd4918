package act

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// randInput draws inputs across the whole training range: magnitudes log-uniform from the
// smallest subnormal to 1e8, both signs, with exact zeros and the extremes mixed in.
func randInput(r *rand.Rand) float64 {
	switch r.IntN(20) {
	case 0:
		return 0
	case 1:
		return [...]float64{1e8, -1e8, 5e-324, -5e-324, 1e3, -1e3, 50, -50}[r.IntN(8)]
	}
	v := math.Pow(10, -323+331*r.Float64())
	if r.IntN(2) == 0 {
		v = -v
	}
	return v
}

// TestNoNaNOrInf evaluates every real activation, at its initial parameters and at random
// parameters in a plausible training range, at random inputs of every magnitude up to 1e8 and
// requires every derivative (order 3) and parameter gradient (order 2) to be finite. The
// exponential-tail activations must also never return a subnormal.
func TestNoNaNOrInf(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	tails := map[string]bool{"gauss": true, "gabor_real": true}
	for _, name := range Names() {
		f, err := New(name, nil)
		if err != nil {
			continue
		}
		ps := f.Params()
		thetas := [][]float64{nil}
		for _, p := range ps {
			thetas[0] = append(thetas[0], p.Init)
		}
		for i := 0; i < 4; i++ {
			th := make([]float64, len(ps))
			for j := range th {
				th[j] = thetas[0][j] + 2*(2*r.Float64()-1)
			}
			thetas = append(thetas, th)
		}
		g := make([][4]float64, len(ps))
		for _, th := range thetas {
			for i := 0; i < 2000; i++ {
				x := randInput(r)
				var d [4]float64
				f.Eval(x, th, 3, &d)
				for k, v := range d {
					require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s θ=%v x=%v: σ⁽%d⁾ = %v", name, th, x, k, v)
					if tails[name] {
						require.True(t, v == 0 || math.Abs(v) >= minNormal, "%s x=%v: subnormal σ⁽%d⁾ = %v", name, x, k, v)
					}
				}
				if len(ps) == 0 {
					continue
				}
				f.EvalParamGrad(x, th, 2, g)
				for m := range g {
					for k := 0; k <= 2; k++ {
						v := g[m][k]
						require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s θ=%v x=%v: ∂σ⁽%d⁾/∂%s = %v", name, th, x, k, ps[m].Name, v)
					}
				}
			}
		}
	}
}
