package kan

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gonum.org/v1/gonum/mat"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

func paramCount(l nn.Layer) int {
	n := 0
	for _, p := range l.Params() {
		n += p.Size()
	}
	return n
}

type shapeOf struct {
	name  string
	shape []int
}

func shapes(l nn.Layer) []shapeOf {
	var s []shapeOf
	for _, p := range l.Params() {
		s = append(s, shapeOf{p.Name, p.Shape})
	}
	return s
}

// TestParameterCountsAndNames pins the counts of the reference layers and the names and shapes
// that model files store.
func TestParameterCountsAndNames(t *testing.T) {
	exp := must[*Expansion](t)
	rng := nn.NewRNG(1)
	cfgNoBase := DefaultBSplineConfig()
	cfgNoBase.Base = false
	for _, tc := range []struct {
		name   string
		l      *Expansion
		count  int
		shapes []shapeOf
	}{
		// SL²A-INR: first layer 2→256, K = 256: 2·256·257 (inr-architectures.md §4.1).
		{"sl2a_chebyshev", exp(NewChebyshevKAN(2, 256, 256, rng)), 131584, []shapeOf{{"coeffs", []int{2, 257, 256}}}},
		// FKAN: first layer 2→128, K = 270: 2·128·2·270 + 128 (§5.1).
		{"fkan_fourier", exp(NewFourierKAN(2, 128, 270, true, rng)), 138368,
			[]shapeOf{{"coeffs", []int{2, 540, 128}}, {"bias", []int{128}}}},
		{"fourier_nobias", exp(NewFourierKAN(3, 5, 4, false, rng)), 3 * 8 * 5, []shapeOf{{"coeffs", []int{3, 8, 5}}}},
		// efficient-kan KANLinear(2, 3), grid 5, order 3: out·in·(G+k) + 2·out·in.
		{"efficient_kan", exp(NewBSplineKAN(2, 3, 5, 3, rng)), 3*2*8 + 2*3*2,
			[]shapeOf{{"base_weight", []int{2, 3}}, {"spline_weight", []int{2, 8, 3}}, {"spline_scaler", []int{2, 3}}}},
		{"bspline_nobase", exp(NewBSplineKANConfig(4, 2, cfgNoBase, rng)), 2*4*8 + 2*4,
			[]shapeOf{{"spline_weight", []int{4, 8, 2}}, {"spline_scaler", []int{4, 2}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.count, paramCount(tc.l))
			assert.Equal(t, tc.shapes, shapes(tc.l))
		})
	}
}

// TestGraphNamesParameters: inside a graph the names get the node prefix and the ParamSet finds
// them, as a model file loads them back.
func TestGraphNamesParameters(t *testing.T) {
	exp := must[*Expansion](t)
	rng := nn.NewRNG(2)
	g, err := nn.Chain(exp(NewChebyshevKAN(2, 8, 4, rng)), nn.NewLayerNorm(8), exp(NewBSplineKAN(8, 1, 5, 3, rng)))
	require.NoError(t, err)
	ps, err := g.ParamSet()
	require.NoError(t, err)
	names := ps.Names()
	// The LayerNorm's own names (node 1) are package nn's business.
	assert.Equal(t, "0.coeffs", names[0])
	assert.Equal(t, []string{"2.base_weight", "2.spline_weight", "2.spline_scaler"}, names[len(names)-3:])
	require.NotNil(t, ps.Lookup("2.spline_weight"))
	assert.Equal(t, []int{8, 8, 1}, ps.Lookup("2.spline_weight").Shape)
	assert.Equal(t, 2*5*8+(8+8)+8*1+8*8*1+8*1, ps.Len())
}

// TestInitDistributions checks the reference initialisations by their bounds and moments. With
// n draws, the sample standard deviation of a uniform or normal variable is within 5σ/√(2n) of
// the true one with overwhelming probability; the bounds are hard.
func TestInitDistributions(t *testing.T) {
	exp := must[*Expansion](t)
	stats := func(v []float64) (mean, std, maxAbs float64) {
		for _, x := range v {
			mean += x
			maxAbs = math.Max(maxAbs, math.Abs(x))
		}
		mean /= float64(len(v))
		for _, x := range v {
			std += (x - mean) * (x - mean)
		}
		return mean, math.Sqrt(std / float64(len(v))), maxAbs
	}
	rel := func(n int) float64 { return 5 / math.Sqrt(2*float64(n)) }
	rng := nn.NewRNG(3)

	t.Run("chebyshev_xavier_uniform", func(t *testing.T) {
		l := exp(NewChebyshevKAN(2, 256, 256, rng))
		c := l.Param("coeffs").Value
		bound := math.Sqrt(6.0 / ((2 + 256) * 257))
		assert.InDelta(t, 0.0095, bound, 5e-5, "the reference's quoted bound")
		_, std, maxAbs := stats(c)
		assert.LessOrEqual(t, maxAbs, bound)
		assert.Greater(t, maxAbs, 0.999*bound)
		assert.InEpsilon(t, bound/math.Sqrt(3), std, rel(len(c)))
	})
	t.Run("fourier_normal", func(t *testing.T) {
		l := exp(NewFourierKAN(2, 128, 270, true, rng))
		c := l.Param("coeffs").Value
		mean, std, _ := stats(c)
		want := 1 / (math.Sqrt(2) * math.Sqrt(270))
		assert.InEpsilon(t, want, std, rel(len(c)))
		assert.InDelta(t, 0, mean, 5*want/math.Sqrt(float64(len(c))))
		for _, b := range l.Param("bias").Value {
			require.Zero(t, b)
		}
	})
	t.Run("bspline_kaiming", func(t *testing.T) {
		in := 50
		l := exp(NewBSplineKAN(in, 400, 5, 3, rng))
		bound := 1 / math.Sqrt(float64(in))
		for _, name := range []string{"base_weight", "spline_scaler"} {
			v := l.Param(name).Value
			_, std, maxAbs := stats(v)
			assert.LessOrEqual(t, maxAbs, bound, name)
			assert.InEpsilon(t, bound/math.Sqrt(3), std, rel(len(v)), name)
		}
	})
}

// TestBSplineInitFitsNoise: the initial spline of every edge passes through the noise it was
// fitted to (G+1 conditions on G+k coefficients: an exact, minimum-norm fit), which is at most
// ScaleNoise/(2G) in size, and of minimum norm as torch.linalg.lstsq returns it. The noise is
// recovered by redrawing it from the same seed in the documented order (base weight first).
func TestBSplineInitFitsNoise(t *testing.T) {
	const in, out, g, k = 3, 4, 5, 3
	l, err := NewBSplineKAN(in, out, g, k, nn.NewRNG(9))
	require.NoError(t, err)
	rng := nn.NewRNG(9)
	for range in * out {
		rng.Float64() // base weight
	}
	basis := l.Bases()[1].(*BSpline)
	nb := basis.Size()
	w := l.Param("spline_weight").Value
	xs := make([]float64, g+1)
	for j := range xs {
		xs[j] = -1 + 2*float64(j)/g
	}
	a := evalAll(basis, xs, 0)[0]
	noise := make([]float64, (g+1)*in*out)
	for i := range noise {
		noise[i] = (rng.Float64() - 0.5) * 0.1 / g
	}
	var coefNorm float64
	for j := range g + 1 {
		for i := range in {
			for o := range out {
				var v float64
				for m := range nb {
					c := w[(i*nb+m)*out+o]
					v += a.At(j, m) * c
					coefNorm = math.Max(coefNorm, math.Abs(c))
				}
				require.InDeltaf(t, noise[(j*in+i)*out+o], v, 1e-15, "spline of edge (%d,%d) at grid point %d", i, o, j)
			}
		}
	}
	assert.Less(t, coefNorm, 0.1, "the coefficients stay at the noise's scale")
	// Minimum norm, against an independent solver: the pseudo-inverse from gonum's SVD.
	ad := mat.NewDense(g+1, nb, append([]float64(nil), a.Data...))
	var svd mat.SVD
	require.True(t, svd.Factorize(ad, mat.SVDThin))
	rhs := mat.NewDense(g+1, in*out, nil)
	for j := range g + 1 {
		for e := range in * out {
			rhs.Set(j, e, noise[j*in*out+e])
		}
	}
	var sol mat.Dense
	svd.SolveTo(&sol, rhs, svd.Rank(1e-12))
	for i := range in {
		for o := range out {
			for m := range nb {
				require.InDelta(t, sol.At(m, i*out+o), w[(i*nb+m)*out+o], 1e-15, "coefficient (%d,%d,%d)", i, m, o)
			}
		}
	}
}

// TestSameSeedSameLayer: the same seed gives bit-identical parameters and outputs; another seed
// gives different parameters.
func TestSameSeedSameLayer(t *testing.T) {
	build := map[string]func(seed uint64) (*Expansion, error){
		"chebyshev": func(s uint64) (*Expansion, error) { return NewChebyshevKAN(2, 6, 9, nn.NewRNG(s)) },
		"fourier":   func(s uint64) (*Expansion, error) { return NewFourierKAN(2, 6, 7, true, nn.NewRNG(s)) },
		"bspline":   func(s uint64) (*Expansion, error) { return NewBSplineKAN(2, 6, 5, 3, nn.NewRNG(s)) },
	}
	x := kernel.NewMatrix(50, 2)
	r := nn.NewRNG(77)
	for i := range x.Data {
		x.Data[i] = 2*r.Float64() - 1
	}
	for name, mk := range build {
		t.Run(name, func(t *testing.T) {
			a, err := mk(5)
			require.NoError(t, err)
			b, err := mk(5)
			require.NoError(t, err)
			c, err := mk(6)
			require.NoError(t, err)
			for i, p := range a.Params() {
				require.Equal(t, p.Value, b.Params()[i].Value)
			}
			assert.NotEqual(t, a.Params()[0].Value, c.Params()[0].Value)
			in := nn.NewInputJet(nn.LaplacianPlan(2), x)
			ya := a.Forward(in).M.Clone()
			yb := b.Forward(in).M.Clone()
			require.Equal(t, ya.Data, yb.Data)
		})
	}
}

func TestConstructorsRejectBadInput(t *testing.T) {
	rng := nn.NewRNG(1)
	cheb := mustBasis(NewChebyshev(3))
	for _, tc := range []struct {
		name string
		err  func() error
	}{
		{"chebyshev width 0", func() error { _, err := NewChebyshevKAN(0, 3, 4, rng); return err }},
		{"chebyshev degree -1", func() error { _, err := NewChebyshevKAN(2, 3, -1, rng); return err }},
		{"fourier K 0", func() error { _, err := NewFourierKAN(2, 3, 0, true, rng); return err }},
		{"fourier out 0", func() error { _, err := NewFourierKAN(2, 0, 3, true, rng); return err }},
		{"bspline grid 0", func() error { _, err := NewBSplineKAN(2, 3, 0, 3, rng); return err }},
		{"bspline range", func() error {
			cfg := DefaultBSplineConfig()
			cfg.Lo, cfg.Hi = 1, -1
			_, err := NewBSplineKANConfig(2, 3, cfg, rng)
			return err
		}},
		{"expansion no terms", func() error { _, err := NewExpansion(2, 3, false); return err }},
		{"expansion nil basis", func() error { _, err := NewExpansion(2, 3, false, Term{Name: "c"}); return err }},
		{"expansion empty name", func() error { _, err := NewExpansion(2, 3, false, Term{Basis: cheb}); return err }},
		{"expansion duplicate name", func() error {
			_, err := NewExpansion(2, 3, false, Term{Name: "c", Basis: cheb}, Term{Name: "c", Basis: cheb})
			return err
		}},
		{"expansion scale named bias", func() error {
			_, err := NewExpansion(2, 3, true, Term{Name: "c", Basis: cheb, ScaleName: "bias"})
			return err
		}},
	} {
		require.Error(t, tc.err(), tc.name)
	}
}

// TestBackwardMisuse: programming errors (a gradient of the wrong shape, Backward twice after one
// Forward, whose feature storage the first Backward reused) panic with a message.
func TestBackwardMisuse(t *testing.T) {
	l, err := NewChebyshevKAN(2, 3, 4, nn.NewRNG(1))
	require.NoError(t, err)
	x := kernel.NewMatrix(5, 2)
	y := l.Forward(nn.NewInputJet(nn.ValuePlan(2), x))
	require.Panics(t, func() { l.Backward(nn.NewJet(nn.ValuePlan(2), 4, 3), true) })
	l.Backward(nn.NewJet(y.Plan, y.N, 3), true)
	require.PanicsWithValue(t, "kan: expansion Backward called twice after one Forward", func() {
		l.Backward(nn.NewJet(y.Plan, y.N, 3), true)
	})
	require.Panics(t, func() { l.Forward(nn.NewInputJet(nn.ValuePlan(3), kernel.NewMatrix(5, 3))) })
}
