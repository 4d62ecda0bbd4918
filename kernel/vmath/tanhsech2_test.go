package vmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inrstudio/studio/kernel/internal/ulpref"
)

// TestTanhSech2 checks TanhSech2 of every implementation: its tanh is bit for bit the Tanh of
// the same implementation (one formula, a different cap past saturation), and its sech² is
// within 8 ulp of 4e/(1+e)², e = exp(−2|x|) in the math package: e carries ~1 ulp in both, the
// reference's three roundings ~1.5, the kernel's expm1, quotient and three products ~3 — 5 or 6
// observed, and 7 for AVX-512 in some builds of this test. Below 2⁻¹⁰²⁰ (|x| > 354) the result
// must be +0, and nothing past len(x) is written.
func TestTanhSech2(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	n := sweepPoints() / 4
	args := map[string][]float64{
		"dense [-400,400]":       sweep(-400, 400, n),
		"dense [-25,25]":         sweep(-25, 25, n),
		"log-uniform 2^-40..2^9": logUniform(r, -40, 9, true, n),
	}
	ref := mathFuncs()
	for name, x := range args {
		wt, wq := make([]float64, len(x)), make([]float64, len(x))
		ref.TanhSech2(wt, wq, x)
		forEachImpl(t, func(t *testing.T, f Funcs) {
			tt, q := guarded(len(x)), guarded(len(x))
			f.TanhSech2(tt[:len(x)], q[:len(x)], x)
			checkGuard(t, tt, len(x), "%s t", name)
			checkGuard(t, q, len(x), "%s q", name)
			th := make([]float64, len(x))
			f.Tanh(th, x)
			worst, at := 0.0, 0
			for i, v := range x {
				assertSame(t, th[i], tt[i], "%s %s tanh x=%v", f.Name, name, v)
				e := ulpref.Ulps(q[i], wq[i])
				if math.Abs(v) > sech2Cap {
					e = ulpref.Ulps(q[i], 0)
				}
				if e > worst {
					worst, at = e, i
				}
			}
			t.Logf("%s %s: sech² max %v ulp at x=%v", f.Name, name, worst, x[at])
			assert.LessOrEqualf(t, worst, 8.0, "%s %s: sech² at x=%v: got %v want %v", f.Name, name, x[at], q[at], wq[at])
		})
	}
	special := []struct{ x, t, q float64 }{
		{0, 0, 1}, {math.Copysign(0, -1), math.Copysign(0, -1), 1}, {math.Inf(1), 1, 0}, {math.Inf(-1), -1, 0},
		{1e300, 1, 0}, {-500, -1, 0}, {1e-300, 1e-300, 1},
	}
	forEachImpl(t, func(t *testing.T, f Funcs) {
		for _, c := range special {
			x := []float64{c.x, c.x, c.x, c.x, c.x, c.x, c.x, c.x, c.x} // a full vector and a tail
			tt, q := make([]float64, len(x)), make([]float64, len(x))
			f.TanhSech2(tt, q, x)
			for i := range x {
				assertSame(t, c.t, tt[i], "%s tanh(%v)", f.Name, c.x)
				assertSame(t, c.q, q[i], "%s sech²(%v)", f.Name, c.x)
			}
		}
		x := []float64{math.NaN()}
		tt, q := make([]float64, 1), make([]float64, 1)
		f.TanhSech2(tt, q, x)
		assert.True(t, math.IsNaN(tt[0]) && math.IsNaN(q[0]), "%s: NaN gives %v, %v", f.Name, tt[0], q[0])
	})
}
