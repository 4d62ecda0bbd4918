package act

func init() {
	Register(Entry{
		Name: "cauchy",
		Description: "XNet Cauchy activation (λ1·u + λ2)/(u² + d² + eps), u = scale·x, trainable λ1, λ2, d " +
			"(the INR reference uses scale = 30)",
		Defaults: Config{"scale": 1, "eps": 1e-6},
		New: func(cfg Config) (any, error) {
			c, err := cfgFinite("cauchy", cfg, "scale")
			if err != nil {
				return nil, err
			}
			eps, err := cfgPositive("cauchy", cfg, "eps")
			if err != nil {
				return nil, err
			}
			return &cauchyFunc{
				fixed: fixed{name: "cauchy", cfg: cfg, params: []Param{{"lambda1", 1}, {"lambda2", 1}, {"d", 1}}},
				c:     c, eps: eps,
			}, nil
		},
	})
}

// cauchyFunc is the Cauchy activation of XNet (Li, Xia & Zhang, arXiv 2409.19221),
//
//	σ(x) = (λ1·u + λ2)/(u² + q),  u = c·x,  q = d² + ε,
//
// with λ1, λ2, d trainable per unit (initialised to 1) and c, ε fixed. The paper's denominator
// is u² + d²; ε > 0 (default 1e-6) keeps it away from 0 whatever d does in training — with
// d → 0 a plain u² + d² would give σ ~ λ2/u² at u = 0 — while changing σ by a relative 1e-6 at
// the initial d = 1. The gradient in d is 2d·∂σ/∂q.
//
// With w = 1/(u² + q) and v = u·w (both bounded for every finite u: |v| ≤ 1/(2√q)), the
// u-derivatives of w and of u·w are
//
//	w′ = −2vw,  w″ = (6v² − 2qw²)w,  w‴ = 24vw(qw² − v²),
//	(uw)′ = w − 2v²,  (uw)″ = −4vw + (6v² − 2qw²)v,  (uw)‴ = 3(6v² − 2qw²)w + 24v²(qw² − v²),
//
// so σ⁽ᵏ⁾ = cᵏ(λ1·(uw)⁽ᵏ⁾ + λ2·w⁽ᵏ⁾) never forms u² or u³ explicitly and cannot overflow.
type cauchyFunc struct {
	fixed
	c, eps float64
}

// cauchyBasis holds (uw)⁽ᵏ⁾ in p and w⁽ᵏ⁾ in r, k = 0..3, together with w, v and q.
type cauchyBasis struct {
	p, r    [4]float64
	w, v, q float64
}

func (f *cauchyFunc) basis(x, d float64) cauchyBasis {
	var b cauchyBasis
	u := f.c * x
	b.q = d*d + f.eps
	b.w = 1 / (u*u + b.q)
	if b.w == 0 {
		// u² overflowed: σ and every derivative vanish in the limit.
		return b
	}
	b.v = u * b.w
	w, v, q := b.w, b.v, b.q
	e := 6*v*v - 2*q*w*w
	g := q*w*w - v*v
	b.r = [4]float64{w, -2 * v * w, e * w, 24 * v * w * g}
	b.p = [4]float64{v, w - 2*v*v, -4*v*w + e*v, 3*e*w + 24*v*v*g}
	return b
}

func (f *cauchyFunc) Eval(x float64, th []float64, order int, d *[4]float64) {
	b := f.basis(x, th[2])
	ck := 1.0
	for k := 0; k <= order; k++ {
		d[k] = ck * (th[0]*b.p[k] + th[1]*b.r[k])
		ck *= f.c
	}
}

// EvalParamGrad: ∂σ⁽ᵏ⁾/∂λ1 = cᵏ(uw)⁽ᵏ⁾, ∂σ⁽ᵏ⁾/∂λ2 = cᵏw⁽ᵏ⁾, and ∂σ⁽ᵏ⁾/∂d = 2d·∂σ⁽ᵏ⁾/∂q with
// ∂w/∂q = −w², so ∂σ⁽ᵏ⁾/∂q = −cᵏ(λ1·(u·m)⁽ᵏ⁾ + λ2·m⁽ᵏ⁾), m = w²:
//
//	m = w², m′ = −4vw², m″ = (20v² − 4qw²)w²,
//	um = vw, (um)′ = w² − 4v²w, (um)″ = −8vw² + (20v² − 4qw²)vw.
func (f *cauchyFunc) EvalParamGrad(x float64, th []float64, order int, g [][4]float64) {
	b := f.basis(x, th[2])
	w, v, q := b.w, b.v, b.q
	h := 20*v*v - 4*q*w*w
	m := [3]float64{w * w, -4 * v * w * w, h * w * w}
	um := [3]float64{v * w, w*w - 4*v*v*w, -8*v*w*w + h*v*w}
	ck := 1.0
	for k := 0; k <= order && k < 3; k++ {
		g[0][k] = ck * b.p[k]
		g[1][k] = ck * b.r[k]
		g[2][k] = -2 * th[2] * ck * (th[0]*um[k] + th[1]*m[k])
		ck *= f.c
	}
}

// EvalUnits is Eval over rows of per-unit parameters; orders 0 and 1 (value-only training) form
// only the basis terms they use.
func (f *cauchyFunc) EvalUnits(x []float64, width int, theta []float64, order int, d [4][]float64) {
	w := wanted(order, d, len(x))
	theta = theta[:3*width]
	if order >= 2 {
		var r [4]float64
		for i, v := range x {
			j := i % width
			f.Eval(v, theta[3*j:3*j+3], order, &r)
			scatter(w, i, &r)
		}
		return
	}
	for row := 0; row < len(x); row += width {
		for j, xv := range x[row : row+width] {
			l1, l2, dd := theta[3*j], theta[3*j+1], theta[3*j+2]
			ww, v := f.wv(xv, dd)
			if w[0] != nil {
				w[0][row+j] = l1*v + l2*ww
			}
			if w[1] != nil {
				w[1][row+j] = f.c * (l1*(ww-2*v*v) + l2*(-2*v*ww))
			}
		}
	}
}

// wv returns basis's w and v: w = 1/(u² + d² + ε), v = u·w, both 0 where u² overflows.
func (f *cauchyFunc) wv(x, d float64) (w, v float64) {
	u := f.c * x
	w = 1 / (u*u + (d*d + f.eps))
	if w == 0 {
		return 0, 0
	}
	return w, u * w
}

// ParamGradUnits: with order 0, ∂σ/∂λ1 = v, ∂σ/∂λ2 = w, ∂σ/∂d = −2d·(λ1·vw + λ2·w²).
func (f *cauchyFunc) ParamGradUnits(x, g []float64, width int, theta, grad []float64) {
	theta, grad, g = theta[:3*width], grad[:3*width], g[:len(x)]
	for row := 0; row < len(x); row += width {
		gs := g[row : row+width]
		for j, xv := range x[row : row+width] {
			l1, l2, dd := theta[3*j], theta[3*j+1], theta[3*j+2]
			w, v := f.wv(xv, dd)
			gp := gs[j]
			grad[3*j] += gp * v
			grad[3*j+1] += gp * w
			grad[3*j+2] += gp * (-2 * dd * (l1*(v*w) + l2*(w*w)))
		}
	}
}
