package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

// blockSquares is a ChunkLoss: the mean over all points of Σ_blocks Σ_cols y², a loss that reads
// every block of the output jet.
type blockSquares struct{ n int }

func (l blockSquares) ChunkLoss(_ int, y, dy Jet) float64 {
	s := 0.0
	yd := y.Data()
	for i, v := range yd {
		s += v * v
		if dy.Plan != nil {
			dy.Data()[i] = 2 * v / float64(l.n)
		}
	}
	return s / float64(l.n)
}

// TestChunkedMatchesWholeBatch: the loss and the parameter gradient of a chunked evaluation are
// those of one pass over the whole batch, up to the summation order (relative 1e-13: a few
// roundings of sums of ~10³ positive terms), for chunks that divide the batch and chunks that do
// not; a second run allocates nothing and gives bit-identical results.
func TestChunkedMatchesWholeBatch(t *testing.T) {
	const n = 300
	for name, plan := range map[string]*Plan{"value": ValuePlan(2), "gradient": GradientPlan(2), "laplacian": LaplacianPlan(2), "hessian": HessianPlan(2)} {
		t.Run(name, func(t *testing.T) {
			net := tanhNet(t, 2, 12, 2, 3)
			ps, err := net.ParamSet()
			require.NoError(t, err)
			x := gridInput(ValuePlan(2), 289).Value()
			x = kernel.MatrixFrom(n, 2, append(x.Data, make([]float64, 2*(n-289))...))
			run := func(size int) (float64, []float64) {
				ch := NewChunked(net, plan, size)
				ch.SetInput(x)
				ps.ZeroGrad()
				loss := ch.Run(blockSquares{n}, true)
				return loss, append([]float64(nil), ps.Grad...)
			}
			whole, gw := run(n)
			for _, size := range []int{0, 1, 7, 64, 150} {
				loss, g := run(size)
				assert.InDelta(t, whole, loss, 1e-13*whole, "chunk %d: loss", size)
				gmax := 0.0
				for _, v := range gw {
					gmax = math.Max(gmax, math.Abs(v))
				}
				for i := range g {
					assert.InDelta(t, gw[i], g[i], 1e-13*gmax, "chunk %d: gradient %d", size, i)
				}
			}
			ch := NewChunked(net, plan, 64)
			ch.SetInput(x)
			require.Equal(t, 5, ch.Chunks(), "300 points in balanced chunks of ≤ 64")
			lo, hi := ch.Bounds(4)
			assert.Equal(t, [2]int{240, 300}, [2]int{lo, hi})
			ps.ZeroGrad()
			first := ch.Run(blockSquares{n}, true)
			g1 := append([]float64(nil), ps.Grad...)
			allocs := testing.AllocsPerRun(3, func() {
				ps.ZeroGrad()
				ch.Run(blockSquares{n}, true)
			})
			assert.Zero(t, allocs, "allocations per chunked step")
			ps.ZeroGrad()
			assert.Equal(t, first, ch.Run(blockSquares{n}, true))
			assert.Equal(t, g1, ps.Grad, "bit-identical on a second run")
		})
	}
}
