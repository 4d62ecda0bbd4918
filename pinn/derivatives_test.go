package pinn

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
)

// TestModelDerivativesThroughTheTransform: Allen–Cahn's hard constraint u = x²cos(πx) + t·N makes
// u(x, 0) the initial condition whatever the network, so at t = 0 the exact derivatives of a
// model with random weights (Model.PredictDerivatives, what `inr eval --derivatives` writes)
// are known: u_x and u_xx those of x²cos πx. The others come from the network (u_t = N,
// u_xt = N_x, u_tt = 2N_t at t = 0), which is even and 2-periodic in x by construction: u_t and
// u_tt are even in x and equal at x = ±1, u_xt is odd. That goes through the domain
// normalisation, the periodic embedding, the symmetric twin networks and the transform.
func TestModelDerivativesThroughTheTransform(t *testing.T) {
	p, err := Load(filepath.Join("..", "examples", "pde", "allen-cahn.toml"))
	require.NoError(t, err)
	require.Equal(t, []string{"x", "t"}, p.Vars)
	cfg, err := newModelConfig(p)
	require.NoError(t, err)
	m, err := inr.NewModel(ModelArch, cfg, 2, 1, 7)
	require.NoError(t, err)
	xs := []float64{-1, -0.9, -0.31, 0, 0.31, 0.9, 1}
	x := kernel.NewMatrix(len(xs), 2)
	for i, v := range xs {
		x.Set(i, 0, v)
	}
	d, wrt, err := m.PredictDerivatives(x, 2)
	require.NoError(t, err)
	require.Equal(t, [][]int{{0}, {1}, {0, 0}, {0, 1}, {1, 1}}, wrt)
	const u, ux, ut, uxx, uxt, utt = 0, 1, 2, 3, 4, 5
	for i, v := range xs {
		c, s := math.Cos(math.Pi*v), math.Sin(math.Pi*v)
		assert.InDelta(t, v*v*c, d.At(i, u), 1e-15, "u at x = %v", v)
		assert.InDelta(t, 2*v*c-math.Pi*v*v*s, d.At(i, ux), 1e-13, "u_x at x = %v", v)
		assert.InDelta(t, 2*c-4*math.Pi*v*s-math.Pi*math.Pi*v*v*c, d.At(i, uxx), 1e-12, "u_xx at x = %v", v)
		mirror := len(xs) - 1 - i // the point −x
		assert.InDelta(t, d.At(mirror, ut), d.At(i, ut), 1e-13, "u_t even at x = %v", v)
		assert.InDelta(t, d.At(mirror, utt), d.At(i, utt), 1e-12, "u_tt even at x = %v", v)
		assert.InDelta(t, -d.At(mirror, uxt), d.At(i, uxt), 1e-12, "u_xt odd at x = %v", v)
	}
	assert.Greater(t, math.Abs(d.At(2, ut)), 1e-6, "the network contributes")
	assert.Greater(t, math.Abs(d.At(2, uxt)), 1e-6, "the network contributes")
	assert.Greater(t, math.Abs(d.At(2, utt)), 1e-6, "the network contributes")
	assert.InDelta(t, 0, d.At(3, uxt), 1e-12, "u_xt = 0 at x = 0 (odd)")
}
