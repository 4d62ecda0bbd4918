package act

import "math"

// ridders differentiates f at x by Ridders' method: central differences with steps h, h/1.4,
// h/1.4², … extrapolated to zero step in a Neville tableau (Numerical Recipes §5.7). It returns
// the derivative and the method's own error estimate, the difference between successive
// extrapolations. For an analytic f and a step of the order of its feature size the estimate
// is typically 1e-12 to 1e-10 relative; the tests require it to be below their tolerance.
func ridders(f func(float64) float64, x, h float64) (deriv, errEst float64) {
	const (
		con  = 1.4
		con2 = con * con
		ntab = 12
		safe = 2.0
	)
	var a [ntab][ntab]float64
	errEst = math.Inf(1)
	// Steps are rounded so that x ± h are exact: otherwise, far from 0, the representation
	// error of x + h (ε|x|/h relative) would dominate.
	h = (x + h) - x
	a[0][0] = (f(x+h) - f(x-h)) / (2 * h)
	deriv = a[0][0]
	for i := 1; i < ntab; i++ {
		h /= con
		h = (x + h) - x
		a[0][i] = (f(x+h) - f(x-h)) / (2 * h)
		fac := con2
		for j := 1; j <= i; j++ {
			a[j][i] = (a[j-1][i]*fac - a[j-1][i-1]) / (fac - 1)
			fac *= con2
			e := math.Max(math.Abs(a[j][i]-a[j-1][i]), math.Abs(a[j][i]-a[j-1][i-1]))
			if e <= errEst {
				errEst, deriv = e, a[j][i]
			}
		}
		if math.Abs(a[i][i]-a[i-1][i-1]) >= safe*errEst {
			break
		}
	}
	return deriv, errEst
}
