package vmath

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel/internal/ulpref"
)

var (
	inf = math.Inf(1)
	nan = math.NaN()
)

// TestSpecialValues checks results that must be exact, bit for bit (sign of zero included).
func TestSpecialValues(t *testing.T) {
	negZero := math.Copysign(0, -1)
	cases := []struct {
		fn   string
		x    float64
		want float64
	}{
		{"sin", 0, 0}, {"sin", negZero, negZero}, {"sin", inf, nan}, {"sin", -inf, nan}, {"sin", nan, nan},
		{"sin", 1e-300, 1e-300}, {"sin", -1e-300, -1e-300}, {"sin", 5e-324, 5e-324},
		{"sin", 1e300, math.Sin(1e300)}, {"sin", -1e22, math.Sin(-1e22)}, {"sin", 0x1p23 + 1, math.Sin(0x1p23 + 1)},
		{"cos", 0, 1}, {"cos", negZero, 1}, {"cos", inf, nan}, {"cos", -inf, nan}, {"cos", nan, nan},
		{"cos", 1e-300, 1}, {"cos", 1e300, math.Cos(1e300)}, {"cos", -1e22, math.Cos(-1e22)},
		{"exp", 0, 1}, {"exp", negZero, 1}, {"exp", inf, inf}, {"exp", -inf, 0}, {"exp", nan, nan},
		{"exp", 710, inf}, {"exp", 1e300, inf}, {"exp", -1e300, 0},
		{"exp", -709, 0}, {"exp", -720, 0}, {"exp", -745.2, 0}, // subnormal results flushed
		{"exp", 5e-324, 1}, {"exp", -5e-324, 1},
		{"log", 1, 0}, {"log", 0, -inf}, {"log", negZero, -inf}, {"log", -1, nan}, {"log", -inf, nan},
		{"log", inf, inf}, {"log", nan, nan}, {"log", 5e-324, math.Log(5e-324)}, {"log", 2, math.Ln2},
		{"log", 1e-310, math.Log(1e-310)}, {"log", math.MaxFloat64, math.Log(math.MaxFloat64)},
		{"tanh", 0, 0}, {"tanh", negZero, negZero}, {"tanh", inf, 1}, {"tanh", -inf, -1}, {"tanh", nan, nan},
		{"tanh", 19.1, 1}, {"tanh", -25, -1}, {"tanh", 1e300, 1}, {"tanh", 1e-300, 1e-300}, {"tanh", -5e-324, -5e-324},
		{"sigmoid", 0, 0.5}, {"sigmoid", negZero, 0.5}, {"sigmoid", inf, 1}, {"sigmoid", -inf, 0}, {"sigmoid", nan, nan},
		{"sigmoid", 40, 1}, {"sigmoid", 800, 1}, {"sigmoid", -709, 0}, {"sigmoid", -745.2, 0}, {"sigmoid", -1e300, 0},
	}
	forEachImpl(t, func(t *testing.T, f Funcs) {
		for _, c := range cases {
			// Pad each value with in-range neighbours so that the vector paths meet it in
			// every lane position and in the tail.
			for pos := 0; pos < 9; pos++ {
				x := make([]float64, 9)
				for i := range x {
					x[i] = 0.5 + float64(i)/16
				}
				x[pos] = c.x
				got := make([]float64, len(x))
				unary(f, c.fn)(got, x)
				assertSame(t, c.want, got[pos], "%s %s(%v) at lane %d", f.Name, c.fn, c.x, pos)
				for i := range x {
					if i != pos {
						assert.LessOrEqualf(t, errorUlps(got[i], ref1(c.fn, x[i])), 2.0,
							"%s %s neighbour %d of %v", f.Name, c.fn, i, c.x)
					}
				}
			}
		}
	})
}

// assertSame requires identical bits, except that any NaN matches any NaN.
func assertSame(t *testing.T, want, got float64, format string, args ...any) {
	t.Helper()
	if math.IsNaN(want) {
		assert.Truef(t, math.IsNaN(got), format+": got %v, want NaN", append(args, got)...)
		return
	}
	assert.Equalf(t, math.Float64bits(want), math.Float64bits(got), format+": got %v, want %v", append(args, got, want)...)
}

func ref1(fn string, x float64) float64 {
	out := make([]float64, 1)
	unary(referenceFuncs(), fn)(out, []float64{x})
	return out[0]
}

// TestTailsAndAliasing runs every length 0…17 (all vector remainders for 4 and 8 lanes), out of
// place and in place, and checks that nothing past len(x) is written.
func TestTailsAndAliasing(t *testing.T) {
	ref := referenceFuncs()
	r := rand.New(rand.NewPCG(3, 4))
	forEachImpl(t, func(t *testing.T, f Funcs) {
		for n := 0; n <= 17; n++ {
			x := uniform(r, -30, 30, n)
			pos := uniform(r, 1e-3, 30, n)
			for _, fn := range []string{"sin", "cos", "exp", "log", "tanh", "sigmoid"} {
				in := x
				if fn == "log" {
					in = pos
				}
				want := make([]float64, n)
				unary(ref, fn)(want, in)
				dst := guarded(n)
				unary(f, fn)(dst[:n], in)
				checkGuard(t, dst, n, "%s %s n=%d", f.Name, fn, n)
				inplace := append([]float64(nil), in...)
				unary(f, fn)(inplace, inplace)
				for i := range n {
					assert.LessOrEqualf(t, errorUlps(dst[i], want[i]), 2.0, "%s %s n=%d i=%d", f.Name, fn, n, i)
					assertSame(t, dst[i], inplace[i], "%s %s in place n=%d i=%d", f.Name, fn, n, i)
				}
			}
			checkSinCosTail(t, f, ref, x)
		}
	})
}

func checkSinCosTail(t *testing.T, f, ref Funcs, x []float64) {
	n := len(x)
	ws, wc := make([]float64, n), make([]float64, n)
	ref.SinCos(ws, wc, x)
	s, c := guarded(n), guarded(n)
	f.SinCos(s[:n], c[:n], x)
	checkGuard(t, s, n, "%s sincos s n=%d", f.Name, n)
	checkGuard(t, c, n, "%s sincos c n=%d", f.Name, n)
	for i := range n {
		assert.LessOrEqualf(t, ulpref.Ulps(s[i], ws[i]), 2.0, "%s sincos sin n=%d i=%d", f.Name, n, i)
		assert.LessOrEqualf(t, ulpref.Ulps(c[i], wc[i]), 2.0, "%s sincos cos n=%d i=%d", f.Name, n, i)
	}
	// SinCos in place: s is x.
	xs := append([]float64(nil), x...)
	c2 := make([]float64, n)
	f.SinCos(xs, c2, xs)
	for i := range n {
		assertSame(t, s[i], xs[i], "%s sincos s aliasing x, i=%d", f.Name, i)
		assertSame(t, c[i], c2[i], "%s sincos c with s aliasing x, i=%d", f.Name, i)
	}

	// AffineSinCos: with s, with s == nil, and with c aliasing x.
	xa, b := affineArgs(x)
	as, ac := guarded(n), guarded(n)
	f.AffineSinCos(as[:n], ac[:n], xa, b, affineOmega)
	checkGuard(t, as, n, "%s affine s n=%d", f.Name, n)
	checkGuard(t, ac, n, "%s affine c n=%d", f.Name, n)
	was, wac := make([]float64, n), make([]float64, n)
	ref.AffineSinCos(was, wac, xa, b, affineOmega)
	onlyC := guarded(n)
	f.AffineSinCos(nil, onlyC[:n], xa, b, affineOmega)
	checkGuard(t, onlyC, n, "%s affine c only n=%d", f.Name, n)
	alias := append([]float64(nil), xa...)
	f.AffineSinCos(nil, alias, alias, b, affineOmega)
	alias2 := append([]float64(nil), xa...)
	s2 := make([]float64, n)
	f.AffineSinCos(s2, alias2, alias2, b, affineOmega)
	for i := range n {
		assert.LessOrEqualf(t, ulpref.Ulps(as[i], was[i]), 2.0, "%s affine sin n=%d i=%d", f.Name, n, i)
		assert.LessOrEqualf(t, ulpref.Ulps(ac[i], wac[i]), 2.0, "%s affine cos n=%d i=%d", f.Name, n, i)
		// Cosines alone may take another reduction (by π, one polynomial), so they are checked
		// against the reference, and in place against themselves.
		assert.LessOrEqualf(t, ulpref.Ulps(onlyC[i], wac[i]), 2.0, "%s affine s==nil n=%d i=%d", f.Name, n, i)
		assertSame(t, onlyC[i], alias[i], "%s affine s==nil, c aliasing x, i=%d", f.Name, i)
		assertSame(t, ac[i], alias2[i], "%s affine c aliasing x, i=%d", f.Name, i)
		assertSame(t, as[i], s2[i], "%s affine s with c aliasing x, i=%d", f.Name, i)
	}
}

const guardValue = -1234.5

// guarded is a slice of n+8 elements, all set to guardValue; callers pass dst[:n].
func guarded(n int) []float64 {
	d := make([]float64, n+8)
	for i := range d {
		d[i] = guardValue
	}
	return d
}

func checkGuard(t *testing.T, d []float64, n int, format string, args ...any) {
	t.Helper()
	for i := n; i < len(d); i++ {
		require.Equalf(t, guardValue, d[i], format+": element %d past the end was written", append(args, i)...)
	}
}
