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
//
// r is carried as y + lo. The products n·PiO2T1, n·PiO2T2 and n·PiO2T3 are exact (n < 2²³,
// parts of 30 bits), a − n·PiO2T1 is exact, and the roundings of the next two subtractions are
// recovered by TwoSum into lo, together with the last part n·PiO2T4. Near a multiple of π/2
// those subtractions are exact and y is r to within n·PiO2T4; elsewhere lo holds what rounding
// y dropped, which would otherwise cost up to a whole ulp of sin r (r just above a power of
// two, sin r just below). The products being exact, the result is the same whether or not the
// compiler fuses them into FMAs.
func trigCore(a float64) (s, c float64, q uint64) {
	t := a*coef.TwoOverPi + coef.Magic
	n := t - coef.Magic
	r1 := a - n*coef.PiO2T1
	w2 := n * coef.PiO2T2
	y1 := r1 - w2
	b1 := y1 - r1
	w3 := n * coef.PiO2T3
	y := y1 - w3
	b2 := y - y1
	lo := ((r1 - (y1 - b1)) - (w2 + b1)) + ((y1 - (y - b2)) - (w3 + b2)) - n*coef.PiO2T4
	s, c = trigPolys(y, lo)
	return s, c, math.Float64bits(t)
}

// trigPolys returns sin r and cos r for r = y + lo, |r| ≤ π/4, |lo| ≤ 2⁻⁵² + 2⁻⁶⁸, using
// sin(y+lo) = sin y + lo·cos y and cos(y+lo) = cos y − lo·sin y (the neglected terms are below
// lo²/2), with the corrections added before the last rounding. The polynomials in z = y²
// go by Estrin's scheme (short dependency chains, so consecutive elements overlap), and 1 − z/2
// is split so that its rounding error is carried into the small correction term.
func trigPolys(y, lo float64) (s, c float64) {
	z := y * y
	z2 := z * z
	sp := (coef.S0 + z*coef.S1) + z2*((coef.S2+z*coef.S3)+z2*(coef.S4+z*coef.S5))
	cp := (coef.C0 + z*coef.C1) + z2*((coef.C2+z*coef.C3)+z2*(coef.C4+z*coef.C5))
	sy := y * z * sp // sin y − y
	hz := 0.5 * z
	w := 1 - hz
	cy := ((1 - w) - hz) + z2*cp // cos y − w
	s = y + (sy + lo*(w+cy))
	c = w + (cy - lo*(y+sy))
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

// trigLoop is the loop behind every generic trig function: want selects the outputs (wantSin, wantCos or both), and
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
		sp, cp, q := trigCore(a)
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
