package act

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pairCases lists the complex activations covered by the tests in this file.
func pairCases() []string { return []string{"gabor_complex"} }

// binom holds the binomial coefficients C(k, j) for k ≤ 3.
var binom = [4][4]float64{{1}, {1, 1}, {1, 2, 1}, {1, 3, 3, 1}}

// partial returns ∂ᵏψ_o/∂a^(k−j)∂b^j from d (k = 0..3, j = number of b derivatives).
func partial(d *PairDerivs, o, k, j int) float64 {
	switch k {
	case 0:
		return d.V[o]
	case 1:
		return d.D1[o][j]
	case 2:
		return d.D2[o][j]
	}
	return d.D3[o][j]
}

var gaborConfigs = []struct {
	cfg    Config
	omega  float64
	s      float64
	points []float64 // used for both a and b
}{
	{nil, 20, 30, []float64{-0.07, -0.02, -20.0 / 1800, 0, 0.009, 0.013, 0.05}},
	{Config{"omega": 5, "s": 5}, 5, 5, []float64{-0.4, -0.1, 0, 0.07, 0.3}},
	{Config{"omega": 10, "s": 40}, 10, 40, []float64{-0.03, -0.004, 0, 0.011, 0.02}},
}

// gaborJet evaluates ψ along the line (a + da·t, b + db·t) in jet arithmetic: real and
// imaginary parts exp(−ωb − s²(a² + b²))·(cos ωa, sin ωa).
func gaborJet(omega, s, a, b, da, db float64) (re, im jet) {
	ja := jet{a, da}
	jb := jet{b, db}
	e := jexp(jb.scale(-omega).sub(ja.mul(ja).add(jb.mul(jb)).scale(s * s)))
	return e.mul(jcos(ja.scale(omega))), e.mul(jsin(ja.scale(omega)))
}

// TestGaborComplexDirectional compares every partial derivative (orders 0–3, both output
// parts) with jet differentiation along the directions (1,0), (0,1), (1,1), (1,−2): the k-th
// directional derivative is Σ_j C(k,j)·da^(k−j)·db^j·∂ᵏψ/∂a^(k−j)∂b^j, and four directions
// determine all mixed partials. Tolerance 1e-12 of the natural scale |ψ|·(ω + 2s²(|a|+|b|) +
// s)^k·(|da| + |db|)^k.
func TestGaborComplexDirectional(t *testing.T) {
	dirs := [][2]float64{{1, 0}, {0, 1}, {1, 1}, {1, -2}}
	worst := 0.0
	for _, gc := range gaborConfigs {
		f, err := NewPair("gabor_complex", gc.cfg)
		require.NoError(t, err)
		for _, a := range gc.points {
			for _, b := range gc.points {
				var d PairDerivs
				f.EvalPair(a, b, 3, &d)
				F := gc.omega + 2*gc.s*gc.s*(math.Abs(a)+math.Abs(b)) + gc.s
				mag := math.Hypot(d.V[0], d.V[1])
				for _, u := range dirs {
					re, im := gaborJet(gc.omega, gc.s, a, b, u[0], u[1])
					for o, ref := range []jet{re, im} {
						for k := 0; k <= 3; k++ {
							got := 0.0
							for j := 0; j <= k; j++ {
								got += binom[k][j] * math.Pow(u[0], float64(k-j)) * math.Pow(u[1], float64(j)) * partial(&d, o, k, j)
							}
							want := ref.deriv(k)
							scale := math.Abs(want) + mag*math.Pow(F*(math.Abs(u[0])+math.Abs(u[1])), float64(k))
							e := math.Abs(got-want) / scale
							worst = math.Max(worst, e)
							assert.LessOrEqual(t, e, 1e-12, "%v a=%v b=%v dir %v part %d order %d: %v vs jet %v",
								gc.cfg, a, b, u, o, k, got, want)
						}
					}
				}
			}
		}
	}
	t.Logf("max error relative to natural scale: %.2e", worst)
}

// TestGaborComplexRidders checks each partial of order k+1 against Ridders differences of the
// order-k partials in a and in b (both orders of mixed differentiation), with the tolerance
// rule of TestDerivativesByRidders.
func TestGaborComplexRidders(t *testing.T) {
	worst := 0.0
	for _, gc := range gaborConfigs {
		f, err := NewPair("gabor_complex", gc.cfg)
		require.NoError(t, err)
		h := 0.05 / (gc.omega + gc.s)
		for _, a := range gc.points {
			for _, b := range gc.points {
				var d PairDerivs
				f.EvalPair(a, b, 3, &d)
				for o := 0; o < 2; o++ {
					for k := 0; k < 3; k++ {
						for j := 0; j <= k; j++ {
							lower := func(aa, bb float64) float64 {
								var e PairDerivs
								f.EvalPair(aa, bb, k, &e)
								return partial(&e, o, k, j)
							}
							// ∂/∂a raises the order keeping j; ∂/∂b raises j.
							for _, inB := range []bool{false, true} {
								g := func(v float64) float64 { return lower(v, b) }
								x0, jj := a, j
								if inB {
									g = func(v float64) float64 { return lower(a, v) }
									x0, jj = b, j+1
								}
								want := partial(&d, o, k+1, jj)
								num, est := ridders(g, x0, h)
								m := math.Max(math.Abs(g(x0)), math.Max(math.Abs(g(x0+h)), math.Abs(g(x0-h))))
								tol := 1e-7*math.Abs(want) + 1e-11*m/h
								if tol == 0 {
									tol = math.SmallestNonzeroFloat64
								}
								diff := math.Abs(num - want)
								if diff > 0 {
									worst = math.Max(worst, diff/(math.Abs(want)+m/h))
								}
								assert.LessOrEqual(t, est, tol, "a=%v b=%v part %d ∂ of order-%d partial %d (in b: %v): not converged", a, b, o, k, j, inB)
								assert.LessOrEqual(t, diff, tol, "a=%v b=%v part %d order %d partial %d: closed %v Ridders %v", a, b, o, k+1, jj, want, num)
							}
						}
					}
				}
			}
		}
	}
	t.Logf("max error relative to |∂| + M/h: %.2e", worst)
}

// TestGaborComplexExponentGuard: configurations whose bound exp(ω²/(4s²)) could overflow are
// rejected; an accepted one reaches its bound exactly at b* = −ω/(2s²) with every partial
// finite; huge or far inputs give exact zeros, and no output is ever subnormal.
func TestGaborComplexExponentGuard(t *testing.T) {
	for _, bad := range []Config{
		{"s": 0}, {"s": -1}, {"omega": 2000, "s": 1}, {"omega": math.Inf(1)}, {"s": math.NaN()},
	} {
		_, err := NewPair("gabor_complex", bad)
		assert.Error(t, err, "%v", bad)
	}
	_, err := NewPair("gabor_complex", Config{"omega": 2000, "s": 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "could overflow")

	// ω²/(4s²) = 676: |ψ| reaches e^676 ≈ 1e293 at b*.
	omega, s := 52.0, 1.0
	f, err := NewPair("gabor_complex", Config{"omega": omega, "s": s})
	require.NoError(t, err)
	bstar := -omega / (2 * s * s)
	var d PairDerivs
	f.EvalPair(0, bstar, 3, &d)
	bound := math.Exp(omega * omega / (4 * s * s))
	assert.InDelta(t, 1, math.Hypot(d.V[0], d.V[1])/bound, 1e-12, "|ψ| at b* is the bound")
	assertFinitePair(t, &d, "at b*")

	r := rand.New(rand.NewPCG(3, 4))
	for _, cfg := range []Config{nil, {"omega": omega, "s": s}} {
		f, err := NewPair("gabor_complex", cfg)
		require.NoError(t, err)
		w, sc := 20.0, 30.0
		if cfg != nil {
			w, sc = omega, s
		}
		lim := math.Exp(w * w / (4 * sc * sc))
		for i := 0; i < 20000; i++ {
			a, b := randInput(r), randInput(r)
			f.EvalPair(a, b, 3, &d)
			assertFinitePair(t, &d, "random")
			require.LessOrEqual(t, math.Hypot(d.V[0], d.V[1]), lim*(1+1e-15), "|ψ(%v, %v)| exceeds its bound", a, b)
		}
		for _, ab := range [][2]float64{{1e8, 0}, {0, 1e8}, {0, -1e8}, {-1e300, 1e300}, {1e154, -1e154}, {-9e306, -9e306}} {
			f.EvalPair(ab[0], ab[1], 3, &d)
			assert.Equal(t, PairDerivs{}, d, "ψ%v must vanish exactly", ab)
		}
	}
	// Default configuration: |a| around 0.89 puts exp(−s²a²) near the smallest normal.
	f, err = NewPair("gabor_complex", nil)
	require.NoError(t, err)
	for a := 0.87; a < 0.92; a += 1e-4 {
		f.EvalPair(a, 0, 3, &d)
		assertFinitePair(t, &d, "tail")
	}
}

// assertFinitePair requires every entry to be finite and either 0 or normal.
func assertFinitePair(t *testing.T, d *PairDerivs, where string) {
	t.Helper()
	vals := []float64{d.V[0], d.V[1]}
	for o := 0; o < 2; o++ {
		vals = append(vals, d.D1[o][:]...)
		vals = append(vals, d.D2[o][:]...)
		vals = append(vals, d.D3[o][:]...)
	}
	for _, v := range vals {
		require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s: non-finite %v in %+v", where, v, *d)
		require.True(t, v == 0 || math.Abs(v) >= minNormal, "%s: subnormal %v", where, v)
	}
}
