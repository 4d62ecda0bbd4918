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
	kmax := f.k
	for p, v := range x {
		s1, c1 := math.Sincos(v)
		r0 := dst[0].Row(p)[:2*kmax]
		cs, sn := r0[:kmax], r0[kmax:]
		c, s := c1, s1
		for k := range kmax {
			cs[k], sn[k] = c, s
			c, s = c*c1-s*s1, s*c1+c*s1
		}
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
