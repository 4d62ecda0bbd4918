package act

import (
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func buildCase(t *testing.T, c actCase) (Func, []float64) {
	t.Helper()
	f, err := New(c.name, c.cfg)
	require.NoError(t, err, c.name)
	th := c.theta
	if th == nil {
		for _, p := range f.Params() {
			th = append(th, p.Init)
		}
	}
	require.Len(t, th, len(f.Params()), "%s: theta length", c.name)
	return f, th
}

func caseLabel(c actCase, th []float64) string {
	return fmt.Sprintf("%s%v θ=%v", c.name, c.cfg, th)
}

func (c actCase) frequency() float64 {
	if c.freq == 0 {
		return 1
	}
	return c.freq
}

// step is the initial Ridders step at x: a twentieth of the feature size, widened for
// saturating functions far out, and kept short of any kink. ok is false at a kink.
func (c actCase) step(x float64) (h float64, ok bool) {
	h = 0.05 / c.frequency()
	if c.grow {
		h = math.Max(h, math.Abs(x)/100)
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
		f, th := buildCase(t, c)
		lim := c.specMax
		if lim == 0 {
			lim = 30
		}
		w := c.frequency()
		for _, x := range c.points {
			if math.Abs(x) > lim {
				continue
			}
			if _, ok := c.step(x); !ok {
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
	stats.log(t, "closed form vs jet (relative to scale)")
}

// TestDerivativesByRidders checks that each closed-form σ⁽ᵏ⁺¹⁾ is the derivative of the
// implemented σ⁽ᵏ⁾ (k = 0..2), by Ridders-extrapolated central differences of Eval itself,
// at every test point including the large-|x| tails. Tolerance: 1e-8·|σ⁽ᵏ⁺¹⁾| plus
// 1e-11·M/h, where M is the size of σ⁽ᵏ⁾ around x and h the initial step (the rounding
// floor of a difference quotient is about ε·M/h); Ridders' own error estimate must also be
// within the tolerance, so a pass means the difference converged.
func TestDerivativesByRidders(t *testing.T) {
	stats := errStats{}
	for _, c := range testCases() {
		f, th := buildCase(t, c)
		for _, x := range c.points {
			h, ok := c.step(x)
			if !ok {
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
				num, est := ridders(g, x, h)
				m := math.Max(math.Abs(g(x)), math.Max(math.Abs(g(x+h)), math.Abs(g(x-h))))
				tol := 1e-8*math.Abs(d[k+1]) + 1e-11*m/h
				if tol == 0 {
					tol = math.SmallestNonzeroFloat64
				}
				diff := math.Abs(num - d[k+1])
				stats.note(c.name, diff/(math.Abs(d[k+1])+m/h+1e-300))
				assert.LessOrEqual(t, est, tol, "%s x=%v order %d: differences did not converge (estimate %v)",
					caseLabel(c, th), x, k+1, est)
				assert.LessOrEqual(t, diff, tol, "%s x=%v order %d: closed form %v, Ridders %v",
					caseLabel(c, th), x, k+1, d[k+1], num)
			}
		}
	}
	stats.log(t, "closed form vs Ridders (relative to |σ⁽ᵏ⁺¹⁾| + M/h)")
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
