package kernel

import "math"

// vecOps are an implementation's single-threaded streaming loops; the Impl methods split work
// across threads and call them on chunks. Every function reads only len(x) (or len(a), len(p),
// len(pred)) elements and its result depends only on the data, never on where a chunk starts.
type vecOps struct {
	axpy   func(alpha float64, x, y []float64) // y[i] += alpha·x[i]
	scale  func(alpha float64, x []float64)    // x[i] *= alpha
	mul    func(dst, a, b []float64)           // dst[i] = a[i]·b[i]
	mulAdd func(dst, a, b []float64)           // dst[i] += a[i]·b[i]
	sum    func(x []float64) float64
	dot    func(x, y []float64) float64
	// sqErr sets grad[i] = scale·(pred[i]-target[i]) (grad may be nil) and returns Σ(pred-target)².
	sqErr func(grad, pred, target []float64, scale float64) float64
	// adam applies one update with coef = {β1, 1-β1, β2, 1-β2, decay, stepSize, 1/sqrt(1-β2^t), eps}.
	adam func(p, g, m, v []float64, coef [8]float64)
}

// genericOps are the portable loops.
var genericOps = vecOps{
	axpy: func(alpha float64, x, y []float64) {
		y = y[:len(x)]
		for i, v := range x {
			y[i] += alpha * v
		}
	},
	scale: func(alpha float64, x []float64) {
		for i := range x {
			x[i] *= alpha
		}
	},
	mul: func(dst, a, b []float64) {
		dst, b = dst[:len(a)], b[:len(a)]
		for i, v := range a {
			dst[i] = v * b[i]
		}
	},
	mulAdd: func(dst, a, b []float64) {
		dst, b = dst[:len(a)], b[:len(a)]
		for i, v := range a {
			dst[i] += v * b[i]
		}
	},
	sum: func(x []float64) float64 {
		var s float64
		for _, v := range x {
			s += v
		}
		return s
	},
	dot: func(x, y []float64) float64 {
		y = y[:len(x)]
		var s float64
		for i, v := range x {
			s += v * y[i]
		}
		return s
	},
	sqErr: func(grad, pred, target []float64, scale float64) float64 {
		target = target[:len(pred)]
		var s float64
		for i, p := range pred {
			d := p - target[i]
			s += d * d
			if grad != nil {
				grad[i] = scale * d
			}
		}
		return s
	},
	adam: func(p, g, m, v []float64, c [8]float64) {
		g, m, v = g[:len(p)], m[:len(p)], v[:len(p)]
		for i, gi := range g {
			mi := c[0]*m[i] + c[1]*gi
			vi := c[2]*v[i] + c[3]*gi*gi
			m[i], v[i] = mi, vi
			p[i] = p[i]*c[4] - c[5]*mi/(math.Sqrt(vi)*c[6]+c[7])
		}
	},
}
