package nn

import (
	"fmt"
	"math"
)

// Schedule gives the learning-rate multiplier for a 0-based step t; the rate used is base·Factor(t).
type Schedule interface {
	Factor(t int) float64
}

// Constant keeps the base rate.
type Constant struct{}

// StepDecay multiplies the rate by Gamma every Every steps (PyTorch's StepLR).
type StepDecay struct {
	Every int
	Gamma float64
}

// Exponential multiplies the rate by Gamma every step (PyTorch's ExponentialLR).
type Exponential struct{ Gamma float64 }

// Cosine anneals from the base rate to MinFactor·base over Steps steps (PyTorch's
// CosineAnnealingLR, without restarts), then stays there.
type Cosine struct {
	Steps     int
	MinFactor float64
}

// PowerDecay is the WIRE-family schedule r^min(t/Steps, 1): the rate falls geometrically to
// Ratio·base at step Steps and stays there (WIRE, INCODE, SL²A, FKAN, FINER; §0 of
// inr-architectures.md).
type PowerDecay struct {
	Steps int
	Ratio float64
}

// Warmup ramps the rate up linearly over the first Steps steps — factor (t+1)/Steps at step t —
// and multiplies Then's factor (nil: constant): the usual linear warm-up, which keeps Adam's
// first updates, taken before its moment estimates settle, small.
type Warmup struct {
	Steps int
	Then  Schedule
}

func (Constant) Factor(int) float64 { return 1 }

func (s Warmup) Factor(t int) float64 {
	f := 1.0
	if s.Then != nil {
		f = s.Then.Factor(t)
	}
	if t+1 < s.Steps {
		f *= float64(t+1) / float64(s.Steps)
	}
	return f
}

func (s StepDecay) Factor(t int) float64 {
	if s.Every <= 0 {
		return 1
	}
	return math.Pow(s.Gamma, float64(t/s.Every))
}

func (s Exponential) Factor(t int) float64 { return math.Pow(s.Gamma, float64(t)) }

func (s Cosine) Factor(t int) float64 {
	if s.Steps <= 0 || t >= s.Steps {
		return s.MinFactor
	}
	return s.MinFactor + (1-s.MinFactor)*0.5*(1+math.Cos(math.Pi*float64(t)/float64(s.Steps)))
}

func (s PowerDecay) Factor(t int) float64 {
	if s.Steps <= 0 {
		return s.Ratio
	}
	return math.Pow(s.Ratio, math.Min(float64(t)/float64(s.Steps), 1))
}

// NewSchedule builds a schedule by name for a run of the given number of steps:
// "constant"; "step" (every = steps/3, gamma 0.1); "exponential" (gamma such that the rate falls
// tenfold over the run); "cosine" (to 0); "wire" (ratio 0.1 over the run). Architectures that need
// other constants build the types directly.
func NewSchedule(name string, steps int) (Schedule, error) {
	switch name {
	case "", "constant":
		return Constant{}, nil
	case "step":
		return StepDecay{Every: max(steps/3, 1), Gamma: 0.1}, nil
	case "exponential":
		return Exponential{Gamma: math.Pow(0.1, 1/float64(max(steps, 1)))}, nil
	case "cosine":
		return Cosine{Steps: steps}, nil
	case "wire":
		return PowerDecay{Steps: steps, Ratio: 0.1}, nil
	}
	return nil, fmt.Errorf("unknown learning-rate schedule %q (known: constant, step, exponential, cosine, wire)", name)
}
