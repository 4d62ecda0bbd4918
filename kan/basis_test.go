package kan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

// evalAll evaluates basis b at the points x up to order and returns one matrix per order.
func evalAll(b Basis, x []float64, order int) []kernel.Matrix {
	dst := make([]kernel.Matrix, order+1)
	for r := range dst {
		dst[r] = kernel.NewMatrix(len(x), b.Size())
	}
	b.Eval(x, order, dst)
	return dst
}

// evalAt returns φ⁽ʳ⁾(x) for every function of the basis.
func evalAt(b Basis, x float64, r int) []float64 {
	return evalAll(b, []float64{x}, r)[r].Row(0)
}

// richardson returns the derivative of the vector function f at x by central differences with
// steps h and h/2 combined to cancel the h² term: truncation O(h⁴·f⁽⁵⁾), rounding O(ε·|f|/h).
func richardson(f func(float64) []float64, x, h float64) []float64 {
	d := func(h float64) []float64 {
		p, m := f(x+h), f(x-h)
		out := make([]float64, len(p))
		for k := range p {
			out[k] = (p[k] - m[k]) / (2 * h)
		}
		return out
	}
	dh, dh2 := d(h), d(h/2)
	for k := range dh {
		dh[k] = (4*dh2[k] - dh[k]) / 3
	}
	return dh
}

// fdCheck compares an analytic derivative with its finite-difference estimate at one point. The
// derivatives of a basis at one point span many orders of magnitude (T_k‴ grows like k⁶), so
// each is judged against the largest: |fd−an| ≤ rel·max|an| + 100·ε·max|f|/h, the second term
// being the rounding error of differencing f (which dominates where f′ ≪ f/h, e.g. tanh′ at
// x = 6). It returns the error relative to max|an|, and whether that figure means anything
// (false where the rounding allowance dominates the tolerance, e.g. silu″ ≈ 1e-12 at x = 30).
func fdCheck(f, fd, an []float64, h, rel float64) (relErr float64, ok, meaningful bool) {
	var e, s, fm float64
	for k := range an {
		e = math.Max(e, math.Abs(fd[k]-an[k]))
		s = math.Max(s, math.Abs(an[k]))
		fm = math.Max(fm, math.Abs(f[k]))
	}
	round := 100 * eps * fm / h
	ok = e <= rel*s+round
	if s == 0 {
		return e, ok, false
	}
	return e / s, ok, round < rel*s
}

const eps = 0x1p-52

// basisCase is a basis with the points to probe and the FD step at a point. The step is 0.001
// over the basis' highest local frequency ω (at least 1: tanh and the sigmoid have poles at
// distance π/2 and π from the real axis, so their derivatives grow factorially): the Richardson
// truncation ~(h·ω)⁴·f⁽⁵⁾/480 then stays near 1e-12 and the rounding ε/(h·ω) near 1e-13. For
// T_k(tanh x) = cos(k·acos(tanh x)), ω = K·sech x.
type basisCase struct {
	name   string
	basis  Basis
	points []float64
	step   func(x float64) float64
}

func fixedStep(h float64) func(float64) float64 { return func(float64) float64 { return h } }

func chebStep(k int) func(float64) float64 {
	return func(x float64) float64 { return 1e-3 / math.Max(1, float64(k)/math.Cosh(x)) }
}

func mustBasis[B Basis](b B, err error) B {
	if err != nil {
		panic(err)
	}
	return b
}

func basisCases(rng *rand.Rand) []basisCase {
	uniform := func(n int, lo, hi float64) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = lo + (hi-lo)*rng.Float64()
		}
		return x
	}
	// Chebyshev: around ±1 (t = ±tanh 1 = ±0.76, where SL²A's inputs end), inside, and beyond
	// up to |x| = 3 (t = ±0.995). Further out, differencing f loses to the conditioning of
	// T_k(tanh x) (rounding of t amplified by T′ ~ k²) and the recurrences are checked against
	// exact arithmetic instead (TestChebyshevRecurrenceExact).
	cheb := append(uniform(12, -1.2, 1.2), -1, 1, 0, 0.99, -1.01, 2.5, -3)
	// B-splines: points of the grid, the extension and outside it, kept 1e-3 away from knots so
	// that no stencil straddles one (the third derivative jumps there).
	spline := func(b *BSpline) []float64 {
		var x []float64
		for len(x) < 24 {
			v := -2.6 + 5.2*rng.Float64()
			u := (v - b.Knot(0)) / b.h
			if math.Abs(u-math.Round(u))*b.h > 1e-3 {
				x = append(x, v)
			}
		}
		return x
	}
	b53 := mustBasis(NewBSpline(5, 3, -1, 1))
	b72 := mustBasis(NewBSpline(7, 2, -1, 1))
	b41 := mustBasis(NewBSpline(4, 1, -0.5, 1.5))
	b105 := mustBasis(NewBSpline(10, 5, -1, 1))
	return []basisCase{
		{"chebyshev/K=0", mustBasis(NewChebyshev(0)), cheb, chebStep(0)},
		{"chebyshev/K=1", mustBasis(NewChebyshev(1)), cheb, chebStep(1)},
		{"chebyshev/K=7", mustBasis(NewChebyshev(7)), cheb, chebStep(7)},
		{"chebyshev/K=256", mustBasis(NewChebyshev(256)), cheb, chebStep(256)},
		{"chebyshev/K=512", mustBasis(NewChebyshev(512)), cheb, chebStep(512)},
		{"fourier/K=1", mustBasis(NewFourier(1)), uniform(16, -3, 3), fixedStep(1e-3)},
		{"fourier/K=270", mustBasis(NewFourier(270)), append(uniform(16, -1, 1), -1, 1, 3.7), fixedStep(1e-3 / 270)},
		{"bspline/G=5,k=3", b53, spline(b53), fixedStep(1e-4)},
		{"bspline/G=7,k=2", b72, spline(b72), fixedStep(1e-4)},
		{"bspline/G=4,k=1", b41, spline(b41), fixedStep(1e-4)},
		{"bspline/G=10,k=5", b105, spline(b105), fixedStep(1e-4)},
		{"silu", SiLU{}, append(uniform(12, -6, 6), 0, 30, -30), fixedStep(1e-3)},
	}
}

// TestBasisDerivatives checks φ⁽ʳ⁺¹⁾ against Richardson-extrapolated central differences of the
// already-checked φ⁽ʳ⁾, for r = 0, 1, 2. Tolerance 1e-9 of the largest |φ⁽ʳ⁺¹⁾| at the point
// (plus the FD's own rounding, see fdCheck): the truncation budget is ~2e-11 (see basisCase),
// so the margin is ~50×.
func TestBasisDerivatives(t *testing.T) {
	const tol = 1e-9
	for _, c := range basisCases(rand.New(rand.NewPCG(7, 1))) {
		t.Run(c.name, func(t *testing.T) {
			worst := [3]float64{}
			for _, x := range c.points {
				for r := 0; r < MaxOrder; r++ {
					h := c.step(x)
					fd := richardson(func(v float64) []float64 { return evalAt(c.basis, v, r) }, x, h)
					got := evalAt(c.basis, x, r+1)
					e, ok, meaningful := fdCheck(evalAt(c.basis, x, r), fd, got, h, tol)
					if meaningful {
						worst[r] = math.Max(worst[r], e)
					}
					require.Truef(t, ok, "%s: order %d at x=%v: FD vs analytic, error %.3g of the largest", c.name, r+1, x, e)
				}
			}
			t.Logf("worst FD error (relative to the largest derivative; points where the FD's own rounding dominates left out) for orders 1,2,3: %.2g %.2g %.2g", worst[0], worst[1], worst[2])
		})
	}
}

// TestBasisOrderIndependent checks the contract that the values written for order r do not depend
// on the order asked for (the layer re-evaluates at a higher order in Backward), bit for bit.
func TestBasisOrderIndependent(t *testing.T) {
	for _, c := range basisCases(rand.New(rand.NewPCG(8, 1))) {
		t.Run(c.name, func(t *testing.T) {
			ref := evalAll(c.basis, c.points, MaxOrder)
			for order := 0; order < MaxOrder; order++ {
				got := evalAll(c.basis, c.points, order)
				for r := 0; r <= order; r++ {
					require.Equal(t, ref[r].Data, got[r].Data, "order %d asked, derivative %d", order, r)
				}
			}
		})
	}
}

// TestBasisStrided checks that Eval writes through strided views and touches nothing else.
func TestBasisStrided(t *testing.T) {
	for _, c := range basisCases(rand.New(rand.NewPCG(9, 1))) {
		t.Run(c.name, func(t *testing.T) {
			ref := evalAll(c.basis, c.points, MaxOrder)
			n, b := len(c.points), c.basis.Size()
			dst := make([]kernel.Matrix, MaxOrder+1)
			big := make([]kernel.Matrix, MaxOrder+1)
			for r := range dst {
				big[r] = kernel.NewMatrix(n+2, b+5)
				fill(big[r].Data, -7)
				dst[r] = big[r].View(1, 3, n, b)
			}
			c.basis.Eval(c.points, MaxOrder, dst)
			for r := range dst {
				for i := 0; i < n+2; i++ {
					for k := 0; k < b+5; k++ {
						inside := i >= 1 && i <= n && k >= 3 && k < 3+b
						if inside {
							require.Equal(t, ref[r].At(i-1, k-3), big[r].At(i, k))
						} else {
							require.Equal(t, -7.0, big[r].At(i, k), "Eval wrote outside its view")
						}
					}
				}
			}
		})
	}
}

func TestBasisConstructorsRejectBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
	}{
		{"chebyshev degree -1", func() error { _, err := NewChebyshev(-1); return err }()},
		{"fourier K 0", func() error { _, err := NewFourier(0); return err }()},
		{"bspline grid 0", func() error { _, err := NewBSpline(0, 3, -1, 1); return err }()},
		{"bspline order -1", func() error { _, err := NewBSpline(5, -1, -1, 1); return err }()},
		{"bspline order 16", func() error { _, err := NewBSpline(5, 16, -1, 1); return err }()},
		{"bspline empty range", func() error { _, err := NewBSpline(5, 3, 1, 1); return err }()},
		{"bspline infinite range", func() error { _, err := NewBSpline(5, 3, math.Inf(-1), 1); return err }()},
		{"bspline NaN range", func() error { _, err := NewBSpline(5, 3, math.NaN(), 1); return err }()},
	} {
		require.Error(t, tc.err, tc.name)
	}
}
