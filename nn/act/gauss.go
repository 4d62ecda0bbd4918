package act

import (
	"math"

	"github.com/inrstudio/studio/kernel"
)

func init() {
	Register(Entry{
		Name:        "gauss",
		Description: "Gaussian bump exp(−(s·x)²) (WIRE/FINER/SL²A convention)",
		Defaults:    Config{"s": 30},
		New: func(cfg Config) (any, error) {
			s, err := cfgPositive("gauss", cfg, "s")
			if err != nil {
				return nil, err
			}
			return &gaussFunc{fixed: fixed{name: "gauss", cfg: cfg}, s: s, s2: s * s, s3: s * s * s}, nil
		},
	})
}

// gaussFunc is σ(x) = exp(−t²), t = s·x:
//
//	σ′ = −2s·t·e, σ″ = s²(4t² − 2)·e, σ‴ = s³·4t(3 − 2t²)·e.
//
// Values whose magnitude falls below the smallest normal are flushed to zero; beyond
// |t| ≈ 26.6 everything is exactly zero.
type gaussFunc struct {
	fixed
	noParams
	s, s2, s3 float64
}

func (f *gaussFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	t := f.s * x
	f.derive(t, math.Exp(-(t * t)), order, d)
}

func (f *gaussFunc) derive(t, e float64, order int, d *[4]float64) {
	e = ftz(e)
	if e == 0 {
		// t² may be +Inf here; the polynomial factors must not meet it.
		for k := 0; k <= order; k++ {
			d[k] = 0
		}
		return
	}
	d[0] = e
	if order >= 1 {
		d[1] = ftz(-2 * f.s * t * e)
	}
	if order >= 2 {
		d[2] = ftz(f.s2 * (4*t*t - 2) * e)
	}
	if order >= 3 {
		d[3] = ftz(f.s3 * 4 * t * (3 - 2*t*t) * e)
	}
}

// EvalSlice runs the exponential through the kernel, using one of the output slices as
// scratch.
func (f *gaussFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	n := len(x)
	if n == 0 {
		return
	}
	w := wanted(order, d, n)
	scratch := pickScratch(w)
	if scratch == nil {
		return
	}
	for i, v := range x {
		t := f.s * v
		scratch[i] = -(t * t)
	}
	kernel.Exp(scratch, scratch)
	var r [4]float64
	for i, v := range x {
		f.derive(f.s*v, scratch[i], order, &r)
		for k := 0; k <= order; k++ {
			if w[k] != nil {
				w[k][i] = r[k]
			}
		}
	}
}

// pickScratch returns the first requested slice (nil when none is).
func pickScratch(w [4][]float64) []float64 {
	for k := 0; k < 4; k++ {
		if w[k] != nil {
			return w[k]
		}
	}
	return nil
}
