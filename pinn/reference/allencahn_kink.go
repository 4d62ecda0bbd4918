package reference

import "math"

// kink is the singular part of an Allen–Cahn solution whose initial condition has a corner at
// the periodic point x = ±1 (x² cos πx has slope +2 at −1 and −2 at +1). A Fourier series of
// such data converges only like 1/k², and the corner's smoothing by diffusion (over a width
// √(2·Eps·t), a grid spacing at t = 0.005) is not resolved by any practical N: a plain
// pseudo-spectral solution with 2048 modes is off by 1e-4 near x = ±1 at early times.
//
// So the solution is split as u = w + s, where s carries the corner and solves the linear
// equation s_t = Eps·s_xx + λ s exactly, with λ = f′(u*) the reaction's slope at the corner value
// u* = u(±1, 0), and w = u − s is smooth and computed spectrally. With P the 2-periodic
// extension of x² (a corner of slope jump −4 at every odd integer) and σ² = 2·Eps·t,
//
//	s(x, t) = amp · e^{λt} · (P(x) + σ² − 4σ Σ_c ψ(|x − c|/σ)),  c odd,  ψ(δ) = φ(δ) − δ·Q(δ),
//
// the heat-smoothed P in closed form (φ the normal density, Q its upper tail), and amp = −J/4
// for an initial slope jump J. The reaction near the corner, f(w + s) − λ s, is then smooth to
// second order, so w's spectrum decays like k⁻⁴ instead of k⁻².
type kink struct {
	amp, rate, eps float64
}

// kinkCutoff is the distance (in σ) beyond which a corner's smoothing term is below 1e-20.
const kinkCutoff = 10

// eval returns s, s_x and s_xx at (x, t). At t = 0 s_xx omits the Dirac masses at the corners.
func (k kink) eval(x, t float64) (s, sx, sxx float64) {
	if k.amp == 0 {
		return 0, 0, 0
	}
	xr := x - 2*math.Round(x/2) // into [−1, 1]
	h, hx, hxx := xr*xr, 2*xr, 2.0
	if sigma := math.Sqrt(2 * k.eps * t); sigma > 0 {
		h += sigma * sigma
		m := math.Ceil(kinkCutoff * sigma / 2)
		for c := -2*m - 1; c <= 2*m+1; c += 2 {
			d := math.Abs(xr-c) / sigma
			if d > kinkCutoff {
				continue
			}
			phi := math.Exp(-d*d/2) / math.Sqrt(2*math.Pi)
			q := math.Erfc(d/math.Sqrt2) / 2
			h -= 4 * sigma * (phi - d*q)
			// At a corner itself (xr = c = ±1, the ends of the reduced interval) the one-sided
			// limit from inside [−1, 1] applies.
			if xr > c || (xr == c && c < 0) {
				hx += 4 * q
			} else {
				hx -= 4 * q
			}
			hxx -= 4 * phi / sigma
		}
	}
	g := k.amp * math.Exp(k.rate*t)
	return g * h, g * hx, g * hxx
}

// newKink measures the corner of init at the periodic point: its value u* and slope jump J, by
// fourth-order one-sided differences (error about h⁴·|u⁽⁵⁾| ≈ 1e-10 for the benchmark data).
func newKink(init func(float64) float64, eps, gamma float64) (kink, float64, float64) {
	const h = 1e-3
	right := (-25*init(-1) + 48*init(-1+h) - 36*init(-1+2*h) + 16*init(-1+3*h) - 3*init(-1+4*h)) / (12 * h)
	left := (25*init(1) - 48*init(1-h) + 36*init(1-2*h) - 16*init(1-3*h) + 3*init(1-4*h)) / (12 * h)
	jump := right - left
	ustar := (init(1) + init(-1)) / 2
	return kink{amp: -jump / 4, rate: gamma * (1 - 3*ustar*ustar), eps: eps}, jump, ustar
}
