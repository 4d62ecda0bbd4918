package nn

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

// Optimizer updates a ParamSet from the gradient in its Grad.
type Optimizer interface {
	// Step applies one update. It returns an error, and leaves the parameters unchanged, when the
	// gradient is not finite.
	Step() error
	// Steps is the number of updates applied so far.
	Steps() int
}

// Adam is Adam (or AdamW with WeightDecay > 0, decay decoupled from the gradient) with PyTorch's
// bias-corrected update, a learning-rate schedule and optional global-norm gradient clipping.
type Adam struct {
	LR           float64 // base rate (PyTorch default 1e-3)
	Beta1, Beta2 float64 // 0.9, 0.999
	Eps          float64 // 1e-8
	WeightDecay  float64 // AdamW decay; 0 for Adam
	Schedule     Schedule
	ClipNorm     float64 // clip the gradient to this global norm when > 0

	ps   *ParamSet
	m, v []float64
	t    int
}

// NewAdam returns Adam over ps with lr and PyTorch's defaults for everything else.
func NewAdam(ps *ParamSet, lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, Schedule: Constant{}, ps: ps,
		m: make([]float64, ps.Len()), v: make([]float64, ps.Len())}
}

// Steps is the number of updates applied.
func (a *Adam) Steps() int { return a.t }

// Rate is the learning rate the next step will use.
func (a *Adam) Rate() float64 { return a.LR * a.Schedule.Factor(a.t) }

// Moments returns Adam's first and second moment estimates (its own slices, for saving).
func (a *Adam) Moments() (m, v []float64) { return a.m, a.v }

// Restore sets the moment estimates and the step count, as saved from an Adam over the same
// parameters (Moments, Steps).
func (a *Adam) Restore(m, v []float64, t int) error {
	if len(m) != len(a.m) || len(v) != len(a.v) || t < 0 {
		return fmt.Errorf("adam: restoring %d and %d moments at step %d into %d parameters", len(m), len(v), t, len(a.m))
	}
	copy(a.m, m)
	copy(a.v, v)
	a.t = t
	return nil
}

// Reset forgets the moment estimates and the step count (a new training phase).
func (a *Adam) Reset() {
	clear(a.m)
	clear(a.v)
	a.t = 0
}

// Step applies one Adam update from ps.Grad (clipped first when ClipNorm > 0).
func (a *Adam) Step() error {
	norm := a.ps.ClipGradNorm(a.ClipNorm)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return fmt.Errorf("adam step %d: gradient norm is %v", a.t+1, norm)
	}
	lr := a.Rate()
	a.t++
	kernel.Adam(a.ps.Value, a.ps.Grad, a.m, a.v, kernel.AdamStep{
		LR: lr, Beta1: a.Beta1, Beta2: a.Beta2, Eps: a.Eps, WeightDecay: a.WeightDecay, Step: a.t,
	})
	return nil
}

// SGD is stochastic gradient descent with (optionally Nesterov) momentum and L2 weight decay,
// PyTorch's SGD.
type SGD struct {
	LR, Momentum, WeightDecay float64
	Nesterov                  bool
	Schedule                  Schedule
	ClipNorm                  float64

	ps  *ParamSet
	buf []float64
	t   int
}

// NewSGD returns SGD over ps with rate lr and momentum mu.
func NewSGD(ps *ParamSet, lr, mu float64) *SGD {
	return &SGD{LR: lr, Momentum: mu, Schedule: Constant{}, ps: ps, buf: make([]float64, ps.Len())}
}

// Steps is the number of updates applied.
func (s *SGD) Steps() int { return s.t }

// Step applies one SGD update from ps.Grad (clipped first when ClipNorm > 0).
func (s *SGD) Step() error {
	norm := s.ps.ClipGradNorm(s.ClipNorm)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		return fmt.Errorf("sgd step %d: gradient norm is %v", s.t+1, norm)
	}
	lr := s.LR * s.Schedule.Factor(s.t)
	p, g, b := s.ps.Value, s.ps.Grad, s.buf
	for i := range p {
		gi := g[i] + s.WeightDecay*p[i]
		if s.Momentum != 0 {
			if s.t == 0 {
				b[i] = gi
			} else {
				b[i] = s.Momentum*b[i] + gi
			}
			if s.Nesterov {
				gi += s.Momentum * b[i]
			} else {
				gi = b[i]
			}
		}
		p[i] -= lr * gi
	}
	s.t++
	return nil
}
