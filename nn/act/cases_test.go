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
	// freqAt overrides freq where the local frequency depends on x (finer).
	freqAt func(x float64) float64
	// thetas are further parameter values to test besides theta (or the initial values).
	thetas [][]float64
	// paramKinks lists where σ is not smooth in θ_m (|b_i| in rational, apa's clamp on λ).
	paramKinks func(m int) []float64
	// pstep overrides the initial parameter step (parameters with a small feature scale).
	pstep float64
	// noiseX marks closed forms whose rounding error grows like ε·|x| relative (rational far
	// from 0, where R‴ ~ 1/x⁴ is a small remainder of terms of size 1/x³): the difference
	// quotients' noise floor is scaled by 10·(1 + |x|). Their accuracy is checked separately
	// against exact rational arithmetic (TestRationalExact).
	noiseX bool
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
		{name: "elu", points: join(ptsModerate, ptsLarge), kinks: []float64{0}, grow: true, noiseX: true,
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return jexp(a).plus(-1) }, func(a jet) jet { return a })
			}},
		{name: "elu", cfg: Config{"alpha": 0.5}, points: ptsModerate, kinks: []float64{0},
			spec: func(x jet, _ []float64) jet {
				return jpiece(x, func(a jet) jet { return jexp(a).plus(-1).scale(0.5) }, func(a jet) jet { return a })
			}},
		{name: "selu", points: join(ptsModerate, ptsLarge), kinks: []float64{0}, grow: true, noiseX: true,
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
		{name: "finer", cfg: Config{"detach": 0}, kinks: []float64{0},
			points: []float64{-2.3, -0.71, -0.05, -0.0031, 0.0023, 0.033, 0.4, 1.7, 50},
			freqAt: func(x float64) float64 { return 30 * (2*math.Abs(x) + 1) },
			spec:   func(x jet, _ []float64) jet { return jsin(x.mul(jabs(x).plus(1)).scale(30)) }},
		{name: "finer", cfg: Config{"detach": 0, "omega": 1}, kinks: []float64{0}, points: ptsModerate,
			freqAt: func(x float64) float64 { return 2*math.Abs(x) + 1 },
			spec:   func(x jet, _ []float64) jet { return jsin(x.mul(jabs(x).plus(1))) }},
		{name: "gabor_real", freq: 60, points: []float64{-0.1, -0.03, -0.007, 0, 0.004, 0.02, 0.05, 0.09, 1, 50, 1e8},
			spec: func(x jet, _ []float64) jet {
				t := x.scale(30)
				return jcos(x.scale(20)).mul(jexp(t.mul(t).scale(-1)))
			}},
		{name: "gabor_real", cfg: Config{"omega": 3, "s": 0.5}, freq: 3, points: join(ptsModerate, ptsLarge),
			spec: func(x jet, _ []float64) jet {
				t := x.scale(0.5)
				return jcos(x.scale(3)).mul(jexp(t.mul(t).scale(-1)))
			}},
		{name: "spder", freq: 30, kinks: []float64{0},
			points: []float64{-12.5, -2.3, -0.71, -0.05, -0.0031, -1e-6, 1e-9, 0.0023, 0.033, 0.4, 1.7, 1e3},
			spec:   func(x jet, _ []float64) jet { u := x.scale(30); return jsin(u).mul(jsqrtabs(u)) }},
		{name: "spder_atan", freq: 30, points: join(ptsPeriodic, []float64{0, -1e-7}),
			spec: func(x jet, _ []float64) jet { u := x.scale(30); return jsin(u).mul(jatan(u)) }},
		{name: "spder_atan", cfg: Config{"omega": 1}, points: join(ptsModerate, ptsLarge),
			spec: func(x jet, _ []float64) jet { return jsin(x).mul(jatan(x)) }},
		{name: "cauchy", points: join(ptsModerate, ptsLarge, []float64{0}), grow: true,
			thetas: [][]float64{{0.7, -1.3, 0.4}, {-2, 0.5, -1.5}},
			spec:   cauchySpec(1, 1e-6)},
		{name: "cauchy", cfg: Config{"scale": 30}, freq: 75, theta: []float64{0.7, -1.3, 0.4},
			points: []float64{-0.5, -0.1, -0.01, 0, 0.003, 0.02, 0.3, 1e3},
			spec:   cauchySpec(30, 1e-6)},
		{name: "cauchy", freq: 1000, theta: []float64{1.2, 0.8, 1e-3}, pstep: 5e-5,
			points: []float64{-0.05, -0.004, -0.0011, 0, 0.0007, 0.002, 0.01, 1, 1e8},
			spec:   cauchySpec(1, 1e-6)},
		{name: "silu", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			spec: func(x jet, _ []float64) jet { return x.mul(jsigmoid(x)) }},
		{name: "swish", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			thetas: [][]float64{{1.7}, {-0.6}, {0.05}},
			spec:   func(x jet, th []float64) jet { return x.mul(jsigmoid(x.scale(th[0]))) }},
		{name: "gelu", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			spec: func(x jet, _ []float64) jet { return x.mul(jPhi(x)) }},
		{name: "xgelu", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			thetas: [][]float64{{0.35}, {-0.2}},
			spec:   xgateSpec(jPhi)},
		{name: "xsilu", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			thetas: [][]float64{{0.35}, {-0.2}},
			spec:   xgateSpec(jsigmoid)},
		{name: "xatlu", points: join(ptsModerate, ptsLarge), grow: true,
			thetas: [][]float64{{0.35}, {-0.2}},
			spec:   xgateSpec(func(a jet) jet { return jatan(a).scale(1 / math.Pi).plus(0.5) })},
		{name: "mish", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			spec: func(x jet, _ []float64) jet { return x.mul(jtanh(jlog(jexp(x).plus(1)))) }},
		{name: "apa", points: join(ptsModerate, ptsLarge, []float64{-30, 36}), grow: true,
			thetas:     [][]float64{{0.6, 0.3}, {1.8, 2.5}, {-0.7, 0.9}, {0.5, 1e-5}},
			paramKinks: func(m int) []float64 { return []float64{apaLambdaMin} },
			spec: func(x jet, th []float64) jet {
				lam := math.Max(th[1], 1e-4)
				return x.mul(jexp(jlog(jexp(x.scale(-th[0])).scale(lam).plus(1)).scale(-1 / lam)))
			}},
		{name: "fkan", freq: 30, points: []float64{-7.7, -1.3, -0.2, -0.05, -0.004, 0, 0.003, 0.02, 0.1, 0.6, 2.4, 50, 1e3, 1e8},
			spec: func(x jet, _ []float64) jet { return x.add(jtanh(x.scale(30))).mul(jsigmoid(x)) }},
		{name: "fkan", cfg: Config{"scale": 1}, points: join(ptsModerate, ptsLarge), grow: true,
			spec: func(x jet, _ []float64) jet { return x.add(jtanh(x)).mul(jsigmoid(x)) }},
		{name: "rational", kinks: []float64{0}, grow: true, noiseX: true, points: join(ptsModerate, ptsLarge),
			thetas: [][]float64{{0.1, 0.9, 0.3, -0.2, 0.05, 0.02, 0.4, -0.3, 0.2, 0.1}},
			spec:   rationalSpec, paramKinks: rationalKinks(5)},
		{name: "rational", cfg: Config{"m": 3, "n": 2, "init": RationalInitTanh}, kinks: []float64{0}, grow: true, noiseX: true,
			points: join(ptsModerate, ptsLarge), thetas: [][]float64{{-0.3, 1.1, 0.2, 0.4, 0.7, -0.25}},
			spec: rationalSpec, paramKinks: rationalKinks(3)},
		{name: "rational", cfg: Config{"init": RationalInitSiLU}, kinks: []float64{0}, grow: true, noiseX: true,
			points: join(ptsModerate, ptsLarge), spec: rationalSpec, paramKinks: rationalKinks(5)},
	}
}

// rationalKinks: the denominator coefficients (index > m) enter as |b_i|.
func rationalKinks(m int) func(int) []float64 {
	return func(i int) []float64 {
		if i > m {
			return []float64{0}
		}
		return nil
	}
}

func cauchySpec(c, eps float64) func(x jet, th []float64) jet {
	return func(x jet, th []float64) jet {
		u := x.scale(c)
		return u.scale(th[0]).plus(th[1]).div(u.mul(u).plus(th[2]*th[2] + eps))
	}
}

func xgateSpec(gate func(jet) jet) func(x jet, th []float64) jet {
	return func(x jet, th []float64) jet {
		return x.mul(gate(x).scale(1 + 2*th[0]).plus(-th[0]))
	}
}

// rationalSpec is P/Q for θ = (a_0..a_m, b_1..b_n), with n = len(θ) − m − 1 found from the
// layout of the test thetas (m = 5, n = 4 or m = 3, n = 2).
func rationalSpec(x jet, th []float64) jet {
	m, n := 5, 4
	if len(th) == 6 {
		m, n = 3, 2
	}
	var P jet
	pw := cst(1)
	for i := 0; i <= m; i++ {
		P = P.add(pw.scale(th[i]))
		pw = pw.mul(x)
	}
	Q := cst(1)
	ax := jabs(x)
	pw = ax
	for i := 1; i <= n; i++ {
		Q = Q.add(pw.scale(math.Abs(th[m+i])))
		pw = pw.mul(ax)
	}
	return P.div(Q)
}
