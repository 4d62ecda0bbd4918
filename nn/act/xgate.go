package act

import "math"

// Self-gated activations f(x) = x·h(x) and their expanded-range variants (A. H. Huang,
// "Expanded Gating Ranges Improve Activation Functions", arXiv 2405.20768, 2024; the
// definitions follow the paper and its reference implementation x_gate): for a gate g with
// range (0, 1),
//
//	h(x) = (1 + 2α)·g(x) − α = g + α(2g − 1),  range (−α, 1 + α),
//
// with α trainable, initialised to 0 (so xGELU = GELU and xSiLU = SiLU at init). The gates are
// Φ (the normal distribution function: xGELU), σ (xSiLU) and arctan(x)/π + 1/2 (xATLU).
// GELU itself is the Φ gate with α = 0.

func init() {
	Register(Entry{
		Name:        "gelu",
		Description: "exact GELU x·Φ(x), Φ the standard normal distribution function (erf-based)",
		Defaults:    Config{},
		New: func(cfg Config) (any, error) {
			return &xgateFunc{fixed: fixed{name: "gelu", cfg: cfg}, gate: gatePhi}, nil
		},
	})
	for _, g := range []struct {
		name, desc string
		gate       func(float64) gateVals
	}{
		{"xgelu", "expanded-range GELU x·((1+2α)Φ(x) − α), trainable α (init 0)", gatePhi},
		{"xsilu", "expanded-range SiLU x·((1+2α)σ(x) − α), trainable α (init 0)", gateSigmoid},
		{"xatlu", "expanded-range arctan unit x·((1+2α)(arctan(x)/π + 1/2) − α), trainable α (init 0)", gateAtan},
	} {
		Register(Entry{
			Name:        g.name,
			Description: g.desc,
			Defaults:    Config{},
			New: func(cfg Config) (any, error) {
				return &xgateFunc{fixed: fixed{name: g.name, cfg: cfg, params: []Param{{"alpha", 0}}}, gate: g.gate, trainable: true}, nil
			},
		})
	}
}

// gateVals holds a gate at x: g, m = 2g − 1, g′ and the combinations that make up f = x·g,
//
//	K1 = (xg)′ = g + xg′,  K2 = (xg)″ = 2g′ + xg″,  K3 = (xg)‴ = 3g″ + xg‴,
//
// each formed without cancellation or overflow (see the gates).
type gateVals struct {
	g, m, g1, g2 float64
	K            [4]float64 // index 1..3
}

const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)

// gatePhi: g = Φ(x) = erfc(−x/√2)/2, φ = e^(−x²/2)/√(2π), g′ = φ, g″ = −xφ:
// K1 = Φ + xφ, K2 = φ(2 − x²), K3 = xφ(x² − 4). Once φ underflows (|x| > 38.6) the
// derivative terms are exact zeros, which keeps x³ away from a 0·Inf.
func gatePhi(x float64) gateVals {
	v := gateVals{g: 0.5 * math.Erfc(-x/math.Sqrt2), m: math.Erf(x / math.Sqrt2)}
	v.K[1] = v.g
	phi := ftz(invSqrt2Pi * math.Exp(-0.5*x*x))
	if phi == 0 {
		return v
	}
	xphi := x * phi
	v.g1, v.g2 = phi, -xphi
	v.K = [4]float64{0, v.g + xphi, phi * (2 - x*x), xphi * (x*x - 4)}
	return v
}

// gateSigmoid: g = σ(x), with p = σ′, σ″ = −p·tanh(x/2), σ‴ = p(1 − 6p) (see logistic):
// K1 = s + xp, K2 = p(2 − x·tanh(x/2)), K3 = p(x(1 − 6p) − 3·tanh(x/2)).
func gateSigmoid(x float64) gateVals {
	l := logisticFrom(x, math.Exp(-math.Abs(x)))
	th := math.Tanh(x / 2)
	return gateVals{
		g: l.s, m: th, g1: l.p, g2: -l.p * th,
		K: [4]float64{0, l.s + x*l.p, l.p * (2 - x*th), l.p * (x*(1-6*l.p) - 3*th)},
	}
}

// gateAtan: g = arctan(x)/π + 1/2 = arctan(1/|x|)/π for x < 0 (no cancellation in the left
// tail), g′ = w/π with w = 1/(1+x²), v = x·w (see atanFactors). Simplifying symbolically,
//
//	K2 = 2w²/π,  K3 = −8vw²/π,  K1 = g + v/π,
//
// and for x < −100 K1 = (arctan y − y/(1+y²))/π with y = −1/x is summed from its series
// Σ_{k≥1} (−1)^(k+1)·2k/(2k+1)·y^(2k+1) (four terms reach full precision for y < 0.01),
// because g and v/π cancel there to O(y³).
func gateAtan(x float64) gateVals {
	w, v := atanFactors(x)
	a := math.Atan(x) / math.Pi
	g := a + 0.5
	if x < -1 {
		g = math.Atan(-1/x) / math.Pi
	}
	k1 := g + v/math.Pi
	if x < -100 {
		y := -1 / x
		y2 := y * y
		k1 = y * y2 * (2.0/3 - y2*(4.0/5-y2*(6.0/7-y2*8.0/9))) / math.Pi
	}
	return gateVals{
		g: g, m: 2 * a, g1: w / math.Pi, g2: -2 * v * w / math.Pi,
		K: [4]float64{0, k1, 2 * w * w / math.Pi, -8 * v * w * w / math.Pi},
	}
}

// xgateFunc is f = x·h, h = g + α·m, so with c = 1 + 2α:
//
//	f′ = c·K1 − α,  f″ = c·K2,  f‴ = c·K3
//
// (without trainable α, as for gelu, α = 0).
type xgateFunc struct {
	fixed
	gate      func(float64) gateVals
	trainable bool
}

func (f *xgateFunc) alpha(th []float64) float64 {
	if f.trainable {
		return th[0]
	}
	return 0
}

func (f *xgateFunc) Eval(x float64, th []float64, order int, d *[4]float64) {
	a := f.alpha(th)
	v := f.gate(x)
	c := 1 + 2*a
	d[0] = x * (v.g + a*v.m)
	if order >= 1 {
		d[1] = v.K[1] + a*(2*v.K[1]-1)
	}
	if order >= 2 {
		d[2] = c * v.K[2]
	}
	if order >= 3 {
		d[3] = c * v.K[3]
	}
}

// EvalParamGrad: ∂f/∂α = x·m, ∂f′/∂α = 2K1 − 1, ∂f″/∂α = 2K2.
func (f *xgateFunc) EvalParamGrad(x float64, th []float64, order int, g [][4]float64) {
	if !f.trainable {
		return
	}
	v := f.gate(x)
	g[0][0] = x * v.m
	if order >= 1 {
		g[0][1] = 2*v.K[1] - 1
	}
	if order >= 2 {
		g[0][2] = 2 * v.K[2]
	}
}
