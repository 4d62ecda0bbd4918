package act

import "math"

func init() {
	Register(Entry{
		Name:        "tanh",
		Description: "hyperbolic tangent",
		Defaults:    Config{},
		New:         func(Config) (any, error) { return tanhFunc{}, nil },
	})
}

type tanhFunc struct{}

func (tanhFunc) Name() string    { return "tanh" }
func (tanhFunc) Config() Config  { return Config{} }
func (tanhFunc) Params() []Param { return nil }

// With t = tanh x: σ' = 1-t², σ” = -2t(1-t²), σ”' = (1-t²)(6t²-2).
func (tanhFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	t := math.Tanh(x)
	s := 1 - t*t
	d[0] = t
	if order >= 1 {
		d[1] = s
	}
	if order >= 2 {
		d[2] = -2 * t * s
	}
	if order >= 3 {
		d[3] = s * (6*t*t - 2)
	}
}

func (tanhFunc) EvalParamGrad(float64, []float64, int, [][4]float64) {}
