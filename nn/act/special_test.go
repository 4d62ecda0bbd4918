package act

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFinerDetach: with detach = 1 (FINER's code) σ is unchanged, and the derivatives are those
// of v ↦ sin(k·v) at frozen k = ω(|x| + 1), i.e. exactly the sine activation with omega = k;
// they differ from the true derivatives (detach = 0), whose first derivative has the factor
// ω(2|x| + 1) instead of ω(|x| + 1).
func TestFinerDetach(t *testing.T) {
	det, err := New("finer", nil)
	require.NoError(t, err)
	tru, err := New("finer", Config{"detach": 0})
	require.NoError(t, err)
	for _, x := range []float64{-2.3, -0.71, -0.05, 0, 0.0023, 0.4, 1.7, 1e3} {
		k := 30 * (math.Abs(x) + 1)
		sine, err := New("sine", Config{"omega": k})
		require.NoError(t, err)
		var a, b, s [4]float64
		det.Eval(x, nil, 3, &a)
		tru.Eval(x, nil, 3, &b)
		sine.Eval(x, nil, 3, &s)
		assert.Equal(t, s, a, "x=%v: detached finer equals sine(ω(|x|+1)·x) with that ω frozen", x)
		assert.Equal(t, b[0], a[0], "x=%v: the value does not depend on detach", x)
		c := math.Cos(k * x)
		assert.InDelta(t, 30*(2*math.Abs(x)+1)*c, b[1], 1e-12*k*(2*math.Abs(x)+1), "x=%v: true σ′", x)
	}
	_, err = New("finer", Config{"detach": 0.5})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "detach must be 0 or 1")
}

// TestKinkConventions pins the documented values at the non-smooth points.
func TestKinkConventions(t *testing.T) {
	at0 := func(name string, cfg Config) [4]float64 {
		f, err := New(name, cfg)
		require.NoError(t, err)
		var th []float64
		for _, p := range f.Params() {
			th = append(th, p.Init)
		}
		var d [4]float64
		f.Eval(0, th, 3, &d)
		return d
	}
	assert.Equal(t, [4]float64{0, 0, 0, 0}, at0("relu", nil))
	assert.Equal(t, [4]float64{0, 0, 0, 0}, at0("relu2", nil))
	assert.Equal(t, [4]float64{0, 0.01, 0, 0}, at0("leaky_relu", nil))
	assert.Equal(t, [4]float64{0, 0, 0, 0}, at0("abs", nil))
	assert.Equal(t, [4]float64{0, 1, 1, 1}, at0("elu", nil), "elu at 0 takes the exponential piece")
	// FINER, true derivatives: σ′(0) = ω, σ″(0) = 0 (mean of ±2ω), σ‴(0) = −ω³.
	assert.Equal(t, [4]float64{0, 30, 0, -27000}, at0("finer", Config{"detach": 0}))
}

// TestSPDERAtZero: σ and σ′ are exact at 0 (both 0); σ″(0) = 0 by the odd-symmetric convention
// and σ‴(0) takes its floor value −(3/8)·ω³·spderFloor^(−3/2), finite; and the values are
// continuous from the floor down to 0 and subnormal inputs.
func TestSPDERAtZero(t *testing.T) {
	f, err := New("spder", nil)
	require.NoError(t, err)
	var d [4]float64
	f.Eval(0, nil, 3, &d)
	assert.Equal(t, 0.0, d[0])
	assert.Equal(t, 0.0, d[1])
	assert.Equal(t, 0.0, d[2])
	want3 := -0.375 * 27000 / (spderFloor * math.Sqrt(spderFloor))
	assert.InDelta(t, 1, d[3]/want3, 1e-12)
	for _, x := range []float64{5e-324, -5e-324, 1e-300, -1e-20, 3e-14, 1e-12} {
		f.Eval(x, nil, 3, &d)
		for k, v := range d {
			require.False(t, math.IsNaN(v) || math.IsInf(v, 0), "x=%v σ⁽%d⁾=%v", x, k, v)
		}
		u := 30 * x
		assert.InDelta(t, 0, d[1], 2*30*math.Sqrt(math.Abs(u))*1.5, "σ′ → 0 like √|u|")
		if math.Abs(u) < spderFloor {
			assert.InDelta(t, 1, d[3]/want3, 1e-9, "x=%v: σ‴ holds its floor value", x)
			assert.InDelta(t, math.Copysign(0.75*900/math.Sqrt(spderFloor), x), d[2], 1e-6*900/math.Sqrt(spderFloor), "x=%v: σ″ at the floor", x)
		}
	}
}

// TestRationalFit: the initial coefficients reproduce their targets on [−3, 3]; the bounds are
// the measured fit errors with a 30% margin (version A with m = 5, n = 4 fits SiLU and tanh to
// ~1e-6, GELU only to ~4e-3: several starting points all converge there).
func TestRationalFit(t *testing.T) {
	for _, c := range []struct {
		init  float64
		bound float64
	}{
		{RationalInitGELU, 4.7e-3},
		{RationalInitSiLU, 1.5e-6},
		{RationalInitTanh, 2.8e-6},
		{RationalInitIdentity, 4e-15}, // rounding of the far-field series at |x| ≤ 3
	} {
		f, err := New("rational", Config{"init": c.init})
		require.NoError(t, err)
		var th []float64
		for _, p := range f.Params() {
			th = append(th, p.Init)
		}
		require.Len(t, th, 10)
		for _, v := range th[6:] {
			assert.GreaterOrEqual(t, v, 0.0, "fitted denominator coefficients are |b|")
		}
		target := rationalTargets[c.init].f
		worst := 0.0
		for x := -3.0; x <= 3; x += 1e-3 {
			var d [4]float64
			f.Eval(x, th, 0, &d)
			worst = math.Max(worst, math.Abs(d[0]-target(x)))
		}
		t.Logf("init %s: max |R − target| on [−3, 3] = %.3g", rationalTargets[c.init].name, worst)
		assert.LessOrEqual(t, worst, c.bound, rationalTargets[c.init].name)
	}
	for _, bad := range []Config{{"m": 0}, {"m": 2.5}, {"n": -1}, {"n": 9}, {"init": 7}} {
		_, err := New("rational", bad)
		assert.Error(t, err, "%v", bad)
	}
	f, err := New("rational", Config{"m": 3, "n": 2})
	require.NoError(t, err)
	names := []string{}
	for _, p := range f.Params() {
		names = append(names, p.Name)
	}
	assert.Equal(t, []string{"a0", "a1", "a2", "a3", "b1", "b2"}, names)
}

// TestCauchyParameterisation: the denominator is u² + d² + eps, so d = 0 stays finite (σ(0) =
// λ2/eps) and at the initial d = 1 the eps changes σ by a relative 1e-6 at most.
func TestCauchyParameterisation(t *testing.T) {
	f, err := New("cauchy", nil)
	require.NoError(t, err)
	var d [4]float64
	f.Eval(0, []float64{1, 2, 0}, 3, &d)
	assert.InDelta(t, 2e6, d[0], 1e-6)
	f.Eval(0.7, []float64{1, 1, 1}, 0, &d)
	plain := (0.7 + 1) / (0.49 + 1)
	assert.InDelta(t, 0, d[0]/plain-1, 1e-6)
	assert.Equal(t, []Param{{"lambda1", 1}, {"lambda2", 1}, {"d", 1}}, f.Params())
	g := make([][4]float64, 3)
	f.EvalParamGrad(0.3, []float64{1, 1, 0}, 2, g)
	assert.Equal(t, [4]float64{}, g[2], "∂σ/∂d = 2d·∂σ/∂q vanishes at d = 0")
	// the reference INR setting: scale 30
	f30, err := New("cauchy", Config{"scale": 30})
	require.NoError(t, err)
	f30.Eval(0.01, []float64{1, 1, 1}, 1, &d)
	u := 0.3
	assert.InDelta(t, (u+1)/(u*u+1+1e-6), d[0], 1e-15)
	_, err = New("cauchy", Config{"eps": 0})
	assert.Error(t, err)
}

// TestAPAClamp: λ below 1e-4 acts as 1e-4 with zero gradient, as through torch.clamp; κ = λ = 1
// is SiLU.
func TestAPAClamp(t *testing.T) {
	f, err := New("apa", nil)
	require.NoError(t, err)
	silu, err := New("silu", nil)
	require.NoError(t, err)
	for _, x := range []float64{-3, -0.2, 0, 0.5, 4} {
		var a, s [4]float64
		f.Eval(x, []float64{1, 1}, 3, &a)
		silu.Eval(x, nil, 3, &s)
		for k := range a {
			assert.InDelta(t, s[k], a[k], 1e-15, "x=%v order %d: AGLU(κ=λ=1) is SiLU", x, k)
		}
		var lo, clamp [4]float64
		f.Eval(x, []float64{0.7, 1e-7}, 3, &lo)
		f.Eval(x, []float64{0.7, apaLambdaMin}, 3, &clamp)
		assert.Equal(t, clamp, lo, "x=%v: λ < 1e-4 acts as 1e-4", x)
		g := make([][4]float64, 2)
		f.EvalParamGrad(x, []float64{0.7, 1e-7}, 2, g)
		assert.Equal(t, [4]float64{}, g[1])
	}
}

// TestMoreBadConfigs covers the validation of the activations added after the first batch.
func TestMoreBadConfigs(t *testing.T) {
	for _, b := range []struct {
		name string
		cfg  Config
	}{
		{"finer", Config{"omega": math.NaN()}},
		{"gabor_real", Config{"s": 0}},
		{"gabor_real", Config{"omega": math.Inf(1)}},
		{"spder", Config{"omega": math.Inf(-1)}},
		{"spder_atan", Config{"omega": math.NaN()}},
		{"cauchy", Config{"scale": math.NaN()}},
		{"cauchy", Config{"eps": -1}},
		{"fkan", Config{"scale": math.Inf(1)}},
	} {
		_, err := New(b.name, b.cfg)
		require.Error(t, err, "%s %v", b.name, b.cfg)
		assert.Contains(t, err.Error(), b.name)
	}
	_, err := New("gabor_complex", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "complex-valued: use NewPair")
}
