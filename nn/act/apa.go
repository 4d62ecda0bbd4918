package act

import "math"

func init() {
	Register(Entry{
		Name: "apa",
		Description: "adaptive parametric activation in its intermediate-layer form (AGLU) " +
			"x·(λ·e^(−κx) + 1)^(−1/λ), trainable κ, λ (init 1, 1: SiLU)",
		Defaults: Config{},
		New: func(cfg Config) (any, error) {
			return &apaFunc{fixed: fixed{name: "apa", cfg: cfg, params: []Param{{"kappa", 1}, {"lambda", 1}}}}, nil
		},
	})
}

// apaLambdaMin is the official implementation's clamp on λ (torch.clamp(λ, min=1e-4)); below
// it λ acts as 1e-4 and its gradient is 0, as through the clamp.
const apaLambdaMin = 1e-4

// apaFunc is the Adaptive Parametric Activation of Alexandridis, Deng, Nguyen & Luo (ECCV
// 2024; github.com/kostas1515/AGLU): APA(x; κ, λ) = (λe^(−κx) + 1)^(−1/λ), used inside networks
// as AGLU(x) = x·APA(x). κ = λ = 1 gives SiLU; the official code draws both from U(0, 1), here
// they start at 1 (Params holds one initial value per parameter).
//
// With y = κx − log λ, log A = −softplus(−y)/λ, and q = σ(−y), r = q(1 − q) = σ′(y),
// tanh(y/2) = 1 − 2q, the derivatives of log A are
//
//	ℓ1 = (κ/λ)q,  ℓ2 = −(κ²/λ)r,  ℓ3 = (κ³/λ)r(1 − 2q),
//
// A′ = Aℓ1, A″ = A(ℓ1² + ℓ2), A‴ = A(ℓ1³ + 3ℓ1ℓ2 + ℓ3), and f⁽ⁿ⁾ = nA⁽ⁿ⁻¹⁾ + xA⁽ⁿ⁾.
type apaFunc struct{ fixed }

// apaState holds the quantities shared by Eval and EvalParamGrad.
type apaState struct {
	lam, q, r, tq, S, A float64
	l                   [4]float64 // ℓ1..ℓ3
	clamped             bool
}

func apaAt(x, kappa, lambda float64) apaState {
	var st apaState
	st.lam = lambda
	if !(lambda >= apaLambdaMin) {
		st.lam, st.clamped = apaLambdaMin, true
	}
	y := kappa*x - math.Log(st.lam)
	e := math.Exp(-math.Abs(y))
	lg := logisticFrom(y, e)
	st.q, st.r, st.tq = lg.c, lg.p, math.Tanh(y/2)
	st.S = relu(-y) + math.Log1p(ftz(e)) // softplus(−y)
	st.A = math.Exp(-st.S / st.lam)
	k := kappa / st.lam
	st.l = [4]float64{0, k * st.q, -kappa * k * st.r, kappa * kappa * k * st.r * st.tq}
	return st
}

func (*apaFunc) Eval(x float64, th []float64, order int, d *[4]float64) {
	st := apaAt(x, th[0], th[1])
	A, l1, l2, l3 := st.A, st.l[1], st.l[2], st.l[3]
	A1 := A * l1
	d[0] = x * A
	if order >= 1 {
		d[1] = A + x*A1
	}
	if order >= 2 {
		A2 := A * (l1*l1 + l2)
		d[2] = 2*A1 + x*A2
		if order >= 3 {
			A3 := A * (l1*l1*l1 + 3*l1*l2 + l3)
			d[3] = 3*A2 + x*A3
		}
	}
}

// EvalParamGrad differentiates log A, ℓ1 and ℓ2 in θ = (κ, λ):
//
//	∂logA/∂κ = xq/λ,                  ∂logA/∂λ = (softplus(−y) − q)/λ²,
//	∂ℓ1/∂κ = (q − κxr)/λ,             ∂ℓ1/∂λ = κ(r − q)/λ²,
//	∂ℓ2/∂κ = (κ²x·r(1−2q) − 2κr)/λ,   ∂ℓ2/∂λ = 2κ²rq/λ²,
//
// then ∂A = A·G, ∂A′ = A(Gℓ1 + ∂ℓ1), ∂A″ = A(G(ℓ1² + ℓ2) + 2ℓ1∂ℓ1 + ∂ℓ2) and
// ∂f = x∂A, ∂f′ = ∂A + x∂A′, ∂f″ = 2∂A′ + x∂A″. softplus(−y) − q cancels for y ≫ 1 and is
// then taken from its series in t = e^(−y): t²/2 − 2t³/3 + 3t⁴/4 − 4t⁵/5.
func (*apaFunc) EvalParamGrad(x float64, th []float64, order int, g [][4]float64) {
	kappa := th[0]
	st := apaAt(x, kappa, th[1])
	lam, q, r, tq, A := st.lam, st.q, st.r, st.tq, st.A
	l1, l2 := st.l[1], st.l[2]
	y := kappa*x - math.Log(lam)
	var sq float64
	if t := math.Exp(-y); y > 0 && t < 1e-4 {
		sq = t * t * (0.5 - t*(2.0/3-t*(0.75-t*0.8)))
	} else {
		sq = st.S - q
	}
	grads := [2][3]float64{
		{x * q / lam, (q - kappa*(x*r)) / lam, (kappa*kappa*(x*r)*tq - 2*kappa*r) / lam},
		{sq / (lam * lam), kappa * (r - q) / (lam * lam), 2 * kappa * kappa * r * q / (lam * lam)},
	}
	for m := 0; m < 2; m++ {
		if m == 1 && st.clamped {
			g[1] = [4]float64{}
			continue
		}
		G, dl1, dl2 := grads[m][0], grads[m][1], grads[m][2]
		dA := A * G
		dA1 := A * (G*l1 + dl1)
		g[m][0] = x * dA
		if order >= 1 {
			g[m][1] = dA + x*dA1
		}
		if order >= 2 {
			dA2 := A * (G*(l1*l1+l2) + 2*l1*dl1 + dl2)
			g[m][2] = 2*dA1 + x*dA2
		}
	}
}
