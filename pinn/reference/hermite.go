package reference

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// gaussHermite returns the n nodes of Gauss–Hermite quadrature (weight e^{−z²} on the real line),
// ascending, and the logarithms of their weights: ∫ g(z) e^{−z²} dz ≈ Σ exp(logw_i) g(z_i).
//
// The weights of the outer nodes are tiny (e^{−z²}, below the float64 range for n ≳ 700), and in
// the Cole–Hopf integrals those nodes are multiplied by factors up to e^{50}, so the weights must
// be accurate relative to themselves, not to the largest weight. Golub–Welsch gives the nodes
// (eigenvalues of the Jacobi matrix) but its weights, squares of eigenvector components, carry an
// absolute error of about ε. So the nodes are polished by Newton's method on the orthonormal
// Hermite recurrence, and the weights come from w_i = 1/(n·p_{n−1}(z_i)²), evaluated in
// logarithms with the recurrence rescaled as it grows.
func gaussHermite(n int) (nodes, logw []float64, err error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("gauss–hermite: %d nodes", n)
	}
	// Jacobi matrix of the Hermite polynomials: zero diagonal, off-diagonal √(k/2).
	jac := mat.NewSymDense(n, nil)
	for k := 1; k < n; k++ {
		jac.SetSym(k-1, k, math.Sqrt(float64(k)/2))
	}
	var eig mat.EigenSym
	if !eig.Factorize(jac, false) {
		return nil, nil, fmt.Errorf("gauss–hermite: eigenvalues of the %d×%d Jacobi matrix did not converge", n, n)
	}
	nodes = eig.Values(nil)
	logw = make([]float64, n)
	for i, z := range nodes {
		for range 10 {
			pn, pn1, _ := hermiteOrthonormal(n, z)
			dz := pn / (math.Sqrt(2*float64(n)) * pn1) // p_n' = √(2n) p_{n−1}
			z -= dz
			if math.Abs(dz) <= 1e-16*(1+math.Abs(z)) {
				break
			}
		}
		nodes[i] = z
		_, pn1, logScale := hermiteOrthonormal(n, z)
		logw[i] = -math.Log(float64(n)) - 2*(math.Log(math.Abs(pn1))+logScale)
	}
	// The rule is symmetric; enforce it exactly so odd integrands cancel.
	for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
		z := (nodes[j] - nodes[i]) / 2
		lw := (logw[i] + logw[j]) / 2
		nodes[i], nodes[j], logw[i], logw[j] = -z, z, lw, lw
	}
	if n%2 == 1 {
		nodes[n/2] = 0
	}
	return nodes, logw, nil
}

// hermiteOrthonormal evaluates the orthonormal Hermite polynomials p_n(z) and p_{n−1}(z) (with
// respect to e^{−z²}), both divided by exp(logScale): the three-term recurrence is rescaled
// whenever it grows past 1e150, which happens far out in the tails.
func hermiteOrthonormal(n int, z float64) (pn, pn1, logScale float64) {
	prev, cur := 0.0, math.Pow(math.Pi, -0.25) // p_{−1}, p_0
	for k := 0; k < n; k++ {
		next := math.Sqrt(2/float64(k+1))*z*cur - math.Sqrt(float64(k)/float64(k+1))*prev
		prev, cur = cur, next
		if a := math.Abs(cur); a > 1e150 {
			prev /= a
			cur /= a
			logScale += math.Log(a)
		}
	}
	return cur, prev, logScale
}
