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
// from 1 − t², which loses all relative accuracy in the tails (see sech2).
type tanhFunc struct {
	fixed
	noParams
}

func (*tanhFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	d[0] = math.Tanh(x)
	if order >= 1 {
		tanhDerive(d[0], math.Exp(-2*math.Abs(x)), order, d)
	}
}

// tanhDerive fills orders 1..order from t = tanh x and e = exp(−2|x|).
func tanhDerive(t, e float64, order int, d *[4]float64) {
	q := sech2(e)
	d[1] = q
	if order >= 2 {
		d[2] = -2 * t * q
	}
	if order >= 3 {
		d[3] = q * (4 - 6*q)
	}
}

// EvalSlice takes tanh x and exp(−2|x|) from the kernel, holding them in output slices.
func (*tanhFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	n := len(x)
	if n == 0 {
		return
	}
	w := wanted(order, d, n)
	needT := w[0] != nil || w[2] != nil
	eb, tb := buffers(w, needT, 3, 1, 2, 0)
	if eb == nil {
		return
	}
	if w[1] == nil && w[2] == nil && w[3] == nil {
		kernel.Tanh(w[0], x) // order 0: no exponential needed
		return
	}
	if tb != nil {
		kernel.Tanh(tb, x)
	}
	for i, v := range x {
		eb[i] = -2 * math.Abs(v)
	}
	kernel.Exp(eb, eb)
	var r [4]float64
	for i, v := range x {
		e := eb[i]
		var t float64
		if needT {
			if tb != nil {
				t = tb[i]
			} else {
				t = math.Tanh(v)
			}
		}
		tanhDerive(t, e, order, &r)
		r[0] = t
		scatter(w, i, &r)
	}
}
