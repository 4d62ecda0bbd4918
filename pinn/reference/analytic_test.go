package reference

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fd holds fourth-order central differences of a scalar field of a point, step h.
const fdh = 1e-3

// field returns component k of s as a function of a point.
func field(s Solution, k int) func(p []float64) float64 {
	out := make([]float64, len(s.Fields()))
	return func(p []float64) float64 {
		s.Eval(p, out)
		return out[k]
	}
}

func shifted(p []float64, i int, d float64) []float64 {
	q := append([]float64(nil), p...)
	q[i] += d
	return q
}

func d1(f func([]float64) float64, p []float64, i int) float64 {
	h := fdh
	return (f(shifted(p, i, -2*h)) - 8*f(shifted(p, i, -h)) + 8*f(shifted(p, i, h)) - f(shifted(p, i, 2*h))) / (12 * h)
}

func d2(f func([]float64) float64, p []float64, i int) float64 {
	h := fdh
	return (-f(shifted(p, i, -2*h)) + 16*f(shifted(p, i, -h)) - 30*f(p) + 16*f(shifted(p, i, h)) - f(shifted(p, i, 2*h))) / (12 * h * h)
}

// testPoints are interior points of the solution's bounds (a 5^d lattice).
func testPoints(s Solution) [][]float64 {
	lo, hi := s.Bounds()
	pts := [][]float64{{}}
	for j := range lo {
		var next [][]float64
		for _, p := range pts {
			for k := 1; k <= 5; k++ {
				next = append(next, append(append([]float64(nil), p...), lo[j]+(hi[j]-lo[j])*float64(k)/6))
			}
		}
		pts = next
	}
	return pts
}

// The tolerance of every residual below is the fourth-order truncation error h⁴·|u⁽⁶⁾|/90 with
// h = 1e-3 and derivatives of size ω⁶ for the highest frequency ω of the solution (ω = 4π for
// Helmholtz and the wave: 1e-12·2.5e8/90 ≈ 3e-6 relative to ω²), plus rounding 16ε|u|/h² ≈ 2e-9.

func TestPoisson2DSatisfiesPDE(t *testing.T) {
	s := Poisson2D{}
	u := field(s, 0)
	for _, p := range testPoints(s) {
		r := d2(u, p, 0) + d2(u, p, 1) - s.Source(p[0], p[1])
		assert.InDelta(t, 0, r, 1e-6, "at %v", p)
	}
	out := []float64{0}
	for _, b := range [][]float64{{-1, 0.3}, {1, -0.7}, {0.2, -1}, {0.9, 1}} {
		s.Eval(b, out)
		assert.InDelta(t, 0, out[0], 1e-15, "boundary %v", b)
	}
}

func TestHelmholtz2DSatisfiesPDE(t *testing.T) {
	s := Helmholtz2D{A1: 1, A2: 4, K: 1}
	u := field(s, 0)
	for _, p := range testPoints(s) {
		r := d2(u, p, 0) + d2(u, p, 1) + s.K*s.K*u(p) - s.Source(p[0], p[1])
		assert.InDelta(t, 0, r, 5e-5, "at %v", p) // |u_yy| ≤ (4π)² ≈ 158
	}
}

func TestHeat1DSatisfiesPDE(t *testing.T) {
	s := Heat1D{Alpha: 0.4}
	u := field(s, 0)
	for _, p := range testPoints(s) {
		r := d1(u, p, 1) - s.Alpha*d2(u, p, 0)
		assert.InDelta(t, 0, r, 1e-7, "at %v", p)
	}
	out := []float64{0}
	s.Eval([]float64{0.3, 0}, out)
	assert.InDelta(t, math.Sin(0.3*math.Pi), out[0], 1e-15)
}

func TestWave1DSatisfiesPDE(t *testing.T) {
	for _, s := range []Wave1D{{C: 2, A: 4, B: 0.5}, {C: 10, A: 2, B: 1}} {
		u := field(s, 0)
		for _, p := range testPoints(s) {
			r := d2(u, p, 1) - s.C*s.C*d2(u, p, 0)
			// |u_tt| reaches (A·C·π)² (6300 for C = 10): the tolerance scales with it.
			assert.InDelta(t, 0, r, 1e-7*math.Pow(s.A*s.C*math.Pi, 4), "%+v at %v", s, p)
		}
		for _, x := range []float64{0.1, 0.45, 0.8} {
			assert.InDelta(t, 0, d1(u, []float64{x, 0}, 1), 1e-9, "u_t(x, 0) = 0")
		}
	}
}

func TestODEExp(t *testing.T) {
	s := ODEExp{}
	u := field(s, 0)
	for _, x := range linspace(-0.9, 0.9, 7) {
		p := []float64{x}
		assert.InDelta(t, 0, d1(u, p, 0)-(u(p)+x), 1e-11, "u′ = u + x at x = %g", x)
	}
	assert.Equal(t, 0.0, u([]float64{0}))
	// expm1 keeps full relative accuracy near 0, where eˣ − x − 1 ≈ x²/2.
	assert.InEpsilon(t, 0.5e-16, u([]float64{1e-8}), 1e-7)
}

func TestKovasznaySatisfiesNavierStokes(t *testing.T) {
	for _, re := range []float64{20, 40, 1} {
		k, err := NewKovasznay(re)
		require.NoError(t, err)
		u, v, p := field(k, 0), field(k, 1), field(k, 2)
		for _, q := range testPoints(k) {
			ux, uy, vx, vy := d1(u, q, 0), d1(u, q, 1), d1(v, q, 0), d1(v, q, 1)
			lapU := d2(u, q, 0) + d2(u, q, 1)
			lapV := d2(v, q, 0) + d2(v, q, 1)
			mx := u(q)*ux + v(q)*uy + d1(p, q, 0) - lapU/re
			my := u(q)*vx + v(q)*vy + d1(p, q, 1) - lapV/re
			assert.InDelta(t, 0, mx, 1e-6, "x-momentum, Re %g at %v", re, q)
			assert.InDelta(t, 0, my, 1e-6, "y-momentum, Re %g at %v", re, q)
			assert.InDelta(t, 0, ux+vy, 1e-9, "continuity, Re %g at %v", re, q)
		}
	}
	k, _ := NewKovasznay(20)
	assert.InDelta(t, 10-math.Sqrt(100+4*math.Pi*math.Pi), k.Lambda(), 1e-15)
	assert.InDelta(t, -1.81009812001397, k.Lambda(), 1e-13) // 10 − √139.478…
	_, err := NewKovasznay(0)
	assert.ErrorContains(t, err, "Reynolds number 0")
}

func TestLaplaceDisk(t *testing.T) {
	def, err := NewLaplaceDisk(nil, 16)
	require.NoError(t, err)
	for _, p := range [][2]float64{{0, 0}, {0.3, -0.4}, {-0.7, 0.7}, {1, 0}, {0, -1}} {
		assert.InDelta(t, p[0]*p[0]-p[1]*p[1], def.U(p[0], p[1]), 1e-15, "r² cos 2θ = x² − y² at %v", p)
	}
	assert.True(t, math.IsNaN(def.U(1, 1)), "outside the disk")

	// A non-polynomial boundary value: g(θ) = e^{cos θ} cos(sin θ) is the trace of the harmonic
	// function Re e^z = eˣ cos y, whose Fourier coefficients 1/k! decay fast; 64 samples suffice.
	g := func(th float64) float64 { return math.Exp(math.Cos(th)) * math.Cos(math.Sin(th)) }
	ld, err := NewLaplaceDisk(g, 64)
	require.NoError(t, err)
	u := field(ld, 0)
	for _, p := range [][2]float64{{0, 0}, {0.5, 0.5}, {-0.9, 0.1}, {0.2, -0.95}} {
		assert.InDelta(t, math.Exp(p[0])*math.Cos(p[1]), ld.U(p[0], p[1]), 1e-14, "at %v", p)
		q := []float64{p[0] * 0.9, p[1] * 0.9}
		assert.InDelta(t, 0, d2(u, q, 0)+d2(u, q, 1), 1e-7, "harmonic at %v", q)
	}
	for _, th := range linspace(0, 2*math.Pi, 13) {
		assert.InDelta(t, g(th), ld.U(math.Cos(th), math.Sin(th)), 1e-14, "boundary θ = %g", th)
	}
	_, err = NewLaplaceDisk(nil, 5)
	assert.Error(t, err)
	_, err = NewLaplaceDisk(func(float64) float64 { return math.NaN() }, 8)
	assert.ErrorContains(t, err, "boundary value")
}
