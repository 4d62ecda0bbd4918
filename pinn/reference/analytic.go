package reference

import (
	"fmt"
	"math"
)

// Each analytic reference below states its equation; the package tests check by finite
// differences that the formula satisfies it. Analytic solutions are valid everywhere; Bounds
// reports the benchmark's domain.

// Poisson2D is u = sin πx sin πy on [−1, 1]², the solution of Δu = −2π² sin πx sin πy with u = 0
// on the boundary (pykan's PDE example, XNet's Poisson test).
type Poisson2D struct{}

func (Poisson2D) Vars() []string             { return []string{"x", "y"} }
func (Poisson2D) Fields() []string           { return []string{"u"} }
func (Poisson2D) Bounds() (lo, hi []float64) { return []float64{-1, -1}, []float64{1, 1} }
func (Poisson2D) Eval(pt, out []float64) {
	out[0] = math.Sin(math.Pi*pt[0]) * math.Sin(math.Pi*pt[1])
}

// Source is the right-hand side f of Δu = f.
func (Poisson2D) Source(x, y float64) float64 {
	return -2 * math.Pi * math.Pi * math.Sin(math.Pi*x) * math.Sin(math.Pi*y)
}

// Helmholtz2D is u = sin(A1·πx) sin(A2·πy) on [−1, 1]², the solution of Δu + K²u = q with
// q = (K² − (A1π)² − (A2π)²)·u and u = 0 on the boundary (Wang, Teng & Perdikaris 2021, whose
// benchmark has A1 = 1, A2 = 4, K = 1).
type Helmholtz2D struct{ A1, A2, K float64 }

func (Helmholtz2D) Vars() []string             { return []string{"x", "y"} }
func (Helmholtz2D) Fields() []string           { return []string{"u"} }
func (Helmholtz2D) Bounds() (lo, hi []float64) { return []float64{-1, -1}, []float64{1, 1} }
func (h Helmholtz2D) Eval(pt, out []float64) {
	out[0] = math.Sin(h.A1*math.Pi*pt[0]) * math.Sin(h.A2*math.Pi*pt[1])
}

// Source is q of Δu + K²u = q.
func (h Helmholtz2D) Source(x, y float64) float64 {
	a, b := h.A1*math.Pi, h.A2*math.Pi
	return (h.K*h.K - a*a - b*b) * math.Sin(a*x) * math.Sin(b*y)
}

// Heat1D is u = e^{−π²·Alpha·t} sin πx on [0, 1] × [0, 1]: u_t = Alpha·u_xx, u(0, t) = u(1, t) = 0,
// u(x, 0) = sin πx (DeepXDE's heat example has Alpha = 0.4).
type Heat1D struct{ Alpha float64 }

func (Heat1D) Vars() []string             { return []string{"x", "t"} }
func (Heat1D) Fields() []string           { return []string{"u"} }
func (Heat1D) Bounds() (lo, hi []float64) { return []float64{0, 0}, []float64{1, 1} }
func (h Heat1D) Eval(pt, out []float64) {
	out[0] = math.Exp(-math.Pi*math.Pi*h.Alpha*pt[1]) * math.Sin(math.Pi*pt[0])
}

// Wave1D is u = sin(πx) cos(Cπt) + B sin(Aπx) cos(ACπt) on [0, 1]²: u_tt = C²u_xx with
// u(0, t) = u(1, t) = 0, u_t(x, 0) = 0 (A an integer). PINNacle's Wave 1d-C is C = 2, A = 4,
// B = ½; DeepXDE's high-frequency wave_1d is C = 10, A = 2, B = 1.
type Wave1D struct{ C, A, B float64 }

func (Wave1D) Vars() []string             { return []string{"x", "t"} }
func (Wave1D) Fields() []string           { return []string{"u"} }
func (Wave1D) Bounds() (lo, hi []float64) { return []float64{0, 0}, []float64{1, 1} }
func (w Wave1D) Eval(pt, out []float64) {
	x, t := pt[0], pt[1]
	out[0] = math.Sin(math.Pi*x)*math.Cos(w.C*math.Pi*t) + w.B*math.Sin(w.A*math.Pi*x)*math.Cos(w.A*w.C*math.Pi*t)
}

// ODEExp is u = eˣ − x − 1 on [−1, 1], the solution of u′ = u + x, u(0) = 0 (the multi-stage PINN
// example).
type ODEExp struct{}

func (ODEExp) Vars() []string             { return []string{"x"} }
func (ODEExp) Fields() []string           { return []string{"u"} }
func (ODEExp) Bounds() (lo, hi []float64) { return []float64{-1}, []float64{1} }
func (ODEExp) Eval(pt, out []float64)     { out[0] = math.Expm1(pt[0]) - pt[0] }

// Kovasznay is Kovasznay's (1948) exact steady solution of the incompressible Navier–Stokes
// equations u·∇u + ∇p = (1/Re)Δu, ∇·u = 0, behind a row of cylinders:
//
//	λ = Re/2 − √(Re²/4 + 4π²),  u = 1 − e^{λx} cos 2πy,  v = λ/(2π) e^{λx} sin 2πy,  p = ½(1 − e^{2λx}).
//
// The usual domain is [−0.5, 1] × [−0.5, 1.5] with Re = 20.
type Kovasznay struct {
	Re     float64
	lambda float64
}

// NewKovasznay returns the flow at Reynolds number re > 0.
func NewKovasznay(re float64) (*Kovasznay, error) {
	if !(re > 0) || math.IsInf(re, 0) {
		return nil, fmt.Errorf("kovasznay: Reynolds number %g; want a finite value > 0", re)
	}
	return &Kovasznay{Re: re, lambda: re/2 - math.Sqrt(re*re/4+4*math.Pi*math.Pi)}, nil
}

// Lambda is the decay rate λ.
func (k *Kovasznay) Lambda() float64 { return k.lambda }

func (*Kovasznay) Vars() []string             { return []string{"x", "y"} }
func (*Kovasznay) Fields() []string           { return []string{"u", "v", "p"} }
func (*Kovasznay) Bounds() (lo, hi []float64) { return []float64{-0.5, -0.5}, []float64{1, 1.5} }
func (k *Kovasznay) Eval(pt, out []float64) {
	x, y := pt[0], pt[1]
	e := math.Exp(k.lambda * x)
	s, c := math.Sincos(2 * math.Pi * y)
	out[0] = 1 - e*c
	out[1] = k.lambda / (2 * math.Pi) * e * s
	out[2] = 0.5 * (1 - e*e)
}
