package act

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func buildCase(t *testing.T, c actCase) (Func, [][]float64) {
	t.Helper()
	f, err := New(c.name, c.cfg)
	require.NoError(t, err, c.name)
	sets := c.thetaSets(f)
	for _, th := range sets {
		require.Len(t, th, len(f.Params()), "%s: theta length", c.name)
	}
	return f, sets
}

func caseLabel(c actCase, th []float64) string {
	return fmt.Sprintf("%s%v θ=%v", c.name, c.cfg, th)
}

func (c actCase) frequency(x float64) float64 {
	switch {
	case c.freqAt != nil:
		return c.freqAt(x)
	case c.freq == 0:
		return 1
	}
	return c.freq
}

// thetaSets returns every parameter vector the case tests.
func (c actCase) thetaSets(f Func) [][]float64 {
	th := c.theta
	if th == nil {
		for _, p := range f.Params() {
			th = append(th, p.Init)
		}
	}
	return append([][]float64{th}, c.thetas...)
}

// step is the initial Ridders step at x for differentiating g: a twentieth of the feature
// size, kept short of any kink (ok is false at a kink). For saturating functions (grow) it
// widens with |x| where g is asymptotically polynomial, but shrinks back (never below the
// base step) while g changes by more than a factor e across it, as in exponential tails.
// g may be nil when only ok is wanted.
func (c actCase) step(x float64, g func(float64) float64) (h float64, ok bool) {
	h0 := 0.05 / c.frequency(x)
	h = h0
	if c.grow && g != nil {
		h = math.Max(h0, math.Abs(x)/100)
		f0 := math.Abs(g(x))
		for h > h0 {
			fp, fm := math.Abs(g(x+h)), math.Abs(g(x-h))
			if math.Max(fp, fm) <= math.E*f0 && math.Min(fp, fm) >= f0/math.E {
				break
			}
			h = math.Max(h0, h/4)
		}
	}
	for _, k := range c.kinks {
		dist := math.Abs(x - k)
		if dist == 0 {
			return 0, false
		}
		h = math.Min(h, dist/4)
	}
	return h, true
}

// paramStep is the initial Ridders step in θ_m for differentiating g: 5% of |θ_m|, at least
// 1e-3 (coefficients fitted to ~1e-18 still need a usable step) unless the case sets pstep,
// shrunk while g changes by more than a factor e across it (a parameter multiplying a large
// x, as swish's β at x = 1000), and kept short of the parameter's kinks (ok is false at one).
func (c actCase) paramStep(m int, v float64, g func(float64) float64) (h float64, ok bool) {
	h = math.Max(0.05*math.Abs(v), 1e-3)
	if c.pstep != 0 {
		h = c.pstep
	}
	if c.paramKinks != nil {
		for _, k := range c.paramKinks(m) {
			dist := math.Abs(v - k)
			if dist == 0 {
				return 0, false
			}
			h = math.Min(h, dist/4)
		}
	}
	f0 := math.Abs(g(v))
	for i := 0; i < 20; i++ {
		fp, fm := math.Abs(g(v+h)), math.Abs(g(v-h))
		if math.Max(fp, fm) <= math.E*f0 && math.Min(fp, fm) >= f0/math.E {
			break
		}
		h /= 4
	}
	return h, true
}

// relOrTiny is the relative error |diff|/|ref|, except where ref is below 1e-6 of the local
// scale of the derivative (a zero crossing or a vanishing tail), where it is measured against
// that scale: a relative error there says nothing about the closed form.
func relOrTiny(diff, ref, scale float64) float64 {
	if diff == 0 {
		return 0
	}
	return diff / math.Max(math.Abs(ref), 1e-6*scale)
}

// errStats records the worst relative error seen per activation name, for the report.
type errStats map[string]float64

func (s errStats) note(name string, v float64) {
	if v > s[name] {
		s[name] = v
	}
}

func (s errStats) log(t *testing.T, what string) {
	names := make([]string, 0, len(s))
	for n := range s {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-14s max %s error %.2e", n, what, s[n])
	}
}

// TestDerivativesMatchSpec compares every closed-form σ⁽ᵏ⁾, k = 0..3, with forward-mode
// automatic differentiation of the activation's defining formula (jet arithmetic).
// Tolerance: 1e-12·(|ref| + freq^k·max(1, |σ|)). Both sides are rounding-limited; the jet
// composes a handful of elementary functions, each within an ulp or two, and the scale term
// allows for the cancellation inherent in sums like σ‴ of a product (measured worst case
// is logged with -v).
func TestDerivativesMatchSpec(t *testing.T) {
	stats := errStats{}
	for _, c := range testCases() {
		f, sets := buildCase(t, c)
		lim := c.specMax
		if lim == 0 {
			lim = 30
		}
		for _, th := range sets {
			for _, x := range c.points {
				w := c.frequency(x)
				if math.Abs(x) > lim {
					continue
				}
				if _, ok := c.step(x, nil); !ok {
					continue
				}
				var d [4]float64
				f.Eval(x, th, 3, &d)
				ref := c.spec(variable(x), th)
				mag := math.Max(1, math.Abs(ref[0]))
				for k := 0; k < 4; k++ {
					want := ref.deriv(k)
					scale := math.Abs(want) + math.Pow(w, float64(k))*mag
					e := math.Abs(d[k]-want) / scale
					stats.note(c.name, e)
					assert.LessOrEqual(t, e, 1e-12, "%s x=%v order %d: closed form %v, jet %v",
						caseLabel(c, th), x, k, d[k], want)
				}
			}
		}
	}
	stats.log(t, "closed form vs jet (relative to |ref| + freq^k·max(1,|σ|))")
}

// TestDerivativesByRidders checks that each closed-form σ⁽ᵏ⁺¹⁾ is the derivative of the
// implemented σ⁽ᵏ⁾ (k = 0..2), by Ridders-extrapolated central differences of Eval itself,
// at every test point including the large-|x| tails. Tolerance: 1e-7·|σ⁽ᵏ⁺¹⁾| plus
// 1e-11·M/h, where M is the size of σ⁽ᵏ⁾ around x and h the initial step (the rounding
// floor of a difference quotient is about ε·M/h); Ridders' own error estimate must also be
// within the tolerance, so a pass means the difference converged.
func TestDerivativesByRidders(t *testing.T) {
	stats := errStats{}
	for _, c := range testCases() {
		f, sets := buildCase(t, c)
		for _, th := range sets {
			for _, x := range c.points {
				if _, ok := c.step(x, nil); !ok {
					continue
				}
				var d [4]float64
				f.Eval(x, th, 3, &d)
				for k := 0; k < 3; k++ {
					g := func(v float64) float64 {
						var e [4]float64
						f.Eval(v, th, k, &e)
						return e[k]
					}
					h, _ := c.step(x, g)
					num, est := ridders(g, x, h)
					m := math.Max(math.Abs(g(x)), math.Max(math.Abs(g(x+h)), math.Abs(g(x-h))))
					noise := 1e-11 * m / h
					if c.noiseX {
						noise *= 10 * (1 + math.Abs(x))
					}
					tol := 1e-7*math.Abs(d[k+1]) + noise
					if tol == 0 {
						tol = math.SmallestNonzeroFloat64
					}
					diff := math.Abs(num - d[k+1])
					stats.note(c.name, relOrTiny(diff, d[k+1], m/h))
					assert.LessOrEqual(t, est, tol, "%s x=%v order %d: differences did not converge (estimate %v)",
						caseLabel(c, th), x, k+1, est)
					assert.LessOrEqual(t, diff, tol, "%s x=%v order %d: closed form %v, Ridders %v",
						caseLabel(c, th), x, k+1, d[k+1], num)
				}
			}
		}
	}
	stats.log(t, "closed form vs Ridders (relative)")
}

// TestParamGradByRidders checks every EvalParamGrad entry ∂σ⁽ᵏ⁾/∂θ_m, k = 0..2, against
// Ridders differences of Eval in θ_m (see paramStep), with the same tolerance rule as
// TestDerivativesByRidders.
func TestParamGradByRidders(t *testing.T) {
	stats := errStats{}
	nChecked := 0
	for _, c := range testCases() {
		f, sets := buildCase(t, c)
		np := len(f.Params())
		if np == 0 {
			continue
		}
		for _, th := range sets {
			for _, x := range c.points {
				g := make([][4]float64, np)
				f.EvalParamGrad(x, th, 2, g)
				for m := 0; m < np; m++ {
					if _, ok := c.paramStep(m, th[m], func(float64) float64 { return 0 }); !ok {
						continue
					}
					for k := 0; k <= 2; k++ {
						fn := func(v float64) float64 {
							tv := append([]float64(nil), th...)
							tv[m] = v
							var e [4]float64
							f.Eval(x, tv, k, &e)
							return e[k]
						}
						h, _ := c.paramStep(m, th[m], fn)
						num, est := ridders(fn, th[m], h)
						mag := math.Max(math.Abs(fn(th[m])), math.Max(math.Abs(fn(th[m]+h)), math.Abs(fn(th[m]-h))))
						noise := 1e-11 * mag / h
						if c.noiseX {
							noise *= 10 * (1 + math.Abs(x))
						}
						tol := 1e-7*math.Abs(g[m][k]) + noise
						if tol == 0 {
							tol = math.SmallestNonzeroFloat64
						}
						diff := math.Abs(num - g[m][k])
						stats.note(c.name, relOrTiny(diff, g[m][k], mag/h))
						nChecked++
						assert.LessOrEqual(t, est, tol, "%s x=%v ∂σ⁽%d⁾/∂%s: differences did not converge (estimate %v)",
							caseLabel(c, th), x, k, f.Params()[m].Name, est)
						assert.LessOrEqual(t, diff, tol, "%s x=%v ∂σ⁽%d⁾/∂%s: closed form %v, Ridders %v",
							caseLabel(c, th), x, k, f.Params()[m].Name, g[m][k], num)
					}
				}
			}
		}
	}
	assert.Greater(t, nChecked, 1000)
	stats.log(t, "parameter gradient vs Ridders (relative)")
}

// TestEveryActivationHasCases makes a new registration without test cases fail.
func TestEveryActivationHasCases(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range testCases() {
		covered[c.name] = true
	}
	for _, c := range pairCases() {
		covered[c] = true
	}
	for _, n := range Names() {
		assert.True(t, covered[n], "registered activation %q has no test case", n)
	}
}
