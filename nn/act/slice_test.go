package act

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/inrstudio/studio/kernel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sliceCores gives, for each SliceFunc, its closed forms as a function of the elementary
// values the kernel supplies, each scaled by a relative factor (fe for the exponential or
// sine, fa for the second value: tanh, tanh(βx/2) or cosine), so that the test can tell how
// far an ulp of difference in those values may move each output.
var sliceCores = map[string]func(f Func, x float64, th []float64, fe, fa float64, order int) [4]float64{
	"sine": func(f Func, x float64, _ []float64, fe, fa float64, order int) [4]float64 {
		sf := f.(*sineFunc)
		s, c := math.Sincos(sf.w1 * x)
		s, c = s*fe, c*fa
		return [4]float64{s, sf.w1 * c, sf.w2 * s, sf.w3 * c}
	},
	"tanh": func(_ Func, x float64, _ []float64, fe, fa float64, order int) (d [4]float64) {
		d[0] = math.Tanh(x) * fa
		if order >= 1 {
			tanhDerive(d[0], math.Exp(-2*math.Abs(x))*fe, order, &d)
		}
		return d
	},
	"sigmoid": func(_ Func, x float64, _ []float64, fe, fa float64, order int) (d [4]float64) {
		sigmoidDerive(x, math.Exp(-math.Abs(x))*fe, math.Tanh(x/2)*fa, order, &d)
		return d
	},
	"silu": func(_ Func, x float64, _ []float64, fe, fa float64, order int) (d [4]float64) {
		swishDerive(x, 1, math.Exp(-math.Abs(x))*fe, math.Tanh(x/2)*fa, order, &d)
		return d
	},
	"swish": func(_ Func, x float64, th []float64, fe, fa float64, order int) (d [4]float64) {
		z := th[0] * x
		swishDerive(x, th[0], math.Exp(-math.Abs(z))*fe, math.Tanh(z/2)*fa, order, &d)
		return d
	},
	"gauss": func(f Func, x float64, _ []float64, fe, _ float64, order int) (d [4]float64) {
		g := f.(*gaussFunc)
		t := g.s * x
		g.derive(t, math.Exp(-(t*t))*fe, order, &d)
		return d
	},
	"finer": func(f Func, x float64, _ []float64, fe, fa float64, order int) (d [4]float64) {
		g := f.(*finerFunc)
		s, c := math.Sincos(g.arg(x))
		g.derive(x, s*fe, c*fa, order, &d)
		return d
	},
	"spder": func(f Func, x float64, _ []float64, fe, fa float64, order int) (d [4]float64) {
		g := f.(*spderFunc)
		u := g.omega * x
		s, c := math.Sincos(u)
		g.derive(u, s*fe, c*fa, order, &d)
		return d
	},
	// fkan has two exponentials (fe) and two tanh values (fa)
	"fkan": func(f Func, x float64, _ []float64, fe, fa float64, order int) (d [4]float64) {
		g := f.(*fkanFunc)
		kx := g.k * x
		g.derive(x, math.Tanh(kx)*fa, math.Exp(-2*math.Abs(kx))*fe, math.Exp(-math.Abs(x))*fe,
			math.Tanh(x/2)*fa, order, &d)
		return d
	},
	"relu": nil, // no elementary function: must be exact
}

// allowance is how far σ⁽ᵏ⁾ may move when the elementary values are off by up to 2 ulp each
// (the kernel's stated accuracy against the math package for exp, tanh; ≤ 3 ulp for the
// generic sin, covered by the factor 2): twice the largest change seen when they are perturbed
// by ±1 and ±2 ulp, plus 4 ulp of the local scale for the closed form's own roundings, which
// can flip when its inputs change.
func allowance(name string, f Func, x float64, th []float64, order, k int, want [4]float64) float64 {
	scale := localScale(want, k, sliceFreq(f, th))
	round := 4 * (math.Nextafter(scale, math.Inf(1)) - scale)
	core := sliceCores[name]
	if core == nil {
		return 0
	}
	a := round
	steps := []float64{-2, -1, 0, 1, 2}
	for _, ue := range steps {
		for _, ua := range steps {
			v := core(f, x, th, 1+ue*0x1p-52, 1+ua*0x1p-52, order)[k]
			a = math.Max(a, round+2*math.Abs(v-want[k]))
		}
	}
	return a
}

// sliceFreq is the natural frequency of the SliceFunc activations: σ⁽ᵏ⁾ is of the order of
// freq^k times the function's local size.
func sliceFreq(f Func, th []float64) float64 {
	switch f.Name() {
	case "sine":
		return math.Abs(f.Config()["omega"])
	case "gauss", "fkan":
		c := f.Config()
		return c["s"] + c["scale"]
	case "finer", "spder":
		return math.Abs(f.Config()["omega"])
	case "swish":
		return math.Max(1, math.Abs(th[0]))
	}
	return 1
}

// localScale is the size of the terms σ⁽ᵏ⁾ is made of at one point: max over j ≤ k of
// |σ⁽ʲ⁾|·freq^(k−j).
func localScale(d [4]float64, k int, freq float64) float64 {
	m := 0.0
	for j := 0; j <= k; j++ {
		m = math.Max(m, math.Abs(d[j])*math.Pow(freq, float64(k-j)))
	}
	return m
}

// sliceInputs mixes random moderate values with the awkward ones: zeros, tiny, huge.
func sliceInputs(n int, spread float64) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	x := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 50, -50, 1e3, -1e3, 1e8, -1e8}
	for len(x) < n {
		x = append(x, spread*(2*r.Float64()-1))
	}
	return x
}

// TestSliceMatchesScalar checks every SliceFunc against its scalar Eval, for every order and
// every subset of requested slices. Both paths run the same closed forms on one elementary
// value (sin/cos or exp); only that value comes from the kernel instead of the math package,
// and the kernel's exp and sin (generic included) are within 2 ulp of the math package, not
// bit-identical. So each output may differ by what a 2-ulp change of the elementary value does
// to the closed form (see allowance): near a zero of σ⁽ᵏ⁾ or where the closed form amplifies
// (tanh's σ‴ = q(4 − 6q) has condition 4 in q) that exceeds 2 ulp of σ⁽ᵏ⁾. The worst case, in
// ulp of the local scale (see localScale), is logged; relu, which has no elementary function,
// must match exactly.
func TestSliceMatchesScalar(t *testing.T) {
	nSlice := 0
	worst := map[string]float64{}
	kname, _ := kernel.Selection()
	for _, name := range Names() {
		f, err := New(name, nil)
		if err != nil {
			continue // complex-valued
		}
		sf, ok := f.(SliceFunc)
		if !ok {
			continue
		}
		_, known := sliceCores[name]
		require.True(t, known, "SliceFunc %s has no entry in sliceCores", name)
		nSlice++
		var th []float64
		for _, p := range f.Params() {
			th = append(th, p.Init+0.3)
		}
		for _, spread := range []float64{0.2, 3, 40} {
			x := sliceInputs(300, spread)
			for order := 0; order <= 3; order++ {
				want := make([][4]float64, len(x))
				for i, v := range x {
					f.Eval(v, th, order, &want[i])
				}
				check := func(label string, d [4][]float64) {
					for k := 0; k <= order; k++ {
						if d[k] == nil {
							continue
						}
						for i := range x {
							got, w := d[k][i], want[i][k]
							if got == w {
								continue
							}
							sc := localScale(want[i], k, sliceFreq(f, th))
							worst[name] = math.Max(worst[name], math.Abs(got-w)/(math.Nextafter(sc, math.Inf(1))-sc))
							require.LessOrEqual(t, math.Abs(got-w), allowance(name, f, x[i], th, order, k, want[i]),
								"%s %s order %d x=%v: slice %v scalar %v", name, label, k, x[i], got, w)
						}
					}
				}
				var all [4][]float64
				for k := 0; k <= order; k++ {
					all[k] = make([]float64, len(x))
				}
				sf.EvalSlice(x, th, order, all)
				check("all", all)

				var top [4][]float64
				top[order] = make([]float64, len(x))
				sf.EvalSlice(x, th, order, top)
				check("top only", top)

				// every other subset of the slices: the missing ones must simply be skipped
				for mask := 1; mask < 1<<(order+1); mask++ {
					var sub [4][]float64
					for k := 0; k <= order; k++ {
						if mask&(1<<k) != 0 {
							sub[k] = make([]float64, len(x))
						}
					}
					sf.EvalSlice(x, th, order, sub)
					check("subset", sub)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, nSlice, 6, "expected SliceFunc paths for sine, tanh, gauss, sigmoid, silu, relu at least")
	for name, u := range worst {
		t.Logf("kernel %s: %-8s slice vs scalar worst %.1f ulp of the local scale", kname, name, u)
	}
}

// TestReluStepBits checks the branch-free relu and step against the branching definitions on
// the values where bit tricks go wrong: both zeros, subnormals, infinities, NaN of both signs.
func TestReluStepBits(t *testing.T) {
	nan := math.NaN()
	for _, x := range []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, 0x1p-1022, 1, -1,
		math.MaxFloat64, -math.MaxFloat64, math.Inf(1), math.Inf(-1), nan, -nan, math.Float64frombits(0xfff8000000000001)} {
		r, s := reluStep(x)
		want := relu(x)
		assert.True(t, math.Float64bits(r) == math.Float64bits(want) || (math.IsNaN(r) && math.IsNaN(want)),
			"relu(%v) = %v, want %v", x, r, want)
		assert.Equal(t, step(x), s, "step(%v)", x)
	}
}

// TestUnitSliceMatchesScalar checks every UnitSliceFunc against Eval and EvalParamGrad bit for
// bit: each unit with its own parameters, rows of awkward and random inputs, every order and
// subset of requested slices, and the value-only parameter gradient summed in element order.
func TestUnitSliceMatchesScalar(t *testing.T) {
	n := 0
	for _, name := range Names() {
		f, err := New(name, nil)
		if err != nil {
			continue
		}
		uf, ok := f.(UnitSliceFunc)
		if !ok {
			continue
		}
		n++
		const width = 7
		np := len(f.Params())
		r := rand.New(rand.NewPCG(3, 4))
		theta := make([]float64, width*np)
		for i := range theta {
			theta[i] = f.Params()[i%np].Init + r.NormFloat64()
		}
		x := sliceInputs(width*40, 3)
		x = append(x, math.Inf(1), math.Inf(-1), math.NaN(), 1e200)[:width*41]
		g := sliceInputs(len(x), 1)
		for order := 0; order <= 3; order++ {
			want := make([][4]float64, len(x))
			for i, v := range x {
				j := i % width
				f.Eval(v, theta[j*np:(j+1)*np], order, &want[i])
			}
			for mask := 1; mask < 1<<(order+1); mask++ {
				var d [4][]float64
				for k := 0; k <= order; k++ {
					if mask&(1<<k) != 0 {
						d[k] = make([]float64, len(x))
					}
				}
				uf.EvalUnits(x, width, theta, order, d)
				for k := 0; k <= order; k++ {
					for i := range x {
						if d[k] != nil {
							assert.True(t, sameFloat(d[k][i], want[i][k]), "%s order %d d%d x=%v: %v want %v",
								name, order, k, x[i], d[k][i], want[i][k])
						}
					}
				}
			}
		}
		wantGrad := make([]float64, len(theta))
		pg := make([][4]float64, np)
		for i, v := range x {
			j := i % width
			f.EvalParamGrad(v, theta[j*np:(j+1)*np], 0, pg)
			for m := range np {
				wantGrad[j*np+m] += g[i] * pg[m][0]
			}
		}
		grad := make([]float64, len(theta))
		uf.ParamGradUnits(x, g, width, theta, grad)
		for i := range grad {
			assert.True(t, sameFloat(grad[i], wantGrad[i]), "%s grad %d: %v want %v", name, i, grad[i], wantGrad[i])
		}
	}
	assert.GreaterOrEqual(t, n, 1, "expected the cauchy UnitSliceFunc")
}

// sameFloat is bit equality, with any two NaNs equal.
func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || (math.IsNaN(a) && math.IsNaN(b))
}

// TestFtzMask: the branch-free flush agrees with ftz bit for bit on both zeros, the subnormal
// range's ends, the smallest normals, infinities and NaN.
func TestFtzMask(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 5e-324, -5e-324, 0x1p-1022 - 5e-324, -(0x1p-1022 - 5e-324),
		0x1p-1022, -0x1p-1022, 1, -1, math.MaxFloat64, math.Inf(1), math.Inf(-1), math.NaN()} {
		assert.True(t, sameFloat(ftz(v), ftzMask(v)), "ftz(%v) = %v, ftzMask %v", v, ftz(v), ftzMask(v))
	}
}
