package expr

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// netField is an analytic stand-in for a network output N(x, t) = sin(a x + b t) + c x t², whose
// derivatives of any order are known in closed form.
const fa, fb, fc = 1.3, 0.7, 0.4

func netField(x, t float64, wrt []int) float64 {
	nx, nt := 0, 0
	for _, w := range wrt {
		if w == 0 {
			nx++
		} else {
			nt++
		}
	}
	v := math.Pow(fa, float64(nx)) * math.Pow(fb, float64(nt)) * math.Sin(fa*x+fb*t+float64(nx+nt)*math.Pi/2)
	// c x t²: ∂x → c t², ∂t → 2 c x t, ∂t² → 2 c x, ∂x∂t → 2 c t, ∂x∂t² → 2c
	switch {
	case nx == 0 && nt == 0:
		v += fc * x * t * t
	case nx == 1 && nt == 0:
		v += fc * t * t
	case nx == 0 && nt == 1:
		v += 2 * fc * x * t
	case nx == 0 && nt == 2:
		v += 2 * fc * x
	case nx == 1 && nt == 1:
		v += 2 * fc * t
	case nx == 1 && nt == 2:
		v += 2 * fc
	}
	return v
}

// evalAt evaluates a compiled program at the points (xs[i], ts[i]) with N and its derivatives
// taken from netField.
func evalAt(t *testing.T, p *Program, xs, ts []float64) []float64 {
	in := make([][]float64, len(p.Inputs()))
	for j, s := range p.Inputs() {
		in[j] = make([]float64, len(xs))
		for i := range xs {
			switch {
			case s.Kind == Variable && s.Index == 0:
				in[j][i] = xs[i]
			case s.Kind == Variable:
				in[j][i] = ts[i]
			default:
				in[j][i] = netField(xs[i], ts[i], s.Wrt)
			}
		}
	}
	theta := make([]float64, p.NumUnknowns())
	for k := range theta {
		theta[k] = 0.9
	}
	return append([]float64(nil), p.Eval(len(xs), in, theta)...)
}

func TestDerivativeMatchesFiniteDifferences(t *testing.T) {
	env := &Env{Vars: []string{"x", "t"}, Fields: []string{"N"}, Params: map[string]float64{"k": 2.5},
		Unknowns: []string{"lam"}, MaxOrder: 3}
	srcs := []string{
		"x*(1 - x)*N + sin(pi*x)",
		"x*x*cos(pi*x) + t*(1 - x*x)*N",
		"exp(-t)*N*N/(1 + x*x) - k*lam*t",
		"pow(N, 3) + sqrt(1 + x*x) + log(2 + N) + pow(1 + x*x, N) + pow(2, x*N)",
		"tanh(N_x) + atan(x*N) + abs(N + 3) + min(N, x) + max(t, N) + sinh(N)/cosh(x) + tan(0.3*N)",
		"N_t*N_x - 0.01*N_x/N + sign(x - 5)",
		"-N + -(x - t)/(t + 2)",
	}
	const h = 1e-5
	xs := []float64{-0.83, -0.21, 0.05, 0.37, 0.91}
	ts := []float64{0.13, 0.52, 0.77, 0.31, 0.95}
	for _, src := range srcs {
		e, err := Parse(src)
		require.NoError(t, err)
		base, err := e.Compile(env)
		require.NoError(t, err)
		for vi, v := range env.Vars {
			d, err := e.Derivative(env, v)
			require.NoError(t, err, src)
			p, err := d.Compile(env)
			require.NoError(t, err, "d/d%s of %s = %s", v, src, d)
			got := evalAt(t, p, xs, ts)
			shift := func(s float64) []float64 {
				x2, t2 := append([]float64(nil), xs...), append([]float64(nil), ts...)
				for i := range x2 {
					if vi == 0 {
						x2[i] += s
					} else {
						t2[i] += s
					}
				}
				return evalAt(t, base, x2, t2)
			}
			rp, rm := shift(h), shift(-h)
			for i := range xs {
				// Central differences, h = 1e-5: truncation h²|f'''|/6 ≈ 1e-9, rounding ε|f|/h ≈ 1e-11.
				fd := (rp[i] - rm[i]) / (2 * h)
				assert.InDelta(t, fd, got[i], 1e-7*(1+math.Abs(fd)), "d/d%s of %s at point %d; derivative %s", v, src, i, d)
			}
		}
	}
}

func TestSecondDerivativeOfTransform(t *testing.T) {
	// u = x²cos(πx) + t(1 − x²)N: the Allen–Cahn hard constraint. u_xx from two symbolic
	// derivatives must equal the second difference of u.
	env := &Env{Vars: []string{"x", "t"}, Fields: []string{"N"}, MaxOrder: 2}
	e, err := Parse("x*x*cos(pi*x) + t*(1 - x*x)*N")
	require.NoError(t, err)
	dx, err := e.Derivative(env, "x")
	require.NoError(t, err)
	dxx, err := dx.Derivative(env, "x")
	require.NoError(t, err)
	p, err := dxx.Compile(env)
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "t", "N", "N_x", "N_xx"}, p.InputNames())
	base, err := e.Compile(env)
	require.NoError(t, err)
	xs, ts := []float64{-0.6, 0.1, 0.8}, []float64{0.2, 0.5, 0.9}
	got := evalAt(t, p, xs, ts)
	const h = 1e-4
	plus, minus := make([]float64, 3), make([]float64, 3)
	for i := range xs {
		plus[i], minus[i] = xs[i]+h, xs[i]-h
	}
	up, u0, um := evalAt(t, base, plus, ts), evalAt(t, base, xs, ts), evalAt(t, base, minus, ts)
	for i := range xs {
		// Second difference: truncation h²|u''''|/12 ≈ 1e-7, rounding 4ε|u|/h² ≈ 1e-8.
		fd := (up[i] - 2*u0[i] + um[i]) / (h * h)
		assert.InDelta(t, fd, got[i], 1e-6*(1+math.Abs(fd)))
	}
}

func TestDerivativeSymbols(t *testing.T) {
	env := &Env{Vars: []string{"x", "y"}, Fields: []string{"u"}, Params: map[string]float64{"a": 3}, MaxOrder: 2}
	for _, c := range []struct{ src, v, want string }{
		{"u", "x", "u_x"},
		{"u_y", "x", "u_xy"},
		{"a*x*y", "x", "a * y"},
		{"a*x*y + u", "y", "a * x + u_y"},
		{"3", "x", "0"},
		{"x", "x", "1"},
		{"sin(u)", "y", "cos(u) * u_y"},
		{"pow(u, 3)", "x", "3 * pow(u, 2) * u_x"},
	} {
		e, err := Parse(c.src)
		require.NoError(t, err)
		d, err := e.Derivative(env, c.v)
		require.NoError(t, err)
		assert.Equal(t, c.want, d.String(), "d/d%s %s", c.v, c.src)
	}
	e, err := Parse("u + q")
	require.NoError(t, err)
	_, err = e.Derivative(env, "x")
	require.Error(t, err, "unknown symbols are reported")
	_, err = e.Derivative(env, "z")
	require.ErrorContains(t, err, "`z` is not a variable")

	// The order limit applies when the result is compiled.
	e, err = Parse("u_xy")
	require.NoError(t, err)
	d, err := e.Derivative(env, "x")
	require.NoError(t, err)
	_, err = d.Compile(env)
	require.ErrorContains(t, err, "unknown symbol `u_xxy`: this problem asks derivatives up to order 2")
}
