package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
)

// benchShapes are the layers of a coordinate MLP, Y[M×N] = X[M×K]·W[K×N], named M×K×N in every
// form: NN is that product, TN the weight gradient dW = Xᵀ·dY (K×N, summed over M) and NT the
// input gradient dX = dY·Wᵀ (M×K).
var benchShapes = [][3]int{{4096, 256, 256}, {16384, 256, 256}, {4096, 64, 64}, {4096, 2, 256}, {65536, 256, 3}}

var benchForms = []string{"NN", "TN", "NT"}

// layerOperands returns the operands of form f for the layer M×K×N: Gemm(tA, tB, 1, a, b, 0, c).
func layerOperands(f string, m, k, n int) (tA, tB Transpose, a, b, c Matrix) {
	r := rand.New(rand.NewPCG(1, 2))
	switch f {
	case "NN": // Y = X·W
		return NoTrans, NoTrans, randMatrix(r, m, k), randMatrix(r, k, n), NewMatrix(m, n)
	case "TN": // dW = Xᵀ·dY
		return Trans, NoTrans, randMatrix(r, m, k), randMatrix(r, m, n), NewMatrix(k, n)
	case "NT": // dX = dY·Wᵀ
		return NoTrans, Trans, randMatrix(r, m, n), randMatrix(r, k, n), NewMatrix(m, k)
	}
	panic("unknown form " + f)
}

func benchGemm(b *testing.B, impl *Impl, f string, s [3]int) {
	tA, tB, x, y, z := layerOperands(f, s[0], s[1], s[2])
	flops := 2 * float64(s[0]) * float64(s[1]) * float64(s[2])
	timeCalls(b, flops/1e9, "GFLOP/s", impl.Threads() == 1, func() { impl.Gemm(tA, tB, 1, x, y, 0, z) })
}

// timeCalls runs call in the benchmark loop, timing each call, and reports amount per second
// (in unit) for the median call: on a shared machine the mean (ns/op) absorbs every preemption by other
// processes, the median does not, and it is what the OpenBLAS peer of bench-kernel.sh prints.
// With INR_BENCH_CLOCK=cpu a single-threaded call is timed by the process's CPU time instead of
// the wall clock, which leaves out the time other processes hold the CPU (use it on a busy
// machine, for both sides: the OpenBLAS peer honours the same variable).
func timeCalls(b *testing.B, amount float64, unit string, singleThread bool, call func()) (median time.Duration) {
	clock := time.Now
	since := time.Since
	if singleThread && os.Getenv("INR_BENCH_CLOCK") == "cpu" {
		clock = processCPUTime
		since = func(t time.Time) time.Duration { return processCPUTime().Sub(t) }
	}
	var times []time.Duration
	for b.Loop() {
		t0 := clock()
		call()
		times = append(times, since(t0))
	}
	slices.Sort(times)
	median = times[len(times)/2]
	if unit != "" {
		b.ReportMetric(amount/median.Seconds(), unit)
	}
	return median
}

// BenchmarkGemm runs the default implementation (INR_KERNEL selects another).
func BenchmarkGemm(b *testing.B) {
	for _, f := range benchForms {
		for _, s := range benchShapes {
			for _, th := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%dx%dx%d/threads=%d", f, s[0], s[1], s[2], th), func(b *testing.B) {
					benchGemm(b, Default().WithThreads(th), f, s)
				})
			}
		}
	}
}

// BenchmarkGemmImpl runs every implementation this CPU supports, single-threaded, side by side.
func BenchmarkGemmImpl(b *testing.B) {
	for _, name := range Available() {
		impl, _ := Lookup(name)
		for _, f := range benchForms {
			for _, s := range benchShapes {
				if name == "generic" && s[0] > 4096 {
					continue // minutes per call at the large shapes
				}
				b.Run(fmt.Sprintf("%s/%s/%dx%dx%d/threads=1", name, f, s[0], s[1], s[2]), func(b *testing.B) {
					benchGemm(b, impl.WithThreads(1), f, s)
				})
			}
		}
	}
}

// BenchmarkGonumGemm is gonum's pure-Go blas64.Gemm at the same shapes (its goroutines follow
// GOMAXPROCS: run with -cpu 1 for the single-thread figure).
func BenchmarkGonumGemm(b *testing.B) {
	toGeneral := func(m Matrix) blas64.General {
		return blas64.General{Rows: m.Rows, Cols: m.Cols, Stride: m.Stride, Data: m.Data}
	}
	for _, f := range benchForms {
		for _, s := range benchShapes {
			b.Run(fmt.Sprintf("%s/%dx%dx%d", f, s[0], s[1], s[2]), func(b *testing.B) {
				tA, tB, x, y, z := layerOperands(f, s[0], s[1], s[2])
				bt := func(t Transpose) blas.Transpose {
					if t {
						return blas.Trans
					}
					return blas.NoTrans
				}
				flops := 2 * float64(s[0]) * float64(s[1]) * float64(s[2])
				timeCalls(b, flops/1e9, "GFLOP/s", runtime.GOMAXPROCS(0) == 1, func() {
					blas64.Gemm(bt(tA), bt(tB), 1, toGeneral(x), toGeneral(y), 0, toGeneral(z))
				})
			})
		}
	}
}

// BenchmarkLinearSin is SIREN's first layer (K = 2) with bias and sine, sines only: the time per
// call and the output bandwidth (bytes of s written per second).
func BenchmarkLinearSin(b *testing.B) {
	for _, s := range [][3]int{{4096, 2, 256}, {65536, 2, 256}} {
		for _, th := range []int{1, 2} {
			b.Run(fmt.Sprintf("%dx%dx%d/threads=%d", s[0], s[1], s[2], th), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				x, w := randMatrix(r, s[0], s[1]), randMatrix(r, s[1], s[2])
				bias := make([]float64, s[2])
				out := NewMatrix(s[0], s[2])
				impl := Default().WithThreads(th)
				sec := timeCalls(b, 0, "", th == 1, func() { impl.LinearSin(out, Matrix{}, x, w, bias, 30) }).Seconds()
				b.ReportMetric(sec*1e3, "ms")
				b.ReportMetric(float64(s[0]*s[2]*8)/sec/1e9, "GB/s")
			})
		}
	}
}

// BenchmarkSin is the elementwise sine of the default implementation over 2²⁰ arguments
// uniform in [-30, 30] (SIREN-like), one thread, named as the table asks
// (BenchmarkSin/n=1048576). kernel/vmath benchmarks every implementation of every function.
func BenchmarkSin(b *testing.B) {
	const n = 1 << 20
	b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
		r := rand.New(rand.NewPCG(1, 2))
		x := make([]float64, n)
		for i := range x {
			x[i] = r.Float64()*60 - 30
		}
		y := make([]float64, len(x))
		impl := Default().WithThreads(1)
		timeCalls(b, float64(len(x))/1e6, "Melem/s", true, func() { impl.Sin(y, x) })
	})
}

// BenchmarkLinearCos is the backward pass's form of BenchmarkLinearSin: the cosines only.
func BenchmarkLinearCos(b *testing.B) {
	for _, s := range [][3]int{{4096, 2, 256}, {65536, 2, 256}} {
		b.Run(fmt.Sprintf("%dx%dx%d/threads=1", s[0], s[1], s[2]), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			x, w := randMatrix(r, s[0], s[1]), randMatrix(r, s[1], s[2])
			out := NewMatrix(s[0], s[2])
			impl := Default().WithThreads(1)
			sec := timeCalls(b, 0, "", true, func() { impl.LinearSin(Matrix{}, out, x, w, make([]float64, s[2]), 30) }).Seconds()
			b.ReportMetric(sec*1e3, "ms")
			b.ReportMetric(float64(s[0]*s[2]*8)/sec/1e9, "GB/s")
		})
	}
}

// BenchmarkLinearSinKernel times the fused AVX-512 kernel alone at 4096×2×256 (ω folded in,
// one thread): writing the whole output as LinearSin does (regular or non-temporal stores), and
// writing every row over the same 2 KiB, which stays in L1, so that the time is the sine
// arithmetic alone: the compute floor of the first layer.
func BenchmarkLinearSinKernel(b *testing.B) {
	impl, err := Lookup("avx512")
	if err != nil || impl.b.linSin == nil {
		b.Skip("no fused kernels on this CPU")
	}
	const m, k, n = 4096, 2, 256
	r := rand.New(rand.NewPCG(1, 2))
	x, w := randMatrix(r, m, k), randMatrix(r, k+1, n)
	for i := range w.Data {
		w.Data[i] *= 30
	}
	out := NewMatrix(m, n)
	for _, c := range []struct {
		name    string
		ldo, nt int
	}{{"output-in-L1", 0, 0}, {"full-output", n, 0}, {"full-output-nt", n, 1}} {
		for _, fn := range []string{"sin", "cos"} {
			kern := impl.b.linSin
			if fn == "cos" {
				kern = impl.b.linCos
			}
			b.Run(fn+"/"+c.name, func(b *testing.B) {
				sec := timeCalls(b, float64(m*n)/1e9, "Gelem/s", true, func() {
					kern(m, n, k, &x.Data[0], k, &w.Data[0], n, &out.Data[0], c.ldo, c.nt)
				}).Seconds()
				b.ReportMetric(sec*1e3, "ms")
			})
		}
	}
}

// BenchmarkReadFloor is a plain streaming read of 128 MiB (the activations of the output layer
// at 65536×256) by Sum on one thread: the bandwidth the N ≤ 3 products are held against.
// kernel/testdata/floor measures reads from several regions at once and with huge pages.
func BenchmarkReadFloor(b *testing.B) {
	x := make([]float64, 1<<24)
	for i := range x {
		x[i] = 1
	}
	impl := Default().WithThreads(1)
	sec := timeCalls(b, 128<<20/1e9, "GB/s", true, func() { impl.Sum(x) }).Seconds()
	b.ReportMetric(sec*1e3, "ms")
}

// BenchmarkMulColSums compares the fused bias gradient of a SIREN layer (dZ = dS ⊙ C in place
// over C, as package nn calls it, and db = column sums of dZ) with the two calls it replaces,
// single-threaded. dS is ±1, so that repeated products in place keep their size (they would
// otherwise decay into slow subnormal numbers).
func BenchmarkMulColSums(b *testing.B) {
	for _, s := range [][2]int{{4096, 256}, {65536, 256}} {
		r := rand.New(rand.NewPCG(1, 2))
		ds, c := randMatrix(r, s[0], s[1]), randMatrix(r, s[0], s[1])
		for i, v := range ds.Data {
			ds.Data[i] = math.Copysign(1, v)
		}
		sums := make([]float64, s[1])
		impl := Default().WithThreads(1)
		bytes := float64(3*s[0]*s[1]*8) / 1e9 // read two matrices, write one
		b.Run(fmt.Sprintf("%dx%d/fused", s[0], s[1]), func(b *testing.B) {
			sec := timeCalls(b, bytes, "GB/s", true, func() { impl.MulColSums(c, c, ds, sums, 0) }).Seconds()
			b.ReportMetric(sec*1e3, "ms")
		})
		b.Run(fmt.Sprintf("%dx%d/mul+colsums", s[0], s[1]), func(b *testing.B) {
			sec := timeCalls(b, bytes, "GB/s", true, func() {
				impl.Mul(c.Data, c.Data, ds.Data)
				impl.ColSums(sums, c, 0)
			}).Seconds()
			b.ReportMetric(sec*1e3, "ms")
		})
	}
}
