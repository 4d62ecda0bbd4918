package act

import (
	"math"

	"github.com/inrstudio/studio/kernel"
)

func init() {
	Register(Entry{
		Name:        "tanh",
		Description: "hyperbolic tangent",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &tanhFunc{fixed: fixed{name: "tanh", cfg: cfg}}, nil },
	})
}

// tanhFunc is tanh x. With t = tanh x and q = sech²x = 1 − t²:
// σ′ = q, σ″ = −2tq, σ‴ = q(6t² − 2) = q(4 − 6q). q comes from e = exp(−2|x|) rather than
// from 1 − t², which loses all relative accuracy in the tails (see hyperbolic).
type tanhFunc struct {
	fixed
	noParams
}

func (*tanhFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	tanhDerive(x, math.Exp(-2*math.Abs(x)), order, d)
}

func tanhDerive(x, e float64, order int, d *[4]float64) {
	h := hyperbolicFrom(x, e)
	d[0] = h.t
	if order >= 1 {
		d[1] = h.q
	}
	if order >= 2 {
		d[2] = -2 * h.t * h.q
	}
	if order >= 3 {
		d[3] = h.q * (4 - 6*h.q)
	}
}

// EvalSlice takes exp(−2|x|) from the kernel, using an output slice as scratch.
func (*tanhFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
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
		scratch[i] = -2 * math.Abs(v)
	}
	kernel.Exp(scratch, scratch)
	var r [4]float64
	for i, v := range x {
		tanhDerive(v, scratch[i], order, &r)
		store(w, i, &r)
	}
}
