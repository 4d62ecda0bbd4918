package vmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// gaborSpecials are inputs every Gabor kernel must take like the scalar functions: zeros of
// both signs, a subnormal, huge values (an infinite exponent or phase), ±Inf and NaN.
var gaborSpecials = []float64{0, math.Copysign(0, -1), 5e-324, 1e200, -1e300, math.Inf(1), math.Inf(-1), math.NaN()}

// gaborInputs returns n pre-activations as a WIRE layer sees them (|z| ≲ 0.6, a tenth of them
// ten times larger, where ψ underflows), with the special values scattered in when special.
func gaborInputs(r *rand.Rand, n int, special bool) []float64 {
	x := uniform(r, -0.6, 0.6, n)
	for i := range x {
		if i%10 == 3 {
			x[i] *= 10
		}
		if special && i%23 == 5 {
			x[i] = gaborSpecials[(i/23)%len(gaborSpecials)]
		}
	}
	return x
}

// TestGaborArg: every implementation's GaborArg, complex and real, gives the scalar GaborArg's
// bits (NaN for NaN) and reports an infinite input exactly when there is one; every length up to
// 19 (tails), nothing written past the end.
func TestGaborArg(t *testing.T) {
	const omega, s2 = 20, 900
	forEachImpl(t, func(t *testing.T, f Funcs) {
		r := rand.New(rand.NewPCG(3, 4))
		check := func(a, b []float64, what string) {
			n := len(a)
			e, c := guarded(n), guarded(n)
			got := f.GaborArg(e[:n], c[:n], a, b, omega, s2)
			checkGuard(t, e, n, "%s e", what)
			checkGuard(t, c, n, "%s c", what)
			want := false
			for i := range n {
				var we, wc float64
				var inf bool
				if b == nil {
					we, wc, inf = GaborArgReal(a[i], omega, s2)
				} else {
					we, wc, inf = GaborArg(a[i], b[i], omega, s2)
				}
				want = want || inf
				assertSame(t, we, e[i], "%s e at %d", what, i)
				assertSame(t, wc, c[i], "%s c at %d", what, i)
			}
			assert.Equal(t, want, got, "%s: infinite input reported", what)
		}
		for _, special := range []bool{false, true} {
			a, b := gaborInputs(r, 2000, special), gaborInputs(r, 2000, special)
			check(a, b, f.Name+" complex")
			check(b, nil, f.Name+" real")
		}
		for n := 0; n <= 19; n++ {
			a, b := gaborInputs(r, n, false), gaborInputs(r, n, false)
			check(a, b, f.Name+" complex tail")
			check(a, nil, f.Name+" real tail")
			if n > 0 {
				b[n-1] = math.Inf(-1) // in the tail only
				check(a, b, f.Name+" infinite in the tail")
			}
		}
	})
}

// TestGaborPsi: every implementation's GaborPsi gives the scalar GaborPsi's bits, also where
// the products fall below the smallest normal (flushed, with their sign), for moduli from 1 down
// to subnormal and NaN; every length up to 19, nothing written past the end.
func TestGaborPsi(t *testing.T) {
	forEachImpl(t, func(t *testing.T, f Funcs) {
		r := rand.New(rand.NewPCG(5, 6))
		check := func(m, s, c []float64, what string) {
			n := len(m)
			re, im := guarded(n), guarded(n)
			f.GaborPsi(re[:n], im[:n], m, s, c)
			checkGuard(t, re, n, "%s re", what)
			checkGuard(t, im, n, "%s im", what)
			for i := range n {
				wr, wi := GaborPsi(m[i], s[i], c[i])
				assertSame(t, wr, re[i], "%s re at m=%v s=%v c=%v", what, m[i], s[i], c[i])
				assertSame(t, wi, im[i], "%s im at m=%v s=%v c=%v", what, m[i], s[i], c[i])
			}
		}
		moduli := func(n int) []float64 {
			m := logUniform(r, -1030, 0, false, n)
			for i := range m {
				if i%29 == 7 {
					m[i] = gaborSpecials[(i/29)%len(gaborSpecials)]
				}
			}
			return m
		}
		check(moduli(3000), uniform(r, -1, 1, 3000), uniform(r, -1, 1, 3000), f.Name)
		for n := 0; n <= 19; n++ {
			check(moduli(n), uniform(r, -1, 1, n), uniform(r, -1, 1, n), f.Name+" tail")
		}
	})
}

// TestGaborGrad: every implementation's GaborGrad, complex and real, gives the scalar
// GaborGrad's bits, for wavelets down to subnormal (gradients flushed) and special inputs;
// every length up to 19, nothing written past the end.
func TestGaborGrad(t *testing.T) {
	const omega, s2x2 = 20, 1800
	forEachImpl(t, func(t *testing.T, f Funcs) {
		r := rand.New(rand.NewPCG(7, 8))
		check := func(n int, complex, special bool, what string) {
			a, b := gaborInputs(r, n, special), gaborInputs(r, n, special)
			pr, pi := logUniform(r, -1030, 0, true, n), logUniform(r, -1030, 0, true, n)
			gr, gi := uniform(r, -1, 1, n), uniform(r, -1, 1, n)
			da, db := guarded(n), guarded(n)
			if complex {
				f.GaborGrad(da[:n], db[:n], a, b, pr, pi, gr, gi, omega, s2x2)
			} else {
				f.GaborGrad(da[:n], nil, a, nil, pr, pi, gr, gi, omega, s2x2)
			}
			checkGuard(t, da, n, "%s da", what)
			checkGuard(t, db, n, "%s db", what)
			for i := range n {
				if !complex {
					assertSame(t, GaborGradReal(a[i], pr[i], pi[i], gr[i], gi[i], omega, s2x2), da[i], "%s da at %d", what, i)
					continue
				}
				wa, wb := GaborGrad(a[i], b[i], pr[i], pi[i], gr[i], gi[i], omega, s2x2)
				assertSame(t, wa, da[i], "%s da at %d", what, i)
				assertSame(t, wb, db[i], "%s db at %d", what, i)
			}
		}
		for _, complex := range []bool{true, false} {
			check(3000, complex, true, f.Name)
			for n := 0; n <= 19; n++ {
				check(n, complex, false, f.Name+" tail")
			}
		}
	})
}

// The branch-free flush at and around its boundary: the smallest normal number and everything
// above it (also ±Inf and NaN) are kept bit for bit, every subnormal becomes a zero of its sign.
func TestFlushNormal(t *testing.T) {
	const minNormal = 0x1p-1022
	below := math.Nextafter(minNormal, 0) // the largest subnormal
	for _, tc := range []struct{ in, want float64 }{
		{minNormal, minNormal},
		{-minNormal, -minNormal},
		{math.Nextafter(minNormal, 1), math.Nextafter(minNormal, 1)},
		{below, 0},
		{-below, math.Copysign(0, -1)},
		{5e-324, 0},
		{0, 0},
		{1, 1},
		{-0.75, -0.75},
		{math.MaxFloat64, math.MaxFloat64},
		{math.Inf(-1), math.Inf(-1)},
	} {
		assertSame(t, tc.want, FlushNormal(tc.in), "FlushNormal(%v)", tc.in)
	}
	assert.True(t, math.IsNaN(FlushNormal(math.NaN())))
}
