package kan

import (
	"fmt"
	"testing"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// benchStep times one forward and backward pass of l on n random points in [−1, 1]^in with the
// given plan, and reports ms/op and the rate of the GEMMs (2·rows·(in·B)·out flops per product:
// the forward, the coefficient gradient, and the feature gradient when needIn).
func benchStep(b *testing.B, l *Expansion, plan *nn.Plan, n int, needIn bool) {
	x := kernel.NewMatrix(n, l.InWidth())
	rng := nn.NewRNG(1)
	for i := range x.Data {
		x.Data[i] = 2*rng.Float64() - 1
	}
	in := nn.NewInputJet(plan, x)
	var g nn.JetBuffer
	step := func() {
		y := l.Forward(in)
		dy := g.Like(y, y.Width())
		dy.M.CopyFrom(y.M)
		l.Backward(dy, needIn)
	}
	step()
	var features int
	for _, bs := range l.Bases() {
		features += l.InWidth() * bs.Size()
	}
	products := 2.0
	if needIn {
		products = 3
	}
	flops := products * 2 * float64(plan.Blocks()*n) * float64(features) * float64(l.OutWidth())
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec*1e3, "ms/op")
	b.ReportMetric(flops/sec/1e9, "GEMM-GFLOP/s")
}

// benchGemms times the bare products of a value-only training step of a layer with f features
// (forward Φ·C and coefficient gradient Φᵀ·dY) on n points: the floor the layer's step sits on.
func benchGemms(b *testing.B, n, f, out int) {
	phi, c, y := kernel.NewMatrix(n, f), kernel.NewMatrix(f, out), kernel.NewMatrix(n, out)
	rng := nn.NewRNG(3)
	for i := range phi.Data {
		phi.Data[i] = rng.Float64()
	}
	for b.Loop() {
		kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, phi, c, 0, y)
		kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, phi, y, 1, c)
	}
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(sec*1e3, "ms/op")
	b.ReportMetric(2*2*float64(n*f*out)/sec/1e9, "GEMM-GFLOP/s")
}

// BenchmarkChebyshevKAN is SL²A's first layer: 2→256, K = 256, a batch of 16,384 pixels; the
// plain name is the training step of image fitting (values only, no input gradient).
func BenchmarkChebyshevKAN(b *testing.B) {
	l, err := NewChebyshevKAN(2, 256, 256, nn.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("2x256/K=256/N=16384", func(b *testing.B) { benchStep(b, l, nn.ValuePlan(2), 16384, false) })
	b.Run("2x256/K=256/N=16384/gemms_only", func(b *testing.B) { benchGemms(b, 16384, 2*257, 256) })
	b.Run("2x256/K=256/N=16384/needIn", func(b *testing.B) { benchStep(b, l, nn.ValuePlan(2), 16384, true) })
	b.Run("2x256/K=256/N=4096/laplacian/needIn", func(b *testing.B) { benchStep(b, l, nn.LaplacianPlan(2), 4096, true) })
}

// BenchmarkFourierKAN is FKAN's first layer: 2→128, K = 270, 16,384 points.
func BenchmarkFourierKAN(b *testing.B) {
	l, err := NewFourierKAN(2, 128, 270, true, nn.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("2x128/K=270/N=16384", func(b *testing.B) { benchStep(b, l, nn.ValuePlan(2), 16384, false) })
	b.Run("2x128/K=270/N=16384/gemms_only", func(b *testing.B) { benchGemms(b, 16384, 2*540, 128) })
	b.Run("2x128/K=270/N=16384/needIn", func(b *testing.B) { benchStep(b, l, nn.ValuePlan(2), 16384, true) })
	b.Run("2x128/K=270/N=4096/laplacian/needIn", func(b *testing.B) { benchStep(b, l, nn.LaplacianPlan(2), 4096, true) })
}

// BenchmarkBSplineKAN is an efficient-kan hidden layer 64→64 (grid 5, order 3) on 16,384 points.
func BenchmarkBSplineKAN(b *testing.B) {
	l, err := NewBSplineKAN(64, 64, 5, 3, nn.NewRNG(1))
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("64x64/G=5,k=3/N=%d/needIn", 16384), func(b *testing.B) { benchStep(b, l, nn.ValuePlan(64), 16384, true) })
}

// BenchmarkBasisEval times the basis evaluation alone (values, then orders 0–2) for 16,384
// points × 2 inputs, the elementwise part of the layers above.
func BenchmarkBasisEval(b *testing.B) {
	for _, c := range []struct {
		name  string
		basis Basis
	}{
		{"chebyshev/K=256", mustBasis(NewChebyshev(256))},
		{"fourier/K=270", mustBasis(NewFourier(270))},
		{"bspline/G=5,k=3", mustBasis(NewBSpline(5, 3, -1, 1))},
	} {
		for _, order := range []int{0, 2} {
			b.Run(fmt.Sprintf("%s/order=%d", c.name, order), func(b *testing.B) {
				const n = 2 * 16384
				x := make([]float64, chunk)
				rng := nn.NewRNG(2)
				for i := range x {
					x[i] = 2*rng.Float64() - 1
				}
				dst := make([]kernel.Matrix, order+1)
				for r := range dst {
					dst[r] = kernel.NewMatrix(chunk, c.basis.Size())
				}
				for b.Loop() {
					for range n / chunk {
						c.basis.Eval(x, order, dst)
					}
				}
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*1e3, "ms/op")
			})
		}
	}
}
