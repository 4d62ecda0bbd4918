//go:build amd64 && !purego

package kernel

//go:noescape
func axpyAVX2(n int, alpha float64, x, y *float64)

//go:noescape
func scaleAVX2(n int, alpha float64, x *float64)

//go:noescape
func mulAVX2(n int, dst, a, b *float64)

//go:noescape
func mulAddAVX2(n int, dst, a, b *float64)

//go:noescape
func dotAVX2(n int, x, y *float64) float64

//go:noescape
func sumAVX2(n int, x *float64) float64

//go:noescape
func sqErrAVX2(n int, grad, pred, target *float64, scale float64) float64

//go:noescape
func adamAVX2(n int, p, gr, m, v *float64, coef *[8]float64)

// avx2Ops wrap the assembly loops; the slices are checked here (the assembly trusts n).
var avx2Ops = vecOps{
	axpy: func(alpha float64, x, y []float64) {
		if len(x) > 0 {
			_ = y[len(x)-1]
			axpyAVX2(len(x), alpha, &x[0], &y[0])
		}
	},
	scale: func(alpha float64, x []float64) {
		if len(x) > 0 {
			scaleAVX2(len(x), alpha, &x[0])
		}
	},
	mul: func(dst, a, b []float64) {
		if len(a) > 0 {
			_, _ = dst[len(a)-1], b[len(a)-1]
			mulAVX2(len(a), &dst[0], &a[0], &b[0])
		}
	},
	mulAdd: func(dst, a, b []float64) {
		if len(a) > 0 {
			_, _ = dst[len(a)-1], b[len(a)-1]
			mulAddAVX2(len(a), &dst[0], &a[0], &b[0])
		}
	},
	sum: func(x []float64) float64 {
		if len(x) == 0 {
			return 0
		}
		return sumAVX2(len(x), &x[0])
	},
	dot: func(x, y []float64) float64 {
		if len(x) == 0 {
			return 0
		}
		_ = y[len(x)-1]
		return dotAVX2(len(x), &x[0], &y[0])
	},
	sqErr: func(grad, pred, target []float64, scale float64) float64 {
		if len(pred) == 0 {
			return 0
		}
		_ = target[len(pred)-1]
		var gp *float64
		if grad != nil {
			_ = grad[len(pred)-1]
			gp = &grad[0]
		}
		return sqErrAVX2(len(pred), gp, &pred[0], &target[0], scale)
	},
	adam: func(p, g, m, v []float64, coef [8]float64) {
		if n := len(p); n > 0 {
			_, _, _ = g[n-1], m[n-1], v[n-1]
			adamAVX2(n, &p[0], &g[0], &m[0], &v[0], &coef)
		}
	},
}
