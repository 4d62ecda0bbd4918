package vmath

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks over 2²⁰ float64 (8 MiB per slice, so memory traffic counts), one goroutine,
// separate input and output; the per-implementation variants add n = 2¹⁴, the chunk package
// kernel hands to each call, which stays in the L2 cache and shows the arithmetic alone.
// Arguments: uniform in [−30, 30] (SIREN-like ω0·z) for every function but log, which takes
// log-uniform values in [2⁻¹⁰, 2¹⁰]. BenchmarkX uses the best implementation this CPU runs;
// BenchmarkXImpl/<impl> compares them with the math package loop ("math").

const benchN = 1 << 20

func benchArgs(fn string, n int) []float64 {
	r := rand.New(rand.NewPCG(7, 7))
	if fn == "log" {
		return logUniform(r, -10, 10, false, n)
	}
	return uniform(r, -30, 30, n)
}

func best() Funcs {
	av := Available()
	return For(av[len(av)-1])
}

// benchFuncs is every implementation this CPU runs plus the math package baseline.
func benchFuncs() []Funcs {
	fs := []Funcs{mathFuncs()}
	for _, n := range Available() {
		fs = append(fs, For(n))
	}
	return fs
}

func benchOne(b *testing.B, f Funcs, fn string, n int) {
	x := benchArgs(fn, n)
	out, out2 := make([]float64, n), make([]float64, n)
	var call func()
	switch fn {
	case "sincos":
		call = func() { f.SinCos(out, out2, x) }
	case "affine":
		xs, bias := affineArgs(x)
		call = func() { f.AffineSinCos(out, out2, xs, bias, affineOmega) }
	default:
		g := unary(f, fn)
		call = func() { g(out, x) }
	}
	b.SetBytes(8 * int64(n))
	b.ResetTimer()
	for range b.N {
		call()
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds()/1e6, "Melem/s")
}

func benchBest(b *testing.B, fn string) {
	b.Run(fmt.Sprintf("n=%d", benchN), func(b *testing.B) { benchOne(b, best(), fn, benchN) })
}

func benchImpls(b *testing.B, fn string) {
	for _, f := range benchFuncs() {
		for _, n := range []int{1 << 14, benchN} {
			b.Run(fmt.Sprintf("%s/n=%d", f.Name, n), func(b *testing.B) { benchOne(b, f, fn, n) })
		}
	}
}

func BenchmarkSin(b *testing.B)          { benchBest(b, "sin") }
func BenchmarkCos(b *testing.B)          { benchBest(b, "cos") }
func BenchmarkSinCos(b *testing.B)       { benchBest(b, "sincos") }
func BenchmarkExp(b *testing.B)          { benchBest(b, "exp") }
func BenchmarkLog(b *testing.B)          { benchBest(b, "log") }
func BenchmarkTanh(b *testing.B)         { benchBest(b, "tanh") }
func BenchmarkSigmoid(b *testing.B)      { benchBest(b, "sigmoid") }
func BenchmarkAffineSinCos(b *testing.B) { benchBest(b, "affine") }

func BenchmarkSinImpl(b *testing.B)          { benchImpls(b, "sin") }
func BenchmarkCosImpl(b *testing.B)          { benchImpls(b, "cos") }
func BenchmarkSinCosImpl(b *testing.B)       { benchImpls(b, "sincos") }
func BenchmarkExpImpl(b *testing.B)          { benchImpls(b, "exp") }
func BenchmarkLogImpl(b *testing.B)          { benchImpls(b, "log") }
func BenchmarkTanhImpl(b *testing.B)         { benchImpls(b, "tanh") }
func BenchmarkSigmoidImpl(b *testing.B)      { benchImpls(b, "sigmoid") }
func BenchmarkAffineSinCosImpl(b *testing.B) { benchImpls(b, "affine") }

// BenchmarkExpUnderflow times exp over n = 2¹⁴ arguments uniform in [lo, 0], per implementation:
// below ln 2⁻¹⁰²² ≈ −708.4 every result flushes to zero, and an implementation that formed the
// subnormals first would pay for them here (VSCALEFPD's microcode assist cost 15×).
func BenchmarkExpUnderflow(b *testing.B) {
	for _, lo := range []float64{-30, -900} {
		for _, name := range Available() {
			f := For(name)
			x := uniform(rand.New(rand.NewPCG(1, 1)), lo, 0, 1<<14)
			out := make([]float64, len(x))
			b.Run(fmt.Sprintf("%s/lo=%g", name, lo), func(b *testing.B) {
				for b.Loop() {
					f.Exp(out, x)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/elem")
			})
		}
	}
}
