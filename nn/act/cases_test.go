package act

import "math"

// actCase is one activation configuration under test, with its defining formula in jet
// arithmetic (the specification the closed forms must match) and the points to test.
type actCase struct {
	name  string
	cfg   Config
	theta []float64 // nil: the Params' initial values
	spec  func(x jet, th []float64) jet
	// freq is the activation's characteristic frequency: derivative k is of order freq^k and
	// finite-difference steps start at 0.05/freq.
	freq   float64
	points []float64
	// kinks are points where σ is not three times differentiable: they are skipped, and no
	// difference step crosses one.
	kinks []float64
	// specMax bounds |x| for the jet comparison, whose naive formulas overflow sooner than
	// the closed forms (default 30); the finite-difference test covers all points.
	specMax float64
	// grow widens the difference step with |x| (saturating functions whose features widen).
	grow bool
}

var (
	// generic points: both signs, near 0, moderate, and the large |x| where saturating
	// activations must stay exact.
	ptsModerate = []float64{-7.7, -3.1, -1.3, -0.7, -0.21, -0.013, 0.011, 0.17, 0.6, 1.1, 2.4, 4.2, 9.5}
	ptsLarge    = []float64{-1e8, -1e3, -50, 50, 1e3, 1e8}
	// points for ω0 = 30 periodic activations.
	ptsPeriodic = []float64{-12.5, -2.3, -0.71, -0.05, -0.0031, 0.0023, 0.033, 0.4, 1.7, 12.5, 1e3}
)

func join(sets ...[]float64) []float64 {
	var out []float64
	for _, s := range sets {
		out = append(out, s...)
	}
	return out
}

// testCases lists every configuration the table-driven tests run; TestEveryActivationHasCases
// fails when a registered name is missing.
func testCases() []actCase {
	return []actCase{
		{name: "sine", freq: 30, points: ptsPeriodic, spec: func(x jet, _ []float64) jet { return jsin(x.scale(30)) }},
		{name: "sine", cfg: Config{"omega": 1}, points: join(ptsModerate, ptsLarge),
			spec: func(x jet, _ []float64) jet { return jsin(x) }},
		{name: "gauss", freq: 30, points: []float64{-0.3, -0.05, -0.0041, 0, 0.013, 0.021, 0.1, 0.5, 0.88, 1, 50, 1e8},
			spec: func(x jet, _ []float64) jet { t := x.scale(30); return jexp(t.mul(t).scale(-1)) }},
		{name: "gauss", cfg: Config{"s": 1}, points: join(ptsModerate, ptsLarge),
			spec: func(x jet, _ []float64) jet { return jexp(x.mul(x).scale(-1)) }},
		{name: "relu", points: join(ptsModerate, ptsLarge), kinks: []float64{0},
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(jet) jet { return jet{} }, func(a jet) jet { return a })
			}},
		{name: "relu2", points: join(ptsModerate, ptsLarge), kinks: []float64{0},
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(jet) jet { return jet{} }, func(a jet) jet { return a.mul(a) })
			}},
		{name: "leaky_relu", points: join(ptsModerate, ptsLarge), kinks: []float64{0},
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return a.scale(0.01) }, func(a jet) jet { return a })
			}},
		{name: "leaky_relu", cfg: Config{"slope": -0.3}, points: ptsModerate, kinks: []float64{0},
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return a.scale(-0.3) }, func(a jet) jet { return a })
			}},
		{name: "abs", points: join(ptsModerate, ptsLarge), kinks: []float64{0},
			spec: func(x jet, _ []float64) jet { return jabs(x) }},
		{name: "linear", points: join(ptsModerate, ptsLarge), spec: func(x jet, _ []float64) jet { return x }},
		{name: "elu", points: join(ptsModerate, ptsLarge), kinks: []float64{0}, grow: true,
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return jexp(a).plus(-1) }, func(a jet) jet { return a })
			}},
		{name: "elu", cfg: Config{"alpha": 0.5}, points: ptsModerate, kinks: []float64{0},
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return jexp(a).plus(-1).scale(0.5) }, func(a jet) jet { return a })
			}},
		{name: "selu", points: join(ptsModerate, ptsLarge), kinks: []float64{0}, grow: true,
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return jexp(a).plus(-1).scale(seluAlpha * seluLambda) },
					func(a jet) jet { return a.scale(seluLambda) })
			}},
		{name: "tanh", points: join(ptsModerate, ptsLarge, []float64{-19, 25}), grow: true,
			spec: func(x jet, _ []float64) jet { return jtanh(x) }},
		{name: "sigmoid", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			spec: func(x jet, _ []float64) jet { return jsigmoid(x) }},
		{name: "softplus", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			spec: func(x jet, _ []float64) jet { return jlog(jexp(x).plus(1)) }},
		{name: "softplus", cfg: Config{"beta": 7}, freq: 7, points: join(ptsModerate, ptsLarge), grow: true,
			spec: func(x jet, _ []float64) jet { return jlog(jexp(x.scale(7)).plus(1)).scale(1.0 / 7) }},
	}
}

var _ = math.Pi
