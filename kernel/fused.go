package kernel

import (
	"fmt"
	"math"
)

// AddBias adds b[j] to every element of column j of m.
func (k *Impl) AddBias(m Matrix, b []float64) {
	if len(b) < m.Cols {
		panic(fmt.Sprintf("kernel: bias of %d for %d columns", len(b), m.Cols))
	}
	parallelRows(m.Rows, m.Cols, k.Threads(), func(r0, r1 int) {
		for i := r0; i < r1; i++ {
			row := m.Row(i)
			for j := range row {
				row[j] += b[j]
			}
		}
	})
}

// Axpy sets y[i] += alpha·x[i].
func (k *Impl) Axpy(alpha float64, x, y []float64) {
	checkLen("axpy", y, x)
	k.mapSlice(len(x), func(lo, hi int) {
		xs, ys := x[lo:hi], y[lo:hi]
		for i, v := range xs {
			ys[i] += alpha * v
		}
	})
}

// Scale sets x[i] *= alpha.
func (k *Impl) Scale(alpha float64, x []float64) {
	k.mapSlice(len(x), func(lo, hi int) {
		xs := x[lo:hi]
		for i := range xs {
			xs[i] *= alpha
		}
	})
}

// Mul sets dst[i] = a[i]·b[i]. dst may be a or b.
func (k *Impl) Mul(dst, a, b []float64) {
	checkLen("mul", dst, a)
	checkLen("mul", b, a)
	k.mapSlice(len(a), func(lo, hi int) {
		d, as, bs := dst[lo:hi], a[lo:hi], b[lo:hi]
		for i, v := range as {
			d[i] = v * bs[i]
		}
	})
}

// MulAdd sets dst[i] += a[i]·b[i].
func (k *Impl) MulAdd(dst, a, b []float64) {
	checkLen("muladd", dst, a)
	checkLen("muladd", b, a)
	k.mapSlice(len(a), func(lo, hi int) {
		d, as, bs := dst[lo:hi], a[lo:hi], b[lo:hi]
		for i, v := range as {
			d[i] += v * bs[i]
		}
	})
}

// AdamStep holds the scalars of one Adam/AdamW update.
type AdamStep struct {
	LR, Beta1, Beta2, Eps float64
	// WeightDecay is AdamW's decoupled decay (p -= LR·WeightDecay·p), 0 for plain Adam.
	WeightDecay float64
	// Step is the 1-based step count, used for the bias corrections 1-β^t.
	Step int
}

// Adam applies one bias-corrected Adam(W) update to parameters p with gradient g and moment
// estimates m, v, in one pass over memory:
//
//	m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²
//	p -= lr·(m/(1-β1^t)) / (sqrt(v/(1-β2^t)) + eps) + lr·wd·p
func (k *Impl) Adam(p, g, m, v []float64, s AdamStep) {
	n := len(p)
	if len(g) < n || len(m) < n || len(v) < n {
		panic("kernel: adam: slices shorter than the parameters")
	}
	t := float64(max(s.Step, 1))
	bc1 := 1 - math.Pow(s.Beta1, t)
	bc2 := 1 - math.Pow(s.Beta2, t)
	stepSize := s.LR / bc1
	invSqrtBC2 := 1 / math.Sqrt(bc2)
	decay := 1 - s.LR*s.WeightDecay
	b1, b2 := s.Beta1, s.Beta2
	eps := s.Eps
	k.mapSlice(n, func(lo, hi int) {
		ps, gs, ms, vs := p[lo:hi], g[lo:hi], m[lo:hi], v[lo:hi]
		for i, gi := range gs {
			mi := b1*ms[i] + (1-b1)*gi
			vi := b2*vs[i] + (1-b2)*gi*gi
			ms[i], vs[i] = mi, vi
			ps[i] = ps[i]*decay - stepSize*mi/(math.Sqrt(vi)*invSqrtBC2+eps)
		}
	})
}

// SquaredError sets grad[i] = scale·(pred[i]-target[i]) and returns Σ(pred[i]-target[i])².
// grad may be nil to compute the sum only.
func (k *Impl) SquaredError(grad, pred, target []float64, scale float64) float64 {
	checkLen("squared error", target, pred)
	if grad != nil {
		checkLen("squared error", grad, pred)
	}
	return k.reduce(len(pred), func(lo, hi int) float64 {
		var s float64
		for i := lo; i < hi; i++ {
			d := pred[i] - target[i]
			s += d * d
			if grad != nil {
				grad[i] = scale * d
			}
		}
		return s
	})
}
