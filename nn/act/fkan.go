package act

import (
	"math"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/kernel/vmath"
)

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
	kx := f.k * x
	var th float64
	if order >= 2 {
		th = math.Tanh(x / 2)
	}
	f.derive(x, math.Tanh(kx), math.Exp(-2*math.Abs(kx)), math.Exp(-math.Abs(x)), th, order, d)
}

// derive fills d from x and its elementary values: t = tanh(kx), e2 = exp(−2|kx|) (for
// sech²(kx)), e1 = exp(−|x|) (for σ(x)) and, for orders ≥ 2, th = tanh(x/2).
func (f *fkanFunc) derive(x, t, e2, e1, th float64, order int, d *[4]float64) {
	k := f.k
	d0, d1, q, h0, h1 := vmath.FKANJet(x, t, e2, e1, k)
	d[0] = d0
	if order == 0 {
		return
	}
	d[1] = d1
	if order == 1 {
		return
	}
	g0, g1 := x+t, 1+k*q
	g2, h2 := -2*k*k*t*q, -h1*th
	d[2] = g2*h0 + 2*g1*h1 + g0*h2
	if order >= 3 {
		g3, h3 := k*k*k*q*(4-6*q), h1*(1-6*h1)
		d[3] = g3*h0 + 3*g2*h1 + 3*g1*h2 + g0*h3
	}
}

// EvalSlice takes tanh(kx), the two exponentials and (orders ≥ 2) tanh(x/2) from the kernel, a
// chunk at a time; order 1 with both outputs (the training step) is the kernel's FKAN, the same
// values and operations in one vectorised pass.
func (f *fkanFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	w := wanted(order, d, len(x))
	if order == 1 && w[0] != nil && w[1] != nil {
		kernel.FKAN(w[0], w[1], x, f.k) // the training step: one vectorised pass
		return
	}
	bufs := freeChunkBuffers.Get()
	defer freeChunkBuffers.Put(bufs)
	tb, e2b, e1b, hb := &bufs[0], &bufs[1], &bufs[2], &bufs[3]
	var r [4]float64
	for lo := 0; lo < len(x); lo += sliceChunk {
		xs := x[lo:min(lo+sliceChunk, len(x))]
		n := len(xs)
		t, e2, e1, th := tb[:n], e2b[:n], e1b[:n], hb[:n]
		for i, v := range xs {
			kx := f.k * v
			t[i] = kx
			e2[i] = -2 * math.Abs(kx)
			e1[i] = -math.Abs(v)
		}
		kernel.Tanh(t, t)
		kernel.Exp(e2, e2)
		kernel.Exp(e1, e1)
		if order >= 2 {
			for i, v := range xs {
				th[i] = v / 2
			}
			kernel.Tanh(th, th)
		}
		for i, v := range xs {
			f.derive(v, t[i], e2[i], e1[i], th[i], order, &r)
			scatter(w, lo+i, &r)
		}
	}
}
