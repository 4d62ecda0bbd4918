package kan

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// chebExact returns T_k⁽ʳ⁾(t) for k ≤ degree and r ≤ 3 by the same recurrences in 320-bit
// arithmetic: with t a float64 every product is exact to far beyond float64, so this is the
// reference for the recurrence's own rounding error.
func chebExact(t float64, degree int) [4][]*big.Float {
	const prec = 320
	nf := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	var out [4][]*big.Float
	for r := range out {
		out[r] = make([]*big.Float, degree+1)
	}
	tt := nf(t)
	u := new(big.Float).SetPrec(prec).Mul(nf(2), tt)
	init := [4][2]float64{{1, t}, {0, 1}, {0, 0}, {0, 0}}
	for r := range out {
		out[r][0] = nf(init[r][0])
		if degree >= 1 {
			out[r][1] = nf(init[r][1])
		}
	}
	for k := 1; k < degree; k++ {
		for r := range out {
			// T⁽ʳ⁾_{k+1} = 2r·T⁽ʳ⁻¹⁾_k + 2t·T⁽ʳ⁾_k − T⁽ʳ⁾_{k−1}
			v := new(big.Float).SetPrec(prec).Mul(u, out[r][k])
			v.Sub(v, out[r][k-1])
			if r > 0 {
				w := new(big.Float).SetPrec(prec).Mul(nf(float64(2*r)), out[r-1][k])
				v.Add(v, w)
			}
			out[r][k+1] = v
		}
	}
	return out
}

// TestChebyshevRecurrenceExact measures the float64 recurrences against exact arithmetic at
// degree 512, for t from the centre to t = ±1 exactly (x up to 25, where tanh rounds to 1 and the
// t-derivatives peak at k², k⁴/3, k⁶/15). The chain rule is applied in exact arithmetic to the
// same float64 t and s = sech²x, so only the recurrence's rounding is measured. Each order is
// judged against its largest entry over k (the entries span many magnitudes). Inside (−1, 1) the
// error stays near 1e-15 up to t = ±tanh 2 and 1e-13 at |t| = 1 − 3e-8; it is largest at
// t = 1 − ε, where the two roots of the recurrence merge, errors injected at step j grow like
// (k−j), and every product rounds the same way: about k²ε/12 in theory, 4.2e-12 measured. The
// tolerance K²ε = 5.8e-11 is that bound with a ~14× margin; at t = ±1 exactly the recurrence
// is exact integer arithmetic.
func TestChebyshevRecurrenceExact(t *testing.T) {
	const degree = 512
	const tol = degree * degree * eps
	basis := mustBasis(NewChebyshev(degree))
	xs := []float64{0, 0.3, -0.7, 1, -1, 1.5, 2, -3.8, 5, -9, 19, 25, -25}
	worst := [4]float64{}
	for _, x := range xs {
		got := evalAll(basis, []float64{x}, MaxOrder)
		tv := math.Tanh(x)
		ch := math.Cosh(x)
		s := 1 / (ch * ch)
		ex := chebExact(tv, degree)
		// f′ = T′s, f″ = T″s² + T′t″, f‴ = T‴s³ + 3T″s·t″ + T′t‴ with t″ = −2ts, t‴ = 2s(3t²−1).
		const prec = 320
		nf := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
		mul := func(a ...*big.Float) *big.Float {
			p := nf(1)
			for _, v := range a {
				p.Mul(p, v)
			}
			return p
		}
		bt, bs := nf(tv), nf(s)
		t2 := mul(nf(-2), bt, bs)
		t3 := mul(nf(2), bs, new(big.Float).SetPrec(prec).Sub(mul(nf(3), bt, bt), nf(1)))
		for r := 0; r <= MaxOrder; r++ {
			var maxRef, maxErr float64
			for k := 0; k <= degree; k++ {
				var ref *big.Float
				switch r {
				case 0:
					ref = ex[0][k]
				case 1:
					ref = mul(ex[1][k], bs)
				case 2:
					ref = new(big.Float).SetPrec(prec).Add(mul(ex[2][k], bs, bs), mul(ex[1][k], t2))
				case 3:
					ref = new(big.Float).SetPrec(prec).Add(mul(ex[3][k], bs, bs, bs), mul(nf(3), ex[2][k], bs, t2))
					ref.Add(ref, mul(ex[1][k], t3))
				}
				rv, _ := ref.Float64()
				maxRef = math.Max(maxRef, math.Abs(rv))
				diff := new(big.Float).SetPrec(prec).Sub(nf(got[r].At(0, k)), ref)
				dv, _ := diff.Float64()
				maxErr = math.Max(maxErr, math.Abs(dv))
			}
			require.Greater(t, maxRef, 0.0)
			e := maxErr / maxRef
			worst[r] = math.Max(worst[r], e)
			require.LessOrEqualf(t, e, tol, "x=%v (t=%v): derivative %d off by %.3g of its largest entry", x, tv, r, e)
		}
	}
	t.Logf("K=%d, worst error relative to the largest entry, orders 0..3: %.2g %.2g %.2g %.2g", degree, worst[0], worst[1], worst[2], worst[3])
}

// TestChebyshevKnownValues checks closed forms that do not use the recurrence: T_k(cos θ) =
// cos kθ, and at t = 1 the t-derivatives k², k²(k²−1)/3 (through the chain rule with s, t″).
func TestChebyshevKnownValues(t *testing.T) {
	const degree = 300
	basis := mustBasis(NewChebyshev(degree))
	for _, x := range []float64{0.05, 0.4, -0.9, 1.3, -2.2} {
		v := evalAll(basis, []float64{x}, 0)[0].Row(0)
		theta := math.Acos(math.Tanh(x))
		for k := 0; k <= degree; k++ {
			// acos is ill-conditioned near ±1: its rounding error ε/sinθ is multiplied by k.
			tol := 1e-15 * float64(k+1) / math.Sin(theta) * 8
			require.InDeltaf(t, math.Cos(float64(k)*theta), v[k], tol, "T_%d(tanh %v)", k, x)
		}
	}
}
