package act

import "math"

func init() {
	Register(Entry{
		Name:        "silu",
		Description: "sigmoid-weighted linear unit x·σ(x) (SiLU, swish with β = 1)",
		Defaults:    Config{},
		New: func(cfg Config) (any, error) {
			return &siluFunc{fixed: fixed{name: "silu", cfg: cfg}}, nil
		},
	})
	Register(Entry{
		Name:        "swish",
		Description: "swish x·σ(β·x) with trainable β (init 1)",
		Defaults:    Config{},
		New: func(cfg Config) (any, error) {
			return &swishFunc{fixed: fixed{name: "swish", cfg: cfg, params: []Param{{"beta", 1}}}}, nil
		},
	})
}

// swishDerive fills f = x·σ(z), z = βx, from e = exp(−|z|) and th = tanh(z/2) (needed for
// orders ≥ 2): with s = σ(z), p = σ′(z), p2 = σ″(z) = −p·th, p3 = σ‴(z) = p(1 − 6p),
//
//	f′ = s + βx·p,  f″ = 2βp + β²x·p2,  f‴ = 3β²p2 + β³x·p3.
//
// x·p stays finite for every finite x: p ≤ e, and e underflows to 0 long before x·e matters.
func swishDerive(x, beta, e, th float64, order int, d *[4]float64) {
	l := logisticFrom(beta*x, e)
	d[0] = x * l.s
	if order >= 1 {
		d[1] = l.s + beta*(x*l.p)
	}
	if order >= 2 {
		p2 := -l.p * th
		d[2] = beta * (2*l.p + beta*(x*p2))
		if order >= 3 {
			p3 := l.p * (1 - 6*l.p)
			d[3] = beta * beta * (3*p2 + beta*(x*p3))
		}
	}
}

func swishEval(x, beta float64, order int, d *[4]float64) {
	z := beta * x
	var th float64
	if order >= 2 {
		th = math.Tanh(z / 2)
	}
	swishDerive(x, beta, math.Exp(-math.Abs(z)), th, order, d)
}

func swishSlice(x []float64, beta float64, order int, d [4][]float64) {
	logisticSlice(x, beta, true, order, d)
}

type siluFunc struct {
	fixed
	noParams
}

func (*siluFunc) Eval(x float64, _ []float64, order int, d *[4]float64) { swishEval(x, 1, order, d) }

// EvalSlice takes exp(−|x|) and tanh(x/2) from the kernel (see logisticSlice).
func (*siluFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) { swishSlice(x, 1, order, d) }

// swishFunc is x·σ(βx) with θ = (β).
type swishFunc struct{ fixed }

func (*swishFunc) Eval(x float64, th []float64, order int, d *[4]float64) {
	swishEval(x, th[0], order, d)
}

// EvalSlice takes exp(−|βx|) and tanh(βx/2) from the kernel (see logisticSlice).
func (*swishFunc) EvalSlice(x, th []float64, order int, d [4][]float64) {
	swishSlice(x, th[0], order, d)
}

// EvalParamGrad: ∂f/∂β = x²p, ∂f′/∂β = 2xp + βx²p2, ∂f″/∂β = 2p + 4βx·p2 + β²x²p3.
func (*swishFunc) EvalParamGrad(x float64, th []float64, order int, g [][4]float64) {
	beta := th[0]
	z := beta * x
	l := logisticFrom(z, math.Exp(-math.Abs(z)))
	xp := x * l.p
	g[0][0] = x * xp
	if order >= 1 {
		p2 := -l.p * math.Tanh(z/2)
		xp2 := x * p2
		g[0][1] = 2*xp + beta*(x*xp2)
		if order >= 2 {
			xp3 := x * (l.p * (1 - 6*l.p))
			g[0][2] = 2*l.p + 4*beta*xp2 + beta*beta*(x*xp3)
		}
	}
}
