package expr

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// point holds one collocation point's symbol values for the hand-written Go reference.
type point map[string]float64

type evalCase struct {
	src    string
	f      func(p point) float64
	lo, hi float64 // range of the random inputs; default [0.2, 1.8] keeps log, sqrt and pow real
}

var nuTest = 0.01 / math.Pi

var evalCases = []evalCase{
	{src: "u + v", f: func(p point) float64 { return p["u"] + p["v"] }},
	{src: "u - v", f: func(p point) float64 { return p["u"] - p["v"] }},
	{src: "u * v", f: func(p point) float64 { return p["u"] * p["v"] }},
	{src: "u / v", f: func(p point) float64 { return p["u"] / p["v"] }},
	{src: "-u", f: func(p point) float64 { return -p["u"] }},
	{src: "+u - 0", f: func(p point) float64 { return p["u"] }},
	{src: "u + 1.5", f: func(p point) float64 { return p["u"] + 1.5 }},
	{src: "1.5 - u", f: func(p point) float64 { return 1.5 - p["u"] }},
	{src: "0 - u", f: func(p point) float64 { return -p["u"] }},
	{src: "u - 2", f: func(p point) float64 { return p["u"] - 2 }},
	{src: "3*u", f: func(p point) float64 { return 3 * p["u"] }},
	{src: "u/3", f: func(p point) float64 { return p["u"] / 3 }},
	{src: "3/u", f: func(p point) float64 { return 3 / p["u"] }},
	{src: "pow(u, v)", f: func(p point) float64 { return math.Pow(p["u"], p["v"]) }},
	{src: "pow(u, 2)", f: func(p point) float64 { return p["u"] * p["u"] }, lo: -2, hi: 2},
	{src: "pow(u, 3)", f: func(p point) float64 { return p["u"] * p["u"] * p["u"] }, lo: -2, hi: 2},
	{src: "pow(u, 0.5)", f: func(p point) float64 { return math.Sqrt(p["u"]) }},
	{src: "pow(u, -1)", f: func(p point) float64 { return 1 / p["u"] }},
	{src: "pow(u, -2.5)", f: func(p point) float64 { return math.Pow(p["u"], -2.5) }},
	{src: "pow(2, u)", f: func(p point) float64 { return math.Pow(2, p["u"]) }, lo: -2, hi: 2},
	{src: "pow(u, 1)", f: func(p point) float64 { return p["u"] }},
	{src: "min(u, v)", f: func(p point) float64 { return math.Min(p["u"], p["v"]) }, lo: -2, hi: 2},
	{src: "max(u, v)", f: func(p point) float64 { return math.Max(p["u"], p["v"]) }, lo: -2, hi: 2},
	{src: "min(u, 0.1)", f: func(p point) float64 { return math.Min(p["u"], 0.1) }, lo: -2, hi: 2},
	{src: "max(0.1, u)", f: func(p point) float64 { return math.Max(0.1, p["u"]) }, lo: -2, hi: 2},
	{src: "sin(u)", f: func(p point) float64 { return math.Sin(p["u"]) }, lo: -4, hi: 4},
	{src: "cos(u)", f: func(p point) float64 { return math.Cos(p["u"]) }, lo: -4, hi: 4},
	{src: "tan(u)", f: func(p point) float64 { return math.Tan(p["u"]) }, lo: -1.4, hi: 1.4},
	{src: "exp(u)", f: func(p point) float64 { return math.Exp(p["u"]) }, lo: -3, hi: 3},
	{src: "log(u)", f: func(p point) float64 { return math.Log(p["u"]) }},
	{src: "sqrt(u)", f: func(p point) float64 { return math.Sqrt(p["u"]) }},
	{src: "tanh(u)", f: func(p point) float64 { return math.Tanh(p["u"]) }, lo: -3, hi: 3},
	{src: "sinh(u)", f: func(p point) float64 { return math.Sinh(p["u"]) }, lo: -3, hi: 3},
	{src: "cosh(u)", f: func(p point) float64 { return math.Cosh(p["u"]) }, lo: -3, hi: 3},
	{src: "abs(u)", f: func(p point) float64 { return math.Abs(p["u"]) }, lo: -2, hi: 2},
	{src: "atan(u)", f: func(p point) float64 { return math.Atan(p["u"]) }, lo: -3, hi: 3},
	{src: "sign(u)*v", f: func(p point) float64 {
		return math.Copysign(1, p["u"]) * p["v"]
	}, lo: -2, hi: 2},
	{src: "u*u", f: func(p point) float64 { return p["u"] * p["u"] }, lo: -2, hi: 2},
	{src: "u_t + u*u_x - nu*u_xx", f: func(p point) float64 {
		return p["u_t"] + p["u"]*p["u_x"] - nuTest*p["u_xx"]
	}, lo: -2, hi: 2},
	{src: "u_xx + u_yy + 2*pi*pi*sin(pi*x)*sin(pi*y)", f: func(p point) float64 {
		return p["u_xx"] + p["u_yy"] + 2*math.Pi*math.Pi*math.Sin(math.Pi*p["x"])*math.Sin(math.Pi*p["y"])
	}, lo: -1, hi: 1},
	{src: "lam*u_xx - mu*u*(u*u - 1) + exp(-lam*t)/(1 + k*x*x)", f: func(p point) float64 {
		return p["lam"]*p["u_xx"] - p["mu"]*p["u"]*(p["u"]*p["u"]-1) + math.Exp(-p["lam"]*p["t"])/(1+2*p["x"]*p["x"])
	}, lo: -1, hi: 1},
	{src: "sqrt(1 + u_x*u_x) - e*log(1 + x*x) + tanh(v_y)/cosh(t)", f: func(p point) float64 {
		return math.Sqrt(1+p["u_x"]*p["u_x"]) - math.E*math.Log(1+p["x"]*p["x"]) + math.Tanh(p["v_y"])/math.Cosh(p["t"])
	}, lo: -1, hi: 1},
	{src: "2*pi*nu", f: func(p point) float64 { return 2 * math.Pi * nuTest }},
	{src: "mu", f: func(p point) float64 { return p["mu"] }},
	{src: "x", f: func(p point) float64 { return p["x"] }},
	{src: "pow(lam, 2)*u + sin(mu)", f: func(p point) float64 { return p["lam"]*p["lam"]*p["u"] + math.Sin(p["mu"]) }},
}

// columns makes a random column of n values for every input of p (and values for the unknowns),
// and the per-point maps for the reference.
func columns(p *Program, n int, lo, hi float64, rng *rand.Rand) ([][]float64, []float64, []point) {
	if lo == 0 && hi == 0 {
		lo, hi = 0.2, 1.8
	}
	in := make([][]float64, len(p.Inputs()))
	pts := make([]point, n)
	theta := []float64{lo + (hi-lo)*rng.Float64(), lo + (hi-lo)*rng.Float64()}
	for i := range pts {
		pts[i] = point{"lam": theta[0], "mu": theta[1]}
	}
	for j, s := range p.Inputs() {
		in[j] = make([]float64, n)
		for i := range in[j] {
			v := lo + (hi-lo)*rng.Float64()
			in[j][i] = v
			pts[i][s.Name] = v
		}
	}
	return in, theta, pts
}

func TestEvalMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 257
	for _, c := range evalCases {
		if c.f == nil {
			continue
		}
		t.Run(c.src, func(t *testing.T) {
			p, err := Compile(c.src, testEnv())
			require.NoError(t, err)
			in, theta, pts := columns(p, n, c.lo, c.hi, rng)
			r := p.Eval(n, in, theta)
			require.Len(t, r, n)
			for i := range n {
				want := c.f(pts[i])
				// The program performs the same float operations in the same order as the Go
				// expression except where constants are folded first (2*pi*pi above), so a
				// few ulps of difference are the most that can appear.
				assert.InEpsilon(t, want, r[i], 1e-14, "point %d: %v", i, pts[i])
			}
		})
	}
}

// TestBackwardMatchesFiniteDifferences checks the adjoint of every input column and the gradient
// of every unknown against central differences of L = Σ w_i r_i, for every operator and function.
func TestBackwardMatchesFiniteDifferences(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 64
	for _, c := range evalCases {
		if c.f == nil {
			continue
		}
		t.Run(c.src, func(t *testing.T) {
			p, err := Compile(c.src, testEnv())
			require.NoError(t, err)
			in, theta, _ := columns(p, n, c.lo, c.hi, rng)
			w := make([]float64, n)
			for i := range w {
				w[i] = rng.Float64()*2 - 1
			}
			p.Eval(n, in, theta)
			gradTheta := []float64{0.25, -0.5} // Backward adds to what is there
			adj := p.Backward(w, gradTheta)
			require.Len(t, adj, len(in))

			// r_i depends only on point i, so shifting a whole column by ±h gives every
			// ∂r_i/∂in_j at once. Central differences with h = 1e-6 are accurate to about
			// h²·|r'''| + ε·|r|/h ≈ 1e-10 here; 1e-7 (relative to the scale) leaves margin.
			const h = 1e-6
			q := p.Clone()
			for j := range in {
				orig := append([]float64(nil), in[j]...)
				for i := range in[j] {
					in[j][i] = orig[i] + h
				}
				rp := append([]float64(nil), q.Eval(n, in, theta)...)
				for i := range in[j] {
					in[j][i] = orig[i] - h
				}
				rm := q.Eval(n, in, theta)
				copy(in[j], orig)
				for i := range n {
					fd := w[i] * (rp[i] - rm[i]) / (2 * h)
					assert.InDelta(t, fd, adj[j][i], 1e-7*(1+math.Abs(fd)), "∂/∂%s at point %d", p.Inputs()[j].Name, i)
				}
			}
			for k := range theta {
				loss := func(v float64) float64 {
					th := append([]float64(nil), theta...)
					th[k] = v
					r := q.Eval(n, in, th)
					s := 0.0
					for i := range r {
						s += w[i] * r[i]
					}
					return s
				}
				fd := (loss(theta[k]+h) - loss(theta[k]-h)) / (2 * h)
				init := []float64{0.25, -0.5}[k]
				assert.InDelta(t, fd, gradTheta[k]-init, 1e-6*(1+math.Abs(fd)), "∂L/∂%s", testEnv().Unknowns[k])
			}
		})
	}
}

func TestInverseParameterGradient(t *testing.T) {
	// Identifying the diffusivity of u_t = lam*u_xx from data: with u = exp(-a t) sin x the
	// residual is (-a + lam) u, so for L = ½ Σ r² the gradient is Σ (lam - a) u · u.
	env := &Env{Vars: []string{"x", "t"}, Fields: []string{"u"}, Unknowns: []string{"lam"}, MaxOrder: 2}
	p, err := Compile("u_t - lam*u_xx", env)
	require.NoError(t, err)
	require.Equal(t, []string{"u_t", "u_xx"}, p.InputNames())
	const n, a, lam = 50, 0.7, 0.4
	u, ut, uxx := make([]float64, n), make([]float64, n), make([]float64, n)
	want := 0.0
	for i := range n {
		x, tt := float64(i)/n*math.Pi, float64(i%7)/7
		u[i] = math.Exp(-a*tt) * math.Sin(x)
		ut[i] = -a * u[i]
		uxx[i] = -u[i]
		want += (lam - a) * u[i] * u[i]
	}
	r := p.Eval(n, [][]float64{ut, uxx}, []float64{lam})
	grad := []float64{0}
	p.Backward(r, grad) // adjoint of ½ Σ r² is r
	assert.InEpsilon(t, want, grad[0], 1e-13)
}

func TestEvalAllocatesNothingAfterFirstCall(t *testing.T) {
	p, err := Compile("u_t + u*u_x - nu*u_xx + min(u, 0.5) + pow(2, u) + mu*x", testEnv())
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(5, 6))
	in, theta, _ := columns(p, 1000, -1, 1, rng)
	adj := make([]float64, 1000)
	grad := make([]float64, 2)
	p.Eval(1000, in, theta)
	allocs := testing.AllocsPerRun(20, func() {
		p.Eval(1000, in, theta)
		p.Backward(adj, grad)
	})
	assert.Zero(t, allocs)

	// A smaller batch reuses the same storage.
	small, _, _ := columns(p, 10, -1, 1, rng)
	allocs = testing.AllocsPerRun(5, func() { p.Eval(10, small, theta) })
	assert.Zero(t, allocs)
}

func TestConstantAndInputResultsAreOwned(t *testing.T) {
	env := testEnv()
	p, err := Compile("0", env)
	require.NoError(t, err)
	assert.Empty(t, p.Inputs())
	assert.Equal(t, []float64{0, 0, 0}, p.Eval(3, nil, []float64{1, 2}))

	p, err = Compile("u", env)
	require.NoError(t, err)
	u := []float64{1, 2, 3}
	r := p.Eval(3, [][]float64{u}, []float64{0, 0})
	r[0] = 99
	assert.Equal(t, 1.0, u[0], "the result never aliases an input column")
	adj := p.Backward([]float64{1, 1, 1}, nil)
	assert.Equal(t, []float64{1, 1, 1}, adj[0])
}

func TestDomainErrorsGiveNaN(t *testing.T) {
	p, err := Compile("log(u) + sqrt(u) + 1/u", testEnv())
	require.NoError(t, err)
	r := p.Eval(2, [][]float64{{-1, 0}}, []float64{0, 0})
	assert.True(t, math.IsNaN(r[0]))
	assert.True(t, math.IsInf(r[1], 0) || math.IsNaN(r[1]))
}

func TestEvalPanicsOnProgrammerErrors(t *testing.T) {
	p, err := Compile("u + v", testEnv())
	require.NoError(t, err)
	assert.Panics(t, func() { p.Eval(2, [][]float64{{1, 2}}, []float64{0, 0}) }, "missing column")
	assert.Panics(t, func() { p.Eval(2, [][]float64{{1, 2}, {1}}, []float64{0, 0}) }, "short column")
	assert.Panics(t, func() { p.Eval(2, [][]float64{{1, 2}, {1, 2}}, []float64{0}) }, "short theta")
	q := p.Clone()
	assert.Panics(t, func() { q.Backward([]float64{1, 1}, nil) }, "Backward before Eval")
}

func BenchmarkBurgersResidual(b *testing.B) {
	env := &Env{Vars: []string{"x", "t"}, Fields: []string{"u"}, Params: map[string]float64{"nu": nuTest}, MaxOrder: 2}
	p, err := Compile("u_t + u*u_x - nu*u_xx", env)
	require.NoError(b, err)
	const n = 8192
	rng := rand.New(rand.NewPCG(7, 8))
	in := make([][]float64, len(p.Inputs()))
	for j := range in {
		in[j] = make([]float64, n)
		for i := range in[j] {
			in[j][i] = rng.NormFloat64()
		}
	}
	adj := make([]float64, n)
	b.SetBytes(int64(8 * n * len(in)))
	b.ResetTimer()
	for b.Loop() {
		r := p.Eval(n, in, nil)
		copy(adj, r)
		p.Backward(adj, nil)
	}
}
