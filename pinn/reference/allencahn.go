package reference

import (
	"fmt"
	"math"
	"math/cmplx"

	"gonum.org/v1/gonum/dsp/fourier"
)

// AllenCahnConfig sets up the Allen–Cahn reference
//
//	u_t = Eps·u_xx + Gamma·(u − u³),  x ∈ [−1, 1) periodic,  t ∈ [0, T],  u(x, 0) = Init(x).
//
// Zero fields take the benchmark's values (Raissi et al.; jaxpi): Eps = 1e-4, Gamma = 5, T = 1,
// Init = x² cos πx, and the discretisation defaults below.
type AllenCahnConfig struct {
	Eps, Gamma, T float64
	Init          func(x float64) float64
	// Modes is the number of Fourier grid points N (even). The fronts have width
	// √(2·Eps/Gamma) ≈ 0.0063; with N = 512 (the Chebfun reference data) they are under-resolved
	// by about 1e-5 at t = 1, with the default they are resolved to round-off.
	Modes int
	// Dt is the ETDRK4 time step; it must divide the snapshot interval.
	Dt float64
	// Snapshot is the interval between stored solutions (default 0.005, the 201 snapshots of the
	// jaxpi data); values between snapshots come from cubic Hermite interpolation in time.
	Snapshot float64
}

// Defaults of AllenCahnConfig.
const (
	DefaultAllenCahnModes    = 2048
	DefaultAllenCahnDt       = 5e-4
	DefaultAllenCahnSnapshot = 0.005
)

// AllenCahn is a computed Allen–Cahn solution u = w + s: s is the closed-form singular part that
// carries the initial corner at x = ±1 (see kink), w the smooth remainder, stored as Fourier
// coefficients of w and w_t at every snapshot time. U evaluates w's Fourier series exactly in x
// (spectral interpolation), interpolates w in t with the cubic Hermite polynomial through the two
// neighbouring snapshots' values and time derivatives (w_t comes from the PDE, so it is as
// accurate as w), and adds s exactly.
type AllenCahn struct {
	cfg   AllenCahnConfig
	kink  kink
	times []float64
	// coef[j] and dcoef[j] are the normalised Fourier coefficients (ĉ_m = (1/N)Σ_j w_j e^{−iπm(x_j+1)}
	// over the grid) of w and w_t at times[j], m = 0..len−1; trailing modes below 1e-17 are dropped.
	coef, dcoef [][]complex128
}

// SolveAllenCahn integrates the equation with a Fourier pseudo-spectral method in x and ETDRK4 in
// t (Cox–Matthews, with the φ-function coefficients computed by the contour integrals of
// Kassam–Trefethen, 2005, which avoid the cancellation of their closed forms for small |hL|).
// The smooth part w obeys w_t = Eps·w_xx + f(w + s) − λ s, with f(u) = Gamma·(u − u³); the
// diffusion is integrated exactly, the rest is the ETDRK4 nonlinear term.
func SolveAllenCahn(cfg AllenCahnConfig) (*AllenCahn, error) {
	cfg = allenCahnDefaults(cfg)
	if err := checkAllenCahn(cfg); err != nil {
		return nil, err
	}
	k, _, _ := newKink(cfg.Init, cfg.Eps, cfg.Gamma)
	n := cfg.Modes
	m := n/2 + 1
	h := cfg.Dt
	// Linear operator per mode: −Eps·(πm)², the diffusion on a domain of length 2.
	lin := make([]float64, m)
	for i := range lin {
		w := math.Pi * float64(i)
		lin[i] = -cfg.Eps * w * w
	}
	e, e2, q, f1, f2, f3 := etdrk4Coefficients(lin, h)

	fft := fourier.NewFFT(n)
	x := make([]float64, n)
	u := make([]float64, n)
	for j := range x {
		x[j] = -1 + 2*float64(j)/float64(n)
		s, _, _ := k.eval(x[j], 0)
		u[j] = cfg.Init(x[j]) - s
	}
	v := fft.Coefficients(nil, u)
	// sGrid caches s on the grid at the stage times (t and t + h/2 are each used twice).
	sAt := map[float64][]float64{}
	sGrid := func(t float64) []float64 {
		if g, ok := sAt[t]; ok {
			return g
		}
		g := make([]float64, n)
		for j := range g {
			g[j], _, _ = k.eval(x[j], t)
		}
		if len(sAt) > 4 {
			clear(sAt)
		}
		sAt[t] = g
		return g
	}
	nonlin := func(dst, vin []complex128, t float64) {
		fft.Sequence(u, vin)
		sg := sGrid(t)
		for j := range u {
			uj := u[j]/float64(n) + sg[j]
			u[j] = cfg.Gamma*(uj-uj*uj*uj) - k.rate*sg[j]
		}
		fft.Coefficients(dst, u)
	}
	nv, na, nb, nc := make([]complex128, m), make([]complex128, m), make([]complex128, m), make([]complex128, m)
	a, b, c := make([]complex128, m), make([]complex128, m), make([]complex128, m)

	stepsPerSnap := int(math.Round(cfg.Snapshot / h))
	nSnap := int(math.Round(cfg.T/cfg.Snapshot)) + 1
	ac := &AllenCahn{cfg: cfg, kink: k}
	store := func(t float64) {
		nonlin(nv, v, t)
		cu, du := make([]complex128, m), make([]complex128, m)
		for i := range cu {
			cu[i] = v[i] / complex(float64(n), 0)
			du[i] = (complex(lin[i], 0)*v[i] + nv[i]) / complex(float64(n), 0)
		}
		ac.times = append(ac.times, t)
		ac.coef = append(ac.coef, trimSpectrum(cu))
		ac.dcoef = append(ac.dcoef, trimSpectrum(du))
	}
	store(0)
	step := 0
	for snap := 1; snap < nSnap; snap++ {
		for range stepsPerSnap {
			t := float64(step) * h
			nonlin(nv, v, t)
			for i := range v {
				a[i] = e2[i]*v[i] + q[i]*nv[i]
			}
			nonlin(na, a, t+h/2)
			for i := range v {
				b[i] = e2[i]*v[i] + q[i]*na[i]
			}
			nonlin(nb, b, t+h/2)
			for i := range v {
				c[i] = e2[i]*a[i] + q[i]*(2*nb[i]-nv[i])
			}
			nonlin(nc, c, t+h)
			for i := range v {
				v[i] = e[i]*v[i] + nv[i]*f1[i] + 2*(na[i]+nb[i])*f2[i] + nc[i]*f3[i]
			}
			step++
		}
		if cmplx.IsNaN(v[0]) || cmplx.IsInf(v[0]) {
			return nil, fmt.Errorf("allen–cahn: the solution blew up before t = %g; reduce Dt (%g)", float64(snap)*cfg.Snapshot, h)
		}
		store(float64(step) * h)
	}
	return ac, nil
}

func allenCahnDefaults(cfg AllenCahnConfig) AllenCahnConfig {
	if cfg.Eps == 0 {
		cfg.Eps = 1e-4
	}
	if cfg.Gamma == 0 {
		cfg.Gamma = 5
	}
	if cfg.T == 0 {
		cfg.T = 1
	}
	if cfg.Init == nil {
		cfg.Init = func(x float64) float64 { return x * x * math.Cos(math.Pi*x) }
	}
	if cfg.Modes == 0 {
		cfg.Modes = DefaultAllenCahnModes
	}
	if cfg.Dt == 0 {
		cfg.Dt = DefaultAllenCahnDt
	}
	if cfg.Snapshot == 0 {
		cfg.Snapshot = DefaultAllenCahnSnapshot
	}
	return cfg
}

func checkAllenCahn(cfg AllenCahnConfig) error {
	switch {
	case !(cfg.Eps > 0), !(cfg.T > 0), math.IsInf(cfg.Eps, 0), math.IsInf(cfg.Gamma, 0), math.IsNaN(cfg.Gamma), math.IsInf(cfg.T, 0):
		return fmt.Errorf("allen–cahn: Eps = %g, Gamma = %g, T = %g; want finite Eps > 0, T > 0", cfg.Eps, cfg.Gamma, cfg.T)
	case cfg.Modes < 8 || cfg.Modes%2 != 0 || cfg.Modes > 1<<16:
		return fmt.Errorf("allen–cahn: %d modes; want an even number from 8 to 65536", cfg.Modes)
	case !(cfg.Dt > 0), !(cfg.Snapshot >= cfg.Dt):
		return fmt.Errorf("allen–cahn: time step %g and snapshot interval %g; want 0 < Dt ≤ Snapshot", cfg.Dt, cfg.Snapshot)
	}
	if cfg.T/cfg.Dt > 1e7 {
		return fmt.Errorf("allen–cahn: %g time steps (T = %g, Dt = %g); at most 1e7", cfg.T/cfg.Dt, cfg.T, cfg.Dt)
	}
	if r := cfg.Snapshot / cfg.Dt; math.Abs(r-math.Round(r)) > 1e-9*r {
		return fmt.Errorf("allen–cahn: time step %g does not divide the snapshot interval %g", cfg.Dt, cfg.Snapshot)
	}
	if r := cfg.T / cfg.Snapshot; math.Abs(r-math.Round(r)) > 1e-9*r {
		return fmt.Errorf("allen–cahn: snapshot interval %g does not divide T = %g", cfg.Snapshot, cfg.T)
	}
	for _, x := range []float64{-1, -0.5, 0, 0.5, 1} {
		if v := cfg.Init(x); math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("allen–cahn: the initial condition is %g at x = %g", v, x)
		}
	}
	if a, b := cfg.Init(-1), cfg.Init(1); math.Abs(a-b) > 1e-12*max(1, math.Abs(a)) {
		return fmt.Errorf("allen–cahn: the initial condition is not periodic: u(−1) = %g, u(1) = %g", a, b)
	}
	return nil
}

// etdrk4Coefficients returns, per mode with linear coefficient L and step h, e^{hL}, e^{hL/2} and
// the ETDRK4 weights Q, f1, f2, f3 (Cox–Matthews). Each φ-function is the mean of its closed
// form over 64 points on the circle of radius 1 around hL (Kassam–Trefethen): the closed forms
// lose all accuracy to cancellation when |hL| is small, the contour mean does not.
func etdrk4Coefficients(lin []float64, h float64) (e, e2, q, f1, f2, f3 []complex128) {
	const contour = 64
	n := len(lin)
	e, e2 = make([]complex128, n), make([]complex128, n)
	q, f1, f2, f3 = make([]complex128, n), make([]complex128, n), make([]complex128, n), make([]complex128, n)
	for k, l := range lin {
		hl := h * l
		e[k] = complex(math.Exp(hl), 0)
		e2[k] = complex(math.Exp(hl/2), 0)
		var sq, s1, s2, s3 float64
		for j := range contour {
			r := cmplx.Exp(complex(0, math.Pi*(float64(j)+0.5)/contour))
			z := complex(hl, 0) + r
			ez := cmplx.Exp(z)
			sq += real((cmplx.Exp(z/2) - 1) / z)
			z3 := z * z * z
			s1 += real((-4 - z + ez*(4-3*z+z*z)) / z3)
			s2 += real((2 + z + ez*(z-2)) / z3)
			s3 += real((-4 - 3*z - z*z + ez*(4-z)) / z3)
		}
		// The points come in conjugate pairs, so the means are real.
		q[k] = complex(h*sq/contour, 0)
		f1[k] = complex(h*s1/contour, 0)
		f2[k] = complex(h*s2/contour, 0)
		f3[k] = complex(h*s3/contour, 0)
	}
	return e, e2, q, f1, f2, f3
}

// trimSpectrum drops the trailing modes whose magnitude is below 1e-17 of the largest: they
// cannot change a float64 value, and evaluating fewer modes makes U cheaper.
func trimSpectrum(c []complex128) []complex128 {
	big := 0.0
	for _, v := range c {
		big = max(big, cmplx.Abs(v))
	}
	keep := len(c)
	for keep > 1 && cmplx.Abs(c[keep-1]) < 1e-17*big {
		keep--
	}
	return c[:keep:keep]
}
