package nn

import (
	"math"
	"math/cmplx"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// TestWireMatchesComplexArithmetic runs a WIRE network (real first layer, complex hidden layer,
// real part of a complex output layer) and recomputes it with Go's complex128 and the Gabor
// wavelet ψ(z) = exp(iω0·z − |s0·z|²) written out, point by point.
func TestWireMatchesComplexArithmetic(t *testing.T) {
	gabor, err := act.NewPair("gabor_complex", act.Config{"omega": 5, "s": 3})
	require.NoError(t, err)
	rng := NewRNG(5)
	first, err := NewComplexDense(2, 3, RealToComplex, rng)
	require.NoError(t, err)
	hidden, err := NewComplexDense(3, 3, ComplexToComplex, rng)
	require.NoError(t, err)
	out, err := NewComplexDense(3, 1, ComplexToReal, rng)
	require.NoError(t, err)
	net, err := Chain(first, NewComplexActivation(gabor, 3, false), hidden, NewComplexActivation(gabor, 3, false), out)
	require.NoError(t, err)

	x := kernel.MatrixFrom(3, 2, []float64{0.1, -0.4, 0.7, 0.2, -0.9, 0.5})
	y := net.Forward(NewInputJet(ValuePlan(2), x)).Value()

	psi := func(z complex128) complex128 {
		a := cmplx.Abs(3 * z)
		return cmplx.Exp(complex(0, 5)*z - complex(a*a, 0))
	}
	w := func(l *ComplexDense, i, j int) complex128 {
		return complex(l.Wr.Value[i*l.out+j], l.Wi.Value[i*l.out+j])
	}
	for p := range 3 {
		h := make([]complex128, 3)
		for j := range 3 {
			z := complex(first.Br.Value[j], first.Bi.Value[j])
			for i := range 2 {
				z += complex(x.At(p, i), 0) * w(first, i, j)
			}
			h[j] = psi(z)
		}
		h2 := make([]complex128, 3)
		for j := range 3 {
			z := complex(hidden.Br.Value[j], hidden.Bi.Value[j])
			for i := range 3 {
				z += h[i] * w(hidden, i, j)
			}
			h2[j] = psi(z)
		}
		o := complex(out.Br.Value[0], 0)
		for i := range 3 {
			o += h2[i] * w(out, i, 0)
		}
		// A handful of roundings in each product and exponential: 1e-14 relative.
		require.InDelta(t, real(o), y.At(p, 0), 1e-14*math.Max(1, math.Abs(real(o))), "point %d", p)
	}
}
