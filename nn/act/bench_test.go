package act

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkActivations compares, per element, the scalar Eval loop with the SliceFunc path
// for the hot activations, at the orders a training step uses (0 inference, 1 plain training,
// 2 and 3 for second-order jets). Run: go test -bench Activations -run '^$' ./nn/act/
func BenchmarkActivations(b *testing.B) {
	const n = 16384
	r := rand.New(rand.NewPCG(7, 8))
	x := make([]float64, n)
	for i := range x {
		x[i] = 2*r.Float64() - 1
	}
	for _, name := range []string{"sine", "tanh", "gauss", "sigmoid", "silu", "swish", "relu", "finer", "spder", "fkan"} {
		f, err := New(name, nil)
		if err != nil {
			b.Fatal(err)
		}
		var th []float64
		for _, p := range f.Params() {
			th = append(th, p.Init)
		}
		for _, order := range []int{0, 1, 3} {
			var d [4][]float64
			for k := 0; k <= order; k++ {
				d[k] = make([]float64, n)
			}
			b.Run(fmt.Sprintf("%s/order%d/scalar", name, order), func(b *testing.B) {
				var e [4]float64
				for b.Loop() {
					for i, v := range x {
						f.Eval(v, th, order, &e)
						for k := 0; k <= order; k++ {
							d[k][i] = e[k]
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/elem")
			})
			sf := f.(SliceFunc)
			b.Run(fmt.Sprintf("%s/order%d/slice", name, order), func(b *testing.B) {
				for b.Loop() {
					sf.EvalSlice(x, th, order, d)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/elem")
			})
		}
	}
}

// BenchmarkEvalScalar times one Eval of every real activation at order 3 (the most expensive
// call a second-order jet makes). Run: go test -bench EvalScalar -run '^$' ./nn/act/
func BenchmarkEvalScalar(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	x := make([]float64, 1024)
	for i := range x {
		x[i] = 2*r.Float64() - 1
	}
	for _, name := range Names() {
		f, err := New(name, nil)
		if err != nil {
			continue
		}
		var th []float64
		for _, p := range f.Params() {
			th = append(th, p.Init)
		}
		b.Run(name, func(b *testing.B) {
			var d [4]float64
			for b.Loop() {
				for _, v := range x {
					f.Eval(v, th, 3, &d)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(x)), "ns/elem")
		})
	}
}

// BenchmarkGaborComplex times EvalPair at each order. Run: go test -bench GaborComplex -run '^$' ./nn/act/
func BenchmarkGaborComplex(b *testing.B) {
	f, err := NewPair("gabor_complex", nil)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 12))
	ab := make([][2]float64, 1024)
	for i := range ab {
		ab[i] = [2]float64{0.1 * (2*r.Float64() - 1), 0.1 * (2*r.Float64() - 1)}
	}
	for _, order := range []int{0, 1, 3} {
		b.Run(fmt.Sprintf("order%d", order), func(b *testing.B) {
			var d PairDerivs
			for b.Loop() {
				for _, z := range ab {
					f.EvalPair(z[0], z[1], order, &d)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ab)), "ns/elem")
		})
	}
}
