package kan

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
)

// Chebyshev is the basis T_0(t) … T_K(t) of Chebyshev polynomials of the first kind on t = tanh x
// (SL²A-INR's "LA block"): tanh maps any input into (−1, 1), where the polynomials are bounded
// by one and the three-term recurrence is stable.
//
// The polynomials and their t-derivatives come from the recurrences
//
//	T_{k+1}   = 2t·T_k − T_{k−1}
//	T′_{k+1}  = 2T_k + 2t·T′_k − T′_{k−1}
//	T″_{k+1}  = 4T′_k + 2t·T″_k − T″_{k−1}
//	T‴_{k+1}  = 6T″_k + 2t·T‴_k − T‴_{k−1}
//
// (the derivatives of the first, equal to k·U_{k−1} and its derivatives, without a second
// family), and the x-derivatives from the chain rule with t′ = sech²x = s, t″ = −2ts and
// t‴ = 2s(3t² − 1). s is computed as 1/cosh²x rather than 1 − t², which would lose all its
// digits once |x| is a few units.
type Chebyshev struct{ degree int }

// NewChebyshev returns the basis of degree K (K+1 functions).
func NewChebyshev(degree int) (*Chebyshev, error) {
	if degree < 0 {
		return nil, fmt.Errorf("chebyshev basis: degree %d < 0", degree)
	}
	return &Chebyshev{degree: degree}, nil
}

func (c *Chebyshev) Name() string { return "chebyshev" }
func (c *Chebyshev) Size() int    { return c.degree + 1 }

// Degree is K.
func (c *Chebyshev) Degree() int { return c.degree }

func (c *Chebyshev) Eval(x []float64, order int, dst []kernel.Matrix) {
	if order == 0 {
		c.values(x, dst[0])
		return
	}
	for p, v := range x {
		c.point(v, order, dst, p)
	}
}

// values evaluates T_k(tanh x) only, four points at a time: the recurrence of one point is a
// chain of dependent multiply-adds, and four independent chains keep the FPU busy.
func (c *Chebyshev) values(x []float64, dst kernel.Matrix) {
	kmax := c.degree
	p := 0
	for ; p+4 <= len(x); p += 4 {
		t0, t1, t2, t3 := math.Tanh(x[p]), math.Tanh(x[p+1]), math.Tanh(x[p+2]), math.Tanh(x[p+3])
		r0, r1, r2, r3 := dst.Row(p)[:kmax+1], dst.Row(p + 1)[:kmax+1], dst.Row(p + 2)[:kmax+1], dst.Row(p + 3)[:kmax+1]
		r0[0], r1[0], r2[0], r3[0] = 1, 1, 1, 1
		if kmax == 0 {
			continue
		}
		r0[1], r1[1], r2[1], r3[1] = t0, t1, t2, t3
		u0, u1, u2, u3 := 2*t0, 2*t1, 2*t2, 2*t3
		a0, a1, a2, a3 := 1.0, 1.0, 1.0, 1.0 // T_{k−1}
		b0, b1, b2, b3 := t0, t1, t2, t3     // T_k
		for k := 2; k <= kmax; k++ {
			n0, n1, n2, n3 := u0*b0-a0, u1*b1-a1, u2*b2-a2, u3*b3-a3
			r0[k], r1[k], r2[k], r3[k] = n0, n1, n2, n3
			a0, a1, a2, a3 = b0, b1, b2, b3
			b0, b1, b2, b3 = n0, n1, n2, n3
		}
	}
	for ; p < len(x); p++ {
		t := math.Tanh(x[p])
		r := dst.Row(p)[:kmax+1]
		r[0] = 1
		if kmax == 0 {
			continue
		}
		r[1] = t
		u, a, b := 2*t, 1.0, t
		for k := 2; k <= kmax; k++ {
			n := u*b - a
			r[k] = n
			a, b = b, n
		}
	}
}

// point evaluates the basis and its x-derivatives up to order (≥ 1) at one point. The values
// follow the same recurrence as values, so they are bit-identical to it.
func (c *Chebyshev) point(x float64, order int, dst []kernel.Matrix, p int) {
	kmax := c.degree
	t := math.Tanh(x)
	ch := math.Cosh(x)
	s := 1 / (ch * ch) // t′
	t2 := -2 * t * s   // t″
	t3 := 2 * s * (3*t*t - 1)
	// Coefficients of the chain rule: f′ = T′s, f″ = T″s² + T′t″, f‴ = T‴s³ + 3T″st″ + T′t‴.
	s2, s3, c3 := s*s, s*s*s, 3*s*t2
	f0 := dst[0].Row(p)[:kmax+1]
	f1 := dst[1].Row(p)[:kmax+1]
	var f2, f3 []float64
	if order >= 2 {
		f2 = dst[2].Row(p)[:kmax+1]
	}
	if order >= 3 {
		f3 = dst[3].Row(p)[:kmax+1]
	}
	// k = 0: T = 1, all derivatives 0.
	f0[0], f1[0] = 1, 0
	if order >= 2 {
		f2[0] = 0
	}
	if order >= 3 {
		f3[0] = 0
	}
	if kmax == 0 {
		return
	}
	// k = 1: T = t, T′ = 1.
	f0[1], f1[1] = t, s
	if order >= 2 {
		f2[1] = t2
	}
	if order >= 3 {
		f3[1] = t3
	}
	u := 2 * t
	a0, b0 := 1.0, t // T_{k−1}, T_k
	a1, b1 := 0.0, 1.0
	a2, b2 := 0.0, 0.0
	a3, b3 := 0.0, 0.0
	for k := 2; k <= kmax; k++ {
		n0 := u*b0 - a0
		n1 := 2*b0 + u*b1 - a1
		n2 := 4*b1 + u*b2 - a2
		n3 := 6*b2 + u*b3 - a3
		f0[k] = n0
		f1[k] = n1 * s
		if order >= 2 {
			f2[k] = n2*s2 + n1*t2
		}
		if order >= 3 {
			f3[k] = n3*s3 + n2*c3 + n1*t3
		}
		a0, b0 = b0, n0
		a1, b1 = b1, n1
		a2, b2 = b2, n2
		a3, b3 = b3, n3
	}
}

// NewChebyshevKAN returns SL²A-INR's Chebyshev layer in→out of degree K,
//
//	y_o = Σ_i Σ_{k=0..K} a[i,k,o]·T_k(tanh x_i)   (no bias),
//
// with one parameter "coeffs" of shape [in, K+1, out] (the reference stores the same numbers as
// (in, out, K+1)) drawn from xavier_uniform as PyTorch computes it for that 3-D tensor:
// U(±√(6/((in+out)(K+1)))). SL²A's first layer 2→256 with K = 256 has 131,584 coefficients.
func NewChebyshevKAN(in, out, degree int, rng *rand.Rand) (*Expansion, error) {
	basis, err := NewChebyshev(degree)
	if err != nil {
		return nil, fmt.Errorf("chebyshev kan %d→%d: %w", in, out, err)
	}
	e, err := NewExpansion(in, out, false, Term{Name: "coeffs", Basis: basis})
	if err != nil {
		return nil, fmt.Errorf("chebyshev kan: %w", err)
	}
	bound := math.Sqrt(6 / float64((in+out)*(degree+1)))
	c := e.Param("coeffs").Value
	for i := range c {
		c[i] = bound * (2*rng.Float64() - 1)
	}
	return e, nil
}
