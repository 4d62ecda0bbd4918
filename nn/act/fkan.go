package act

import "math"

func init() {
	Register(Entry{
		Name:        "fkan",
		Description: "FKAN hidden activation (x + tanh(scale·x))·σ(x), scale = 30 as in the FKAN notebook",
		Defaults:    Config{"scale": 30},
		New: func(cfg Config) (any, error) {
			k, err := cfgFinite("fkan", cfg, "scale")
			if err != nil {
				return nil, err
			}
			return &fkanFunc{fixed: fixed{name: "fkan", cfg: cfg}, k: k}, nil
		},
	})
}

// fkanFunc is FKAN's hidden-layer activation f = g·h, g = x + tanh(kx), h = σ(x) (the
// notebook's "SineLayer"; its three unused trainable scalars are not reproduced). With
// T = tanh(kx), Q = sech²(kx):
//
//	g′ = 1 + kQ, g″ = −2k²TQ, g‴ = k³Q(4 − 6Q),
//
// h⁽ᵏ⁾ from the logistic forms, and f⁽ⁿ⁾ = Σ C(n,j) g⁽ʲ⁾h⁽ⁿ⁻ʲ⁾.
type fkanFunc struct {
	fixed
	noParams
	k float64
}

func (f *fkanFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	k := f.k
	kx := k * x
	t := math.Tanh(kx)
	q := sech2(math.Exp(-2 * math.Abs(kx)))
	l := logisticFrom(x, math.Exp(-math.Abs(x)))
	var th float64
	if order >= 2 {
		th = math.Tanh(x / 2)
	}
	g := [4]float64{x + t, 1 + k*q, -2 * k * k * t * q, k * k * k * q * (4 - 6*q)}
	h := [4]float64{l.s, l.p, -l.p * th, l.p * (1 - 6*l.p)}
	d[0] = g[0] * h[0]
	if order >= 1 {
		d[1] = g[1]*h[0] + g[0]*h[1]
	}
	if order >= 2 {
		d[2] = g[2]*h[0] + 2*g[1]*h[1] + g[0]*h[2]
	}
	if order >= 3 {
		d[3] = g[3]*h[0] + 3*g[2]*h[1] + 3*g[1]*h[2] + g[0]*h[3]
	}
}
