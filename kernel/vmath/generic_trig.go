package vmath

import (
	"math"

	"github.com/inrstudio/studio/kernel/vmath/internal/coef"
)

// TrigLimit is the largest |x| that sin and cos reduce with their own Cody–Waite step; beyond it
// (and for ±Inf and NaN) every implementation calls math.Sin / math.Cos for that element.
const TrigLimit = 0x1p23

const signBit = 1 << 63

// trigCore reduces a = |x| ≤ TrigLimit to r = a − n·π/2 with |r| ≤ π/4 and returns sin r, cos r
// and the bits of the rounding sum, whose two lowest bits are the quadrant n mod 4.
func trigCore(a float64) (s, c float64, q uint64) {
	t := a*coef.TwoOverPi + coef.Magic
	n := t - coef.Magic
	// Each n·part is exact (n < 2²³, parts of 30 bits), so the first subtractions lose nothing
	// whether or not the compiler fuses them into FMAs.
	r := a - n*coef.PiO2T1
	r -= n * coef.PiO2T2
	r -= n * coef.PiO2T3
	r -= n * coef.PiO2T4
	s, c = trigPolys(r)
	return s, c, math.Float64bits(t)
}

// trigPolys returns sin r and cos r for |r| ≤ π/4. The polynomials in z = r² go by Estrin's
// scheme (short dependency chains, so consecutive elements overlap), and 1 − z/2 is split so
// that its rounding error is carried into the small correction term.
func trigPolys(r float64) (s, c float64) {
	z := r * r
	z2 := z * z
	sp := (coef.S0 + z*coef.S1) + z2*((coef.S2+z*coef.S3)+z2*(coef.S4+z*coef.S5))
	cp := (coef.C0 + z*coef.C1) + z2*((coef.C2+z*coef.C3)+z2*(coef.C4+z*coef.C5))
	s = r + r*z*sp
	hz := 0.5 * z
	w := 1 - hz
	c = w + (((1 - w) - hz) + z2*cp)
	return s, c
}

// pick returns bits of s where the quadrant is even and of c where it is odd, without a branch.
func pick(s, c float64, q uint64) uint64 {
	m := -(q & 1)
	return math.Float64bits(s)&^m | math.Float64bits(c)&m
}

func sinOne(v float64) float64 {
	a := math.Abs(v)
	if !(a <= TrigLimit) {
		return math.Sin(v)
	}
	s, c, q := trigCore(a)
	return math.Float64frombits(pick(s, c, q) ^ (q<<62^math.Float64bits(v))&signBit)
}

func cosOne(v float64) float64 {
	a := math.Abs(v)
	if !(a <= TrigLimit) {
		return math.Cos(v)
	}
	s, c, q := trigCore(a)
	return math.Float64frombits(pick(c, s, q) ^ ((q+1)<<62)&signBit)
}

func sinCosOne(v float64) (float64, float64) {
	a := math.Abs(v)
	if !(a <= TrigLimit) {
		return math.Sincos(v)
	}
	s, c, q := trigCore(a)
	return math.Float64frombits(pick(s, c, q) ^ (q<<62^math.Float64bits(v))&signBit),
		math.Float64frombits(pick(c, s, q) ^ ((q+1)<<62)&signBit)
}

// trigLoop is the loop behind every generic trig function, with trigCore written out so that
// nothing is called per element: want selects the outputs (wantSin, wantCos or both), and
// b, when not nil, turns the argument into omega·(x[i]+b[i]). The only data-dependent branch
// is the test for |x| > TrigLimit (and non-finite x), never taken for training data, so random
// arguments cost no mispredictions; want and b are the same for every element.
func trigLoop(s, c, x, b []float64, omega float64, want int) {
	for i, v := range x {
		if b != nil {
			v = omega * (v + b[i])
		}
		a := math.Abs(v)
		if !(a <= TrigLimit) {
			sv, cv := math.Sincos(v)
			if want&wantSin != 0 {
				s[i] = sv
			}
			if want&wantCos != 0 {
				c[i] = cv
			}
			continue
		}
		t := a*coef.TwoOverPi + coef.Magic
		n := t - coef.Magic
		r := a - n*coef.PiO2T1
		r -= n * coef.PiO2T2
		r -= n * coef.PiO2T3
		r -= n * coef.PiO2T4
		// trigPolys, written out (the compiler does not inline it).
		z := r * r
		z2 := z * z
		sp := (coef.S0 + z*coef.S1) + z2*((coef.S2+z*coef.S3)+z2*(coef.S4+z*coef.S5))
		cp := (coef.C0 + z*coef.C1) + z2*((coef.C2+z*coef.C3)+z2*(coef.C4+z*coef.C5))
		sp = r + r*z*sp
		hz := 0.5 * z
		w := 1 - hz
		cp = w + (((1 - w) - hz) + z2*cp)
		q := math.Float64bits(t)
		m := -(q & 1)
		sb, cb := math.Float64bits(sp), math.Float64bits(cp)
		if want&wantSin != 0 {
			s[i] = math.Float64frombits((sb&^m | cb&m) ^ (q<<62^math.Float64bits(v))&signBit)
		}
		if want&wantCos != 0 {
			c[i] = math.Float64frombits((cb&^m | sb&m) ^ ((q+1)<<62)&signBit)
		}
	}
}

const (
	wantSin = 1 << iota
	wantCos
)

func sinGeneric(dst, x []float64) { trigLoop(dst[:len(x)], nil, x, nil, 0, wantSin) }

func cosGeneric(dst, x []float64) { trigLoop(nil, dst[:len(x)], x, nil, 0, wantCos) }

func sinCosGeneric(s, c, x []float64) {
	trigLoop(s[:len(x)], c[:len(x)], x, nil, 0, wantSin|wantCos)
}

func affineSinCosGeneric(s, c, x, b []float64, omega float64) {
	if s == nil {
		trigLoop(nil, c[:len(x)], x, b[:len(x)], omega, wantCos)
		return
	}
	trigLoop(s[:len(x)], c[:len(x)], x, b[:len(x)], omega, wantSin|wantCos)
}
