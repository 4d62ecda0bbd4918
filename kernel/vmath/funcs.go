package vmath

import "math"

// Funcs is one implementation of the slice functions.
type Funcs struct {
	Name string
	// Sin, Cos, Exp, Log, Tanh, Sigmoid write f(x[i]) into dst[i].
	Sin, Cos, Exp, Log, Tanh, Sigmoid func(dst, x []float64)
	// SinCos writes sin(x[i]) into s[i] and cos(x[i]) into c[i].
	SinCos func(s, c, x []float64)
	// TanhSech2 writes tanh(x[i]) into t[i] and sech²(x[i]) = 1 − tanh²(x[i]) into q[i], the
	// latter to full relative accuracy (not as 1 − t², which cancels in the tails), flushed to
	// +0 below 2⁻¹⁰²⁰: a tanh layer's value and derivative from one exponential.
	TanhSech2 func(t, q, x []float64)
	// AffineSinCos writes, with z = omega*(x[i]+b[i]), s[i] = sin(z) and c[i] = cos(z).
	// c may be x itself (the pre-activation is overwritten by its cosine); s may be nil.
	AffineSinCos func(s, c, x, b []float64, omega float64)
	// SinSqrt is SPDER's activation with its derivative: with u = omega·x[i], it writes
	// v[i] = sin(u)·√|u| and d[i] = omega·√|u|·(cos u + S/2), S = sin(u)/u (S(0) = 1), the
	// x-derivative of v[i]. Each value is SinSqrtJet of the implementation's own sine and cosine
	// of u, bit for bit. v or d may be x.
	SinSqrt func(v, d, x []float64, omega float64)
	// FKAN is FKAN's hidden activation with its derivative: it writes v[i] and d[i] of the
	// scalar FKANJet of x[i] and the implementation's own t = Tanh(k·x[i]),
	// e2 = Exp(−2·|k·x[i]|) and e1 = Exp(−|x[i]|), bit for bit. v or d may be x.
	FKAN func(v, d, x []float64, k float64)
	// GaussJet is the Gaussian activation with its derivative: with u = s·x[i], it writes
	// v[i] and d[i] of the scalar GaussJet of u and the implementation's own exp(−u²), bit for
	// bit. v or d may be x.
	GaussJet func(v, d, x []float64, s float64)
	// GaborArg writes GaborArg of a[i] and b[i] (GaborArgReal when b is nil) into e[i] and c[i]
	// and reports whether an input was infinite.
	GaborArg func(e, c, a, b []float64, omega, s2 float64) bool
	// GaborPsi writes GaborPsi of m[i], s[i] and c[i] into re[i] and im[i].
	GaborPsi func(re, im, m, s, c []float64)
	// GaborGrad writes GaborGrad of the i-th elements into da[i] and db[i] (GaborGradReal into
	// da[i] when b and db are nil).
	GaborGrad func(da, db, a, b, pr, pi, gr, gi []float64, omega, s2x2 float64)
}

// FKANJet returns FKAN's hidden activation f = (x + t)·σ(x) and its derivative
// f′ = (1 + k·q)·σ(x) + (x + t)·σ′(x), with t = tanh(kx), q = sech²(kx) = 4e2/(1+e2)² from
// e2 = exp(−2|kx|), and σ, σ′ from e1 = exp(−|x|) (σ = 1/(1+e1), or e1/(1+e1) for x < 0;
// σ′ = e1/(1+e1)²), both exponentials flushed to +0 below 2⁻¹⁰²². It also returns q, σ and σ′,
// which the higher derivatives use. Every FKAN implementation performs these operations in
// this order.
func FKANJet(x, t, e2, e1, k float64) (v, d, q, s, p float64) {
	e2 = FlushTiny(e2)
	r2 := 1 / (1 + e2)
	q = 4 * e2 * r2 * r2
	e1 = FlushTiny(e1)
	r := 1 / (1 + e1)
	er := e1 * r
	s = r
	if x < 0 {
		s = er
	}
	p = er * r
	g0 := x + t
	return g0 * s, (1+k*q)*s + g0*p, q, s, p
}

// FlushTiny returns +0 for a zero or subnormal e and e otherwise (NaN and ±Inf unchanged). It
// tests the exponent field without a branch: where flushing is frequent and irregular (a Gauss
// layer's exponentials underflow for half its units) a mispredicted branch costs more.
func FlushTiny(e float64) float64 {
	b := math.Float64bits(e)
	keep := -((b>>52&0x7ff + 0x7ff) >> 11) // all ones unless the exponent field is zero
	return math.Float64frombits(b & keep)
}

// GaussClamp bounds t = s·x in the Gaussian's derivatives: beyond |t| ≈ 26.62 exp(−t²) is below
// the smallest normal and flushed to zero, so clamping there changes no result, while it keeps
// t² finite (a huge t would give +Inf·0 = NaN) without a branch on e.
const GaussClamp = 27

// GaussJet returns the Gaussian activation v = exp(−u²) and its x-derivative
// d = −2s·t·v, t = max(−GaussClamp, min(u, GaussClamp)), from u = s·x and e = exp(−u²), both
// flushed to +0 below 2⁻¹⁰²² (FlushTiny). Every GaussJet implementation performs these
// operations in this order.
func GaussJet(u, e, s float64) (v, d float64) {
	v = FlushTiny(e)
	t := max(-GaussClamp, min(u, GaussClamp))
	return v, FlushTiny(-2 * s * t * v)
}

// gaussJetChunks is GaussJet from any exp over x: the arguments, then the exponentials a chunk
// at a time, then GaussJet (x is read before v and d are written, so they may alias it).
func gaussJetChunks(exp func(dst, x []float64)) func(v, d, x []float64, s float64) {
	return func(v, d, x []float64, s float64) {
		var ub, eb [256]float64
		v, d = v[:len(x)], d[:len(x)]
		for lo := 0; lo < len(x); lo += len(ub) {
			xs := x[lo:min(lo+len(ub), len(x))]
			u, e := ub[:len(xs)], eb[:len(xs)]
			for i, xv := range xs {
				u[i] = s * xv
				e[i] = -(u[i] * u[i])
			}
			exp(e, e)
			for i, uv := range u {
				v[lo+i], d[lo+i] = GaussJet(uv, e[i], s)
			}
		}
	}
}

// fkanChunks is FKAN from any tanh and exp over x, a chunk at a time (x is read before v and d
// are written, so they may alias it).
func fkanChunks(tanh, exp func(dst, x []float64)) func(v, d, x []float64, k float64) {
	return func(v, d, x []float64, k float64) {
		var tb, e2b, e1b [256]float64
		v, d = v[:len(x)], d[:len(x)]
		for lo := 0; lo < len(x); lo += len(tb) {
			xs := x[lo:min(lo+len(tb), len(x))]
			t, e2, e1 := tb[:len(xs)], e2b[:len(xs)], e1b[:len(xs)]
			for i, xv := range xs {
				kx := k * xv
				t[i], e2[i], e1[i] = kx, -2*math.Abs(kx), -math.Abs(xv)
			}
			tanh(t, t)
			exp(e2, e2)
			exp(e1, e1)
			for i, xv := range xs {
				v[lo+i], d[lo+i], _, _, _ = FKANJet(xv, t[i], e2[i], e1[i], k)
			}
		}
	}
}

// SinSqrtJet returns v = sin(u)·√|u|, its x-derivative d = ω·√|u|·(c + S/2) and S = sin(u)/u
// (S(0) = 1, so that d is exact at u = 0), from u = ωx, s = sin u and c = cos u. Every SinSqrt
// implementation performs these operations in this order.
func SinSqrtJet(u, s, c, omega float64) (v, d, S float64) {
	r := math.Sqrt(math.Abs(u))
	S = 1.0
	if u != 0 {
		S = s / u
	}
	return s * r, omega * r * (c + S/2), S
}

// sinSqrtChunks is SinSqrt from any sincos over x: u, then the sines and cosines a chunk at a
// time, then SinSqrtJet (x is read before v and d are written, so they may alias it).
func sinSqrtChunks(sinCos func(s, c, x []float64)) func(v, d, x []float64, omega float64) {
	return func(v, d, x []float64, omega float64) {
		var ub, sb, cb [256]float64
		v, d = v[:len(x)], d[:len(x)]
		for lo := 0; lo < len(x); lo += len(ub) {
			xs := x[lo:min(lo+len(ub), len(x))]
			u, s, c := ub[:len(xs)], sb[:len(xs)], cb[:len(xs)]
			for i, xv := range xs {
				u[i] = omega * xv
			}
			sinCos(s, c, u)
			for i, uv := range u {
				v[lo+i], d[lo+i], _ = SinSqrtJet(uv, s[i], c[i], omega)
			}
		}
	}
}

// Generic returns the portable implementation: branch-free polynomial kernels in pure Go, used
// wherever no assembly version runs. See the package documentation for accuracy.
func Generic() Funcs {
	return Funcs{
		Name:         "generic",
		Sin:          sinGeneric,
		Cos:          cosGeneric,
		Exp:          expGeneric,
		Log:          logGeneric,
		Tanh:         tanhGeneric,
		Sigmoid:      sigmoidGeneric,
		SinCos:       sinCosGeneric,
		TanhSech2:    tanhSech2Generic,
		AffineSinCos: affineSinCosGeneric,
		SinSqrt:      sinSqrtChunks(sinCosGeneric),
		FKAN:         fkanChunks(tanhGeneric, expGeneric),
		GaussJet:     gaussJetChunks(expGeneric),
		GaborArg:     gaborArgScalar,
		GaborPsi:     gaborPsiScalar,
		GaborGrad:    gaborGradScalar,
	}
}

// For returns the fastest Funcs for the kernel implementation named name ("generic", "avx2",
// "avx512"). It never runs vector code itself, so it is safe to call at init on any CPU; where
// the CPU or the build (non-amd64) lacks the instruction set it returns Generic.
func For(name string) Funcs {
	if f, ok := vectorFuncs(name); ok {
		return f
	}
	return Generic()
}

// Available lists the implementations this CPU and build can run, generic first.
func Available() []string {
	names := []string{"generic"}
	for _, n := range []string{"avx2", "avx512"} {
		if _, ok := vectorFuncs(n); ok {
			names = append(names, n)
		}
	}
	return names
}

// mathFuncs evaluates every function with the math package, one element at a time. It is the
// accuracy reference of the tests and the speed baseline of the benchmarks.
func mathFuncs() Funcs {
	return Funcs{
		Name:         "math",
		Sin:          mapFunc(math.Sin),
		Cos:          mapFunc(math.Cos),
		Exp:          mapFunc(math.Exp),
		Log:          mapFunc(math.Log),
		Tanh:         mapFunc(math.Tanh),
		Sigmoid:      mapFunc(sigmoidMath),
		SinCos:       mathSinCos,
		TanhSech2:    mathTanhSech2,
		AffineSinCos: mathAffineSinCos,
		SinSqrt:      sinSqrtChunks(mathSinCos),
		FKAN:         fkanChunks(mapFunc(math.Tanh), mapFunc(math.Exp)),
		GaussJet:     gaussJetChunks(mapFunc(math.Exp)),
		GaborArg:     gaborArgScalar,
		GaborPsi:     gaborPsiScalar,
		GaborGrad:    gaborGradScalar,
	}
}

func mapFunc(f func(float64) float64) func(dst, x []float64) {
	return func(dst, x []float64) {
		dst = dst[:len(x)]
		for i, v := range x {
			dst[i] = f(v)
		}
	}
}

// sigmoidMath is 1/(1+e^−x) written so that neither branch cancels or overflows.
func sigmoidMath(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func mathSinCos(s, c, x []float64) {
	s, c = s[:len(x)], c[:len(x)]
	for i, v := range x {
		s[i], c[i] = math.Sincos(v)
	}
}

// mathTanhSech2 takes sech² = 4e/(1+e)² from e = exp(−2|x|), which neither cancels nor
// overflows.
func mathTanhSech2(t, q, x []float64) {
	t, q = t[:len(x)], q[:len(x)]
	for i, v := range x {
		e := math.Exp(-2 * math.Abs(v))
		t[i] = math.Tanh(v)
		q[i] = 4 * e / ((1 + e) * (1 + e))
	}
}

func mathAffineSinCos(s, c, x, b []float64, omega float64) {
	c = c[:len(x)]
	b = b[:len(x)]
	if s == nil {
		for i, v := range x {
			c[i] = math.Cos(omega * (v + b[i]))
		}
		return
	}
	s = s[:len(x)]
	for i, v := range x {
		s[i], c[i] = math.Sincos(omega * (v + b[i]))
	}
}
