package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// implsUnderTest is every implementation compiled in; the ones this CPU cannot run carry the
// reason, and each test skips them visibly.
func implsUnderTest() []struct {
	name string
	f    Funcs
	ok   bool
} {
	out := []struct {
		name string
		f    Funcs
		ok   bool
	}{{"generic", Generic(), true}}
	for _, n := range []string{"avx2", "avx512"} {
		f, ok := vectorFuncs(n)
		out = append(out, struct {
			name string
			f    Funcs
			ok   bool
		}{n, f, ok})
	}
	return out
}

// forEachImpl runs body as a subtest per implementation, skipping (with a message) those the
// CPU or the build cannot run.
func forEachImpl(t *testing.T, body func(t *testing.T, f Funcs)) {
	for _, im := range implsUnderTest() {
		t.Run(im.name, func(t *testing.T) {
			if !im.ok {
				t.Skipf("%s: not supported by this CPU or build", im.name)
			}
			body(t, im.f)
		})
	}
}

// sweep is n evenly spaced points covering [lo, hi].
func sweep(lo, hi float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = lo + (hi-lo)*float64(i)/float64(n-1)
	}
	return x
}

func uniform(r *rand.Rand, lo, hi float64, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = lo + (hi-lo)*r.Float64()
	}
	return x
}

// logUniform draws magnitudes 2^e with e uniform in [e0, e1], with a random sign when signed.
func logUniform(r *rand.Rand, e0, e1 float64, signed bool, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		x[i] = math.Exp2(e0 + (e1-e0)*r.Float64())
		if signed && r.IntN(2) == 0 {
			x[i] = -x[i]
		}
	}
	return x
}

// nearQuarterPeriods is n·π/2 rounded to float64 and nudged by a few ulps, for n up to nmax:
// the arguments whose reduced value is smallest, where a weak reduction loses most.
func nearQuarterPeriods(r *rand.Rand, nmax int, count int) []float64 {
	x := make([]float64, count)
	for i := range x {
		v := float64(r.IntN(nmax)) * (math.Pi / 2)
		for k := r.IntN(7) - 3; k != 0; {
			if k > 0 {
				v, k = math.Nextafter(v, math.Inf(1)), k-1
			} else {
				v, k = math.Nextafter(v, math.Inf(-1)), k+1
			}
		}
		x[i] = v
	}
	return x
}
