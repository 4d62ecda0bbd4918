package kernel

import "fmt"

// elemGrain is the number of elements a worker takes at a time in elementwise loops.
const elemGrain = 1 << 14

func checkLen(op string, dst, x []float64) {
	if len(dst) < len(x) {
		panic(fmt.Sprintf("kernel: %s: destination has %d elements, source %d", op, len(dst), len(x)))
	}
}

func (k *Impl) unary(op string, f func(dst, x []float64), dst, x []float64) {
	checkLen(op, dst, x)
	j := elemJob{k: k, op: opUnary, n: len(x), f: f, dst: dst, x: x}
	j.execElems()
}

// Sin sets dst[i] = sin(x[i]). dst may be x.
func (k *Impl) Sin(dst, x []float64) { k.unary("sin", k.b.vm.Sin, dst, x) }

// Cos sets dst[i] = cos(x[i]). dst may be x.
func (k *Impl) Cos(dst, x []float64) { k.unary("cos", k.b.vm.Cos, dst, x) }

// Exp sets dst[i] = exp(x[i]). dst may be x.
func (k *Impl) Exp(dst, x []float64) { k.unary("exp", k.b.vm.Exp, dst, x) }

// Log sets dst[i] = log(x[i]). dst may be x.
func (k *Impl) Log(dst, x []float64) { k.unary("log", k.b.vm.Log, dst, x) }

// Tanh sets dst[i] = tanh(x[i]). dst may be x.
func (k *Impl) Tanh(dst, x []float64) { k.unary("tanh", k.b.vm.Tanh, dst, x) }

// Sigmoid sets dst[i] = 1/(1+exp(-x[i])). dst may be x.
func (k *Impl) Sigmoid(dst, x []float64) { k.unary("sigmoid", k.b.vm.Sigmoid, dst, x) }

// SinCos sets s[i] = sin(x[i]) and c[i] = cos(x[i]).
func (k *Impl) SinCos(s, c, x []float64) {
	checkLen("sincos", s, x)
	checkLen("sincos", c, x)
	j := elemJob{k: k, op: opSinCos, n: len(x), dst: s, y: c, x: x}
	j.execElems()
}

// AffineSinCos is the fused SIREN activation over the rows of z: with u = omega·(z[i,j] + b[j]),
// it sets s[i,j] = sin(u) and c[i,j] = cos(u). c may be z itself (the pre-activation is replaced
// by its cosine, kept for the backward pass); s may be the zero Matrix to compute cosines only.
func (k *Impl) AffineSinCos(s, c, z Matrix, b []float64, omega float64) {
	if len(b) < z.Cols || c.Rows != z.Rows || c.Cols != z.Cols || (s.Data != nil && (s.Rows != z.Rows || s.Cols != z.Cols)) {
		panic(fmt.Sprintf("kernel: affine sincos shapes: z %d×%d, bias %d, s %d×%d, c %d×%d",
			z.Rows, z.Cols, len(b), s.Rows, s.Cols, c.Rows, c.Cols))
	}
	j := elemJob{k: k, op: opAffineSinCos, s: s, c: c, m: z, b: b, omega: omega}
	j.exec(z.Rows, 16*z.Cols)
}

// SinSqrt sets, with u = omega·x[i], v[i] = sin(u)·√|u| and d[i] = omega·√|u|·(cos u + S/2),
// S = sin(u)/u (S(0) = 1): SPDER's activation and its derivative (vmath.SinSqrtJet of this
// implementation's sine and cosine of u). It runs on the calling goroutine.
func (k *Impl) SinSqrt(v, d, x []float64, omega float64) {
	checkLen("sinsqrt", v, x)
	checkLen("sinsqrt", d, x)
	k.b.vm.SinSqrt(v, d, x, omega)
}

// FKAN sets v[i] and d[i] to FKAN's hidden activation (x + tanh kx)·σ(x) and its derivative
// (vmath.FKANJet of this implementation's tanh(kx), exp(−2|kx|) and exp(−|x|), bit for bit).
// It runs on the calling goroutine.
func (k *Impl) FKAN(v, d, x []float64, kk float64) {
	checkLen("fkan", v, x)
	checkLen("fkan", d, x)
	k.b.vm.FKAN(v, d, x, kk)
}

// GaussJet sets, with u = s·x[i], v[i] = exp(−u²) and d[i] = −2s·t·v[i] (t = u clamped to
// ±vmath.GaussClamp), both flushed to +0 below 2⁻¹⁰²² (vmath.GaussJet of this implementation's
// exponential, bit for bit). It runs on the calling goroutine.
func (k *Impl) GaussJet(v, d, x []float64, s float64) {
	checkLen("gaussjet", v, x)
	checkLen("gaussjet", d, x)
	k.b.vm.GaussJet(v, d, x, s)
}

// GaborArg sets e[i] and c[i] to the exponent and the phase of WIRE's Gabor wavelet at
// z = a[i] + i·b[i] (b nil: a real z), vmath.GaborArg, and reports whether an input was infinite
// (c[i] is then 0). The same bits on every implementation. It runs on the calling goroutine.
func (k *Impl) GaborArg(e, c, a, b []float64, omega, s2 float64) bool {
	checkLen("gaborarg", e, a)
	checkLen("gaborarg", c, a)
	if b != nil {
		checkLen("gaborarg", b, a)
	}
	return k.b.vm.GaborArg(e, c, a, b, omega, s2)
}

// GaborPsi sets re[i], im[i] to the wavelet m[i]·(c[i] + i·s[i]), each part flushed below the
// smallest normal (vmath.GaborPsi). The same bits on every implementation. It runs on the
// calling goroutine.
func (k *Impl) GaborPsi(re, im, m, s, c []float64) {
	for _, d := range [][]float64{re, im, s, c} {
		checkLen("gaborpsi", d, m)
	}
	k.b.vm.GaborPsi(re, im, m, s, c)
}

// GaborGrad sets da[i] and db[i] to the gradients of a loss with respect to a[i] and b[i] from
// the wavelet pr[i] + i·pi[i] and the gradients gr[i], gi[i] of its parts (vmath.GaborGrad; b
// and db nil: a real input, da only). The same bits on every implementation. It runs on the
// calling goroutine.
func (k *Impl) GaborGrad(da, db, a, b, pr, pi, gr, gi []float64, omega, s2x2 float64) {
	for _, d := range [][]float64{da, pr, pi, gr, gi} {
		checkLen("gaborgrad", d, a)
	}
	if b != nil || db != nil {
		checkLen("gaborgrad", b, a)
		checkLen("gaborgrad", db, a)
	}
	k.b.vm.GaborGrad(da, db, a, b, pr, pi, gr, gi, omega, s2x2)
}

// Sin runs the default implementation; see Impl.Sin.
func Sin(dst, x []float64) { defaultImpl.Sin(dst, x) }

// Cos runs the default implementation; see Impl.Cos.
func Cos(dst, x []float64) { defaultImpl.Cos(dst, x) }

// Exp runs the default implementation; see Impl.Exp.
func Exp(dst, x []float64) { defaultImpl.Exp(dst, x) }

// Log runs the default implementation; see Impl.Log.
func Log(dst, x []float64) { defaultImpl.Log(dst, x) }

// Tanh runs the default implementation; see Impl.Tanh.
func Tanh(dst, x []float64) { defaultImpl.Tanh(dst, x) }

// Sigmoid runs the default implementation; see Impl.Sigmoid.
func Sigmoid(dst, x []float64) { defaultImpl.Sigmoid(dst, x) }

// SinCos runs the default implementation; see Impl.SinCos.
func SinCos(s, c, x []float64) { defaultImpl.SinCos(s, c, x) }

// SinSqrt runs the default implementation; see Impl.SinSqrt.
func SinSqrt(v, d, x []float64, omega float64) { defaultImpl.SinSqrt(v, d, x, omega) }

// FKAN runs the default implementation; see Impl.FKAN.
func FKAN(v, d, x []float64, k float64) { defaultImpl.FKAN(v, d, x, k) }

// GaussJet runs the default implementation; see Impl.GaussJet.
func GaussJet(v, d, x []float64, s float64) { defaultImpl.GaussJet(v, d, x, s) }

// GaborArg runs the default implementation; see Impl.GaborArg.
func GaborArg(e, c, a, b []float64, omega, s2 float64) bool {
	return defaultImpl.GaborArg(e, c, a, b, omega, s2)
}

// GaborPsi runs the default implementation; see Impl.GaborPsi.
func GaborPsi(re, im, m, s, c []float64) { defaultImpl.GaborPsi(re, im, m, s, c) }

// GaborGrad runs the default implementation; see Impl.GaborGrad.
func GaborGrad(da, db, a, b, pr, pi, gr, gi []float64, omega, s2x2 float64) {
	defaultImpl.GaborGrad(da, db, a, b, pr, pi, gr, gi, omega, s2x2)
}

// AffineSinCos runs the default implementation; see Impl.AffineSinCos.
func AffineSinCos(s, c, z Matrix, b []float64, omega float64) {
	defaultImpl.AffineSinCos(s, c, z, b, omega)
}
