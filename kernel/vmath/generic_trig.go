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
	z := r * r
	s = r + r*z*(coef.S0+z*(coef.S1+z*(coef.S2+z*(coef.S3+z*(coef.S4+z*coef.S5)))))
	// 1 − z/2 is split so that its rounding error is carried into the small correction term.
	hz := 0.5 * z
	w := 1 - hz
	c = w + (((1 - w) - hz) + z*z*(coef.C0+z*(coef.C1+z*(coef.C2+z*(coef.C3+z*(coef.C4+z*coef.C5))))))
	return s, c, math.Float64bits(t)
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

// The slice loops call the element functions; the only branch in them is the never-taken
// (for training data) test for |x| > TrigLimit, so random arguments cost no mispredictions.

func sinGeneric(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = sinOne(v)
	}
}

func cosGeneric(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = cosOne(v)
	}
}

func sinCosGeneric(s, c, x []float64) {
	s, c = s[:len(x)], c[:len(x)]
	for i, v := range x {
		s[i], c[i] = sinCosOne(v)
	}
}

func affineSinCosGeneric(s, c, x, b []float64, omega float64) {
	c, b = c[:len(x)], b[:len(x)]
	if s == nil {
		for i, v := range x {
			c[i] = cosOne(omega * (v + b[i]))
		}
		return
	}
	s = s[:len(x)]
	for i, v := range x {
		s[i], c[i] = sinCosOne(omega * (v + b[i]))
	}
}
