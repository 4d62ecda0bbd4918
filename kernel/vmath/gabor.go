package vmath

import "math"

// WIRE's complex Gabor wavelet ψ(z) = exp(iω·z − |s·z|²) for z = a + ib is, with the modulus
// m = exp(e) and the phase ω·a,
//
//	ψ = exp(−ω·b − s²(a² + b²))·(cos ωa + i sin ωa),
//
// and its partials are Φ·ψ with Φ_a = −2s²a + iω and Φ_b = −ω − 2s²b. GaborArg, GaborPsi and
// GaborGrad are the arithmetic around the exponential and the sine and cosine of a layer of
// such units: IEEE operations only, which every implementation performs in the order written
// (the assembly ones a vector at a time), so that all of them give the same bits.

// FlushNormal returns v with its sign kept and its magnitude flushed to zero when it is below the
// smallest normal float64 (a zero exponent field), without a branch: in a WIRE layer a large,
// irregular share of the values is flushed, and subnormal operands would make the following
// matrix products many times slower.
func FlushNormal(v float64) float64 {
	u := math.Float64bits(v)
	sub := (u&0x7ff0000000000000 - 1) >> 63 // 1 when the exponent field is zero, else 0
	return math.Float64frombits(u & (sub - 1 | 1<<63))
}

// GaborArg returns the exponent e = −b·(ω + s²b) − s²a·a of ψ's modulus and its phase c = ω·a
// at z = a + ib (a huge |z| gives e = −Inf, never Inf − Inf). Where a or b is infinite, c is 0
// (ψ = 0·(1 + 0i), not 0·NaN) and inf is true.
func GaborArg(a, b, omega, s2 float64) (e, c float64, inf bool) {
	e = -b*(omega+s2*b) - s2*a*a
	if math.IsInf(a, 0) || math.IsInf(b, 0) {
		return e, 0, true
	}
	return e, omega * a, false
}

// GaborArgReal is GaborArg for a real z = a: e = (−s²)·a·a.
func GaborArgReal(a, omega, s2 float64) (e, c float64, inf bool) {
	e = -s2 * a * a
	if math.IsInf(a, 0) {
		return e, 0, true
	}
	return e, omega * a, false
}

// GaborPsi returns ψ = m·c + i·m·s from the modulus m = exp(e) and s, c = sin ωa, cos ωa, each
// part flushed below the smallest normal (FlushNormal).
func GaborPsi(m, s, c float64) (re, im float64) {
	return FlushNormal(m * c), FlushNormal(m * s)
}

// GaborGrad returns the gradients of a loss with respect to a and b, given ψ = pr + i·pi at
// z = a + ib and the loss's gradients gr, gi with respect to Re ψ and Im ψ (s2x2 = 2s²): with
// dot = gr·pr + gi·pi,
//
//	∂L/∂a = (−2s²)·a·dot + ω·(gi·pr − gr·pi),   ∂L/∂b = (−ω − 2s²b)·dot,
//
// each flushed below the smallest normal (FlushNormal). Where ψ is zero because |z| is infinite
// both are NaN (0·∞); the caller patches them.
func GaborGrad(a, b, pr, pi, gr, gi, omega, s2x2 float64) (da, db float64) {
	dot := gr*pr + gi*pi
	return FlushNormal(-s2x2*a*dot + omega*(gi*pr-gr*pi)), FlushNormal((-omega - s2x2*b) * dot)
}

// GaborGradReal is ∂L/∂a of GaborGrad (a real z = a has no b).
func GaborGradReal(a, pr, pi, gr, gi, omega, s2x2 float64) float64 {
	return FlushNormal(-s2x2*a*(gr*pr+gi*pi) + omega*(gi*pr-gr*pi))
}

// gaborArgScalar is Funcs.GaborArg one element at a time.
func gaborArgScalar(e, c, a, b []float64, omega, s2 float64) bool {
	n := len(a)
	e, c = e[:n], c[:n]
	inf := false
	if b == nil {
		for i, v := range a {
			var f bool
			e[i], c[i], f = GaborArgReal(v, omega, s2)
			inf = inf || f
		}
		return inf
	}
	b = b[:n]
	for i, v := range a {
		var f bool
		e[i], c[i], f = GaborArg(v, b[i], omega, s2)
		inf = inf || f
	}
	return inf
}

// gaborPsiScalar is Funcs.GaborPsi one element at a time.
func gaborPsiScalar(re, im, m, s, c []float64) {
	n := len(m)
	re, im, s, c = re[:n], im[:n], s[:n], c[:n]
	for i, v := range m {
		re[i], im[i] = GaborPsi(v, s[i], c[i])
	}
}

// gaborGradScalar is Funcs.GaborGrad one element at a time.
func gaborGradScalar(da, db, a, b, pr, pi, gr, gi []float64, omega, s2x2 float64) {
	n := len(a)
	da, pr, pi, gr, gi = da[:n], pr[:n], pi[:n], gr[:n], gi[:n]
	if b == nil {
		for i, v := range a {
			da[i] = GaborGradReal(v, pr[i], pi[i], gr[i], gi[i], omega, s2x2)
		}
		return
	}
	db, b = db[:n], b[:n]
	for i, v := range a {
		da[i], db[i] = GaborGrad(v, b[i], pr[i], pi[i], gr[i], gi[i], omega, s2x2)
	}
}
