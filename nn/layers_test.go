package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/nn/act"
)

func mustDense(t testing.TB, rng *rand.Rand, in, out int, bias bool, scale float64) *Dense {
	d := NewDense(in, out, bias)
	d.Scale = scale
	require.NoError(t, InitDense(d, Init{Weight: "glorot_uniform", Bias: "torch", Gain: 1.5}, rng))
	return d
}

// realActs lists every registered real activation with its default configuration, except that
// a "detach" setting (FINER's PyTorch-compatible stop-gradient, whose derivatives are on purpose
// not those of σ) is turned off: finite differences check true derivatives.
func realActs(t testing.TB) map[string]act.Func {
	out := map[string]act.Func{}
	for _, name := range act.Names() {
		var cfg act.Config
		if e, ok := act.Lookup(name); ok {
			if _, has := e.Defaults["detach"]; has {
				cfg = act.Config{"detach": 0}
			}
		}
		f, err := act.New(name, cfg)
		if err != nil {
			continue // complex-valued: covered by the complex layer tests
		}
		out[name] = f
	}
	require.NotEmpty(t, out, "no real activation is registered")
	return out
}

// perturbTheta moves an activation layer's parameters off their initial values so that their
// gradients are generic (an initial value of exactly 0 can sit on a kink such as |b|).
func perturbTheta(a *Activation, rng *rand.Rand) {
	for _, p := range a.Params() {
		for i := range p.Value {
			p.Value[i] = p.Value[i]*(1+0.1*(2*rng.Float64()-1)) + 0.05*(2*rng.Float64()-1)
		}
	}
}

// pairActs lists every registered complex activation with its default configuration.
func pairActs() map[string]act.PairFunc {
	out := map[string]act.PairFunc{}
	for _, name := range act.Names() {
		if f, err := act.NewPair(name, nil); err == nil {
			out[name] = f
		}
	}
	return out
}

func TestLayersFiniteDifferences(t *testing.T) {
	type layerCase struct {
		name    string
		mk      func(rng *rand.Rand) Layer
		inScale float64
	}
	cases := []layerCase{
		{"dense", func(rng *rand.Rand) Layer { return mustDense(t, rng, 3, 4, true, 1) }, 1},
		{"dense_scaled_nobias", func(rng *rand.Rand) Layer { return mustDense(t, rng, 3, 2, false, 1.7) }, 1},
	}
	for name, f := range realActs(t) {
		shared := []bool{false}
		if len(f.Params()) > 0 {
			shared = append(shared, true)
		}
		for _, perUnit := range shared {
			label := "activation/" + name
			if perUnit {
				label += "/per_unit"
			}
			cases = append(cases, layerCase{label, func(rng *rand.Rand) Layer {
				a := NewActivation(f, 4, perUnit)
				perturbTheta(a, rng)
				return a
			}, 0.5})
		}
		cases = append(cases, layerCase{"dense_act/" + name, func(rng *rand.Rand) Layer {
			l := NewDenseAct(3, 4, true, f, false)
			require.NoError(t, InitDense(l.Dense, Init{Weight: "torch"}, rng))
			perturbTheta(l.Act, rng)
			return l
		}, 0.5})
	}
	tanh, err := act.New("tanh", nil)
	require.NoError(t, err)
	cases = append(cases,
		layerCase{"graph/residual", func(rng *rand.Rand) Layer {
			inner, err := Chain(mustDense(t, rng, 3, 3, true, 1), NewActivation(tanh, 3, false))
			require.NoError(t, err)
			g, err := Residual(inner)
			require.NoError(t, err)
			return g
		}, 1},
		layerCase{"graph/product_concat_sum_fanout", func(rng *rand.Rand) Layer {
			// y = concat(a⊙b, a⊙a) + c with a = tanh(Dx), b = Ex, c = Fx: fan-out of x (three
			// uses) and of a (three uses, twice in one product).
			g := NewGraph(3)
			x := g.Input()
			a := g.Apply(NewActivation(tanh, 2, false), g.Apply(mustDense(t, rng, 3, 2, true, 1), x))
			b := g.Apply(mustDense(t, rng, 3, 2, true, 1), x)
			c := g.Apply(mustDense(t, rng, 3, 4, false, 1), x)
			y := g.Add(g.Concat(g.Mul(a, b), g.Mul(a, a)), c)
			net, err := g.Build(y)
			require.NoError(t, err)
			return net
		}, 1},
	)
	cases = append(cases, layerCase{"layernorm", func(rng *rand.Rand) Layer {
		l := NewLayerNorm(4)
		for _, p := range l.Params() {
			for i := range p.Value {
				p.Value[i] += 0.3 * rng.NormFloat64()
			}
		}
		return l
	}, 1})
	cases = append(cases,
		layerCase{"positional_encoding", func(rng *rand.Rand) Layer {
			e, err := NewPositionalEncoding(3, 3)
			require.NoError(t, err)
			return e
		}, 0.5},
		layerCase{"fourier_features", func(rng *rand.Rand) Layer {
			e, err := NewFourierFeatures(3, 4, 0.7, false, rng)
			require.NoError(t, err)
			return e
		}, 0.5},
		layerCase{"fourier_features_affine", func(rng *rand.Rand) Layer {
			e, err := NewFourierFeatures(3, 4, 0.7, true, rng)
			require.NoError(t, err)
			return e
		}, 0.5},
	)
	cases = append(cases, layerCase{"affine", func(rng *rand.Rand) Layer {
		l, err := NewNormalize([]float64{-2, 0, 1}, []float64{3, 0.5, 4})
		require.NoError(t, err)
		return l
	}, 1})
	cases = append(cases, layerCase{"lowrank", func(rng *rand.Rand) Layer {
		l, err := NewLowRank(3, 4, 2, rng)
		require.NoError(t, err)
		return l
	}, 1})
	for _, mode := range []ComplexMode{ComplexToComplex, RealToComplex, ComplexToReal} {
		cases = append(cases, layerCase{fmt.Sprintf("complex_dense/mode%d", mode), func(rng *rand.Rand) Layer {
			l, err := NewComplexDense(2, 3, mode, rng)
			require.NoError(t, err)
			return l
		}, 1})
	}
	cases = append(cases, layerCase{"real_part", func(*rand.Rand) Layer { return NewRealPart(2) }, 1})
	for name, f := range pairActs() {
		for _, realIn := range []bool{false, true} {
			cases = append(cases, layerCase{fmt.Sprintf("complex_activation/%s/real_input=%v", name, realIn), func(*rand.Rand) Layer {
				return NewComplexActivation(f, 2, realIn)
			}, 0.05})
		}
		cases = append(cases, layerCase{"wire_chain/" + name, func(rng *rand.Rand) Layer {
			first, err := NewComplexDense(3, 2, RealToComplex, rng)
			require.NoError(t, err)
			hidden, err := NewComplexDense(2, 2, ComplexToComplex, rng)
			require.NoError(t, err)
			out, err := NewComplexDense(2, 1, ComplexToReal, rng)
			require.NoError(t, err)
			for _, d := range []*ComplexDense{first, hidden} {
				for _, p := range d.Params() {
					for i := range p.Value {
						p.Value[i] *= 0.05 // keep the Gabor envelope in its informative range
					}
				}
			}
			g, err := Chain(first, NewComplexActivation(f, 2, false), hidden, NewComplexActivation(f, 2, false), out)
			require.NoError(t, err)
			return g
		}, 1})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runLayerFD(t, c.mk, c.inScale) })
	}
}
