package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// TestTanhFusedMatchesChainRule: the tanh layer's fused path (kernel.TanhJet) gives the same
// output jet and input gradient as the general elementwise chain rule on every kind of plan. The
// two take σ′ from different formulas (sech² from expm1 in one vector kernel, from exp(−2|x|) in
// the other) and sum the chain rule in another order, each within a few ulps: 1e-13 of
// max(1, |value|) allows ~450 ulps at O(1) and still fails on any wrong term.
func TestTanhFusedMatchesChainRule(t *testing.T) {
	sum, err := NewSumPlan(3, nil, [][]Term{{{0, 0, 1}, {1, 2, -0.5}}, {{2, 2, 3}}})
	require.NoError(t, err)
	plans := map[string]*Plan{
		"values": ValuePlan(2), "gradient": GradientPlan(3), "laplacian": LaplacianPlan(2),
		"forward laplacian": ForwardLaplacianPlan(2), "hessian": HessianPlan(3), "combinations": sum,
	}
	f, err := act.New("tanh", nil)
	require.NoError(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	for name, plan := range plans {
		for _, n := range []int{3, 37} {
			t.Run(fmt.Sprintf("%s/n=%d", name, n), func(t *testing.T) {
				const w = 9
				z := NewJet(plan, n, w)
				for i := range z.Data() {
					z.Data()[i] = 4 * (2*r.Float64() - 1)
				}
				g := kernel.NewMatrix(plan.Blocks()*n, w)
				for i := range g.Data {
					g.Data[i] = 2*r.Float64() - 1
				}
				var ys [2][]float64
				var dzs [2][]float64
				for k, fused := range []bool{true, false} {
					a := NewActivation(f.(act.Func), w, false)
					a.tanh = fused
					y := a.Forward(z)
					require.Equal(t, fused, a.fused)
					ys[k] = append([]float64(nil), y.Data()...)
					dy := Wrap(plan, n, kernel.MatrixFrom(g.Rows, g.Cols, append([]float64(nil), g.Data...)))
					dzs[k] = append([]float64(nil), a.Backward(dy, true).Data()...)
				}
				for i := range ys[0] {
					require.InDelta(t, ys[1][i], ys[0][i], 1e-13*max(1, math.Abs(ys[1][i])), "y[%d]", i)
				}
				for i := range dzs[0] {
					require.InDelta(t, dzs[1][i], dzs[0][i], 1e-13*max(1, math.Abs(dzs[1][i])), "dz[%d]", i)
				}
			})
		}
	}
}
