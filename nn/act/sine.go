package act

import (
	"math"

	"github.com/inrstudio/studio/kernel"
)

func init() {
	Register(Entry{
		Name:        "sine",
		Description: "SIREN sine sin(omega·x); a SIREN layer is sine(W·h + b) with omega = ω0",
		Defaults:    Config{"omega": 30},
		New: func(cfg Config) (any, error) {
			w, err := cfgFinite("sine", cfg, "omega")
			if err != nil {
				return nil, err
			}
			return &sineFunc{fixed: fixed{name: "sine", cfg: cfg}, w1: w, w2: -(w * w), w3: -(w * w * w)}, nil
		},
	})
}

// sineFunc is σ(x) = sin(ωx). The derivative factors are kept premultiplied (w2 = −ω²,
// w3 = −ω³) so that the scalar and slice paths perform the same roundings.
type sineFunc struct {
	fixed
	noParams
	w1, w2, w3 float64
}

func (f *sineFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	s, c := math.Sincos(f.w1 * x)
	d[0] = s
	if order >= 1 {
		d[1] = f.w1 * c
	}
	if order >= 2 {
		d[2] = f.w2 * s
	}
	if order >= 3 {
		d[3] = f.w3 * c
	}
}

// EvalSlice evaluates through the kernel's vectorised sine and cosine: one SinCos pass when
// both parities of order are requested (sine for 0 and 2, cosine for 1 and 3), else one Sin or
// Cos pass, each written straight into an output slice and scaled there.
func (f *sineFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	n := len(x)
	if n == 0 {
		return
	}
	w := wanted(order, d, n)
	sb, _ := buffers(w, false, 0, 2)
	cb, _ := buffers(w, false, 1, 3)
	switch {
	case sb != nil && cb != nil:
		for i, v := range x {
			cb[i] = f.w1 * v
		}
		kernel.SinCos(sb, cb, cb)
	case sb != nil:
		for i, v := range x {
			sb[i] = f.w1 * v
		}
		kernel.Sin(sb, sb)
	case cb != nil:
		for i, v := range x {
			cb[i] = f.w1 * v
		}
		kernel.Cos(cb, cb)
	}
	f.scalePair(sb, w[0], w[2], 1, f.w2)
	f.scalePair(cb, w[1], w[3], f.w1, f.w3)
}

// scalePair turns buf (holding sin or cos) into lo = a·buf and hi = b·buf, where buf is lo if
// present, else hi.
func (f *sineFunc) scalePair(buf, lo, hi []float64, a, b float64) {
	if buf == nil {
		return
	}
	if lo != nil && hi != nil {
		for i, v := range lo {
			hi[i] = b * v
		}
	}
	scale := a
	if lo == nil {
		scale = b
	}
	if scale != 1 {
		for i, v := range buf {
			buf[i] = scale * v
		}
	}
}

// scatter writes r[k] into w[k][i] for the requested orders k ≤ order (w from wanted, so w[k]
// is nil above order), unrolled: a loop over k costs more than the stores themselves.
func scatter(w [4][]float64, i int, r *[4]float64) {
	if w[0] != nil {
		w[0][i] = r[0]
	}
	if w[1] != nil {
		w[1][i] = r[1]
	}
	if w[2] != nil {
		w[2][i] = r[2]
	}
	if w[3] != nil {
		w[3][i] = r[3]
	}
}

// wanted returns d[k][:n] for the orders to compute and nil for the others.
func wanted(order int, d [4][]float64, n int) [4][]float64 {
	var w [4][]float64
	for k := 0; k <= order && k < 4; k++ {
		if d[k] != nil {
			w[k] = d[k][:n]
		}
	}
	return w
}
