package vmath

import (
	"math"

	"github.com/inrstudio/studio/kernel/internal/ulpref"
)

// The accuracy reference is the math package, corrected in two places where it is itself wrong
// by more than the bounds under test:
//   - near a multiple of π/2 its Cody–Waite reduction (about 100 bits of π) leaves an absolute
//     error near n·2⁻¹⁰², many ulps of a tiny sin or cos; there the reference reduces with a
//     280-bit π/2 and evaluates short Taylor series (ulpref.SinCos);
//   - the amd64 assembly math.Exp returns +Inf for x above about 709.44 although e^x is finite up
//     to 709.78; there the reference is 2¹⁰²⁴·e^(x−1024·ln2).

func refSin(x float64) float64 { s, _ := ulpref.SinCos(x); return s }
func refCos(x float64) float64 { _, c := ulpref.SinCos(x); return c }

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
			s[i], c[i] = ulpref.SinCos(v)
		}
	}
	f.AffineSinCos = func(s, c, x, b []float64, omega float64) {
		for i, v := range x {
			sv, cv := ulpref.SinCos(omega * (v + b[i]))
			if s != nil {
				s[i] = sv
			}
			c[i] = cv
		}
	}
	return f
}
