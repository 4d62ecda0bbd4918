package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestWarmup: the factor rises by 1/Steps per step to 1 at step Steps−1 and multiplies the
// schedule it wraps from the first step on.
func TestWarmup(t *testing.T) {
	w := Warmup{Steps: 4}
	for step, want := range []float64{0.25, 0.5, 0.75, 1, 1, 1} {
		require.Equal(t, want, w.Factor(step), "step %d", step)
	}
	cos := Cosine{Steps: 10}
	wc := Warmup{Steps: 4, Then: cos}
	for step := range 12 {
		ramp := math.Min(1, float64(step+1)/4)
		require.InDelta(t, ramp*cos.Factor(step), wc.Factor(step), 1e-16, "step %d", step)
	}
	require.Equal(t, 1.0, Warmup{}.Factor(0), "no warm-up")
	require.Equal(t, 1.0, Warmup{Steps: 1}.Factor(0))
}
