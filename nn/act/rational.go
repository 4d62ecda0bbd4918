package act

import (
	"fmt"
	"math"
	"strconv"
)

func init() {
	Register(Entry{
		Name: "rational",
		Description: "rational (Padé) activation P(x)/Q(x), Q = 1 + Σ|b_i|·|x|^i (\"version A\"), numerator degree m, " +
			"denominator degree n, all coefficients trainable; init fits a target on [−3, 3] " +
			"(init: 0 gelu, 1 silu, 2 tanh, 3 identity)",
		Defaults: Config{"m": 5, "n": 4, "init": RationalInitGELU},
		New:      newRational,
	})
}

// Initial-fit targets of the rational activation (its "init" setting).
const (
	RationalInitGELU     = 0
	RationalInitSiLU     = 1
	RationalInitTanh     = 2
	RationalInitIdentity = 3
)

var rationalTargets = map[float64]struct {
	name string
	f    func(float64) float64
}{
	RationalInitGELU:     {"gelu", func(x float64) float64 { return 0.5 * x * math.Erfc(-x/math.Sqrt2) }},
	RationalInitSiLU:     {"silu", func(x float64) float64 { return x / (1 + math.Exp(-x)) }},
	RationalInitTanh:     {"tanh", math.Tanh},
	RationalInitIdentity: {"identity", func(x float64) float64 { return x }},
}

// rationalMaxDegree bounds m and n: beyond it the monomial fit is ill-conditioned and the
// activation is no longer what GR-KAN/PAU use (m = 5, n = 4).
const rationalMaxDegree = 8

func newRational(cfg Config) (any, error) {
	deg := func(key string, lo int) (int, error) {
		v := cfg[key]
		if v != math.Trunc(v) || v < float64(lo) || v > rationalMaxDegree {
			return 0, fmt.Errorf("activation rational: %s must be an integer in [%d, %d], got %v", key, lo, rationalMaxDegree, v)
		}
		return int(v), nil
	}
	m, err := deg("m", 1)
	if err != nil {
		return nil, err
	}
	n, err := deg("n", 0)
	if err != nil {
		return nil, err
	}
	target, ok := rationalTargets[cfg["init"]]
	if !ok {
		return nil, fmt.Errorf("activation rational: init must be 0 (gelu), 1 (silu), 2 (tanh) or 3 (identity), got %v", cfg["init"])
	}
	var a, b []float64
	if target.name == "identity" {
		a, b = make([]float64, m+1), make([]float64, n)
		a[1] = 1
	} else {
		a, b, err = fitRational(target.f, m, n)
		if err != nil {
			return nil, fmt.Errorf("activation rational: fitting %s: %w", target.name, err)
		}
	}
	params := make([]Param, 0, m+1+n)
	for i, v := range a {
		params = append(params, Param{"a" + strconv.Itoa(i), v})
	}
	for i, v := range b {
		params = append(params, Param{"b" + strconv.Itoa(i+1), v})
	}
	return &rationalFunc{fixed: fixed{name: "rational", cfg: cfg, params: params}, m: m, n: n}, nil
}

// rationalFunc is the rational activation of PAU (Molina et al., ICLR 2020) in the "safe"
// form used by GR-KAN (Yang & Wang, Kolmogorov–Arnold Transformer, 2024) as version A:
//
//	R(x) = P(x)/Q(x),  P = Σ_{i=0..m} a_i xⁱ,  Q = 1 + Σ_{i=1..n} |b_i|·|x|ⁱ ≥ 1,
//
// θ = (a_0..a_m, b_1..b_n). (KAT's released kernel uses version B, 1 + |Σ b_i xⁱ|.) Q ≥ 1 means
// no poles. The derivatives come from truncated Taylor arithmetic (R = P/Q as a series in the
// step, the division being the Leibniz recursion R⁽ᵏ⁾ = (P⁽ᵏ⁾ − Σ_{j<k} C(k,j)R⁽ʲ⁾Q⁽ᵏ⁻ʲ⁾)/Q).
//
// For |x| ≤ 1 the series is taken in x. For |x| > 1 it is taken in y = 1/|x| (after
// reflecting x < 0 to −x), where P = x^m·P̃(y) and Q = x^ne·Q̃(y) with polynomials P̃, Q̃ of
// bounded coefficients (ne: the largest i with b_i ≠ 0), Q̃ a sum of positive terms: no power
// of x overflows before the final factor x^(m−ne), and the error of R⁽ᵏ⁾ stays a few ε of its
// natural scale |R|/|x|ᵏ (the x-space recursion loses a factor |x|^2.5 more). Far out R″ and
// R‴ are small remainders of that scale, so their relative error can grow like ε·|x|^(m−ne).
//
// |x|ⁱ is not smooth at 0 for odd i: with sgn(0) = 0 its odd-order derivatives at 0 take the
// mean of the one-sided values (the Dirac terms of |x|″ are dropped). In the parameter
// gradients |b_i| is differentiated with sgn(0) = +1, so a coefficient that reaches 0 can
// leave it again.
type rationalFunc struct {
	fixed
	m, n int
}

// taylor4 is a series c0 + c1·h + c2·h² + c3·h³ truncated after h³.
type taylor4 [4]float64

func (a taylor4) add(b taylor4) taylor4 {
	return taylor4{a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]}
}

func (a taylor4) scale(s float64) taylor4 { return taylor4{s * a[0], s * a[1], s * a[2], s * a[3]} }

func (a taylor4) mul(b taylor4) taylor4 {
	return taylor4{
		a[0] * b[0],
		a[0]*b[1] + a[1]*b[0],
		a[0]*b[2] + a[1]*b[1] + a[2]*b[0],
		a[0]*b[3] + a[1]*b[2] + a[2]*b[1] + a[3]*b[0],
	}
}

// div is a/b by the Leibniz recursion c_k = (a_k − Σ_{j=1..k} b_j c_(k−j))/b_0.
func (a taylor4) div(b taylor4) taylor4 {
	r := 1 / b[0]
	c0 := a[0] * r
	c1 := (a[1] - b[1]*c0) * r
	c2 := (a[2] - b[1]*c1 - b[2]*c0) * r
	c3 := (a[3] - b[1]*c2 - b[2]*c1 - b[3]*c0) * r
	return taylor4{c0, c1, c2, c3}
}

// derivs converts Taylor coefficients to derivatives, multiplying the k-th by sign^k·k!.
func (a taylor4) derivs(sign float64) [4]float64 {
	return [4]float64{a[0], sign * a[1], 2 * a[2], 6 * sign * a[3]}
}

// rationalSeries holds, at one x, the series (in the step) of the monomials the activation is
// built from. Near 0 (|x| ≤ 1): ps[i] = xⁱ and qs[i] = |x|ⁱ. Far (|x| > 1, x reflected to |x|):
// with ne the effective denominator degree (the largest i with b_i ≠ 0), Q = xⁿᵉ·Q̃(y) and each
// term is written as a power of y times a power of x; ys[j] = y^j and xs[j] = x^j.
type rationalSeries struct {
	far    bool
	sign   float64 // far: −1 when x < 0 was reflected, since d/dx = −d/d|x|
	ne     int
	ps, qs []taylor4 // near
	ys, xs []taylor4 // far
}

// xpow returns the far series of |x|^p for any integer p (|p| ≤ 2·rationalMaxDegree).
func (s *rationalSeries) xpow(p int) taylor4 {
	if p >= 0 {
		return s.xs[p]
	}
	return s.ys[-p]
}

func (r *rationalFunc) series(x float64, th []float64, buf *[4][2*rationalMaxDegree + 1]taylor4) rationalSeries {
	var s rationalSeries
	ax := math.Abs(x)
	if ax <= 1 {
		D := max(r.m, r.n)
		s.ps, s.qs = buf[0][:D+1], buf[1][:D+1]
		t := taylor4{x, 1}
		// |x|ⁱ = sgn(x)·xⁱ for odd i and xⁱ for even i, which is also right at x = 0.
		sx := sgn(x)
		p := taylor4{1}
		for i := 0; i <= D; i++ {
			s.ps[i], s.qs[i] = p, p
			if i%2 == 1 {
				s.qs[i] = p.scale(sx)
			}
			p = p.mul(t)
		}
		return s
	}
	s.far, s.sign = true, 1
	if x < 0 {
		s.sign = -1
	}
	for i := r.n; i >= 1; i-- {
		if th[r.m+i] != 0 {
			s.ne = i
			break
		}
	}
	D := r.m + r.n
	s.ys, s.xs = buf[2][:D+1], buf[3][:D+1]
	// Series in the step h of |x|: y = 1/(|x| + h) = y − y²h + y³h² − y⁴h³ and |x| + h.
	y := 1 / ax
	yt := taylor4{y, -y * y, y * y * y, -y * y * y * y}
	xt := taylor4{ax, 1}
	s.ys[0], s.xs[0] = taylor4{1}, taylor4{1}
	for j := 1; j <= D; j++ {
		s.ys[j] = s.ys[j-1].mul(yt)
		s.xs[j] = s.xs[j-1].mul(xt)
	}
	return s
}

// coefP returns a_i with the reflection x → −x folded in (a_i·(−1)^i) when far and x < 0.
func (s *rationalSeries) coefP(a float64, i int) float64 {
	if s.far && s.sign < 0 && i%2 == 1 {
		return -a
	}
	return a
}

// pq returns the series of P/xⁿᵉ (far: P̃·x^(m−ne) with P̃ = Σ a_i y^(m−i)) and of Q (far:
// Q̃ = yⁿᵉ + Σ_{i≤ne} |b_i| y^(ne−i), a sum of positive terms). Near, P and Q themselves.
func (r *rationalFunc) pq(s *rationalSeries, th []float64) (P, Q taylor4) {
	if !s.far {
		Q = s.qs[0]
		for i := 0; i <= r.m; i++ {
			P = P.add(s.ps[i].scale(th[i]))
		}
		for i := 1; i <= r.n; i++ {
			Q = Q.add(s.qs[i].scale(math.Abs(th[r.m+i])))
		}
		return P, Q
	}
	for i := 0; i <= r.m; i++ {
		P = P.add(s.ys[r.m-i].scale(s.coefP(th[i], i)))
	}
	P = P.mul(s.xpow(r.m - s.ne))
	Q = s.ys[s.ne]
	for i := 1; i <= s.ne; i++ {
		Q = Q.add(s.ys[s.ne-i].scale(math.Abs(th[r.m+i])))
	}
	return P, Q
}

// monoP is the series of xⁱ/xⁿᵉ (far) or xⁱ (near), the term a_i multiplies in P.
func (r *rationalFunc) monoP(s *rationalSeries, i int) taylor4 {
	if s.far {
		return s.xpow(i - s.ne).scale(s.coefP(1, i))
	}
	return s.ps[i]
}

// monoQ is the series of |x|ⁱ/xⁿᵉ (far) or |x|ⁱ (near), the term |b_i| multiplies in Q.
func (r *rationalFunc) monoQ(s *rationalSeries, i int) taylor4 {
	if s.far {
		return s.xpow(i - s.ne)
	}
	return s.qs[i]
}

// derivs turns a series into derivatives of the activation at x.
func (s *rationalSeries) derivs(t taylor4) [4]float64 {
	if s.far {
		return t.derivs(s.sign)
	}
	return t.derivs(1)
}

// Eval runs P and Q by Horner's rule in series arithmetic, on scalars (arrays would travel
// through memory; the monomial tables of series are only built for the parameter gradients).
func (r *rationalFunc) Eval(x float64, th []float64, order int, d *[4]float64) {
	var p0, p1, p2, p3, q0, q1, q2, q3 float64
	sign := 1.0
	ax := math.Abs(x)
	switch {
	case x == 0:
		// P = Σ a_i xⁱ, Q = 1 + |b_1||x| + |b_2|x² + …: at 0 only x² is smooth, and the odd
		// |x|ⁱ contribute 0 by the sgn(0) = 0 convention.
		p0 = th[0]
		p1 = th[1]
		if r.m >= 2 {
			p2 = th[2]
		}
		if r.m >= 3 {
			p3 = th[3]
		}
		q0 = 1
		if r.n >= 2 {
			q2 = math.Abs(th[r.m+2])
		}
	case ax <= 1:
		// series in the step of x: multiply by x + h for P and by |x| + sgn(x)·h for Q
		for i := r.m; i >= 0; i-- {
			p3 = p3*x + p2
			p2 = p2*x + p1
			p1 = p1*x + p0
			p0 = p0*x + th[i]
		}
		sx := sgn(x)
		for i := r.n; i >= 1; i-- {
			q0 += math.Abs(th[r.m+i])
			q3 = q3*ax + q2*sx
			q2 = q2*ax + q1*sx
			q1 = q1*ax + q0*sx
			q0 *= ax
		}
		q0++
	default:
		// series in the step of |x| (x < 0 reflected): y = 1/|x| = y − y²h + y³h² − y⁴h³,
		// P̃ = Σ a_i(±1)ⁱ y^(m−i), Q̃ = y^ne + Σ |b_i| y^(ne−i), R = x^(m−ne)·P̃/Q̃.
		y := 1 / ax
		y0, y1, y2, y3 := y, -y*y, y*y*y, -y*y*y*y
		if x < 0 {
			sign = -1
		}
		for i := 0; i <= r.m; i++ {
			p0, p1, p2, p3 = mul4(p0, p1, p2, p3, y0, y1, y2, y3)
			a := th[i]
			if sign < 0 && i%2 == 1 {
				a = -a
			}
			p0 += a
		}
		ne := 0
		for i := r.n; i >= 1; i-- {
			if th[r.m+i] != 0 {
				ne = i
				break
			}
		}
		q0 = 1
		for i := 1; i <= ne; i++ {
			q0, q1, q2, q3 = mul4(q0, q1, q2, q3, y0, y1, y2, y3)
			q0 += math.Abs(th[r.m+i])
		}
		p0, p1, p2, p3 = div4(p0, p1, p2, p3, q0, q1, q2, q3)
		for i := 0; i < r.m-ne; i++ {
			p3 = p3*ax + p2
			p2 = p2*ax + p1
			p1 = p1*ax + p0
			p0 *= ax
		}
		for i := 0; i < ne-r.m; i++ {
			p0, p1, p2, p3 = mul4(p0, p1, p2, p3, y0, y1, y2, y3)
		}
		q0, q1, q2, q3 = 1, 0, 0, 0
	}
	c0, c1, c2, c3 := div4(p0, p1, p2, p3, q0, q1, q2, q3)
	R := [4]float64{c0, sign * c1, 2 * c2, 6 * sign * c3}
	copy(d[:order+1], R[:order+1])
}

// mul4 multiplies two truncated series given by their coefficients.
func mul4(a0, a1, a2, a3, b0, b1, b2, b3 float64) (c0, c1, c2, c3 float64) {
	return a0 * b0, a0*b1 + a1*b0, a0*b2 + a1*b1 + a2*b0, a0*b3 + a1*b2 + a2*b1 + a3*b0
}

// div4 divides two truncated series (the Leibniz recursion).
func div4(a0, a1, a2, a3, b0, b1, b2, b3 float64) (c0, c1, c2, c3 float64) {
	r := 1 / b0
	c0 = a0 * r
	c1 = (a1 - b1*c0) * r
	c2 = (a2 - b1*c1 - b2*c0) * r
	c3 = (a3 - b1*c2 - b2*c1 - b3*c0) * r
	return
}

// EvalParamGrad differentiates R = P/Q in the coefficients, ∂R/∂a_i = xⁱ/Q and
// ∂R/∂b_i = −sgn(b_i)·R·|x|ⁱ/Q, as series in the same representation as Eval.
func (r *rationalFunc) EvalParamGrad(x float64, th []float64, order int, g [][4]float64) {
	var buf [4][2*rationalMaxDegree + 1]taylor4
	s := r.series(x, th, &buf)
	P, Q := r.pq(&s, th)
	Rt := P.div(Q)
	for i := 0; i <= r.m; i++ {
		g[i] = s.derivs(r.monoP(&s, i).div(Q))
	}
	for i := 1; i <= r.n; i++ {
		sb := 1.0
		if th[r.m+i] < 0 {
			sb = -1
		}
		g[r.m+i] = s.derivs(Rt.mul(r.monoQ(&s, i)).div(Q).scale(-sb))
	}
}
