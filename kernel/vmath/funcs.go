package vmath

import "math"

// Funcs is one implementation of the slice functions.
type Funcs struct {
	Name string
	// Sin, Cos, Exp, Log, Tanh, Sigmoid write f(x[i]) into dst[i].
	Sin, Cos, Exp, Log, Tanh, Sigmoid func(dst, x []float64)
	// SinCos writes sin(x[i]) into s[i] and cos(x[i]) into c[i].
	SinCos func(s, c, x []float64)
	// AffineSinCos writes, with z = omega*(x[i]+b[i]), s[i] = sin(z) and c[i] = cos(z).
	// c may be x itself (the pre-activation is overwritten by its cosine); s may be nil.
	AffineSinCos func(s, c, x, b []float64, omega float64)
}

// Generic returns the portable implementation built on the math package.
func Generic() Funcs {
	return Funcs{
		Name:         "generic",
		Sin:          mapFunc(math.Sin),
		Cos:          mapFunc(math.Cos),
		Exp:          mapFunc(math.Exp),
		Log:          mapFunc(math.Log),
		Tanh:         mapFunc(math.Tanh),
		Sigmoid:      mapFunc(sigmoid),
		SinCos:       genericSinCos,
		AffineSinCos: genericAffineSinCos,
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

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

func genericSinCos(s, c, x []float64) {
	s, c = s[:len(x)], c[:len(x)]
	for i, v := range x {
		s[i], c[i] = math.Sincos(v)
	}
}

func genericAffineSinCos(s, c, x, b []float64, omega float64) {
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

// For returns the fastest Funcs for the kernel implementation named name ("generic", "avx2",
// "avx512"), falling back to Generic where no faster version exists for that instruction set.
func For(name string) Funcs {
	return Generic()
}
