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

// EvalSlice evaluates through the kernel's vectorised sine and cosine: one pass for the
// cosine-based orders (1, 3), one for the sine-based ones (0, 2).
func (f *sineFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	n := len(x)
	if n == 0 {
		return
	}
	want := wanted(order, d, n)
	f.phase(x, want[1], want[3], f.w1, f.w3, kernel.Cos)
	f.phase(x, want[0], want[2], 1, f.w2, kernel.Sin)
}

// phase fills lo = a·trig(ωx) and hi = b·trig(ωx) (either may be nil), computing the
// trigonometric function once in whichever buffer is present.
func (f *sineFunc) phase(x, lo, hi []float64, a, b float64, trig func(dst, x []float64)) {
	buf := lo
	if buf == nil {
		buf = hi
	}
	if buf == nil {
		return
	}
	for i, v := range x {
		buf[i] = f.w1 * v
	}
	trig(buf, buf)
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
