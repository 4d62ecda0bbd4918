package kan

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// TestStepAllocatesNothing: after the first call a forward+backward pass (with the input
// gradient, on second-order jets, and alternating between two plans) allocates nothing.
func TestStepAllocatesNothing(t *testing.T) {
	exp := must[*Expansion](t)
	rng := nn.NewRNG(1)
	layers := map[string]*Expansion{
		"chebyshev": exp(NewChebyshevKAN(2, 16, 12, rng)),
		"fourier":   exp(NewFourierKAN(2, 16, 9, true, rng)),
		"bspline":   exp(NewBSplineKAN(2, 16, 5, 3, rng)),
	}
	for _, name := range []string{"chebyshev", "fourier", "bspline"} {
		l := layers[name]
		for _, n := range []int{37, 3000} {
			t.Run(fmt.Sprintf("%s/N=%d", name, n), func(t *testing.T) {
				x := kernel.NewMatrix(n, 2)
				r := rand.New(rand.NewPCG(2, 2))
				for i := range x.Data {
					x.Data[i] = 2*r.Float64() - 1
				}
				lap, val := nn.NewInputJet(nn.HessianPlan(2), x), nn.NewInputJet(nn.ValuePlan(2), x)
				var gl, gv nn.JetBuffer
				step := func() {
					for _, in := range []nn.Jet{lap, val} {
						y := l.Forward(in)
						g := &gv
						if in.Plan.Order() > 0 {
							g = &gl
						}
						dy := g.Like(y, y.Width())
						dy.M.CopyFrom(y.M)
						l.Backward(dy, true)
					}
				}
				step()
				require.Zero(t, testing.AllocsPerRun(5, step), "allocations per step after the first")
			})
		}
	}
}
