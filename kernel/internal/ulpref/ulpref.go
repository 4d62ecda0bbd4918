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
