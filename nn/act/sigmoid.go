package act

import (
	"math"

	"github.com/inrstudio/studio/kernel"
)

func init() {
	Register(Entry{
		Name:        "sigmoid",
		Description: "logistic sigmoid 1/(1 + e^(−x))",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &sigmoidFunc{fixed: fixed{name: "sigmoid", cfg: cfg}}, nil },
	})
	Register(Entry{
		Name:        "softplus",
		Description: "softplus log(1 + e^(beta·x))/beta, evaluated without overflow for any x",
		Defaults:    Config{"beta": 1},
		New: func(cfg Config) (any, error) {
			b, err := cfgPositive("softplus", cfg, "beta")
			if err != nil {
				return nil, err
			}
			return &softplusFunc{fixed: fixed{name: "softplus", cfg: cfg}, beta: b}, nil
		},
	})
}

// sigmoidFunc is σ(x) with σ′ = σ(1−σ), σ″ = −σ′·tanh(x/2), σ‴ = σ′(1 − 6σ′), all from
// e = exp(−|x|) (see logistic) and tanh(x/2).
type sigmoidFunc struct {
	fixed
	noParams
}

func (*sigmoidFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	var th float64
	if order >= 2 {
		th = math.Tanh(x / 2)
	}
	sigmoidDerive(x, math.Exp(-math.Abs(x)), th, order, d)
}

func sigmoidDerive(x, e, th float64, order int, d *[4]float64) {
	l := logisticFrom(x, e)
	d[0] = l.s
	if order >= 1 {
		d[1] = l.p
	}
	if order >= 2 {
		d[2] = -l.p * th
	}
	if order >= 3 {
		d[3] = l.p * (1 - 6*l.p)
	}
}

// EvalSlice takes exp(−|x|) and, for orders ≥ 2, tanh(x/2) from the kernel, holding them in
// output slices.
func (*sigmoidFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	logisticSlice(x, 1, false, order, d)
}

// logisticSlice is the slice path of sigmoid (swish false) and of swish x·σ(βx): e = exp(−|βx|)
// and, for orders ≥ 2, th = tanh(βx/2) come from the kernel (th per element with math.Tanh when
// only one output slice is available to hold it), then the scalar closed forms run per element.
func logisticSlice(x []float64, beta float64, swish bool, order int, d [4][]float64) {
	n := len(x)
	if n == 0 {
		return
	}
	w := wanted(order, d, n)
	if order == 0 && w[0] != nil {
		// inference: the kernel's vectorised sigmoid (≤ 3 ulp) is all that is needed
		for i, v := range x {
			w[0][i] = beta * v
		}
		kernel.Sigmoid(w[0], w[0])
		if swish {
			for i, v := range x {
				w[0][i] *= v
			}
		}
		return
	}
	needTh := order >= 2
	eb, tb := buffers(w, needTh, 1, 0, 3, 2)
	if eb == nil {
		return
	}
	if tb != nil {
		for i, v := range x {
			tb[i] = beta * v / 2
		}
		kernel.Tanh(tb, tb)
	}
	for i, v := range x {
		eb[i] = -math.Abs(beta * v)
	}
	kernel.Exp(eb, eb)
	var r [4]float64
	for i, v := range x {
		var th float64
		if needTh {
			if tb != nil {
				th = tb[i]
			} else {
				th = math.Tanh(beta * v / 2)
			}
		}
		if swish {
			swishDerive(v, beta, eb[i], th, order, &r)
		} else {
			sigmoidDerive(v, eb[i], th, order, &r)
		}
		scatter(w, i, &r)
	}
}

// softplusFunc is (1/β)·log(1 + e^(βx)) = max(x, 0) + log1p(e^(−β|x|))/β, whose
// derivatives are σ(βx), β·σ′(βx), β²·σ″(βx).
type softplusFunc struct {
	fixed
	noParams
	beta float64
}

func (f *softplusFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	z := f.beta * x
	e := math.Exp(-math.Abs(z))
	d[0] = relu(x) + math.Log1p(e)/f.beta
	if order == 0 {
		return
	}
	l := logisticFrom(z, e)
	d[1] = l.s
	if order >= 2 {
		d[2] = f.beta * l.p
	}
	if order >= 3 {
		d[3] = -f.beta * f.beta * l.p * math.Tanh(z/2)
	}
}
