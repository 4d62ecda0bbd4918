package sample

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRAR(t *testing.T) {
	r := []float64{0.1, -3, 2, 0, -2, 5}
	idx, err := RAR(r, 3)
	require.NoError(t, err)
	assert.Equal(t, []int{5, 1, 2}, idx, "largest |r| first; the tie between 2 and -2 goes to the lower index")
	idx, err = RAR(r, 0)
	require.NoError(t, err)
	assert.Empty(t, idx)
	_, err = RAR(r, 7)
	assert.ErrorContains(t, err, "7 points asked from 6 candidates")
	_, err = RAR([]float64{1, math.NaN()}, 1)
	assert.ErrorContains(t, err, "residual of candidate 1 is NaN")
}

func TestRADSelectionProbabilities(t *testing.T) {
	// k = 1, c = 1: p ∝ |r|/mean|r| + 1. For r = (0, 0, 0, 3), mean |r| = 0.75, so the weights are
	// (1, 1, 1, 5) and one draw picks the last candidate with probability 5/8.
	r := []float64{0, 0, 0, -3}
	rng := rand.New(rand.NewPCG(1, 2))
	const trials = 20000
	hits := make([]float64, 4)
	for range trials {
		idx, err := RAD(r, 1, RADDefaultK, RADDefaultC, rng)
		require.NoError(t, err)
		hits[idx[0]]++
	}
	want := []float64{1. / 8, 1. / 8, 1. / 8, 5. / 8}
	for i := range hits {
		p := want[i]
		// binomial standard deviation √(p(1−p)/trials); 5σ.
		assert.InDelta(t, p, hits[i]/trials, 5*math.Sqrt(p*(1-p)/trials), "candidate %d", i)
	}

	// k = 2, c = 0: p ∝ r², so a zero residual is never drawn and (1, 2) splits 1:4.
	hits = make([]float64, 3)
	for range trials {
		idx, err := RAD([]float64{0, 1, -2}, 1, 2, 0, rng)
		require.NoError(t, err)
		hits[idx[0]]++
	}
	assert.Zero(t, hits[0])
	assert.InDelta(t, 0.2, hits[1]/trials, 5*math.Sqrt(0.16/trials))
}

func TestRADWithoutReplacementAndDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	r := make([]float64, 1000)
	for i := range r {
		r[i] = rng.NormFloat64()
	}
	a, err := RAD(r, 200, 1, 1, rand.New(rand.NewPCG(9, 9)))
	require.NoError(t, err)
	b, err := RAD(r, 200, 1, 1, rand.New(rand.NewPCG(9, 9)))
	require.NoError(t, err)
	c, err := RAD(r, 200, 1, 1, rand.New(rand.NewPCG(9, 10)))
	require.NoError(t, err)
	assert.Equal(t, a, b, "same seed, same points")
	assert.NotEqual(t, a, c)
	seen := map[int]bool{}
	for _, i := range a {
		require.False(t, seen[i], "index %d drawn twice", i)
		seen[i] = true
	}
	// The drawn points have larger residuals on average than the candidates: E|r| is 0.80 for a
	// standard normal, and weighting by |r|+mean raises it (to about 1.0).
	mean := 0.0
	for _, i := range a {
		mean += math.Abs(r[i])
	}
	assert.Greater(t, mean/200, 0.9)
}

func TestRADErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	_, err := RAD([]float64{0, 0, 0}, 2, 1, 0, rng)
	assert.ErrorContains(t, err, "only 0 of 3 candidates have positive probability")
	_, err = RAD([]float64{1, 2}, 3, 1, 1, rng)
	assert.ErrorContains(t, err, "3 points asked from 2 candidates")
	_, err = RAD([]float64{1, math.Inf(1)}, 1, 1, 1, rng)
	assert.ErrorContains(t, err, "residual of candidate 1 is +Inf")
	_, err = RAD([]float64{1, 2}, 1, -1, 1, rng)
	assert.ErrorContains(t, err, "exponent k = -1")
	idx, err := RAD([]float64{0, 0, 0}, 3, 1, 1, rng)
	require.NoError(t, err, "all-zero residuals fall back to the uniform floor")
	assert.ElementsMatch(t, []int{0, 1, 2}, idx)
}
