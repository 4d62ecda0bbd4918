package act

import (
	"math"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/kernel/vmath"
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
// |t| ≈ 26.6 everything is exactly zero (+0).
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
	d[0], d[1] = vmath.GaussJet(t, e, f.s)
	if order < 2 {
		return
	}
	e = d[0]
	t = max(-vmath.GaussClamp, min(t, vmath.GaussClamp))
	d[2] = f.d2(t, e)
	if order >= 3 {
		d[3] = f.d3(t, e)
	}
}

// d2, d3 are σ″, σ‴ from the clamped t and the flushed e (σ and σ′ are vmath.GaussJet's).
func (f *gaussFunc) d2(t, e float64) float64 { return ftzMask(f.s2 * (4*t*t - 2) * e) }
func (f *gaussFunc) d3(t, e float64) float64 { return ftzMask(f.s3 * 4 * t * (3 - 2*t*t) * e) }

// EvalSlice takes the exponential from the kernel, a chunk at a time, and forms each requested
// order in its own loop: the same expressions as derive, without the dispatch per element.
func (f *gaussFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	w := wanted(order, d, len(x))
	if order == 1 && w[0] != nil && w[1] != nil {
		kernel.GaussJet(w[0], w[1], x, f.s) // the training step: one vectorised pass
		return
	}
	bufs := freeChunkBuffers.Get()
	defer freeChunkBuffers.Put(bufs)
	eb, tb := &bufs[0], &bufs[1]
	for lo := 0; lo < len(x); lo += sliceChunk {
		xs := x[lo:min(lo+sliceChunk, len(x))]
		e, t := eb[:len(xs)], tb[:len(xs)]
		for i, v := range xs {
			u := f.s * v
			e[i] = -(u * u)
			t[i] = max(-vmath.GaussClamp, min(u, vmath.GaussClamp))
		}
		kernel.Exp(e, e)
		for i, v := range e {
			e[i] = ftzMask(v)
		}
		if w[0] != nil {
			copy(w[0][lo:], e)
		}
		if w[1] != nil {
			d1 := w[1][lo : lo+len(xs)]
			for i, ti := range t {
				_, d1[i] = vmath.GaussJet(ti, e[i], f.s)
			}
		}
		if w[2] != nil {
			d2 := w[2][lo : lo+len(xs)]
			for i, ti := range t {
				d2[i] = f.d2(ti, e[i])
			}
		}
		if w[3] != nil {
			d3 := w[3][lo : lo+len(xs)]
			for i, ti := range t {
				d3[i] = f.d3(ti, e[i])
			}
		}
	}
}
