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
	j := elemJob{k: k, op: opAddBias, m: m, b: b}
	j.exec(m.Rows, m.Cols)
}

// Axpy sets y[i] += alpha·x[i].
func (k *Impl) Axpy(alpha float64, x, y []float64) {
	checkLen("axpy", y, x)
	j := elemJob{k: k, op: opAxpy, n: len(x), alpha: alpha, x: x, y: y}
	j.execElems()
}

// Scale sets x[i] *= alpha.
func (k *Impl) Scale(alpha float64, x []float64) {
	j := elemJob{k: k, op: opScale, n: len(x), alpha: alpha, dst: x}
	j.execElems()
}

// Mul sets dst[i] = a[i]·b[i]. dst may be a or b.
func (k *Impl) Mul(dst, a, b []float64) {
	checkLen("mul", dst, a)
	checkLen("mul", b, a)
	j := elemJob{k: k, op: opMul, n: len(a), dst: dst, x: a, y: b}
	j.execElems()
}

// MulAdd sets dst[i] += a[i]·b[i].
func (k *Impl) MulAdd(dst, a, b []float64) {
	checkLen("muladd", dst, a)
	checkLen("muladd", b, a)
	j := elemJob{k: k, op: opMulAdd, n: len(a), dst: dst, x: a, y: b}
	j.execElems()
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
	j := elemJob{k: k, op: opAdam, n: n, dst: p, x: g, y: m, z: v,
		coef: [8]float64{s.Beta1, 1 - s.Beta1, s.Beta2, 1 - s.Beta2, 1 - s.LR*s.WeightDecay, s.LR / bc1, 1 / math.Sqrt(bc2), s.Eps}}
	j.execElems()
}

// SquaredError sets grad[i] = scale·(pred[i]-target[i]) and returns Σ(pred[i]-target[i])².
// grad may be nil to compute the sum only.
func (k *Impl) SquaredError(grad, pred, target []float64, scale float64) float64 {
	checkLen("squared error", target, pred)
	if grad != nil {
		checkLen("squared error", grad, pred)
	}
	return k.reduce(elemJob{op: opSqErr, n: len(pred), dst: grad, x: pred, y: target, alpha: scale})
}

// AddBias runs the default implementation; see Impl.AddBias.
func AddBias(m Matrix, b []float64) { defaultImpl.AddBias(m, b) }

// Axpy runs the default implementation; see Impl.Axpy.
func Axpy(alpha float64, x, y []float64) { defaultImpl.Axpy(alpha, x, y) }

// Scale runs the default implementation; see Impl.Scale.
func Scale(alpha float64, x []float64) { defaultImpl.Scale(alpha, x) }

// Mul runs the default implementation; see Impl.Mul.
func Mul(dst, a, b []float64) { defaultImpl.Mul(dst, a, b) }

// MulAdd runs the default implementation; see Impl.MulAdd.
func MulAdd(dst, a, b []float64) { defaultImpl.MulAdd(dst, a, b) }

// Adam runs the default implementation; see Impl.Adam.
func Adam(p, g, m, v []float64, s AdamStep) { defaultImpl.Adam(p, g, m, v, s) }

// SquaredError runs the default implementation; see Impl.SquaredError.
func SquaredError(grad, pred, target []float64, scale float64) float64 {
	return defaultImpl.SquaredError(grad, pred, target, scale)
}
