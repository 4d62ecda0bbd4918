package multistage

import (
	"fmt"
	"math"
	"testing"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// BenchmarkStageStep times one full-batch training step (forward, MSE, backward, Adam) of the
// official stage networks on the official point counts, with a sine first layer (stages ≥ 2).
// It also reports the allocations of a step, which should be zero.
func BenchmarkStageStep(b *testing.B) {
	for _, c := range []struct {
		hidden []int
		n      int
	}{{[]int{20, 20, 20}, 1501}, {[]int{30, 30, 30}, 4801}} {
		b.Run(fmt.Sprintf("%v/n=%d", c.hidden, c.n), func(b *testing.B) {
			widths := append(append([]int{1}, c.hidden...), 1)
			net, err := stageNet(widths, "sine", 40, 1)
			if err != nil {
				b.Fatal(err)
			}
			ps, err := net.ParamSet()
			if err != nil {
				b.Fatal(err)
			}
			x := kernel.NewMatrix(c.n, 1)
			target := kernel.NewMatrix(c.n, 1)
			for i := range c.n {
				v := -1 + 2*float64(i)/float64(c.n-1)
				x.Set(i, 0, v)
				target.Set(i, 0, math.Sin(20*v))
			}
			in := nn.NewInputJet(nn.ValuePlan(1), x)
			adam := nn.NewAdam(ps, 1e-3)
			var gb nn.JetBuffer
			step := func() {
				ps.ZeroGrad()
				y := net.Forward(in)
				dy := gb.Like(y, 1)
				nn.MSE{}.Eval(y.Value(), target, dy.Value(), 1, false)
				net.Backward(dy, false)
				if err := adam.Step(); err != nil {
					b.Fatal(err)
				}
			}
			step()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				step()
			}
		})
	}
}
