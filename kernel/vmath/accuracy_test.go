package vmath

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/inrstudio/studio/kernel/internal/ulpref"
)

// accuracyCase is one function over one argument range, with the largest error (in ulps of the
// math package's result) that every implementation must stay within there.
type accuracyCase struct {
	fn    string // sin, cos, sincos, affine, exp, log, tanh, sigmoid
	rng   string
	gen   func(r *rand.Rand, n int) []float64
	bound float64
}

// sweepPoints is the size of each dense sweep and random sample (smaller under -short).
func sweepPoints() int {
	if testing.Short() {
		return 100_000
	}
	return 1_000_000
}

func accuracyCases() []accuracyCase {
	dense := func(lo, hi float64) func(*rand.Rand, int) []float64 {
		return func(_ *rand.Rand, n int) []float64 { return sweep(lo, hi, n) }
	}
	unif := func(lo, hi float64) func(*rand.Rand, int) []float64 {
		return func(r *rand.Rand, n int) []float64 { return uniform(r, lo, hi, n) }
	}
	logu := func(e0, e1 float64, signed bool) func(*rand.Rand, int) []float64 {
		return func(r *rand.Rand, n int) []float64 { return logUniform(r, e0, e1, signed, n) }
	}
	quarter := func(nmax int) func(*rand.Rand, int) []float64 {
		return func(r *rand.Rand, n int) []float64 { return nearQuarterPeriods(r, nmax, n/10) }
	}
	// sin and cos: everything up to |x| = 2²⁰·π is covered by the polynomial path (TrigLimit is
	// 2²³); SIREN's ω0·z reaches a few hundred. Bound 2 ulp: the reduction keeps r to better
	// than 2⁻⁶⁰ relative (the vector kernels reduce with FMA, the generic code carries the
	// rounding of r as a second term), the polynomials add under 2⁻⁵⁵, the final rounding ½ ulp,
	// and math.Sin itself is within 1 ulp.
	trig := []struct {
		rng string
		gen func(*rand.Rand, int) []float64
	}{
		{"dense [-2π,2π]", dense(-2*math.Pi, 2*math.Pi)},
		{"dense [-30,30]", dense(-30, 30)},
		{"dense [-2^20π,2^20π]", dense(-0x1p20*math.Pi, 0x1p20*math.Pi)},
		{"uniform ±30", unif(-30, 30)},
		{"uniform ±1000", unif(-1000, 1000)},
		{"log-uniform 2^-40..2^23", logu(-40, 23, true)},
		{"near n·π/2, n<2^20", quarter(1 << 20)},
	}
	var cs []accuracyCase
	for _, fn := range []string{"sin", "cos", "sincos", "affine"} {
		for _, r := range trig {
			cs = append(cs, accuracyCase{fn, r.rng, r.gen, 2})
		}
	}
	// exp: the full finite range (results under 2⁻¹⁰²² must be exactly 0, see checkFlush).
	for _, c := range []accuracyCase{
		{"exp", "dense [-746,710]", dense(-746, 710), 2},
		{"exp", "uniform ±1", unif(-1, 1), 2},
		{"exp", "uniform ±50", unif(-50, 50), 2},
		{"exp", "log-uniform 2^-60..2^9", logu(-60, 9.47, true), 2},
		{"log", "dense [0.5,2]", dense(0.5, 2), 2},
		{"log", "log-uniform normals", logu(-1021.9, 1023.9, false), 2},
		{"log", "near 1 (1±2^-60..2^-1)", func(r *rand.Rand, n int) []float64 {
			x := logUniform(r, -60, -1, true, n)
			for i := range x {
				x[i]++
			}
			return x
		}, 2},
		// tanh and sigmoid: all reals; beyond the ranges below they are exactly ±1 / 1 or 0.
		// Bound 3: e^y carries up to ~1 ulp, the quotient ½ (the rounding of its denominator is
		// corrected), and the math-package formulas they are compared with carry ~1 ulp.
		{"tanh", "dense [-25,25]", dense(-25, 25), 3},
		{"tanh", "log-uniform 2^-40..2^5", logu(-40, 5, true), 3},
		{"sigmoid", "dense [-750,750]", dense(-750, 750), 3},
		{"sigmoid", "uniform ±40", unif(-40, 40), 3},
		{"sigmoid", "log-uniform 2^-40..2^9", logu(-40, 9.5, true), 3},
	} {
		cs = append(cs, c)
	}
	return cs
}

// affineOmega and the bias make AffineSinCos see the same arguments as the other trig cases:
// z = ω·(x+b) with ω = 30, x = v/30 − b.
const affineOmega = 30.0

// run evaluates function fn of f over x; for sincos and affine it returns the sines followed
// by the cosines.
func run(f Funcs, fn string, x []float64) []float64 {
	n := len(x)
	switch fn {
	case "sincos":
		out := make([]float64, 2*n)
		f.SinCos(out[:n], out[n:], x)
		return out
	case "affine":
		out := make([]float64, 2*n)
		xs, b := affineArgs(x)
		f.AffineSinCos(out[:n], out[n:], xs, b, affineOmega)
		return out
	}
	out := make([]float64, n)
	unary(f, fn)(out, x)
	return out
}

// affineArgs returns x' and b with affineOmega·(x'+b) ≈ v for each v in x.
func affineArgs(x []float64) (xs, b []float64) {
	xs, b = make([]float64, len(x)), make([]float64, len(x))
	for i, v := range x {
		b[i] = float64(i%7) * 0.125
		xs[i] = v/affineOmega - b[i]
	}
	return xs, b
}

// unary returns the one-argument function fn of f.
func unary(f Funcs, fn string) func(dst, x []float64) {
	return map[string]func(dst, x []float64){
		"sin": f.Sin, "cos": f.Cos, "exp": f.Exp, "log": f.Log, "tanh": f.Tanh, "sigmoid": f.Sigmoid,
	}[fn]
}

// errorUlps is the error of got against the math package's want. Where want is below the
// smallest normal (a subnormal or zero result of exp or sigmoid) the only right answer is +0:
// those results are flushed by design. At the flush boundary itself a 0 for a want within
// 4 ulp of 2⁻¹⁰²² is accepted, since the exact e^x there may lie on either side.
func errorUlps(got, want float64) float64 {
	if want >= 0 && want < minNormal {
		if got == 0 && !math.Signbit(got) {
			return 0
		}
		return math.Inf(1)
	}
	if got == 0 && want >= minNormal && ulpref.Ulps(want, minNormal) <= 4 {
		return 0
	}
	return ulpref.Ulps(got, want)
}

func TestAccuracy(t *testing.T) {
	ref := referenceFuncs()
	n := sweepPoints()
	for _, c := range accuracyCases() {
		name := fmt.Sprintf("%s/%s", c.fn, c.rng)
		t.Run(name, func(t *testing.T) {
			x := c.gen(rand.New(rand.NewPCG(1, uint64(len(c.rng)))), n)
			want := run(ref, c.fn, x)
			forEachImpl(t, func(t *testing.T, f Funcs) {
				got := run(f, c.fn, x)
				worst, at := 0.0, 0
				for i := range got {
					if e := errorUlps(got[i], want[i]); e > worst {
						worst, at = e, i
					}
				}
				arg := x[at%len(x)]
				t.Logf("max ulp %-7s %-8s %-28s %3.0f (x=%.17g got %.17g want %.17g)",
					f.Name, c.fn, c.rng, worst, arg, got[at], want[at])
				assert.LessOrEqualf(t, worst, c.bound, "%s %s: %v ulp at x=%v", f.Name, name, worst, arg)
			})
		})
	}
}
