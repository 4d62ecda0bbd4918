package nn

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

// Loss is a pointwise loss averaged over every element of a prediction matrix.
type Loss interface {
	Name() string
	// Eval returns the loss of pred against target (the zero Matrix means a zero target, as for
	// PDE residuals) and, when grad has storage, writes scale·∂loss/∂pred into it, added to what
	// grad holds when accumulate is true. grad has the shape of pred.
	Eval(pred, target, grad kernel.Matrix, scale float64, accumulate bool) float64
}

// MSE is the mean squared error mean((p−t)²), PyTorch's MSELoss.
type MSE struct{}

// L1 is the mean absolute error mean|p−t|; its gradient at p = t is taken as 0.
type L1 struct{}

// Huber is the mean Huber loss with threshold Delta (PyTorch's HuberLoss): ½d² for |d| ≤ Delta,
// Delta·(|d| − ½Delta) beyond.
type Huber struct{ Delta float64 }

func (MSE) Name() string   { return "mse" }
func (L1) Name() string    { return "l1" }
func (Huber) Name() string { return "huber" }

// NewLoss returns the loss called name: "mse", "l1" or "huber" (delta 1).
func NewLoss(name string) (Loss, error) {
	switch name {
	case "mse":
		return MSE{}, nil
	case "l1":
		return L1{}, nil
	case "huber":
		return Huber{Delta: 1}, nil
	}
	return nil, fmt.Errorf("unknown loss %q (known: mse, l1, huber)", name)
}

func checkLoss(pred, target, grad kernel.Matrix) {
	if target.Data != nil && (target.Rows != pred.Rows || target.Cols != pred.Cols) {
		panic(fmt.Sprintf("nn: loss: target %d×%d for prediction %d×%d", target.Rows, target.Cols, pred.Rows, pred.Cols))
	}
	if grad.Data != nil && (grad.Rows != pred.Rows || grad.Cols != pred.Cols) {
		panic(fmt.Sprintf("nn: loss: gradient %d×%d for prediction %d×%d", grad.Rows, grad.Cols, pred.Rows, pred.Cols))
	}
}

// pointwise runs f(d) → (loss, ∂loss/∂d) over every element, d = pred − target, in row order.
func pointwise(pred, target, grad kernel.Matrix, scale float64, accumulate bool, f func(d float64) (float64, float64)) float64 {
	checkLoss(pred, target, grad)
	n := pred.Rows * pred.Cols
	if n == 0 {
		return 0
	}
	var sum float64
	gs := scale / float64(n)
	for i := 0; i < pred.Rows; i++ {
		p := pred.Row(i)
		var t, g []float64
		if target.Data != nil {
			t = target.Row(i)
		}
		if grad.Data != nil {
			g = grad.Row(i)
		}
		for j, v := range p {
			d := v
			if t != nil {
				d -= t[j]
			}
			l, dl := f(d)
			sum += l
			if g != nil {
				if accumulate {
					g[j] += gs * dl
				} else {
					g[j] = gs * dl
				}
			}
		}
	}
	return sum / float64(n)
}

func (MSE) Eval(pred, target, grad kernel.Matrix, scale float64, accumulate bool) float64 {
	n := pred.Rows * pred.Cols
	// The common case (contiguous, fresh gradient) runs on the kernel's vectorised loop.
	if n > 0 && !accumulate && target.Data != nil && pred.Contiguous() && target.Contiguous() &&
		(grad.Data == nil || grad.Contiguous()) {
		checkLoss(pred, target, grad)
		var g []float64
		if grad.Data != nil {
			g = grad.Data[:n]
		}
		return kernel.SquaredError(g, pred.Data[:n], target.Data[:n], 2*scale/float64(n)) / float64(n)
	}
	return pointwise(pred, target, grad, scale, accumulate, func(d float64) (float64, float64) { return d * d, 2 * d })
}

func (L1) Eval(pred, target, grad kernel.Matrix, scale float64, accumulate bool) float64 {
	return pointwise(pred, target, grad, scale, accumulate, func(d float64) (float64, float64) {
		switch {
		case d > 0:
			return d, 1
		case d < 0:
			return -d, -1
		}
		return math.Abs(d), 0
	})
}

func (h Huber) Eval(pred, target, grad kernel.Matrix, scale float64, accumulate bool) float64 {
	delta := h.Delta
	return pointwise(pred, target, grad, scale, accumulate, func(d float64) (float64, float64) {
		a := math.Abs(d)
		if a <= delta {
			return 0.5 * d * d, d
		}
		return delta * (a - 0.5*delta), math.Copysign(delta, d)
	})
}

// Objective is a weighted sum of named loss terms (PINNs and SDFs combine several): each term
// computes its own value and adds weight·∂term/∂(its blocks) into the output gradient jet.
// Eval returns the total and records every term's unweighted value for reporting.
type Objective struct {
	names   []string
	weights []float64
	terms   []func(scale float64) float64
	values  []float64
}

// Add appends a term. term(scale) must return the term's value and add scale·∂term/∂blocks into
// the gradient jet (never overwrite: other terms share it).
func (o *Objective) Add(name string, weight float64, term func(scale float64) float64) {
	o.names = append(o.names, name)
	o.weights = append(o.weights, weight)
	o.terms = append(o.terms, term)
	o.values = append(o.values, 0)
}

// Eval evaluates every term and returns Σ weight·value.
func (o *Objective) Eval() float64 {
	var total float64
	for k, t := range o.terms {
		v := t(o.weights[k])
		o.values[k] = v
		total += o.weights[k] * v
	}
	return total
}

// Terms returns the names and the unweighted values of the last Eval (shared slices: copy them
// to keep).
func (o *Objective) Terms() (names []string, values []float64) { return o.names, o.values }

// Value returns the last value of the named term and whether it exists.
func (o *Objective) Value(name string) (float64, bool) {
	for k, n := range o.names {
		if n == name {
			return o.values[k], true
		}
	}
	return 0, false
}

// CheckFinite returns an error naming what when v is NaN or infinite: a training loop calls it on
// every loss so that a diverging run stops with a message instead of continuing on NaNs.
func CheckFinite(what string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Errorf("%s is %v: training diverged (lower the learning rate, or check the data for NaN)", what, v)
	}
	return nil
}
