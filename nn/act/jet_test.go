package act

import "math"

// jet is a truncated Taylor series f(x0 + h) = c0 + c1·h + c2·h² + c3·h³. The tests write each
// activation's defining formula once in jet arithmetic; the k-th derivative is then k!·c_k,
// exact up to rounding (forward-mode automatic differentiation). It is independent of the
// closed forms under test: only the derivatives of the elementary functions are shared.
type jet [4]float64

func variable(x float64) jet { return jet{x, 1} }
func cst(c float64) jet      { return jet{c} }

// deriv returns the k-th derivative carried by the jet.
func (a jet) deriv(k int) float64 { return a[k] * [4]float64{1, 1, 2, 6}[k] }

func (a jet) add(b jet) jet { return jet{a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]} }
func (a jet) sub(b jet) jet { return jet{a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]} }
func (a jet) scale(s float64) jet {
	return jet{s * a[0], s * a[1], s * a[2], s * a[3]}
}
func (a jet) plus(c float64) jet { a[0] += c; return a }

func (a jet) mul(b jet) jet {
	var c jet
	for i := 0; i < 4; i++ {
		for j := 0; i+j < 4; j++ {
			c[i+j] += a[i] * b[j]
		}
	}
	return c
}

func (a jet) div(b jet) jet {
	var c jet
	for k := 0; k < 4; k++ {
		v := a[k]
		for j := 1; j <= k; j++ {
			v -= b[j] * c[k-j]
		}
		c[k] = v / b[0]
	}
	return c
}

// chain composes f after a, given f and its first three derivatives at a[0] (Faà di Bruno).
func (a jet) chain(f0, f1, f2, f3 float64) jet {
	return jet{
		f0,
		f1 * a[1],
		f1*a[2] + f2/2*a[1]*a[1],
		f1*a[3] + f2*a[1]*a[2] + f3/6*a[1]*a[1]*a[1],
	}
}

func jsin(a jet) jet {
	s, c := math.Sincos(a[0])
	return a.chain(s, c, -s, -c)
}

func jcos(a jet) jet {
	s, c := math.Sincos(a[0])
	return a.chain(c, -s, -c, s)
}

func jexp(a jet) jet {
	e := math.Exp(a[0])
	return a.chain(e, e, e, e)
}

func jlog(a jet) jet {
	v := a[0]
	return a.chain(math.Log(v), 1/v, -1/(v*v), 2/(v*v*v))
}

// jtanh is sinh/cosh, so it shares nothing with the tanh closed forms.
func jtanh(a jet) jet {
	sh, ch := math.Sinh(a[0]), math.Cosh(a[0])
	return a.chain(sh, ch, sh, ch).div(a.chain(ch, sh, ch, sh))
}

// jsigmoid is 1/(1 + e^(−a)).
func jsigmoid(a jet) jet { return cst(1).div(jexp(a.scale(-1)).plus(1)) }

func jatan(a jet) jet {
	v := a[0]
	r := 1 / (1 + v*v)
	return a.chain(math.Atan(v), r, -2*v*r*r, (6*v*v-2)*r*r*r)
}

func jerf(a jet) jet {
	v := a[0]
	g := 2 / math.SqrtPi * math.Exp(-v*v)
	return a.chain(math.Erf(v), g, -2*v*g, (4*v*v-2)*g)
}

// jPhi is the standard normal distribution function (1 + erf(a/√2))/2.
func jPhi(a jet) jet { return jerf(a.scale(1 / math.Sqrt2)).plus(1).scale(0.5) }

func jabs(a jet) jet { return a.scale(sgn(a[0])) }

// jsqrtabs is √|a| away from 0.
func jsqrtabs(a jet) jet {
	v := math.Abs(a[0])
	r := math.Sqrt(v)
	s := sgn(a[0])
	return a.chain(r, s/(2*r), -1/(4*v*r), 3*s/(8*v*v*r))
}

// jpiece evaluates a two-piece function: left for a[0] ≤ 0, right for a[0] > 0.
func jpiece(a jet, left, right func(jet) jet) jet {
	if a[0] > 0 {
		return right(a)
	}
	return left(a)
}
