package expr

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAffineIn: the coefficients of the second derivatives u_xx, u_yy in each residual, or false
// where the residual is not affine in them with constant coefficients. The coefficients are
// products and quotients of the literals, exact in binary or one rounding away, so they are
// compared to 1e-15.
func TestAffineIn(t *testing.T) {
	env := &Env{Vars: []string{"x", "y"}, Fields: []string{"u", "v"}, Params: map[string]float64{"nu": 0.25},
		Unknowns: []string{"a"}, MaxOrder: 2}
	cases := []struct {
		src  string
		coef []float64 // of u_xx, u_yy; nil: not affine
	}{
		{"u_xx + u_yy", []float64{1, 1}},
		{"u_xx + u_yy + 2*pi*pi*sin(pi*x)*sin(pi*y)", []float64{1, 1}},
		{"-nu*(u_xx - 3*u_yy)/2 + u*u_x + exp(v)", []float64{-0.125, 0.375}},
		{"(u_xx + u_yy)/nu - (u_yy)", []float64{4, 3}},
		{"0*u_xx + u_yy", []float64{0, 1}},
		{"u_xx - u_xx + u_yy*2", []float64{0, 2}},
		{"u_xx + pow(u_yy, 2)", nil},
		{"x*u_xx + u_yy", nil},
		{"a*u_xx + u_yy", nil},
		{"v*(u_xx + u_yy)", nil},
		{"sin(u_xx) + u_yy", nil},
		{"u_xx/u_yy", nil},
		{"1/(u_xx + u_yy)", nil},
		{"max(u_xx, 0) + u_yy", nil},
	}
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			p, err := Compile(c.src, env)
			require.NoError(t, err)
			var idx []int
			for _, name := range []string{"u_xx", "u_yy"} {
				for i, s := range p.Inputs() {
					if s.Name == name {
						idx = append(idx, i)
					}
				}
			}
			require.Len(t, idx, 2)
			coef, ok := p.AffineIn(idx)
			if c.coef == nil {
				assert.False(t, ok)
				return
			}
			require.True(t, ok)
			assert.InDeltaSlice(t, c.coef, coef, 1e-15)
		})
	}
	p, err := Compile("u_xx + u_yy", env)
	require.NoError(t, err)
	_, ok := p.AffineIn([]int{0, 0})
	assert.False(t, ok, "an input twice")
	_, ok = p.AffineIn([]int{5})
	assert.False(t, ok, "an input out of range")
}
