package expr

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvalSameAndFieldGradients: skipping the static part gives the same residual as a full
// evaluation when only the fields change, and the same field adjoints (variables' read zero).
func TestEvalSameAndFieldGradients(t *testing.T) {
	env := &Env{Vars: []string{"x", "y"}, Fields: []string{"u"}, Params: map[string]float64{"k": 2}, Unknowns: []string{"c"}, MaxOrder: 2}
	srcs := []string{
		"u_xx + u_yy + 2*pi*pi*sin(pi*x)*sin(pi*y)",
		"(1 - x*x)*(1 - y*y)*u + exp(-x)*u_x*u",
		"c*u - k*sin(x)*cos(y) + pow(max(x, y), 2)",
		"sin(x)*y", // entirely static
	}
	n := 5
	x, y := []float64{0.1, -0.4, 0.7, 0.2, -0.9}, []float64{0.3, 0.5, -0.2, -0.8, 0.6}
	cols := func(s Symbol, shift float64) []float64 {
		switch s.Name {
		case "x":
			return x
		case "y":
			return y
		}
		out := make([]float64, n)
		for i := range out {
			out[i] = math.Sin(float64(i)+shift+float64(len(s.Name))) + shift
		}
		return out
	}
	for _, src := range srcs {
		t.Run(src, func(t *testing.T) {
			full, err := Compile(src, env)
			require.NoError(t, err)
			fast := full.Clone()
			fast.FieldGradientsOnly()
			theta := []float64{1.5}
			for round, shift := range []float64{0, 0.3, -0.7} {
				in := make([][]float64, len(full.Inputs()))
				for i, s := range full.Inputs() {
					in[i] = cols(s, shift)
				}
				want := append([]float64(nil), full.Eval(n, in, theta)...)
				var got []float64
				if round == 0 {
					got = fast.Eval(n, in, theta)
				} else {
					got = fast.EvalSame(n, in, theta)
				}
				assert.Equal(t, want, got, "round %d", round)
				adj := []float64{1, -2, 0.5, 3, -1}
				tg, tf := make([]float64, 1), make([]float64, 1)
				gw := full.Backward(adj, tg)
				gf := fast.Backward(adj, tf)
				for i, s := range full.Inputs() {
					if s.Kind == Variable {
						assert.Equal(t, make([]float64, n), gf[i], "%s", s.Name)
						continue
					}
					assert.InDeltaSlice(t, gw[i], gf[i], 1e-15, "%s", s.Name)
				}
				assert.InDelta(t, tg[0], tf[0], 1e-15)
			}
		})
	}
	p, err := Compile(srcs[0], env)
	require.NoError(t, err)
	// sin(πx), sin(πy), their product and the scaling are static; the sums with u_xx, u_yy are not.
	assert.Equal(t, p.NumInstructions()-2, p.StaticInstructions())
}
