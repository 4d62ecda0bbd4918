package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gemmTol is the relative tolerance of every GEMM comparison, applied to the sum of absolute
// products |alpha|·Σ|a||b| + |beta|·|c| of each element. Any summation order of K products has
// a rounding error of at most about K·2⁻⁵³ times that sum (4.5e-13 at K = 4096, the longest
// summation tested), so 1e-12 holds for every correct kernel, while a wrong index, a lost term or
// a missing beta·C shows up as an error of order 1.
const gemmTol = 1e-12

// implsUnderTest returns every implementation this CPU can run.
func implsUnderTest(t *testing.T) []*Impl {
	t.Helper()
	var out []*Impl
	for _, name := range Available() {
		impl, err := Lookup(name)
		require.NoError(t, err)
		out = append(out, impl)
	}
	require.NotEmpty(t, out)
	return out
}

func randMatrix(r *rand.Rand, rows, cols int) Matrix {
	m := NewMatrix(rows, cols)
	for i := range m.Data {
		m.Data[i] = r.Float64()*2 - 1
	}
	return m
}

// opAt returns element (i, j) of op(m).
func opAt(m Matrix, t Transpose, i, j int) float64 {
	if t {
		return m.At(j, i)
	}
	return m.At(i, j)
}

// naiveGemm is the reference: a triple loop in the textbook order. It returns the result and,
// per element, the scale Σ|terms| the tolerance is relative to.
func naiveGemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix) (want, scale Matrix) {
	k := a.Cols
	if tA {
		k = a.Rows
	}
	want, scale = NewMatrix(c.Rows, c.Cols), NewMatrix(c.Rows, c.Cols)
	for i := 0; i < c.Rows; i++ {
		for j := 0; j < c.Cols; j++ {
			var s, abs float64
			for p := 0; p < k; p++ {
				x, y := opAt(a, tA, i, p), opAt(b, tB, p, j)
				s += x * y
				abs += math.Abs(x * y)
			}
			v := alpha * s
			sc := math.Abs(alpha) * abs
			if beta != 0 {
				v += beta * c.At(i, j)
				sc += math.Abs(beta * c.At(i, j))
			}
			want.Set(i, j, v)
			scale.Set(i, j, sc)
		}
	}
	return want, scale
}

// operands returns op(A) m×k, op(B) k×n and C m×n as views into larger matrices filled with
// random values (pad > 0 gives strides larger than the width and offsets into the storage).
func operands(r *rand.Rand, tA, tB Transpose, m, k, n, pad int) (a, b, c, cParent Matrix) {
	view := func(rows, cols int) (Matrix, Matrix) {
		p := randMatrix(r, rows+2*pad, cols+2*pad+r.IntN(pad+1))
		return p.View(pad, pad, rows, cols), p
	}
	if tA {
		a, _ = view(k, m)
	} else {
		a, _ = view(m, k)
	}
	if tB {
		b, _ = view(n, k)
	} else {
		b, _ = view(k, n)
	}
	c, cParent = view(m, n)
	return a, b, c, cParent
}

func checkGemm(t *testing.T, impl *Impl, tA, tB Transpose, alpha, beta float64, m, k, n, pad int, seed uint64) {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, uint64(m*10000+k*100+n)))
	a, b, c, parent := operands(r, tA, tB, m, k, n, pad)
	if beta == 0 {
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				c.Set(i, j, math.NaN()) // beta = 0 must ignore what C holds
			}
		}
	}
	want, scale := naiveGemm(tA, tB, alpha, a, b, beta, c)
	before := parent.Clone()
	impl.Gemm(tA, tB, alpha, a, b, beta, c)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			got, w := c.At(i, j), want.At(i, j)
			if math.Abs(got-w) > gemmTol*scale.At(i, j) || math.IsNaN(got) {
				require.Failf(t, "gemm mismatch", "%s %s%s %d×%d×%d α=%g β=%g pad=%d: C[%d,%d] = %v, want %v (scale %g)",
					impl.Name(), tA, tB, m, k, n, alpha, beta, pad, i, j, got, w, scale.At(i, j))
			}
		}
	}
	// Nothing outside the view of C may change.
	base := int(uintptr(unsafe.Pointer(&c.Data[0]))-uintptr(unsafe.Pointer(&parent.Data[0]))) / 8
	for idx := range parent.Data {
		rel := idx - base
		inside := rel >= 0 && rel/parent.Stride < m && rel%parent.Stride < n
		if !inside && math.Float64bits(parent.Data[idx]) != math.Float64bits(before.Data[idx]) {
			require.Failf(t, "gemm wrote outside C", "%s %s%s %d×%d×%d: storage index %d changed", impl.Name(), tA, tB, m, k, n, idx)
		}
	}
}

var forms = []struct{ tA, tB Transpose }{{NoTrans, NoTrans}, {Trans, NoTrans}, {NoTrans, Trans}, {Trans, Trans}}

// TestGemmSizes sweeps every dimension through 1…67 (each against fixed odd partners, plus a
// diagonal), in every transpose form, against the naive loop.
func TestGemmSizes(t *testing.T) {
	type shape struct{ m, k, n int }
	var shapes []shape
	step := 1
	if testing.Short() {
		step = 5
	}
	for s := 1; s <= 67; s += step {
		shapes = append(shapes, shape{s, s, s}, shape{s, 7, 13}, shape{29, s, 5}, shape{3, 11, s}, shape{s, 2, s + 3})
	}
	// Random triples from 1…67 (a sample of the full cube of 300,763).
	r := rand.New(rand.NewPCG(11, 12))
	samples := 300
	if testing.Short() {
		samples = 60
	}
	for range samples {
		shapes = append(shapes, shape{1 + r.IntN(67), 1 + r.IntN(67), 1 + r.IntN(67)})
	}
	// Shapes that cross the blocking: several K blocks, row bands beyond one packed block,
	// a long summation, phases of packed B, and the thin layers of coordinate networks.
	shapes = append(shapes, shape{300, 520, 70}, shape{161, 257, 33}, shape{13, 1100, 29}, shape{5, 600, 2048},
		shape{2100, 256, 20}, shape{40, 3, 260}, shape{700, 64, 3}, shape{64, 700, 2}, shape{2, 700, 64}, shape{1, 300, 1})
	if !testing.Short() {
		// An output over 64 MiB: the outer-product path then writes with non-temporal stores.
		shapes = append(shapes, shape{32768 + 5, 3, 256})
	}
	for _, impl := range implsUnderTest(t) {
		for _, f := range forms {
			t.Run(fmt.Sprintf("%s/%s%s", impl.Name(), f.tA, f.tB), func(t *testing.T) {
				for _, s := range shapes {
					checkGemm(t, impl, f.tA, f.tB, 1, 0, s.m, s.k, s.n, 0, 1)
				}
			})
		}
	}
}

// TestGemmViewsAlphaBeta runs sub-matrix views (stride > width, offset storage) with general
// alpha and beta, checking that nothing outside C is written.
func TestGemmViewsAlphaBeta(t *testing.T) {
	// Includes each thin path: K ≤ 4, N ≤ 3, and (for Aᵀ·B) M ≤ 3 with 16-wide bands plus a tail.
	shapes := [][3]int{{1, 1, 1}, {5, 3, 7}, {13, 17, 19}, {25, 9, 33}, {37, 64, 18}, {130, 70, 45},
		{50, 40, 2}, {3, 60, 40}, {70, 2, 3}, {2, 90, 3}}
	scalars := [][2]float64{{1, 0}, {2.5, 0}, {1, 1}, {-0.75, 0.5}, {1, -2}, {0.5, -0.0}}
	for _, impl := range implsUnderTest(t) {
		for _, f := range forms {
			for _, s := range shapes {
				for _, ab := range scalars {
					checkGemm(t, impl, f.tA, f.tB, ab[0], ab[1], s[0], s[1], s[2], 3, 2)
				}
			}
		}
	}
}

// TestGemmAlphaZero: with alpha = 0, A and B are not read (NaN there does not reach C) and
// C becomes beta·C exactly.
func TestGemmAlphaZero(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, impl := range implsUnderTest(t) {
		a, b := NewMatrix(9, 7), NewMatrix(7, 11)
		for i := range a.Data {
			a.Data[i] = math.NaN()
		}
		for i := range b.Data {
			b.Data[i] = math.Inf(1)
		}
		for _, beta := range []float64{0, 1, -3} {
			c := randMatrix(r, 9, 11)
			orig := c.Clone()
			if beta == 0 {
				c.Data[5] = math.NaN()
			}
			impl.Gemm(NoTrans, NoTrans, 0, a, b, beta, c)
			for i, v := range c.Data {
				assert.Equal(t, beta*orig.Data[i], v, "%s beta=%g element %d", impl.Name(), beta, i)
			}
		}
	}
}

// TestGemmNaNInf: a NaN in A poisons its row of C, an Inf in B its column (all other products
// finite and positive), and 0·Inf gives NaN, as IEEE arithmetic requires.
func TestGemmNaNInf(t *testing.T) {
	const m, k, n = 37, 29, 41
	for _, impl := range implsUnderTest(t) {
		for _, f := range forms {
			r := rand.New(rand.NewPCG(5, 6))
			a, b, c, _ := operands(r, f.tA, f.tB, m, k, n, 0)
			for i := range a.Data {
				a.Data[i] = 0.5 + r.Float64()
			}
			for i := range b.Data {
				b.Data[i] = 0.5 + r.Float64()
			}
			setOp := func(x Matrix, tr Transpose, i, j int, v float64) {
				if tr {
					x.Set(j, i, v)
				} else {
					x.Set(i, j, v)
				}
			}
			setOp(a, f.tA, 3, 7, math.NaN())
			setOp(b, f.tB, 11, 20, math.Inf(1))
			setOp(a, f.tA, 30, 11, 0) // 0·Inf at C[30, 20]
			impl.Gemm(f.tA, f.tB, 1, a, b, 0, c)
			for i := 0; i < m; i++ {
				for j := 0; j < n; j++ {
					v := c.At(i, j)
					switch {
					case i == 3 || (i == 30 && j == 20):
						require.True(t, math.IsNaN(v), "%s %s%s C[%d,%d] = %v, want NaN", impl.Name(), f.tA, f.tB, i, j, v)
					case j == 20:
						require.True(t, math.IsInf(v, 1), "%s %s%s C[%d,%d] = %v, want +Inf", impl.Name(), f.tA, f.tB, i, j, v)
					default:
						require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s %s%s C[%d,%d] = %v", impl.Name(), f.tA, f.tB, i, j, v)
					}
				}
			}
		}
	}
}

// TestGemmAliasing: C sharing storage with A or B is a programming error and panics; A and B
// may be the same matrix (AᵀA).
func TestGemmAliasing(t *testing.T) {
	for _, impl := range implsUnderTest(t) {
		big := randMatrix(rand.New(rand.NewPCG(7, 8)), 40, 40)
		a := big.View(0, 0, 20, 20)
		assert.Panics(t, func() { impl.Gemm(NoTrans, NoTrans, 1, a, big.View(20, 20, 20, 20), 0, big.View(10, 10, 20, 20)) })
		assert.Panics(t, func() { impl.Gemm(NoTrans, NoTrans, 1, big.View(20, 0, 20, 20), a, 0, big.View(15, 5, 20, 20)) })
		// Disjoint views of one storage are fine, and A == B is allowed.
		c := NewMatrix(20, 20)
		want, scale := naiveGemm(Trans, NoTrans, 1, a, a, 0, c)
		impl.Gemm(Trans, NoTrans, 1, a, a, 0, c)
		for i := range c.Data {
			require.InDelta(t, want.Data[i], c.Data[i], gemmTol*scale.Data[i], "%s AᵀA element %d", impl.Name(), i)
		}
		impl.Gemm(NoTrans, NoTrans, 1, big.View(0, 0, 20, 20), big.View(0, 20, 20, 20), 0, NewMatrix(20, 20))
	}
}

// TestGemmThreadsBitIdentical: 1, 2 and 3 workers give the same bits, in every form and in the
// thin-shape paths, because work is split over output tiles and never over a summation.
func TestGemmThreadsBitIdentical(t *testing.T) {
	shapes := [][3]int{{700, 300, 260}, {300, 2000, 70}, {2000, 256, 3}, {3000, 2, 256}, {256, 3000, 3}, {2, 3000, 256}, {261, 3001, 2}}
	if testing.Short() {
		shapes = shapes[:4]
	}
	for _, impl := range implsUnderTest(t) {
		for _, f := range forms {
			for _, s := range shapes {
				r := rand.New(rand.NewPCG(9, 10))
				a, b, c, _ := operands(r, f.tA, f.tB, s[0], s[1], s[2], 0)
				var ref []float64
				for _, th := range []int{1, 2, 3} {
					out := c.Clone()
					impl.WithThreads(th).Gemm(f.tA, f.tB, 1.5, a, b, 0.5, out)
					if ref == nil {
						ref = out.Data
						continue
					}
					for i := range ref {
						if math.Float64bits(ref[i]) != math.Float64bits(out.Data[i]) {
							require.Failf(t, "thread count changed the result", "%s %s%s %v threads=%d element %d: %v vs %v",
								impl.Name(), f.tA, f.tB, s, th, i, out.Data[i], ref[i])
						}
					}
				}
			}
		}
	}
}
