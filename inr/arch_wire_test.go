package inr

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// WIRE's forward pass against the complex formula computed with complex128 from the stored
// parameters: z1 = W1·x + b1 (real), h = ψ(z1), then z = Wk·h + bk and h = ψ(z) with complex Wk,
// bk, and the output Re(Wo·h + bo), ψ(z) = exp(iω0·z − |s0·z|²).
func TestWireMatchesComplexFormula(t *testing.T) {
	cfg := &WireConfig{Width: 5, Hidden: 2, Omega: 20, S: 3, LR: 5e-3} // a small s0 keeps ψ away from 0
	net, err := cfg.Build(2, 2, nn.NewRNG(4))
	require.NoError(t, err)
	par := map[string][]float64{}
	for _, p := range net.Params() {
		par[p.Name] = p.Value
	}
	psi := func(z complex128) complex128 {
		a := cmplx.Abs(complex(cfg.S, 0) * z)
		return cmplx.Exp(complex(0, cfg.Omega)*z - complex(a*a, 0))
	}
	x := kernel.MatrixFrom(3, 2, []float64{0.1, -0.2, 0.5, 0.03, -0.7, 0.9})
	y := net.Forward(nn.NewInputJet(nn.ValuePlan(2), x)).Value()
	w := cfg.Width
	for p := range x.Rows {
		h := make([]complex128, w)
		for j := range w {
			z := par["0.bias"][j]
			for i := range 2 {
				z += x.At(p, i) * par["0.weight"][i*w+j]
			}
			h[j] = psi(complex(z, 0))
		}
		for l := range cfg.Hidden {
			pre := func(s string) string { return string(rune('0'+2+2*l)) + "." + s }
			next := make([]complex128, w)
			for j := range w {
				z := complex(par[pre("bias_re")][j], par[pre("bias_im")][j])
				for i := range w {
					z += h[i] * complex(par[pre("weight_re")][i*w+j], par[pre("weight_im")][i*w+j])
				}
				next[j] = psi(z)
			}
			h = next
		}
		last := string(rune('0' + 2 + 2*cfg.Hidden))
		for o := range 2 {
			z := complex(par[last+".bias_re"][o], 0)
			for i := range w {
				z += h[i] * complex(par[last+".weight_re"][i*2+o], par[last+".weight_im"][i*2+o])
			}
			// Tolerance: a few ulp of the exp/sincos of each layer, carried through three layers.
			require.InDelta(t, real(z), y.At(p, o), 1e-12*math.Max(1, math.Abs(real(z))), "point %d output %d", p, o)
		}
	}
}

// The gradient of an MSE loss through the whole WIRE network (real first layer, complex hidden
// layers, real-part output) against central differences, for every parameter tensor. Step h = 1e-6
// gives a truncation error ~h²·|f‴| and a rounding error ~ε·|L|/h, both far below the 1e-6
// relative tolerance.
func TestWireGradientFiniteDifferences(t *testing.T) {
	cfg := &WireConfig{Width: 4, Hidden: 2, Omega: 20, S: 10, LR: 5e-3}
	net, err := cfg.Build(2, 1, nn.NewRNG(9))
	require.NoError(t, err)
	ps, err := net.ParamSet()
	require.NoError(t, err)
	x := kernel.MatrixFrom(5, 2, []float64{0.01, -0.02, 0.05, 0.03, -0.04, 0.06, 0.0, 0.01, 0.02, -0.05})
	target := kernel.MatrixFrom(5, 1, []float64{0.1, 0.5, 0.9, 0.3, 0.7})
	in := nn.NewInputJet(nn.ValuePlan(2), x)
	var gb nn.JetBuffer
	loss := func(grad bool) float64 {
		y := net.Forward(in)
		dy := gb.Like(y, 1)
		l := nn.MSE{}.Eval(y.Value(), target, dy.Value(), 1, false)
		if grad {
			ps.ZeroGrad()
			net.Backward(dy, false)
		}
		return l
	}
	loss(true)
	grad := append([]float64(nil), ps.Grad...)
	const h = 1e-6
	for _, p := range ps.List {
		for _, i := range []int{0, p.Size() / 2, p.Size() - 1} {
			v := p.Value[i]
			p.Value[i] = v + h
			lp := loss(false)
			p.Value[i] = v - h
			lm := loss(false)
			p.Value[i] = v
			fd := (lp - lm) / (2 * h)
			g := grad[offsetOf(ps, p)+i]
			require.InDelta(t, fd, g, 1e-6*math.Max(1e-3, math.Abs(fd)), "%s[%d]", p.Name, i)
		}
	}
}

func offsetOf(ps *nn.ParamSet, q *nn.Param) int {
	off := 0
	for _, p := range ps.List {
		if p == q {
			return off
		}
		off += p.Size()
	}
	panic("parameter not in set")
}
