package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// checkJet runs a two-output kernel on x into fresh outputs, with v in place of x and with d
// in place of x, and requires want(i)'s values bit for bit each time, and nothing written past
// the end.
func checkJet(t *testing.T, what string, x []float64, run func(v, d, x []float64), want func(i int) (v, d float64)) {
	t.Helper()
	n := len(x)
	v, d := guarded(n), guarded(n)
	run(v[:n], d[:n], x)
	checkGuard(t, v, n, "%s v", what)
	checkGuard(t, d, n, "%s d", what)
	inV, d2 := append([]float64(nil), x...), make([]float64, n)
	run(inV, d2, inV)
	inD, v2 := append([]float64(nil), x...), make([]float64, n)
	run(v2, inD, inD)
	for i := range n {
		wv, wd := want(i)
		assertSame(t, wv, v[i], "%s v at x=%v", what, x[i])
		assertSame(t, wd, d[i], "%s d at x=%v", what, x[i])
		assertSame(t, wv, inV[i], "%s v in place of x, x=%v", what, x[i])
		assertSame(t, wd, d2[i], "%s d with v in place of x, x=%v", what, x[i])
		assertSame(t, wv, v2[i], "%s v with d in place of x, x=%v", what, x[i])
		assertSame(t, wd, inD[i], "%s d in place of x, x=%v", what, x[i])
	}
}

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
			checkJet(t, f.Name+" "+what, x, func(v, d, x []float64) { f.SinSqrt(v, d, x, omega) }, func(i int) (float64, float64) {
				v, d, _ := SinSqrtJet(u[i], s[i], c[i], omega)
				return v, d
			})
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

// TestFKAN checks FKAN of every implementation against the scalar FKANJet of the same
// implementation's Tanh(k·x), Exp(−2·|k·x|) and Exp(−|x|), bit for bit: over the range the
// activation sees, far past where the exponentials underflow (flushed) and tanh saturates, zeros
// of both signs, x < 0 (σ takes the other quotient), ±Inf and NaN, every length up to 17,
// nothing written past the end, and v or d in place of x.
func TestFKAN(t *testing.T) {
	const k = 30
	r := rand.New(rand.NewPCG(13, 14))
	forEachImpl(t, func(t *testing.T, f Funcs) {
		check := func(x []float64, what string) {
			n := len(x)
			tt, e2, e1 := make([]float64, n), make([]float64, n), make([]float64, n)
			for i, v := range x {
				tt[i], e2[i], e1[i] = k*v, -2*math.Abs(k*v), -math.Abs(v)
			}
			f.Tanh(tt, tt)
			f.Exp(e2, e2)
			f.Exp(e1, e1)
			checkJet(t, f.Name+" "+what, x, func(v, d, x []float64) { f.FKAN(v, d, x, k) }, func(i int) (float64, float64) {
				v, d, _, _, _ := FKANJet(x[i], tt[i], e2[i], e1[i], k)
				return v, d
			})
		}
		check(append(uniform(r, -3, 3, 3000), logUniform(r, -30, 9, true, 3000)...), "random")
		check([]float64{0.3, -0.2, math.Copysign(0, -1), 0, -5, 2, 1e-9, -1e-9, 0.7, 800, -800, 1e300,
			math.Inf(1), math.Inf(-1), math.NaN(), 25, -25}, "special")
		for n := 0; n <= 17; n++ {
			check(uniform(r, -2, 2, n), "tail")
		}
	})
	// σ(0) = 1/2 and σ′(0) = 1/4: f(0) = 0, f′(0) = (1 + k)/2.
	v, d, q, s, p := FKANJet(0, 0, 1, 1, k)
	assertSame(t, 0, v, "f(0)")
	assertSame(t, (1+k)/2.0, d, "f′(0)")
	assertSame(t, 1, q, "sech²(0)")
	assertSame(t, 0.5, s, "σ(0)")
	assertSame(t, 0.25, p, "σ′(0)")
	// Exponentials that are subnormal or zero are flushed: e1 = 2⁻¹⁰³⁰ gives σ(x) = 1 exactly.
	_, _, q, s, p = FKANJet(1000, 1, 0x1p-1030, 0x1p-1030, k)
	assertSame(t, 0, q, "sech² from a subnormal exponential")
	assertSame(t, 1, s, "σ from a subnormal exponential")
	assertSame(t, 0, p, "σ′ from a subnormal exponential")
}

// TestGaussJet checks GaussJet of every implementation against the scalar GaussJet of the same
// implementation's Exp of −(s·x)², bit for bit: from the top of the bump to far past the
// underflow (|s·x| > 26.62: both outputs +0) and the clamp, zeros of both signs, ±Inf and NaN,
// every length up to 17, nothing written past the end, and v or d in place of x.
func TestGaussJet(t *testing.T) {
	const s = 30
	r := rand.New(rand.NewPCG(15, 16))
	forEachImpl(t, func(t *testing.T, f Funcs) {
		check := func(x []float64, what string) {
			n := len(x)
			u, e := make([]float64, n), make([]float64, n)
			for i, v := range x {
				u[i] = s * v
				e[i] = -(u[i] * u[i])
			}
			f.Exp(e, e)
			checkJet(t, f.Name+" "+what, x, func(v, d, x []float64) { f.GaussJet(v, d, x, s) }, func(i int) (float64, float64) {
				return GaussJet(u[i], e[i], s)
			})
		}
		check(append(uniform(r, -1.2, 1.2, 5000), logUniform(r, -40, 4, true, 2000)...), "random")
		check([]float64{0, math.Copysign(0, -1), 26.6 / s, 26.7 / s, -26.7 / s, 1, -1, 1e300, math.Inf(1), math.Inf(-1), math.NaN()}, "special")
		for n := 0; n <= 17; n++ {
			check(uniform(r, -0.2, 0.2, n), "tail")
		}
	})
	v, d := GaussJet(0, 1, s)
	assertSame(t, 1, v, "σ(0)")
	assertSame(t, 0, d, "σ′(0) = −2s·0·1 = −0, flushed to +0")
	v, d = GaussJet(30, 0, s)
	assertSame(t, 0, v, "σ far out")
	assertSame(t, 0, d, "σ′ far out")
}
