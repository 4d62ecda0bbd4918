package reference

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRegistry(t *testing.T) {
	assert.Equal(t, []string{"allen-cahn", "burgers", "heat1d", "helmholtz2d", "kovasznay", "laplace-disk", "ode-exp", "poisson2d", "wave1d"}, Names())
	for _, name := range Names() {
		if name == "allen-cahn" && testing.Short() {
			continue
		}
		params := map[string]float64{}
		if name == "allen-cahn" {
			params = map[string]float64{"modes": 256, "dt": 1e-3} // a quick, coarse solve
		}
		s, err := Lookup(name, params)
		require.NoError(t, err, name)
		lo, hi := s.Bounds()
		require.Len(t, lo, len(s.Vars()))
		require.Len(t, hi, len(s.Vars()))
		mid := make([]float64, len(lo))
		for i := range mid {
			mid[i] = (lo[i] + hi[i]) / 2
		}
		vals, err := EvalPoints(s, mid)
		require.NoError(t, err, name)
		require.Len(t, vals, len(s.Fields()))
		doc, _, ok := Describe(name)
		assert.True(t, ok)
		assert.NotEmpty(t, doc)
	}
	k, err := Lookup("kovasznay", map[string]float64{"re": 40})
	require.NoError(t, err)
	assert.Equal(t, 40.0, k.(*Kovasznay).Re)

	_, err = Lookup("burger", nil)
	assert.ErrorContains(t, err, `reference solution "burger": unknown (available: allen-cahn, burgers`)
	_, err = Lookup("burgers", map[string]float64{"mu": 1})
	assert.ErrorContains(t, err, `unknown parameter "mu" (parameters: nu, nodes)`)
	_, err = Lookup("burgers", map[string]float64{"nodes": 10.5})
	assert.ErrorContains(t, err, "nodes = 10.5: want an integer")
	_, err = Lookup("kovasznay", map[string]float64{"re": -1})
	assert.ErrorContains(t, err, `reference solution "kovasznay": kovasznay: Reynolds number -1`)
}

func TestEvalPoints(t *testing.T) {
	b, err := NewBurgers(BurgersNu, 60)
	require.NoError(t, err)
	vals, err := EvalPoints(b, []float64{0.5, 0, -0.5, 0, 1, 1})
	require.NoError(t, err)
	assert.InDelta(t, -1, vals[0], 1e-15)
	assert.InDelta(t, 1, vals[1], 1e-15)
	assert.InDelta(t, 0, vals[2], 1e-13)

	_, err = EvalPoints(b, []float64{0.5, 2})
	assert.ErrorContains(t, err, "point 0 has t = 2 outside [0, 1]")
	_, err = EvalPoints(b, []float64{0.5, 0.5, 0.1})
	assert.ErrorContains(t, err, "3 coordinates is not a whole number of 2-D points")
	k, _ := NewKovasznay(20)
	vals, err = EvalPoints(k, []float64{0, 0})
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0, 0}, vals, "u = 1 − 1, v = 0, p = 0 at the origin")
}
