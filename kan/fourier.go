package kan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
)

// Fourier is the basis cos(kx), sin(kx) for the integer frequencies k = 1 … K (FKAN), laid out as
// [cos x … cos Kx | sin x … sin Kx] (2K functions). There is no 2π factor: on coordinates in
// [−1, 1] the highest frequency spans K/π periods.
//
// The harmonics come from rotating (cos x, sin x) k times instead of K calls to sin and cos; the
// rounding error of the rotation grows like k·ε, below 1e-13 at K = 270, which is the conditioning
// of cos(kx) in x anyway. The derivatives are the harmonics times ∓k, −k², ±k³.
type Fourier struct{ k int }

// NewFourier returns the basis with K frequencies.
func NewFourier(k int) (*Fourier, error) {
	if k < 1 {
		return nil, fmt.Errorf("fourier basis: %d frequencies < 1", k)
	}
	return &Fourier{k: k}, nil
}

func (f *Fourier) Name() string { return "fourier" }
func (f *Fourier) Size() int    { return 2 * f.k }

// Frequencies is K.
func (f *Fourier) Frequencies() int { return f.k }

func (f *Fourier) Eval(x []float64, order int, dst []kernel.Matrix) {
	f.values(x, dst[0])
	kmax := f.k
	for p := range x {
		r0 := dst[0].Row(p)[:2*kmax]
		cs, sn := r0[:kmax], r0[kmax:]
		for r := 1; r <= order; r++ {
			dr := dst[r].Row(p)[:2*kmax]
			dc, ds := dr[:kmax], dr[kmax:]
			switch r {
			case 1: // (cos kx)′ = −k sin kx, (sin kx)′ = k cos kx
				for k := range kmax {
					w := float64(k + 1)
					dc[k], ds[k] = -w*sn[k], w*cs[k]
				}
			case 2:
				for k := range kmax {
					w := float64(k + 1)
					dc[k], ds[k] = -w*w*cs[k], -w*w*sn[k]
				}
			case 3:
				for k := range kmax {
					w := float64(k + 1)
					w3 := w * w * w
					dc[k], ds[k] = w3*sn[k], -w3*cs[k]
				}
			}
		}
	}
}

// values writes the harmonics, rotating four points at a time: one point's rotation is a chain
// of dependent multiply-adds, and four independent chains keep the FPU busy. Each point's
// arithmetic is the same as alone, so the results do not depend on the grouping.
func (f *Fourier) values(x []float64, dst kernel.Matrix) {
	kmax := f.k
	p := 0
	for ; p+4 <= len(x); p += 4 {
		s0, c0 := math.Sincos(x[p])
		s1, c1 := math.Sincos(x[p+1])
		s2, c2 := math.Sincos(x[p+2])
		s3, c3 := math.Sincos(x[p+3])
		r0, r1, r2, r3 := dst.Row(p)[:2*kmax], dst.Row(p + 1)[:2*kmax], dst.Row(p + 2)[:2*kmax], dst.Row(p + 3)[:2*kmax]
		cos0, sin0 := r0[:kmax], r0[kmax:]
		cos1, sin1 := r1[:len(cos0)], r1[kmax:][:len(cos0)]
		cos2, sin2 := r2[:len(cos0)], r2[kmax:][:len(cos0)]
		cos3, sin3 := r3[:len(cos0)], r3[kmax:][:len(cos0)]
		sin0 = sin0[:len(cos0)]
		a0, b0, a1, b1, a2, b2, a3, b3 := c0, s0, c1, s1, c2, s2, c3, s3
		for k := range cos0 {
			cos0[k], sin0[k] = a0, b0
			cos1[k], sin1[k] = a1, b1
			cos2[k], sin2[k] = a2, b2
			cos3[k], sin3[k] = a3, b3
			a0, b0 = a0*c0-b0*s0, b0*c0+a0*s0
			a1, b1 = a1*c1-b1*s1, b1*c1+a1*s1
			a2, b2 = a2*c2-b2*s2, b2*c2+a2*s2
			a3, b3 = a3*c3-b3*s3, b3*c3+a3*s3
		}
	}
	for ; p < len(x); p++ {
		s1, c1 := math.Sincos(x[p])
		r := dst.Row(p)[:2*kmax]
		a, b := c1, s1
		for k := range kmax {
			r[k], r[kmax+k] = a, b
			a, b = a*c1-b*s1, b*c1+a*s1
		}
	}
}

// NewFourierKAN returns FKAN's Fourier layer in→out with K frequencies,
//
//	y_o = Σ_i Σ_{k=1..K} [C⁰[i,k,o]·cos(k·x_i) + C¹[i,k,o]·sin(k·x_i)] + b_o,
//
// with the parameter "coeffs" of shape [in, 2K, out] (entries [i, k−1, o] = C⁰, [i, K+k−1, o] =
// C¹; the reference stores them as (2, out, in, K)) drawn from N(0, 1)/(√in·√K), and, when bias
// is true, "bias" of shape [out] starting at 0. FKAN's first layer 2→128 with K = 270 has
// 138,368 parameters.
func NewFourierKAN(in, out, k int, bias bool, rng *rand.Rand) (*Expansion, error) {
	basis, err := NewFourier(k)
	if err != nil {
		return nil, fmt.Errorf("fourier kan %d→%d: %w", in, out, err)
	}
	e, err := NewExpansion(in, out, bias, Term{Name: "coeffs", Basis: basis})
	if err != nil {
		return nil, fmt.Errorf("fourier kan: %w", err)
	}
	scale := 1 / (math.Sqrt(float64(in)) * math.Sqrt(float64(k)))
	c := e.Param("coeffs").Value
	for i := range c {
		c[i] = scale * rng.NormFloat64()
	}
	return e, nil
}
