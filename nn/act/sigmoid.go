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
// e = exp(−|x|) (see logistic).
type sigmoidFunc struct {
	fixed
	noParams
}

func (*sigmoidFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	sigmoidDerive(x, math.Exp(-math.Abs(x)), order, d)
}

func sigmoidDerive(x, e float64, order int, d *[4]float64) {
	l := logisticFrom(x, e, order >= 2)
	d[0] = l.s
	if order >= 1 {
		d[1] = l.p
	}
	if order >= 2 {
		d[2] = -l.p * l.th
	}
	if order >= 3 {
		d[3] = l.p * (1 - 6*l.p)
	}
}

// EvalSlice takes exp(−|x|) from the kernel, using an output slice as scratch.
func (*sigmoidFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
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
		scratch[i] = -math.Abs(v)
	}
	kernel.Exp(scratch, scratch)
	var r [4]float64
	for i, v := range x {
		sigmoidDerive(v, scratch[i], order, &r)
		store(w, i, &r)
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
	l := logisticFrom(z, e, order >= 2)
	d[1] = l.s
	if order >= 2 {
		d[2] = f.beta * l.p
	}
	if order >= 3 {
		d[3] = -f.beta * f.beta * l.p * l.th
	}
}
