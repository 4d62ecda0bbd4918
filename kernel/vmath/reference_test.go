package vmath

import (
	"math"
	"math/big"
)

// The accuracy reference is the math package, corrected in two places where it is itself wrong
// by more than the bounds under test:
//   - near a multiple of π/2 its Cody–Waite reduction (about 100 bits of π) leaves an absolute
//     error near n·2⁻¹⁰², many ulps of a tiny sin or cos; there the reference reduces with a
//     280-bit π/2 and evaluates short Taylor series (|r| < 2⁻¹², truncation below 2⁻⁷⁰);
//   - the amd64 assembly math.Exp returns +Inf for x above about 709.44 although e^x is finite up
//     to 709.78; there the reference is 2¹⁰²⁴·e^(x−1024·ln2).

var piO2Big, _, _ = big.ParseFloat(
	"1.570796326794896619231321691639751442098584699687552910487472296153908203143104499314",
	10, 280, big.ToNearestEven)

// refSinCos is sin x and cos x within about ½ ulp of the true values.
func refSinCos(x float64) (s, c float64) {
	s, c = math.Sincos(x)
	if math.IsNaN(x) || math.Abs(x) > 0x1p40 {
		return s, c
	}
	n := math.Round(x / (math.Pi / 2))
	if math.Abs(x-n*(math.Pi/2)) > 0x1p-11 {
		return s, c
	}
	bx := new(big.Float).SetPrec(280).SetFloat64(x)
	bn := new(big.Float).SetPrec(280).SetFloat64(n)
	r, _ := bx.Sub(bx, bn.Mul(bn, piO2Big)).Float64()
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

func refSin(x float64) float64 { s, _ := refSinCos(x); return s }
func refCos(x float64) float64 { _, c := refSinCos(x); return c }

func refExp(x float64) float64 {
	if x > 709 && x <= expHi {
		return math.Ldexp(math.Exp((x-1024*0x1.62e42fefa38p-1)-1024*0x1.ef35793c7673p-45), 1024)
	}
	return math.Exp(x)
}

func refSigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + refExp(-x))
	}
	e := refExp(x)
	return e / (1 + e)
}

// referenceFuncs is mathFuncs with the corrections above.
func referenceFuncs() Funcs {
	f := mathFuncs()
	f.Name = "reference"
	f.Sin, f.Cos, f.Exp, f.Sigmoid = mapFunc(refSin), mapFunc(refCos), mapFunc(refExp), mapFunc(refSigmoid)
	f.SinCos = func(s, c, x []float64) {
		for i, v := range x {
			s[i], c[i] = refSinCos(v)
		}
	}
	f.AffineSinCos = func(s, c, x, b []float64, omega float64) {
		for i, v := range x {
			sv, cv := refSinCos(omega * (v + b[i]))
			if s != nil {
				s[i] = sv
			}
			c[i] = cv
		}
	}
	return f
}
