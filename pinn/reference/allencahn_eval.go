package reference

import (
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// Times returns the snapshot times.
func (a *AllenCahn) Times() []float64 { return append([]float64(nil), a.times...) }

// Config returns the configuration the solution was computed with (defaults filled in).
func (a *AllenCahn) Config() AllenCahnConfig { return a.cfg }

// series evaluates the real Fourier series Σ_m c_m e^{iπm(x+1)} (the grid starts at x = −1),
// counting each mode twice for its conjugate partner except the mean and the Nyquist mode.
func (a *AllenCahn) series(c []complex128, x float64) float64 {
	n := a.cfg.Modes
	theta := math.Pi * (x + 1)
	step := cmplx.Exp(complex(0, theta))
	w := complex(1, 0)
	sum := real(c[0])
	for k := 1; k < len(c); k++ {
		w *= step
		if k%64 == 0 { // re-anchor the rotation so that its rounding error does not build up
			w = cmplx.Exp(complex(0, theta*float64(k)))
		}
		term := real(c[k] * w)
		if k == n/2 {
			sum += term
		} else {
			sum += 2 * term
		}
	}
	return sum
}

// U is the solution at (x, t); x is taken modulo the period 2, t must lie in [0, T] (NaN outside).
func (a *AllenCahn) U(x, t float64) float64 {
	T := a.times[len(a.times)-1]
	if !(t >= 0 && t <= T) || math.IsNaN(x) || math.IsInf(x, 0) {
		return math.NaN()
	}
	s, _, _ := a.kink.eval(x, t)
	return a.smooth(x, t) + s
}

// smooth is the smooth part w at (x, t), Hermite-interpolated between snapshots.
func (a *AllenCahn) smooth(x, t float64) float64 {
	dt := a.cfg.Snapshot
	j := min(int(t/dt), len(a.times)-2)
	r := (t - a.times[j]) / dt
	if r <= 0 {
		return a.series(a.coef[j], x)
	}
	if r >= 1 {
		return a.series(a.coef[j+1], x)
	}
	w0, w1 := a.series(a.coef[j], x), a.series(a.coef[j+1], x)
	d0, d1 := a.series(a.dcoef[j], x)*dt, a.series(a.dcoef[j+1], x)*dt
	// cubic Hermite basis on r ∈ [0, 1]
	h00 := (1 + 2*r) * (1 - r) * (1 - r)
	h10 := r * (1 - r) * (1 - r)
	h01 := r * r * (3 - 2*r)
	h11 := r * r * (r - 1)
	return h00*w0 + h10*d0 + h01*w1 + h11*d1
}

// Eval implements Solution: pt = (x, t), out = (u).
func (a *AllenCahn) Eval(pt, out []float64) { out[0] = a.U(pt[0], pt[1]) }

// Vars implements Solution.
func (a *AllenCahn) Vars() []string { return []string{"x", "t"} }

// Fields implements Solution.
func (a *AllenCahn) Fields() []string { return []string{"u"} }

// Bounds implements Solution.
func (a *AllenCahn) Bounds() (lo, hi []float64) {
	return []float64{-1, 0}, []float64{1, a.times[len(a.times)-1]}
}

// Grid evaluates the solution at every snapshot time on nx evenly spaced points of [−1, 1]
// (both ends included, as in the benchmark data, where u(1) = u(−1) by periodicity).
func (a *AllenCahn) Grid(nx int) *Grid {
	g := &Grid{X: linspace(-1, 1, nx), T: a.Times()}
	g.U = make([]float64, nx*len(g.T))
	for i, x := range g.X {
		for j, t := range g.T {
			s, _, _ := a.kink.eval(x, t)
			g.U[i*len(g.T)+j] = a.series(a.coef[j], x) + s
		}
	}
	return g
}

// fineGrid returns u, u_x and u_t at snapshot j on q evenly spaced points of [−1, 1), with w
// and its derivatives from a zero-padded inverse FFT and s in closed form.
func (a *AllenCahn) fineGrid(j, q int) (u, ux, ut []float64) {
	fft := fourier.NewFFT(q)
	spec := make([]complex128, q/2+1)
	inv := func(c []complex128, deriv bool) []float64 {
		clear(spec)
		for k := range c {
			v := c[k]
			if deriv {
				v *= complex(0, math.Pi*float64(k))
			}
			if k == a.cfg.Modes/2 && k < q/2 {
				v /= 2 // the Nyquist mode of N stands for a single cosine: half of it per partner
			}
			spec[k] = v
		}
		return fft.Sequence(nil, spec)
	}
	u, ux, ut = inv(a.coef[j], false), inv(a.coef[j], true), inv(a.dcoef[j], false)
	t := a.times[j]
	for i := range u {
		x := -1 + 2*float64(i)/float64(q)
		s, sx, sxx := a.kink.eval(x, t)
		u[i] += s
		ux[i] += sx
		ut[i] += a.cfg.Eps*sxx + a.kink.rate*s // s_t = Eps·s_xx + λ s
	}
	return u, ux, ut
}

// Energy returns the Ginzburg–Landau free energy E = ∫ (Eps/2) u_x² + (Gamma/4)(u² − 1)² dx at
// snapshot j, which the Allen–Cahn flow never increases (dE/dt = −∫ u_t² dx). It is evaluated by
// the trapezoidal rule on 4N points, spectrally accurate for the periodic integrand.
func (a *AllenCahn) Energy(j int) float64 {
	q := 4 * a.cfg.Modes
	u, ux, _ := a.fineGrid(j, q)
	sum := 0.0
	for i := range u {
		sum += a.cfg.Eps/2*ux[i]*ux[i] + a.cfg.Gamma/4*(u[i]*u[i]-1)*(u[i]*u[i]-1)
	}
	return sum * 2 / float64(q)
}

// Dissipation returns ∫ u_t² dx at snapshot j > 0, the rate at which Energy decreases. (At t = 0
// it is infinite: diffusion acts on the initial corner like a Dirac mass.)
func (a *AllenCahn) Dissipation(j int) float64 {
	q := 4 * a.cfg.Modes
	_, _, ut := a.fineGrid(j, q)
	sum := 0.0
	for _, v := range ut {
		sum += v * v
	}
	return sum * 2 / float64(q)
}
