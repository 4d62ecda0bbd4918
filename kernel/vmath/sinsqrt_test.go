package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSinSqrt checks SinSqrt of every implementation against SinSqrtJet of the same
// implementation's SinCos of u = ω·x, bit for bit: random arguments over twelve decades of |u|,
// zeros of both signs (S(0) = 1, so the derivative is ω·0·(1 + 1/2) = 0 and the value keeps the
// sign of sin u), arguments past TrigLimit, ±Inf and NaN (the vectors holding them go to the
// scalar path), every length up to 17 (tails), nothing written past the end, and v or d in place
// of x.
func TestSinSqrt(t *testing.T) {
	const omega = 30
	r := rand.New(rand.NewPCG(11, 12))
	big := []float64{0, math.Copysign(0, -1), 2 * TrigLimit / omega, math.Inf(1), math.Inf(-1), math.NaN(), 1e-300, -1e-300}
	forEachImpl(t, func(t *testing.T, f Funcs) {
		check := func(x []float64, what string) {
			n := len(x)
			u := make([]float64, n)
			for i, v := range x {
				u[i] = omega * v
			}
			s, c := make([]float64, n), make([]float64, n)
			f.SinCos(s, c, u)
			v, d := guarded(n), guarded(n)
			f.SinSqrt(v[:n], d[:n], x, omega)
			checkGuard(t, v, n, "%s %s v", f.Name, what)
			checkGuard(t, d, n, "%s %s d", f.Name, what)
			inV := append([]float64(nil), x...)
			d2 := make([]float64, n)
			f.SinSqrt(inV, d2, inV, omega)
			inD := append([]float64(nil), x...)
			v2 := make([]float64, n)
			f.SinSqrt(v2, inD, inD, omega)
			for i := range n {
				wv, wd, _ := SinSqrtJet(u[i], s[i], c[i], omega)
				assertSame(t, wv, v[i], "%s %s v at x=%v", f.Name, what, x[i])
				assertSame(t, wd, d[i], "%s %s d at x=%v", f.Name, what, x[i])
				assertSame(t, wv, inV[i], "%s %s v in place of x, x=%v", f.Name, what, x[i])
				assertSame(t, wd, d2[i], "%s %s d with v in place of x, x=%v", f.Name, what, x[i])
				assertSame(t, wv, v2[i], "%s %s v with d in place of x, x=%v", f.Name, what, x[i])
				assertSame(t, wd, inD[i], "%s %s d in place of x, x=%v", f.Name, what, x[i])
			}
		}
		x := logUniform(r, -40, 0, true, 4000)
		check(x, "log-uniform |x| in [2^-40, 1]")
		for k, b := range big {
			y := append([]float64(nil), x[:37]...)
			y[3+k] = b // inside a vector, next to ordinary arguments
			check(y, "special value")
		}
		for n := 0; n <= 17; n++ {
			check(uniform(r, -2, 2, n), "tail")
		}
	})
	// At u = 0: σ = ±0 and σ′ = ω·0·(cos 0 + 1/2) = 0.
	v, d, S := SinSqrtJet(0, 0, 1, omega)
	assertSame(t, 0, v, "σ(0)")
	assertSame(t, 0, d, "σ′(0)")
	assertSame(t, 1, S, "S(0)")
}
