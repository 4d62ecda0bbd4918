package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// Lengths that exercise every tail of the vector loops (0…17), one parallel chunk boundary
// (elemGrain) and several reduction blocks (reduceBlock).
var elemLens = []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000, elemGrain + 3, 3*reduceBlock + 5}

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = r.Float64()*2 - 1
	}
	return s
}

// The elementwise results are compared to plain loops at 1e-15 relative: each output is one or
// two roundings (an FMA rounds once where the loop rounds twice), so they differ by at most an
// ulp or two. Adam involves a division and a square root: 1e-14.
func TestElementwise(t *testing.T) {
	for _, impl := range implsUnderTest(t) {
		for _, n := range elemLens {
			t.Run(fmt.Sprintf("%s/n=%d", impl.Name(), n), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(n), 1))
				x, y, z := randSlice(r, n), randSlice(r, n), randSlice(r, n)
				near := func(want, got []float64, tol float64, what string) {
					for i := range want {
						require.InDelta(t, want[i], got[i], tol*math.Max(1, math.Abs(want[i])), "%s[%d]", what, i)
					}
				}
				want := make([]float64, n)

				got := append([]float64(nil), y...)
				impl.Axpy(-1.5, x, got)
				for i := range want {
					want[i] = y[i] + -1.5*x[i]
				}
				near(want, got, 1e-15, "axpy")

				got = append([]float64(nil), x...)
				impl.Scale(3.25, got)
				for i := range want {
					want[i] = 3.25 * x[i]
				}
				near(want, got, 0, "scale")

				got = make([]float64, n)
				impl.Mul(got, x, y)
				for i := range want {
					want[i] = x[i] * y[i]
				}
				near(want, got, 0, "mul")
				got = append([]float64(nil), x...)
				impl.Mul(got, got, y) // in place
				near(want, got, 0, "mul in place")

				got = append([]float64(nil), z...)
				impl.MulAdd(got, x, y)
				for i := range want {
					want[i] = z[i] + x[i]*y[i]
				}
				near(want, got, 1e-15, "muladd")
			})
		}
	}
}

func TestAdam(t *testing.T) {
	step := AdamStep{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.01, Step: 7}
	for _, impl := range implsUnderTest(t) {
		for _, n := range elemLens {
			r := rand.New(rand.NewPCG(uint64(n), 2))
			p, g, m, v := randSlice(r, n), randSlice(r, n), randSlice(r, n), randSlice(r, n)
			for i := range v {
				v[i] = math.Abs(v[i])
			}
			wp, wm, wv := append([]float64(nil), p...), append([]float64(nil), m...), append([]float64(nil), v...)
			bc1, bc2 := 1-math.Pow(0.9, 7), 1-math.Pow(0.999, 7)
			for i := range wp {
				wm[i] = 0.9*wm[i] + 0.1*g[i]
				wv[i] = 0.999*wv[i] + 0.001*g[i]*g[i]
				wp[i] = wp[i] - 1e-3*(wm[i]/bc1)/(math.Sqrt(wv[i]/bc2)+1e-8) - 1e-3*0.01*wp[i]
			}
			impl.Adam(p, g, m, v, step)
			for i := range p {
				require.InDelta(t, wm[i], m[i], 1e-15, "%s n=%d m[%d]", impl.Name(), n, i)
				require.InDelta(t, wv[i], v[i], 1e-15, "%s n=%d v[%d]", impl.Name(), n, i)
				require.InDelta(t, wp[i], p[i], 1e-14, "%s n=%d p[%d]", impl.Name(), n, i)
			}
		}
	}
}

// TestReductions compares the sums to a compensated (Neumaier) sum at 1e-13 relative to Σ|terms|
// (any summation order of n ≤ 12,293 terms is within n·2⁻⁵³ ≈ 1.4e-12 of it in the worst case
// and far closer for random data), and checks that 1, 2 and 3 threads give the same bits.
func TestReductions(t *testing.T) {
	kahan := func(terms func(i int) float64, n int) (sum, abs float64) {
		var c float64
		for i := 0; i < n; i++ {
			v := terms(i)
			tt := sum + v
			if math.Abs(sum) >= math.Abs(v) {
				c += (sum - tt) + v
			} else {
				c += (v - tt) + sum
			}
			sum = tt
			abs += math.Abs(v)
		}
		return sum + c, abs
	}
	for _, impl := range implsUnderTest(t) {
		for _, n := range elemLens {
			r := rand.New(rand.NewPCG(uint64(n), 3))
			x, y := randSlice(r, n), randSlice(r, n)
			type red struct {
				name string
				run  func(k *Impl) float64
				term func(i int) float64
			}
			grad := make([]float64, n)
			cases := []red{
				{"sum", func(k *Impl) float64 { return k.Sum(x) }, func(i int) float64 { return x[i] }},
				{"dot", func(k *Impl) float64 { return k.Dot(x, y) }, func(i int) float64 { return x[i] * y[i] }},
				{"sumsq", func(k *Impl) float64 { return k.SumSq(x) }, func(i int) float64 { return x[i] * x[i] }},
				{"sqerr", func(k *Impl) float64 { return k.SquaredError(grad, x, y, 0.5) },
					func(i int) float64 { return (x[i] - y[i]) * (x[i] - y[i]) }},
				{"sqerr-nograd", func(k *Impl) float64 { return k.SquaredError(nil, x, y, 0.5) },
					func(i int) float64 { return (x[i] - y[i]) * (x[i] - y[i]) }},
			}
			for _, c := range cases {
				want, abs := kahan(c.term, n)
				got := c.run(impl.WithThreads(1))
				require.InDelta(t, want, got, 1e-13*abs+1e-300, "%s %s n=%d", impl.Name(), c.name, n)
				for _, th := range []int{2, 3} {
					require.Equal(t, math.Float64bits(got), math.Float64bits(c.run(impl.WithThreads(th))),
						"%s %s n=%d threads=%d", impl.Name(), c.name, n, th)
				}
			}
			for i := range grad {
				require.Equal(t, 0.5*(x[i]-y[i]), grad[i], "%s squared error gradient [%d]", impl.Name(), i)
			}
		}
	}
}

func TestAddBiasColSums(t *testing.T) {
	for _, impl := range implsUnderTest(t) {
		for _, sh := range [][2]int{{1, 1}, {3, 5}, {17, 9}, {100, 130}, {2000, 67}} {
			r := rand.New(rand.NewPCG(uint64(sh[0]), uint64(sh[1])))
			parent := randMatrix(r, sh[0]+2, sh[1]+3)
			m := parent.View(1, 2, sh[0], sh[1])
			orig := m.Clone()
			b := randSlice(r, sh[1])
			impl.WithThreads(2).AddBias(m, b)
			for i := 0; i < m.Rows; i++ {
				for j := 0; j < m.Cols; j++ {
					require.Equal(t, orig.At(i, j)+b[j], m.At(i, j), "%s add bias (%d,%d)", impl.Name(), i, j)
				}
			}
			for _, beta := range []float64{0, 1, -0.5} {
				dst := randSlice(r, sh[1])
				if beta == 0 {
					dst[0] = math.NaN()
				}
				var ref []float64
				for _, th := range []int{1, 2} {
					got := append([]float64(nil), dst...)
					impl.WithThreads(th).ColSums(got, m, beta)
					for j := range got {
						want := 0.0
						if beta != 0 {
							want = beta * dst[j]
						}
						var abs float64
						for i := 0; i < m.Rows; i++ {
							want += m.At(i, j)
							abs += math.Abs(m.At(i, j))
						}
						require.InDelta(t, want, got[j], 1e-13*(abs+math.Abs(want)), "%s col sums beta=%g [%d]", impl.Name(), beta, j)
					}
					if ref == nil {
						ref = got
					} else {
						require.Equal(t, ref, got, "%s col sums: thread count changed the result", impl.Name())
					}
				}
			}
		}
	}
}

// TestMulColSums: the fused product and column sums give the same bits as Mul followed by
// ColSums, in place and into a separate matrix, on views, for one and two workers.
func TestMulColSums(t *testing.T) {
	for _, impl := range implsUnderTest(t) {
		for _, sh := range [][2]int{{1, 1}, {3, 5}, {17, 9}, {100, 130}, {2000, 67}, {300, 256}} {
			r := rand.New(rand.NewPCG(uint64(sh[0]), uint64(sh[1])+7))
			a := randMatrix(r, sh[0]+1, sh[1]+2).View(1, 1, sh[0], sh[1])
			b := randMatrix(r, sh[0], sh[1])
			for _, beta := range []float64{0, 1, -0.5} {
				init := randSlice(r, sh[1])
				want := NewMatrix(sh[0], sh[1])
				wantSums := append([]float64(nil), init...)
				impl.WithThreads(1).Mul(want.Data, contiguous(a).Data, b.Data)
				impl.WithThreads(1).ColSums(wantSums, want, beta)
				for _, th := range []int{1, 2} {
					for _, inPlace := range []bool{false, true} {
						dst := NewMatrix(sh[0], sh[1])
						aa := a
						if inPlace {
							aa = a.Clone()
							dst = aa
						}
						sums := append([]float64(nil), init...)
						if beta == 0 {
							sums[0] = math.NaN() // ignored
						}
						impl.WithThreads(th).MulColSums(dst, aa, b, sums, beta)
						for i := 0; i < sh[0]; i++ {
							for j := 0; j < sh[1]; j++ {
								require.Equal(t, math.Float64bits(want.At(i, j)), math.Float64bits(dst.At(i, j)),
									"%s %v threads=%d in place=%v (%d,%d)", impl.Name(), sh, th, inPlace, i, j)
							}
						}
						for j := range sums {
							require.Equal(t, math.Float64bits(wantSums[j]), math.Float64bits(sums[j]),
								"%s %v threads=%d beta=%g sums[%d]", impl.Name(), sh, th, beta, j)
						}
					}
				}
			}
		}
	}
}

// contiguous returns m, or a contiguous copy of it.
func contiguous(m Matrix) Matrix {
	if m.Contiguous() {
		return m
	}
	return m.Clone()
}
