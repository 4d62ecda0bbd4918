package act

import (
	"math"
	"math/big"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactRational computes R⁽ᵏ⁾ (k ≤ 3) and ∂R⁽ᵏ⁾/∂θ_j (k ≤ 2) exactly in rational arithmetic:
// every float64 is a rational number, P⁽ᵏ⁾ and Q⁽ᵏ⁾ are finite sums of products of them, and
// the Leibniz recursion (and its tangent) only adds, multiplies and divides. x must be nonzero.
func exactRational(x float64, th []float64, m, n int) (R [4]float64, G [][3]float64) {
	rat := func(v float64) *big.Rat { return new(big.Rat).SetFloat64(v) }
	X := rat(x)
	sx := int64(1)
	if x < 0 {
		sx = -1
	}
	AX := new(big.Rat).Abs(X)
	pow := func(b *big.Rat, e int) *big.Rat {
		r := big.NewRat(1, 1)
		for i := 0; i < e; i++ {
			r.Mul(r, b)
		}
		return r
	}
	fall := func(i, k int) *big.Rat {
		r := big.NewRat(1, 1)
		for j := 0; j < k; j++ {
			r.Mul(r, big.NewRat(int64(i-j), 1))
		}
		return r
	}
	// mono(i,k) = (xⁱ)⁽ᵏ⁾, amono(i,k) = (|x|ⁱ)⁽ᵏ⁾ = i!/(i−k)!·|x|^(i−k)·sgn(x)^k.
	mono := func(i, k int) *big.Rat {
		if k > i {
			return new(big.Rat)
		}
		return new(big.Rat).Mul(fall(i, k), pow(X, i-k))
	}
	amono := func(i, k int) *big.Rat {
		if k > i {
			return new(big.Rat)
		}
		r := new(big.Rat).Mul(fall(i, k), pow(AX, i-k))
		if k%2 == 1 && sx < 0 {
			r.Neg(r)
		}
		return r
	}
	var P, Q [4]*big.Rat
	for k := 0; k < 4; k++ {
		P[k], Q[k] = new(big.Rat), new(big.Rat)
		if k == 0 {
			Q[0].SetInt64(1)
		}
		for i := 0; i <= m; i++ {
			P[k].Add(P[k], new(big.Rat).Mul(rat(th[i]), mono(i, k)))
		}
		for i := 1; i <= n; i++ {
			Q[k].Add(Q[k], new(big.Rat).Mul(rat(math.Abs(th[m+i])), amono(i, k)))
		}
	}
	binomR := func(k, j int) *big.Rat { return big.NewRat(int64(binom[k][j]), 1) }
	var Rr [4]*big.Rat
	for k := 0; k < 4; k++ {
		v := new(big.Rat).Set(P[k])
		for j := 0; j < k; j++ {
			t := new(big.Rat).Mul(binomR(k, j), Rr[j])
			v.Sub(v, t.Mul(t, Q[k-j]))
		}
		Rr[k] = v.Quo(v, Q[0])
		R[k], _ = Rr[k].Float64()
	}
	tangent := func(Ph, Qh [4]*big.Rat) (out [3]float64) {
		var Rh [3]*big.Rat
		for k := 0; k < 3; k++ {
			v := new(big.Rat).Set(Ph[k])
			v.Sub(v, new(big.Rat).Mul(Rr[k], Qh[0]))
			for j := 0; j < k; j++ {
				a := new(big.Rat).Mul(Rh[j], Q[k-j])
				a.Add(a, new(big.Rat).Mul(Rr[j], Qh[k-j]))
				v.Sub(v, a.Mul(a, binomR(k, j)))
			}
			Rh[k] = v.Quo(v, Q[0])
			out[k], _ = Rh[k].Float64()
		}
		return out
	}
	zero := [4]*big.Rat{new(big.Rat), new(big.Rat), new(big.Rat), new(big.Rat)}
	for i := 0; i <= m; i++ {
		var Ph [4]*big.Rat
		for k := range Ph {
			Ph[k] = mono(i, k)
		}
		G = append(G, tangent(Ph, zero))
	}
	for i := 1; i <= n; i++ {
		var Qh [4]*big.Rat
		for k := range Qh {
			Qh[k] = amono(i, k)
			if th[m+i] < 0 {
				Qh[k].Neg(Qh[k])
			}
		}
		G = append(G, tangent(zero, Qh))
	}
	return R, G
}

// TestRationalExact compares the rational activation's closed forms (value, three derivatives,
// parameter gradients) with exact rational arithmetic at points from 1e-3 to 1e8. Bound: the
// error of a k-th derivative is at most 2^10·ε times its natural scale |R|/max(1, |x|)^k plus
// its own size (see rationalFunc: far out R″ and R‴ are small remainders of that scale).
func TestRationalExact(t *testing.T) {
	cases := []struct {
		cfg Config
		th  []float64
	}{
		{nil, []float64{0.1, 0.9, 0.3, -0.2, 0.05, 0.02, 0.4, -0.3, 0.2, 0.1}},
		{Config{"m": 3, "n": 2}, []float64{-0.3, 1.1, 0.2, 0.4, 0.7, -0.25}},
		{Config{"init": RationalInitSiLU}, nil},
		{Config{"init": RationalInitGELU}, nil},
		{Config{"m": 2, "n": 5}, []float64{0.2, -1, 0.5, 0.3, 0.1, 0.2, 0.05, 0.01}},
	}
	points := []float64{-1e8, -3e5, -1000, -57.5, -3.3, -1.7, -1.01, -0.99, -0.4, -1e-3, 2e-3, 0.3, 0.97, 1.03, 2.2, 9, 420, 1e8}
	worst := map[int]float64{}
	for _, c := range cases {
		f, err := New("rational", c.cfg)
		require.NoError(t, err)
		r := f.(*rationalFunc)
		th := c.th
		if th == nil {
			for _, p := range f.Params() {
				th = append(th, p.Init)
			}
		}
		g := make([][4]float64, len(th))
		for _, x := range points {
			var d [4]float64
			f.Eval(x, th, 3, &d)
			f.EvalParamGrad(x, th, 2, g)
			R, G := exactRational(x, th, r.m, r.n)
			ax := math.Max(1, math.Abs(x))
			const tol = 0x1p10 * 0x1p-52
			for k := 0; k < 4; k++ {
				scale := math.Abs(R[k]) + math.Abs(R[0])/math.Pow(ax, float64(k))
				e := math.Abs(d[k]-R[k]) / scale
				worst[k] = math.Max(worst[k], e)
				assert.LessOrEqual(t, e, tol, "m=%d n=%d x=%v order %d: closed %v exact %v", r.m, r.n, x, k, d[k], R[k])
			}
			for j := range th {
				if th[j] == 0 && j > r.m {
					continue // |b| at its kink: one-sided by convention
				}
				for k := 0; k < 3; k++ {
					scale := math.Abs(G[j][k]) + math.Abs(G[j][0])/math.Pow(ax, float64(k))
					e := math.Abs(g[j][k]-G[j][k]) / scale
					worst[4+k] = math.Max(worst[4+k], e)
					assert.LessOrEqual(t, e, tol, "m=%d n=%d x=%v ∂R⁽%d⁾/∂%s: closed %v exact %v",
						r.m, r.n, x, k, f.Params()[j].Name, g[j][k], G[j][k])
				}
			}
		}
	}
	for k := 0; k < 4; k++ {
		t.Logf("R⁽%d⁾: max error / natural scale = %.2e", k, worst[k])
	}
	for k := 0; k < 3; k++ {
		t.Logf("∂R⁽%d⁾/∂θ: max error / natural scale = %.2e", k, worst[4+k])
	}
}
