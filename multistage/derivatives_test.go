package multistage

import (
	"context"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

// TestPredictDerivatives checks the exact derivatives of a two-stage model on a box that is not
// [−1, 1]² (so the normalisation's chain rule matters: ∂/∂x = 2/(hi − lo)·∂/∂h) against central
// differences of Predict, and of the exact gradient for the second derivatives.
func TestPredictDerivatives(t *testing.T) {
	f := func(x []float64) float64 { return math.Sin(x[0]) * math.Exp(0.1*x[1]) }
	data := GridSamples([][]float64{Linspace(0, 3, 12), Linspace(-5, 15, 12)}, f)
	c, _, err := Fit(context.Background(), data, Options{Seed: 2, Stages: []StageConfig{
		{Hidden: []int{8}, AdamSteps: 200, LBFGSIter: 50},
		{Hidden: []int{6}, AdamSteps: 200, LBFGSIter: 50},
	}})
	require.NoError(t, err)
	require.Len(t, c.Stages, 2)
	x := kernel.MatrixFrom(3, 2, []float64{0.4, -2, 1.7, 3.3, 2.9, 14})
	d, wrt, err := c.PredictDerivatives(x, 2)
	require.NoError(t, err)
	require.Equal(t, [][]int{{0}, {1}, {0, 0}, {0, 1}, {1, 1}}, wrt)
	u, err := c.Predict(x)
	require.NoError(t, err)
	shift := func(k int, h float64) kernel.Matrix {
		y := kernel.NewMatrix(3, 2)
		y.CopyFrom(x)
		for i := range 3 {
			y.Set(i, k, y.At(i, k)+h)
		}
		return y
	}
	for k, h := range []float64{1e-5, 1e-4} { // steps in proportion to the box's sides
		up, err := c.Predict(shift(k, h))
		require.NoError(t, err)
		um, err := c.Predict(shift(k, -h))
		require.NoError(t, err)
		gp, _, err := c.PredictDerivatives(shift(k, h), 1)
		require.NoError(t, err)
		gm, _, err := c.PredictDerivatives(shift(k, -h), 1)
		require.NoError(t, err)
		for i := range 3 {
			assert.InDelta(t, u[i], d.At(i, 0), 1e-15)
			assert.InDelta(t, (up[i]-um[i])/(2*h), d.At(i, 1+k), 1e-7, "∂/∂x%d at point %d", k, i)
			for j := range 2 {
				a, b := min(j, k), max(j, k)
				col := 3 + a + b
				assert.InDelta(t, (gp.At(i, 1+j)-gm.At(i, 1+j))/(2*h), d.At(i, col), 1e-6, "∂²/∂x%d∂x%d at point %d", a, b, i)
			}
		}
	}
	_, _, err = c.PredictDerivatives(x, 0)
	assert.ErrorIs(t, err, ErrBadInput)
}
