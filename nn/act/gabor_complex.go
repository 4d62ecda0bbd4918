package act

import (
	"fmt"
	"math"
)

func init() {
	Register(Entry{
		Name: "gabor_complex",
		Description: "WIRE complex Gabor wavelet exp(i·omega·z − |s·z|²) of z = a + ib; " +
			"requires s > 0 and omega²/(4s²) ≤ 700 so that |ψ| ≤ exp(omega²/(4s²)) cannot overflow",
		Defaults: Config{"omega": 20, "s": 30},
		New: func(cfg Config) (any, error) {
			w, err := cfgFinite("gabor_complex", cfg, "omega")
			if err != nil {
				return nil, err
			}
			s, err := cfgPositive("gabor_complex", cfg, "s")
			if err != nil {
				return nil, err
			}
			if bound := w * w / (4 * s * s); !(bound <= gaborMaxExponent) {
				return nil, fmt.Errorf("activation gabor_complex: omega²/(4s²) = %.4g exceeds %v: "+
					"|ψ| could overflow (use a larger s or a smaller omega)", bound, gaborMaxExponent)
			}
			return &gaborComplexFunc{name: "gabor_complex", cfg: cfg, omega: w, s2: s * s}, nil
		},
	})
}

// gaborMaxExponent bounds the largest exponent the wavelet can reach, ω²/(4s²) (the maximum of
// −ωb − s²b² over b), keeping |ψ| and its derivative factors below ~1e304.
const gaborMaxExponent = 700

// gaborComplexFunc is WIRE's ψ(z) = exp(iωz − s²|z|²) for z = a + ib:
//
//	ψ = exp(Φ), Φ(a, b) = −ωb − s²(a² + b²) + iωa.
//
// ψ is not holomorphic (|z|²), so it is described by real partials. Φ is a quadratic with
// Φ_a = iω − 2s²a, Φ_b = −ω − 2s²b, Φ_aa = Φ_bb = −2s², Φ_ab = 0 and no third derivatives,
// so every partial of ψ is ψ times a polynomial in Φ_a, Φ_b:
//
//	ψ_a = Φ_a ψ,                 ψ_aa = (Φ_a² + Φ_aa)ψ,       ψ_aaa = (Φ_a³ + 3Φ_aΦ_aa)ψ,
//	ψ_b = Φ_b ψ,                 ψ_ab = Φ_aΦ_b ψ,             ψ_aab = (Φ_a² + Φ_aa)Φ_b ψ,
//	                             ψ_bb = (Φ_b² + Φ_bb)ψ,       ψ_abb = Φ_a(Φ_b² + Φ_bb)ψ,
//	                                                          ψ_bbb = (Φ_b³ + 3Φ_bΦ_bb)ψ.
//
// Overflow guard: Re Φ ≤ ω²/(4s²) for every z, and construction rejects configurations where
// that bound exceeds 700, so exp never overflows for any finite input. Re Φ is evaluated as
// −b(ω + s²b) − s²a² so that huge |z| gives −Inf (ψ = 0), never Inf − Inf. When |ψ| falls
// below the smallest normal float64, ψ and all its partials are returned as exactly zero.
type gaborComplexFunc struct {
	name      string
	cfg       Config
	omega, s2 float64
}

func (f *gaborComplexFunc) Name() string   { return f.name }
func (f *gaborComplexFunc) Config() Config { return copyConfig(f.cfg) }

func (f *gaborComplexFunc) EvalPair(a, b float64, order int, d *PairDerivs) {
	re := -b*(f.omega+f.s2*b) - f.s2*a*a
	mag := math.Exp(re)
	if mag < minNormal {
		f.zero(order, d)
		return
	}
	sn, cs := math.Sincos(f.omega * a)
	psi := complex(mag*cs, mag*sn)
	put := func(v complex128) [2]float64 { return [2]float64{ftz(real(v)), ftz(imag(v))} }
	pa := complex(-2*f.s2*a, f.omega)
	pb := complex(-f.omega-2*f.s2*b, 0)
	pp := complex(-2*f.s2, 0) // Φ_aa = Φ_bb
	v := put(psi)
	d.V = v
	if order < 1 {
		return
	}
	set1 := func(i int, v complex128) { r := put(v); d.D1[0][i], d.D1[1][i] = r[0], r[1] }
	set2 := func(i int, v complex128) { r := put(v); d.D2[0][i], d.D2[1][i] = r[0], r[1] }
	set3 := func(i int, v complex128) { r := put(v); d.D3[0][i], d.D3[1][i] = r[0], r[1] }
	set1(0, pa*psi)
	set1(1, pb*psi)
	if order < 2 {
		return
	}
	aa := pa*pa + pp
	bb := pb*pb + pp
	set2(0, aa*psi)
	set2(1, pa*pb*psi)
	set2(2, bb*psi)
	if order < 3 {
		return
	}
	set3(0, (pa*pa*pa+3*pa*pp)*psi)
	set3(1, aa*pb*psi)
	set3(2, pa*bb*psi)
	set3(3, (pb*pb*pb+3*pb*pp)*psi)
}

func (f *gaborComplexFunc) zero(order int, d *PairDerivs) {
	d.V = [2]float64{}
	if order >= 1 {
		d.D1 = [2][2]float64{}
	}
	if order >= 2 {
		d.D2 = [2][3]float64{}
	}
	if order >= 3 {
		d.D3 = [2][4]float64{}
	}
}
