// Package ulpref holds what the accuracy tests of kernel and kernel/vmath measure against: a
// sine and cosine within about ½ ulp of the true values, and the distance of two float64 values
// in ulps.
package ulpref

import (
	"math"
	"math/big"
)

// piO2 is π/2 to 280 bits.
var piO2, _, _ = big.ParseFloat(
	"1.570796326794896619231321691639751442098584699687552910487472296153908203143104499314",
	10, 280, big.ToNearestEven)

// SinCos is sin x and cos x within about ½ ulp: math.Sincos, except within 2⁻¹¹ of a multiple of
// π/2, where the math package's own reduction (about 100 bits of π) leaves an absolute error near
// n·2⁻¹⁰², many ulps of a tiny result; there x is reduced with a 280-bit π/2 and short Taylor
// series are evaluated (|r| < 2⁻¹¹: truncation far below an ulp).
func SinCos(x float64) (s, c float64) {
	s, c = math.Sincos(x)
	if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 0x1p40 {
		return s, c
	}
	n := math.Round(x / (math.Pi / 2))
	if math.Abs(x-n*(math.Pi/2)) > 0x1p-11 {
		return s, c
	}
	bx := new(big.Float).SetPrec(280).SetFloat64(x)
	bn := new(big.Float).SetPrec(280).SetFloat64(n)
	r, _ := bx.Sub(bx, bn.Mul(bn, piO2)).Float64()
	z := r * r
	sr := r + r*z*(-1.0/6+z/120)
	cr := 1 - z/2 + z*z/24
	switch int64(n) & 3 {
	case 0:
		return sr, cr
	case 1:
		return cr, -sr
	case 2:
		return -sr, -cr
	default:
		return -cr, sr
	}
}

// SinCosTurns is sin 2πv and cos 2πv (v in turns, as kernel.LinearSin's thin layers take it),
// correctly rounded but for rare ties (the error is about 2⁻¹⁰⁰ before the final rounding): v is
// reduced exactly to h with |h| ≤ ¼ (sin 2πv = sin 2πh; for the cosine h = ¼ − |q| with
// q = v − round(v), kept as a double-double), and sin 2πh is summed as a Taylor series in
// double-double arithmetic.
func SinCosTurns(v float64) (s, c float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN(), math.NaN()
	}
	q := v - math.RoundToEven(v)
	hs := math.Copysign(q-math.RoundToEven(2*q)/2, q)
	aq := math.Abs(q)
	hc, hcLo := twoSum(0.25, -aq)
	return sinTurn(dd{hs, 0}), sinTurn(dd{hc, hcLo})
}

// dd is an unevaluated sum hi + lo with |lo| ≤ ½ ulp(hi).
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

func (a dd) add(b dd) dd {
	s, e := twoSum(a.hi, b.hi)
	e += a.lo + b.lo
	hi := s + e
	return dd{hi, e - (hi - s)}
}

func (a dd) mul(b dd) dd {
	p := a.hi * b.hi
	e := math.FMA(a.hi, b.hi, -p) + a.hi*b.lo + a.lo*b.hi
	hi := p + e
	return dd{hi, e - (hi - p)}
}

// twoPi is 2π as a double-double; sinCoef[k] is (−1)ᵏ/(2k+1)! as one.
var twoPi = dd{0x1.921fb54442d18p+2, 0x1.1a62633145c07p-52}

var sinCoef = func() []dd {
	c := make([]dd, 24) // 2π·¼ = π/2: the 24th term is below 2⁻¹⁴⁰
	f := new(big.Float).SetPrec(200).SetInt64(1)
	for k := range c {
		if k > 0 {
			f.Quo(f, new(big.Float).SetPrec(200).SetInt64(int64(-(2*k)*(2*k+1))))
		}
		hi, _ := f.Float64()
		lo, _ := new(big.Float).SetPrec(200).Sub(f, new(big.Float).SetFloat64(hi)).Float64()
		c[k] = dd{hi, lo}
	}
	return c
}()

// sinTurn is sin 2πh for |h| ≤ ¼.
func sinTurn(h dd) float64 {
	a := twoPi.mul(h)
	a2 := a.mul(a)
	s := sinCoef[len(sinCoef)-1]
	for k := len(sinCoef) - 2; k >= 0; k-- {
		s = s.mul(a2).add(sinCoef[k])
	}
	return s.mul(a).hi
}

// Ulps is the distance between a and b in units in the last place: the number of float64 values
// between them. Equal NaNs are 0 apart; a NaN and a number are infinitely far.
func Ulps(a, b float64) float64 {
	if math.IsNaN(a) || math.IsNaN(b) {
		if math.IsNaN(a) && math.IsNaN(b) {
			return 0
		}
		return math.Inf(1)
	}
	ia, ib := ordered(a), ordered(b)
	if ia > ib {
		return float64(uint64(ia - ib))
	}
	return float64(uint64(ib - ia))
}

// ordered maps float64 bits to integers that sort like the values (−0 and +0 adjacent).
func ordered(v float64) int64 {
	i := int64(math.Float64bits(v))
	if i < 0 {
		return math.MinInt64 - i
	}
	return i
}
