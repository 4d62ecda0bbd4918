package vmath

import (
	"math"

	"github.com/inrstudio/studio/kernel/vmath/internal/coef"
)

const (
	// expHi is the largest x with a finite e^x.
	expHi = 0x1.62e42fefa39efp+9
	// expLo bounds the core's inputs from below: the scale 2ⁿ stays within reach of the
	// exponent-field trick and everything under it flushes to zero anyway.
	expLo          = -709.0
	oneBits        = 0x3ff0000000000000
	minNormalBits  = 0x0010000000000000
	minNormal      = 0x1p-1022
	logOffset      = 0x3fe6a09e667f3bcd // bits of √2/2: mantissas are reduced to [√2/2, √2)
	fracMask       = 1<<52 - 1
	tanhSaturation = 20.0 // tanh(20) rounds to 1
	// sech2Cap bounds |x| in TanhSech2: sech²(354) ≈ 2⁻¹⁰²⁰ is still normal and e^708 finite.
	sech2Cap = 354.0
)

// expCore returns e^x for expLo ≤ x ≤ expHi, and 0 where e^x is below the smallest normal.
func expCore(x float64) float64 {
	t := x*coef.Log2E + coef.Magic
	n := t - coef.Magic
	r := x - n*coef.Ln2T1
	r -= n * coef.Ln2T2
	p := 1 + r*expQ(r)
	// Adding n to the exponent field scales by 2ⁿ; results below 2⁻¹⁰²² come out as subnormal or
	// wrapped (negative) bit patterns and are flushed to +0.
	b := math.Float64bits(p) + math.Float64bits(t)<<52
	b &^= uint64(int64(b-minNormalBits) >> 63)
	return math.Float64frombits(b)
}

func expQ(r float64) float64 { return coef.Q0 + r*expQ1(r) }

// expQ1 is (Q(r)−1)/r, by Estrin's scheme: a dependency chain of 5 steps instead of 9 lets a
// scalar core overlap consecutive elements.
func expQ1(r float64) float64 {
	r2 := r * r
	r4 := r2 * r2
	lo := (coef.Q1 + r*coef.Q2) + r2*(coef.Q3+r*coef.Q4)
	mid := (coef.Q5 + r*coef.Q6) + r2*(coef.Q7+r*coef.Q8)
	return lo + r4*(mid+r4*(coef.Q9+r*coef.Q10))
}

func expOne(x float64) float64 {
	if !(x >= expLo && x <= expHi) {
		switch {
		case x != x:
			return x
		case x > expHi:
			return math.Inf(1)
		default:
			return 0 // e^x < 2⁻¹⁰²²: flushed
		}
	}
	return expCore(x)
}

func expGeneric(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = expOne(v)
	}
}

// tanhOne is sign(x)·e/(e+2) with e = expm1(2|x|) = 2ⁿ·r·Q(r) + (2ⁿ−1), which keeps full
// relative accuracy near zero; |x| is capped where tanh rounds to 1.
func tanhOne(x float64) float64 {
	y := 2 * min(math.Abs(x), tanhSaturation)
	t := y*coef.Log2E + coef.Magic
	n := t - coef.Magic
	r := y - n*coef.Ln2T1
	r -= n * coef.Ln2T2
	u := r + r*(r*expQ1(r)) // e^r − 1, without rounding Q(r) near 1 first
	sc := math.Float64frombits(math.Float64bits(t)<<52 + oneBits)
	e := sc*u + (sc - 1)
	return math.Float64frombits(math.Float64bits(ratioPlus(e, 2)) | math.Float64bits(x)&signBit)
}

// ratioPlus returns e/(e+k) for e ≥ 0, k > 0, correcting for the rounding of e+k: with
// d = e+k and its exact error err (Fast2Sum on the larger and smaller term),
// e/(d+err) ≈ q − q·err/d, and 1/d = (1−q)/k.
func ratioPlus(e, k float64) float64 {
	d := e + k
	err := (max(e, k) - d) + min(e, k)
	q := e / d
	return q - q*err*(1-q)*(1/k)
}

// tanhSech2One returns tanh x as tanhOne does and sech² x = 4(1+e)/(e+2)² from the same
// e = expm1(2|x|), with |x| capped at sech2Cap instead (tanh is exactly ±1 either way) and
// sech² flushed to +0 beyond it.
func tanhSech2One(x float64) (t, q float64) {
	a := math.Abs(x)
	y := 2 * min(a, sech2Cap)
	tt := y*coef.Log2E + coef.Magic
	n := tt - coef.Magic
	r := y - n*coef.Ln2T1
	r -= n * coef.Ln2T2
	u := r + r*(r*expQ1(r))
	sc := math.Float64frombits(math.Float64bits(tt)<<52 + oneBits)
	e := sc*u + (sc - 1)
	b := 1 / (e + 2)
	q = 4 * ((1 + e) * b * b)
	if a > sech2Cap {
		q = 0
	}
	t = math.Float64frombits(math.Float64bits(ratioPlus(e, 2)) | math.Float64bits(x)&signBit)
	return t, q
}

func tanhSech2Generic(t, q, x []float64) {
	t, q = t[:len(x)], q[:len(x)]
	for i, v := range x {
		t[i], q[i] = tanhSech2One(v)
	}
}

func tanhGeneric(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = tanhOne(v)
	}
}

// sigmoidOne is 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0, with e = e^−|x| (flushed below 2⁻¹⁰²²).
func sigmoidOne(x float64) float64 {
	a := math.Abs(x)
	if !(a <= -expLo) {
		if x != x {
			return x
		}
		if x > 0 {
			return 1
		}
		return 0
	}
	e := expCore(-a)
	m := uint64(int64(math.Float64bits(x)) >> 63)
	num := math.Float64frombits(oneBits&^m | math.Float64bits(e)&m)
	// Carry the rounding error of 1+e (exact by Fast2Sum, as 1 ≥ e) into the quotient:
	// num/(d+err) ≈ q − q·err/d, with 1/d = q for num = 1 and 1−q for num = e.
	d := 1 + e
	q := num / d
	err := (1 - d) + e
	rd := math.Float64frombits(math.Float64bits(q)&^m | math.Float64bits(1-q)&m)
	return q - q*err*rd
}

func sigmoidGeneric(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = sigmoidOne(v)
	}
}

// logOne splits x = 2ᵏ·m with m in [√2/2, √2) and evaluates log m = f − s·(f − R) with
// f = m−1, s = f/(2+f); non-normal, negative and non-finite x go to math.Log.
func logOne(x float64) float64 {
	if !(x >= minNormal && x <= math.MaxFloat64) {
		return math.Log(x)
	}
	u := math.Float64bits(x) + (oneBits - logOffset)
	k := float64(int64(u>>52) - 1023)
	f := math.Float64frombits(u&fracMask+logOffset) - 1
	s := f / (2 + f)
	z := s * s
	R := z * (coef.P0 + z*(coef.P1+z*(coef.P2+z*(coef.P3+z*(coef.P4+z*(coef.P5+z*coef.P6))))))
	hf := 0.5 * f * f
	return k*coef.Ln2T1 - ((hf - (s*(hf+R) + k*coef.Ln2T2)) - f)
}

func logGeneric(dst, x []float64) {
	dst = dst[:len(x)]
	for i, v := range x {
		dst[i] = logOne(v)
	}
}
