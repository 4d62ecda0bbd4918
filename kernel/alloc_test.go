package kernel

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCallsAllocateNothing: after warm-up calls, every exported operation allocates nothing,
// single-threaded and with two workers, at sizes that take the parallel paths and at sizes that
// do not (a training step calls them thousands of times; nn and kan assert zero allocations per
// step on top of this). The generic GEMM is left out at the large shapes only for time.
func TestCallsAllocateNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts need the full-size calls")
	}
	for _, impl := range implsUnderTest(t) {
		for _, th := range []int{1, 2} {
			for _, size := range []struct{ rows, cols int }{{3, 5}, {1 << 10, 64}} {
				k := impl.WithThreads(th)
				r := rand.New(rand.NewPCG(uint64(size.rows), 9))
				m, n := size.rows, size.cols
				x, y, z := randMatrix(r, m, n), randMatrix(r, m, n), randMatrix(r, m, n)
				w, w2 := randMatrix(r, n, n), randMatrix(r, 2, n)
				x2, x3 := randMatrix(r, m, 2), randMatrix(r, m, 3)
				out3, w3 := NewMatrix(n, 3), randMatrix(r, n, 3)
				b := randSlice(r, n)
				xs, ys, zs, vs := x.Data, y.Data, z.Data, make([]float64, m*n)
				for i := range vs {
					vs[i] = 1 + r.Float64()
				}
				step := AdamStep{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Step: 3}
				// A forward-Laplacian jet of m·n/4 elements per block in the storage of x, y, z.
				lap := NewJetLayout(2, [][]JetTerm{{{1, 1, 1}, {2, 2, 1}}})
				nj := m * n / 4
				tq := make([]float64, nj)
				ops := []struct {
					name string
					call func()
				}{
					{"gemm NN", func() { k.Gemm(NoTrans, NoTrans, 1, x, w, 0, z) }},
					{"gemm TN", func() { k.Gemm(Trans, NoTrans, 1, x, y, 0, w) }},
					{"gemm NT", func() { k.Gemm(NoTrans, Trans, 1, x, w, 0, z) }},
					{"gemm thin K", func() { k.Gemm(NoTrans, NoTrans, 1, x2, w2, 0, z) }},
					{"gemm thin N", func() { k.Gemm(NoTrans, NoTrans, 1, x, w3, 0, x3) }},
					{"gemm thin NT", func() { k.Gemm(NoTrans, Trans, 1, x3, w3, 0, z) }},
					{"gemm thin TN", func() { k.Gemm(Trans, NoTrans, 1, x, x3, 0, out3) }},
					{"linear sin", func() { k.LinearSin(z, Matrix{}, x2, w2, b, 30) }},
					{"linear cos", func() { k.LinearSin(Matrix{}, z, x2, w2, b, 30) }},
					{"linear sin wide", func() { k.LinearSin(z, y, x, w, b, 30) }},
					{"linear sin wide s only", func() { k.LinearSin(z, Matrix{}, x, w, b, 30) }},
					{"sin", func() { k.Sin(zs, xs) }},
					{"cos", func() { k.Cos(zs, xs) }},
					{"exp", func() { k.Exp(zs, xs) }},
					{"log", func() { k.Log(zs, vs) }},
					{"tanh", func() { k.Tanh(zs, xs) }},
					{"sigmoid", func() { k.Sigmoid(zs, xs) }},
					{"sincos", func() { k.SinCos(zs, ys, xs) }},
					{"affine sincos", func() { k.AffineSinCos(z, y, x, b, 30) }},
					{"add bias", func() { k.AddBias(z, b) }},
					{"axpy", func() { k.Axpy(0.5, xs, zs) }},
					{"scale", func() { k.Scale(0.5, zs) }},
					{"mul", func() { k.Mul(zs, xs, ys) }},
					{"muladd", func() { k.MulAdd(zs, xs, ys) }},
					{"adam", func() { k.Adam(zs, xs, ys, vs, step) }},
					{"squared error", func() { k.SquaredError(zs, xs, ys, 0.5) }},
					{"squared error sum", func() { k.SquaredError(nil, xs, ys, 0.5) }},
					{"sum", func() { k.Sum(xs) }},
					{"dot", func() { k.Dot(xs, ys) }},
					{"sumsq", func() { k.SumSq(xs) }},
					{"colsums", func() { k.ColSums(b, x, 0) }},
					{"colsums beta", func() { k.ColSums(b, x, 0.5) }},
					{"mul colsums", func() { k.MulColSums(z, x, y, b, 0) }},
					{"tanh jet", func() { k.TanhJet(ys, tq, xs, nj, lap) }},
					{"tanh jet backward", func() { k.TanhJetBackward(zs, xs, ys[:nj], tq, nj, lap) }},
				}
				for _, op := range ops {
					if impl.Name() == "generic" && m > 64 && strings.HasPrefix(op.name, "gemm") && op.name != "gemm thin K" {
						continue
					}
					t.Run(fmt.Sprintf("%s/threads=%d/%dx%d/%s", impl.Name(), th, m, n, op.name), func(t *testing.T) {
						// Warm-up: the pools fill (a second task set appears when a helper still
						// holds the first as the next call starts).
						for range 3 {
							op.call()
						}
						require.Zero(t, testing.AllocsPerRun(5, op.call))
					})
				}
			}
		}
	}
}
