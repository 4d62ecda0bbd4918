package reference

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"
)

// LaplaceDisk is the harmonic function on the unit disk with boundary values g(θ): the Poisson
// integral, evaluated as the series u(r, θ) = a₀/2 + Σ_k r^k (a_k cos kθ + b_k sin kθ) of g's
// Fourier coefficients. The coefficients come from an FFT of g at M equally spaced angles, which
// is exact for trigonometric polynomials of degree below M/2 and converges geometrically for
// analytic g; coefficients below 1e-17 of the largest are dropped.
type LaplaceDisk struct {
	a, b []float64
}

// NewLaplaceDisk returns the harmonic extension of g sampled at m angles (m even, ≥ 4); nil g
// means the benchmark g(θ) = cos 2θ, whose extension is u = r² cos 2θ = x² − y².
func NewLaplaceDisk(g func(theta float64) float64, m int) (*LaplaceDisk, error) {
	if g == nil {
		g = func(th float64) float64 { return math.Cos(2 * th) }
	}
	if m < 4 || m%2 != 0 {
		return nil, fmt.Errorf("laplace disk: %d boundary samples; want an even number ≥ 4", m)
	}
	seq := make([]float64, m)
	for j := range seq {
		seq[j] = g(2 * math.Pi * float64(j) / float64(m))
		if math.IsNaN(seq[j]) || math.IsInf(seq[j], 0) {
			return nil, fmt.Errorf("laplace disk: boundary value g(%g) = %g", 2*math.Pi*float64(j)/float64(m), seq[j])
		}
	}
	c := fourier.NewFFT(m).Coefficients(nil, seq)
	// g(θ) = Σ_k (a_k cos kθ + b_k sin kθ) with a_k = 2 Re c_k/m, b_k = −2 Im c_k/m (a_0 and the
	// Nyquist term halved); the Nyquist term is aliased, so it is dropped.
	keep := m / 2
	ld := &LaplaceDisk{a: make([]float64, keep), b: make([]float64, keep)}
	big := 0.0
	for k := range keep {
		ld.a[k] = 2 * real(c[k]) / float64(m)
		ld.b[k] = -2 * imag(c[k]) / float64(m)
		big = max(big, math.Abs(ld.a[k]), math.Abs(ld.b[k]))
	}
	ld.a[0] /= 2
	for keep > 1 && math.Abs(ld.a[keep-1]) < 1e-17*big && math.Abs(ld.b[keep-1]) < 1e-17*big {
		keep--
	}
	ld.a, ld.b = ld.a[:keep], ld.b[:keep]
	return ld, nil
}

func (*LaplaceDisk) Vars() []string             { return []string{"x", "y"} }
func (*LaplaceDisk) Fields() []string           { return []string{"u"} }
func (*LaplaceDisk) Bounds() (lo, hi []float64) { return []float64{-1, -1}, []float64{1, 1} }

// Eval evaluates the series at (x, y); outside the unit disk (r > 1) the series need not
// converge and the value is NaN.
func (ld *LaplaceDisk) Eval(pt, out []float64) {
	out[0] = ld.U(pt[0], pt[1])
}

// U is the solution at (x, y), NaN outside the closed unit disk.
func (ld *LaplaceDisk) U(x, y float64) float64 {
	r := math.Hypot(x, y)
	if r > 1+1e-12 {
		return math.NaN()
	}
	// z^k = r^k e^{ikθ} by repeated complex multiplication: no angle, no power needed.
	zr, zi := 1.0, 0.0
	sum := ld.a[0]
	for k := 1; k < len(ld.a); k++ {
		zr, zi = zr*x-zi*y, zr*y+zi*x
		sum += ld.a[k]*zr + ld.b[k]*zi
	}
	return sum
}
