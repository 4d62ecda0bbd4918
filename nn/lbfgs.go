package nn

import (
	"errors"
	"fmt"
	"math"
)

// StopReason says why L-BFGS stopped.
type StopReason int

const (
	// GradientConverged: ‖∇f‖∞ ≤ GradTol.
	GradientConverged StopReason = iota + 1
	// FunctionConverged: |f_k − f_{k−1}| ≤ FuncTol·max(|f_k|, |f_{k−1}|).
	FunctionConverged
	// StepConverged: the step taken had ‖Δx‖∞ ≤ StepTol.
	StepConverged
	// IterationLimit: MaxIter iterations were taken.
	IterationLimit
	// EvaluationLimit: MaxEval function evaluations were spent.
	EvaluationLimit
	// LineSearchFailed: no step along the search direction satisfied the Wolfe conditions
	// (at machine precision this is how L-BFGS usually ends); the best point found is kept.
	LineSearchFailed
	// NonFinite: the loss or gradient at the starting point is NaN or infinite.
	NonFinite
	// Interrupted: the OnIter callback asked to stop.
	Interrupted
)

func (r StopReason) String() string {
	switch r {
	case GradientConverged:
		return "gradient converged"
	case FunctionConverged:
		return "function change below tolerance"
	case StepConverged:
		return "step below tolerance"
	case IterationLimit:
		return "iteration limit"
	case EvaluationLimit:
		return "evaluation limit"
	case LineSearchFailed:
		return "line search failed"
	case NonFinite:
		return "non-finite loss"
	case Interrupted:
		return "interrupted"
	}
	return fmt.Sprintf("StopReason(%d)", int(r))
}

// ErrNonFinite is wrapped by the error L-BFGS returns when the loss or the gradient is not finite
// where it has to be (the starting point).
var ErrNonFinite = errors.New("loss or gradient is not finite")

// LBFGS is full-batch limited-memory BFGS with a strong-Wolfe line search (cubic interpolation,
// bracketing and zoom; Nocedal & Wright, Alg. 3.5–3.6), the optimiser that takes float64 networks
// to machine precision.
//
// It is implemented here rather than through gonum/optimize so that one forward+backward gives
// the (value, gradient) pair of every trial point with no cache to keep consistent, tolerances go
// down to 1e-14 and below with the exact reason for stopping reported, and an iteration allocates
// nothing. The zero value is not usable: start from NewLBFGS.
type LBFGS struct {
	History   int     // correction pairs kept (default 20)
	MaxIter   int     // iterations (default 1000)
	MaxEval   int     // function evaluations (default 3·MaxIter)
	GradTol   float64 // stop when ‖∇f‖∞ ≤ GradTol (default 1e-14; 0 disables)
	FuncTol   float64 // stop when the relative change of f is ≤ FuncTol (default 0: disabled)
	StepTol   float64 // stop when ‖Δx‖∞ ≤ StepTol (default 1e-16)
	LineIters int     // evaluations per line search (default 25)
	C1, C2    float64 // Wolfe constants (1e-4, 0.9)
	// OnIter, when set, is called after every iteration with the iteration count and the loss;
	// returning false stops the run (Result.Reason is Interrupted).
	OnIter func(iter int, loss float64) bool

	ps           *ParamSet
	s, y         [][]float64
	rho, alpha   []float64
	head, count  int
	d, x0, g0    []float64
	bestG, bestX []float64
}

// LBFGSResult reports a run.
type LBFGSResult struct {
	Reason      StopReason
	Iterations  int
	Evaluations int
	Loss        float64 // at the final parameters, which hold the best point found
	GradNorm    float64 // ‖∇f‖∞ there
}

// NewLBFGS returns an L-BFGS optimiser over ps with the defaults above.
func NewLBFGS(ps *ParamSet) *LBFGS {
	return &LBFGS{History: 20, MaxIter: 1000, GradTol: 1e-14, StepTol: 1e-16, LineIters: 25, C1: 1e-4, C2: 0.9, ps: ps}
}

func (o *LBFGS) alloc() {
	n := o.ps.Len()
	if len(o.s) != o.History || len(o.d) != n {
		o.s = make([][]float64, o.History)
		o.y = make([][]float64, o.History)
		for i := range o.s {
			o.s[i] = make([]float64, n)
			o.y[i] = make([]float64, n)
		}
		o.rho = make([]float64, o.History)
		o.alpha = make([]float64, o.History)
		o.d = make([]float64, n)
		o.x0 = make([]float64, n)
		o.g0 = make([]float64, n)
		o.bestG = make([]float64, n)
		o.bestX = make([]float64, n)
	}
	o.head, o.count = 0, 0
}

func dot(a, b []float64) float64 {
	var s float64
	b = b[:len(a)]
	for i, v := range a {
		s += v * b[i]
	}
	return s
}

func maxAbs(a []float64) float64 {
	var m float64
	for _, v := range a {
		if a := math.Abs(v); a > m || a != a {
			m = a
		}
	}
	return m
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Minimize runs L-BFGS from the current parameters. eval must compute the loss at ps.Value and
// write its gradient into ps.Grad (Minimize zeroes ps.Grad before each call); it may return an
// error to abort. On return the parameters hold the best point found and ps.Grad its gradient.
// A non-finite loss at the start is an error wrapping ErrNonFinite; non-finite trial points
// during a line search count as "too far" and are backed off from.
func (o *LBFGS) Minimize(eval func() (float64, error)) (LBFGSResult, error) {
	if o.History < 1 || o.MaxIter < 1 {
		return LBFGSResult{}, fmt.Errorf("lbfgs: history %d and iteration limit %d must be ≥ 1", o.History, o.MaxIter)
	}
	o.alloc()
	maxEval := o.MaxEval
	if maxEval <= 0 {
		maxEval = 3 * o.MaxIter
	}
	ps := o.ps
	x, g := ps.Value, ps.Grad
	var res LBFGSResult
	call := func() (float64, error) {
		ps.ZeroGrad()
		res.Evaluations++
		return eval()
	}
	f, err := call()
	if err != nil {
		return res, fmt.Errorf("lbfgs: %w", err)
	}
	res.Loss, res.GradNorm = f, maxAbs(g)
	if !finite(f) || !finite(res.GradNorm) {
		res.Reason = NonFinite
		return res, fmt.Errorf("lbfgs: at the starting point the loss is %v and ‖∇‖∞ %v: %w", f, res.GradNorm, ErrNonFinite)
	}
	if res.GradNorm <= o.GradTol {
		res.Reason = GradientConverged
		return res, nil
	}
	for res.Iterations < o.MaxIter {
		o.direction(g)
		gtd := dot(g, o.d)
		if !(gtd < 0) { // not a descent direction (curvature information went bad): restart
			o.head, o.count = 0, 0
			for i, v := range g {
				o.d[i] = -v
			}
			gtd = dot(g, o.d)
		}
		t := 1.0
		if res.Iterations == 0 && o.count == 0 {
			t = math.Min(1, 1/sumAbs(g))
		}
		copy(o.x0, x)
		copy(o.g0, g)
		fNew, _, ok, err := o.lineSearch(call, f, gtd, t, maxEval-res.Evaluations, &res)
		if err != nil {
			return res, err
		}
		res.Iterations++
		if !ok {
			// Keep the best point the line search found (x, g hold it) and stop.
			res.Loss, res.GradNorm = fNew, maxAbs(g)
			res.Reason = LineSearchFailed
			if res.Evaluations >= maxEval {
				res.Reason = EvaluationLimit
			}
			return res, nil
		}
		// Curvature pair s = Δx, y = Δg, kept only when sᵀy > 0 (BFGS stays positive definite).
		s, yv := o.s[o.head], o.y[o.head]
		for i := range x {
			s[i] = x[i] - o.x0[i]
			yv[i] = g[i] - o.g0[i]
		}
		if sy := dot(s, yv); sy > 1e-10*math.Sqrt(dot(s, s)*dot(yv, yv)) && sy > 0 {
			o.rho[o.head] = 1 / sy
			o.head = (o.head + 1) % o.History
			o.count = min(o.count+1, o.History)
		}
		fOld := f
		f = fNew
		res.Loss, res.GradNorm = f, maxAbs(g)
		switch {
		case res.GradNorm <= o.GradTol:
			res.Reason = GradientConverged
		case o.FuncTol > 0 && math.Abs(f-fOld) <= o.FuncTol*math.Max(math.Abs(f), math.Abs(fOld)):
			res.Reason = FunctionConverged
		case maxAbs(s) <= o.StepTol:
			res.Reason = StepConverged
		case res.Evaluations >= maxEval:
			res.Reason = EvaluationLimit
		case o.OnIter != nil && !o.OnIter(res.Iterations, f):
			res.Reason = Interrupted
		}
		if res.Reason != 0 {
			return res, nil
		}
	}
	res.Reason = IterationLimit
	return res, nil
}

func sumAbs(a []float64) float64 {
	var s float64
	for _, v := range a {
		s += math.Abs(v)
	}
	return s
}

// direction sets d = −H·g by the two-loop recursion, H₀ = (sᵀy/yᵀy)·I from the newest pair.
func (o *LBFGS) direction(g []float64) {
	d := o.d
	for i, v := range g {
		d[i] = -v
	}
	if o.count == 0 {
		return
	}
	m := o.History
	for k := 0; k < o.count; k++ {
		i := (o.head - 1 - k + m) % m
		o.alpha[i] = o.rho[i] * dot(o.s[i], d)
		axpy(-o.alpha[i], o.y[i], d)
	}
	newest := (o.head - 1 + m) % m
	gamma := 1 / (o.rho[newest] * dot(o.y[newest], o.y[newest]))
	for i := range d {
		d[i] *= gamma
	}
	for k := o.count - 1; k >= 0; k-- {
		i := (o.head - 1 - k + m) % m
		beta := o.rho[i] * dot(o.y[i], d)
		axpy(o.alpha[i]-beta, o.s[i], d)
	}
}

func axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}
