package reference

import (
	"fmt"
	"math"
)

// BurgersNu is the viscosity of the standard benchmark (Raissi et al. 2019; DeepXDE; PINNacle).
const BurgersNu = 0.01 / math.Pi

// BurgersNodes is the default number of Gauss–Hermite nodes: with it the solution agrees with an
// independent quadrature in the physical variable to below 1e-13 on the standard grid (see the
// package tests), far inside the 1e-10 the benchmark needs.
const BurgersNodes = 240

// Burgers is the exact solution of the viscous Burgers equation
//
//	u_t + u u_x = ν u_xx,  x ∈ [−1, 1], t ≥ 0,  u(x, 0) = −sin πx,  u(±1, t) = 0,
//
// by the Cole–Hopf transformation (Basdevant et al. 1986):
//
//	u(x, t) = −∫ sin π(x−η) f(x−η) e^{−η²/4νt} dη / ∫ f(x−η) e^{−η²/4νt} dη,
//	f(y) = exp(−cos(πy)/(2πν)),
//
// with both integrals evaluated by Gauss–Hermite quadrature after η = √(4νt)·z. f spans
// e^{±1/(2πν)} (e^{±50} for the standard ν), so each sum is formed in logarithms with the largest
// exponent factored out; nothing overflows for any ν > 0.
type Burgers struct {
	nu    float64
	nodes []float64
	logw  []float64
}

// MaxBurgersNodes bounds the quadrature (the node computation is quadratic in the count); far
// beyond what any viscosity a PINN can resolve needs.
const MaxBurgersNodes = 4096

// NewBurgers returns the Cole–Hopf solution for viscosity nu using the given number of
// Gauss–Hermite nodes (BurgersNodes is accurate to 1e-13 for the standard ν; smaller ν needs more).
func NewBurgers(nu float64, nodes int) (*Burgers, error) {
	if !(nu > 0) || math.IsInf(nu, 0) {
		return nil, fmt.Errorf("burgers: viscosity %g; want a finite value > 0", nu)
	}
	if nodes < 2 || nodes > MaxBurgersNodes {
		return nil, fmt.Errorf("burgers: %d quadrature nodes; want 2 to %d", nodes, MaxBurgersNodes)
	}
	z, lw, err := gaussHermite(nodes)
	if err != nil {
		return nil, fmt.Errorf("burgers: %w", err)
	}
	return &Burgers{nu: nu, nodes: z, logw: lw}, nil
}

// Nu is the viscosity.
func (b *Burgers) Nu() float64 { return b.nu }

// U is the solution at (x, t), t ≥ 0 (NaN for t < 0). It is safe for concurrent use.
func (b *Burgers) U(x, t float64) float64 {
	switch {
	case t < 0 || math.IsNaN(t) || math.IsNaN(x):
		return math.NaN()
	case t == 0:
		return -math.Sin(math.Pi * x)
	}
	s := math.Sqrt(4 * b.nu * t)
	c := 1 / (2 * math.Pi * b.nu)
	// One pass with a running maximum exponent m: num and den hold the sums scaled by e^{−m} and
	// are rescaled whenever m grows, so no term overflows or is lost to underflow.
	m := math.Inf(-1)
	var num, den float64
	for i, z := range b.nodes {
		sn, cs := math.Sincos(math.Pi * (x - s*z))
		e := b.logw[i] - c*cs
		if e > m {
			r := math.Exp(m - e)
			num, den, m = num*r, den*r, e
		}
		w := math.Exp(e - m)
		num += w * sn
		den += w
	}
	return -num / den
}

// Eval implements Solution: pt = (x, t), out = (u).
func (b *Burgers) Eval(pt, out []float64) { out[0] = b.U(pt[0], pt[1]) }

// Vars implements Solution.
func (b *Burgers) Vars() []string { return []string{"x", "t"} }

// Fields implements Solution.
func (b *Burgers) Fields() []string { return []string{"u"} }

// Bounds implements Solution: the benchmark's domain [−1, 1] × [0, 1] (U itself is valid for any
// x and any t ≥ 0).
func (b *Burgers) Bounds() (lo, hi []float64) { return []float64{-1, 0}, []float64{1, 1} }

// Grid returns the solution on the benchmark's evaluation grid: x = linspace(−1, 1, 256),
// t = 0, 0.01, …, 0.99 (the grid of Raissi's burgers_shock.mat and DeepXDE's Burgers.npz).
func (b *Burgers) Grid() *Grid {
	g := &Grid{X: linspace(-1, 1, 256), T: make([]float64, 100)}
	for j := range g.T {
		g.T[j] = float64(j) / 100
	}
	g.U = make([]float64, len(g.X)*len(g.T))
	for i, x := range g.X {
		for j, t := range g.T {
			g.U[i*len(g.T)+j] = b.U(x, t)
		}
	}
	return g
}

// linspace returns n evenly spaced values from a to b inclusive (numpy.linspace).
func linspace(a, b float64, n int) []float64 {
	out := make([]float64, n)
	if n == 1 {
		out[0] = a
		return out
	}
	step := (b - a) / float64(n-1)
	for i := range out {
		out[i] = a + float64(i)*step
	}
	out[n-1] = b
	return out
}
