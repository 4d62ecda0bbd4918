package act

import "math"

func init() {
	Register(Entry{
		Name:        "mish",
		Description: "mish x·tanh(softplus(x)) (Misra 2019)",
		Defaults:    Config{},
		New:         func(cfg Config) (any, error) { return &mishFunc{fixed: fixed{name: "mish", cfg: cfg}}, nil },
	})
}

// mishFunc is f = x·g, g = tanh(sp(x)), sp = log(1 + eˣ). With s = σ(x), c = σ(−x) = e^(−sp),
// g and S = sech²(sp) follow from c without cancellation:
//
//	g = (1 − c²)/(1 + c²) = s(1 + c)/(1 + c²),  S = 4c²/(1 + c²)².
//
// Using sp′ = s, S′ = −2gSs, s′ = p, p′ = p2:
//
//	g′ = Ss,  g″ = −2gSs² + Sp,  g‴ = −2S²s³ + 4g²Ss³ − 6gSsp + Sp2,
//
// and f′ = g + xg′, f″ = 2g′ + xg″, f‴ = 3g″ + xg‴.
type mishFunc struct {
	fixed
	noParams
}

func (*mishFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	l := logisticFrom(x, math.Exp(-math.Abs(x)))
	s, c := l.s, l.c
	den := 1 + c*c
	g := s * (1 + c) / den
	d[0] = x * g
	if order == 0 {
		return
	}
	S := 4 * c * c / (den * den)
	g1 := S * s
	d[1] = g + x*g1
	if order == 1 {
		return
	}
	g2 := S * (l.p - 2*g*s*s)
	d[2] = 2*g1 + x*g2
	if order == 2 {
		return
	}
	p2 := -l.p * math.Tanh(x/2)
	g3 := S * (-2*S*s*s*s + 4*g*g*s*s*s - 6*g*s*l.p + p2)
	d[3] = 3*g2 + x*g3
}
