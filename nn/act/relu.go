package act

import (
	"math"
	"math/bits"
)

// Piecewise-linear and piecewise-smooth activations. At a kink the derivative takes the
// value of the left piece (relu′(0) = 0, leaky_relu′(0) = slope, abs′(0) = 0 by symmetry),
// and every higher derivative there is the left piece's as well.

func init() {
	Register(Entry{
		Name:        "relu",
		Description: "rectifier max(0, x); relu′(0) = 0",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &reluFunc{fixed: fixed{name: "relu", cfg: cfg}}, nil },
	})
	Register(Entry{
		Name:        "relu2",
		Description: "squared rectifier max(0, x)²; relu2″(0) = 0",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &relu2Func{fixed: fixed{name: "relu2", cfg: cfg}}, nil },
	})
	Register(Entry{
		Name:        "leaky_relu",
		Description: "leaky rectifier: x for x > 0, slope·x otherwise",
		Defaults:    Config{"slope": 0.01},
		New: func(cfg Config) (any, error) {
			a, err := cfgFinite("leaky_relu", cfg, "slope")
			if err != nil {
				return nil, err
			}
			return &leakyFunc{fixed: fixed{name: "leaky_relu", cfg: cfg}, slope: a}, nil
		},
	})
	Register(Entry{
		Name:        "abs",
		Description: "absolute value |x|; abs′(0) = 0",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &absFunc{fixed: fixed{name: "abs", cfg: cfg}}, nil },
	})
	Register(Entry{
		Name:        "linear",
		Description: "identity x (a linear layer's 'no activation')",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &linearFunc{fixed: fixed{name: "linear", cfg: cfg}}, nil },
	})
	Register(Entry{
		Name:        "elu",
		Description: "exponential linear unit: x for x > 0, alpha·(eˣ − 1) otherwise",
		Defaults:    Config{"alpha": 1},
		New: func(cfg Config) (any, error) {
			a, err := cfgFinite("elu", cfg, "alpha")
			if err != nil {
				return nil, err
			}
			return &eluFunc{fixed: fixed{name: "elu", cfg: cfg}, alpha: a, lambda: 1}, nil
		},
	})
	Register(Entry{
		Name:        "selu",
		Description: "scaled ELU λ·elu(x; α) with the self-normalising constants of Klambauer et al. 2017",
		Defaults:    Config{},
		New: func(cfg Config) (any, error) {
			return &eluFunc{fixed: fixed{name: "selu", cfg: cfg}, alpha: seluAlpha, lambda: seluLambda}, nil
		},
	})
}

// The SELU constants (Klambauer et al., "Self-Normalizing Neural Networks", 2017), as in
// PyTorch's torch.nn.SELU.
const (
	seluAlpha  = 1.6732632423543772848170429916717
	seluLambda = 1.0507009873554804934193349852946
)

type reluFunc struct {
	fixed
	noParams
}

func (*reluFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	d[0] = relu(x)
	if order >= 1 {
		d[1] = step(x)
	}
	for k := 2; k <= order; k++ {
		d[k] = 0
	}
}

// EvalSlice is the scalar loop without the interface call per element, and without branches:
// the sign of a layer's pre-activations is unpredictable, and the branches of relu and step
// mispredicted half the time (11 ns an element for both outputs, 1.7 ns branch-free).
func (*reluFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	n := len(x)
	if n == 0 {
		return
	}
	w := wanted(order, d, n)
	for k := 2; k < 4; k++ {
		clear(w[k])
	}
	switch {
	case w[0] != nil && w[1] != nil:
		d0, d1 := w[0], w[1]
		for i, v := range x {
			d0[i], d1[i] = reluStep(v)
		}
	case w[0] != nil:
		for i, v := range x {
			w[0][i], _ = reluStep(v)
		}
	case w[1] != nil:
		for i, v := range x {
			_, w[1][i] = reluStep(v)
		}
	}
}

// relu propagates NaN (a comparison-based max would silently turn it into 0).
func relu(x float64) float64 {
	if x <= 0 {
		return 0
	}
	return x
}

func step(x float64) float64 {
	if x > 0 {
		return 1
	}
	return 0
}

// reluStep returns relu(x) and step(x), bit for bit, from integer masks on x's bits (compiled
// to subtract-with-borrow, no branch): x > 0 exactly when its bits b satisfy 1 ≤ b ≤ bits(+Inf),
// and NaN (kept by relu) when b without its sign exceeds bits(+Inf).
func reluStep(x float64) (r, s float64) {
	const inf, one = 0x7ff0000000000000, 0x3ff0000000000000
	b := math.Float64bits(x)
	_, pos := bits.Sub64(b-1, inf, 0)        // 1 when 0 < x ≤ +Inf
	_, nan := bits.Sub64(inf, b&^(1<<63), 0) // 1 when x is NaN
	return math.Float64frombits(b & -(pos | nan)), math.Float64frombits(one & -pos)
}

type relu2Func struct {
	fixed
	noParams
}

func (*relu2Func) Eval(x float64, _ []float64, order int, d *[4]float64) {
	r := relu(x)
	d[0] = r * r
	if order >= 1 {
		d[1] = 2 * r
	}
	if order >= 2 {
		d[2] = 2 * step(x)
	}
	if order >= 3 {
		d[3] = 0
	}
}

type leakyFunc struct {
	fixed
	noParams
	slope float64
}

func (f *leakyFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	g := f.slope
	if x > 0 {
		g = 1
	}
	d[0] = g * x
	if order >= 1 {
		d[1] = g
	}
	for k := 2; k <= order; k++ {
		d[k] = 0
	}
}

type absFunc struct {
	fixed
	noParams
}

func (*absFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	d[0] = math.Abs(x)
	if order >= 1 {
		d[1] = sgn(x)
	}
	for k := 2; k <= order; k++ {
		d[k] = 0
	}
}

type linearFunc struct {
	fixed
	noParams
}

func (*linearFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	d[0] = x
	if order >= 1 {
		d[1] = 1
	}
	for k := 2; k <= order; k++ {
		d[k] = 0
	}
}

// eluFunc is λ·(x for x > 0, α(eˣ − 1) for x ≤ 0); the negative piece uses expm1 so that
// small |x| keeps its relative accuracy.
type eluFunc struct {
	fixed
	noParams
	alpha, lambda float64
}

func (f *eluFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	if x > 0 {
		d[0] = f.lambda * x
		if order >= 1 {
			d[1] = f.lambda
		}
		for k := 2; k <= order; k++ {
			d[k] = 0
		}
		return
	}
	la := f.lambda * f.alpha
	d[0] = la * math.Expm1(x)
	e := la * ftz(math.Exp(x))
	for k := 1; k <= order; k++ {
		d[k] = e
	}
}
