package multistage

import (
	"context"
	"fmt"
	"math"
)

// Options configure Fit.
type Options struct {
	// Stages are the stages to train, in order (nil: DefaultStages()).
	Stages []StageConfig
	// Planner plans ε and κ of every stage after the first.
	Planner Planner
	// Seed draws stage k's initial weights from seed + k.
	Seed uint64
	// Tol stops adding stages once the relative RMS error on the training samples is ≤ Tol
	// (0: train every stage).
	Tol float64
	// Eval, when set, are held-out samples on which every stage's composite error is reported.
	Eval *Samples
	// Lo and Hi override the normalisation box (nil: the bounds of the training samples).
	Lo, Hi []float64
	// OnStage, when set, receives each stage's report as soon as the stage ends.
	OnStage func(StageReport)
}

// Fit trains a multi-stage model on the samples: stage 1 fits the data, every later stage fits
// the normalised residual of the stages before it. It stops after the last configured stage,
// once the training error is ≤ Tol, when a stage fails to lower the training error (that stage
// is dropped: the next one would see the same residual), or when ctx is cancelled (the stages
// finished so far are returned, with a nil error). A diverging stage returns the model of the
// stages before it and an error wrapping ErrDiverged.
func Fit(ctx context.Context, data Samples, opt Options) (*Composite, []StageReport, error) {
	if err := data.Validate("training samples"); err != nil {
		return nil, nil, err
	}
	if opt.Eval != nil {
		if err := opt.Eval.Validate("evaluation samples"); err != nil {
			return nil, nil, err
		}
		if opt.Eval.Dim() != data.Dim() {
			return nil, nil, fmt.Errorf("%w: evaluation samples have dimension %d, training samples %d", ErrBadInput, opt.Eval.Dim(), data.Dim())
		}
	}
	if opt.Tol < 0 || math.IsNaN(opt.Tol) {
		return nil, nil, fmt.Errorf("%w: tolerance %v must be ≥ 0", ErrBadInput, opt.Tol)
	}
	if _, err := opt.Planner.defaults(); err != nil {
		return nil, nil, err
	}
	stages := opt.Stages
	if stages == nil {
		stages = DefaultStages()
	}
	if len(stages) == 0 {
		return nil, nil, fmt.Errorf("%w: no stages to train", ErrBadInput)
	}
	for k, s := range stages {
		if _, err := s.validate(k); err != nil {
			return nil, nil, err
		}
		if s.Data != nil {
			if err := s.Data.Validate(fmt.Sprintf("stage %d training samples", k+1)); err != nil {
				return nil, nil, err
			}
			if s.Data.Dim() != data.Dim() {
				return nil, nil, fmt.Errorf("%w: stage %d samples have dimension %d, the training samples %d", ErrBadInput, k+1, s.Data.Dim(), data.Dim())
			}
		}
	}
	lo, hi := opt.Lo, opt.Hi
	if lo == nil && hi == nil {
		var err error
		if lo, hi, err = data.Bounds(); err != nil {
			return nil, nil, err
		}
	}
	c, err := NewComposite(lo, hi)
	if err != nil {
		return nil, nil, err
	}
	if c.Dim() != data.Dim() {
		return nil, nil, fmt.Errorf("%w: bounds of dimension %d for samples of dimension %d", ErrBadInput, c.Dim(), data.Dim())
	}
	var reports []StageReport
	for k, cfg := range stages {
		d := data
		if cfg.Data != nil {
			d = *cfg.Data
		}
		rep, err := c.AddStage(ctx, d, cfg, opt.Planner, opt.Seed+uint64(k))
		if err == nil && opt.Eval != nil && rep.Kept {
			rep.Eval, err = c.Evaluate(*opt.Eval, len(c.Stages))
		}
		reports = append(reports, rep)
		if opt.OnStage != nil {
			opt.OnStage(rep)
		}
		if err != nil {
			return c, reports, err
		}
		if !rep.Kept || rep.Interrupted || (opt.Tol > 0 && rep.Train.RelRMS <= opt.Tol) {
			break
		}
	}
	return c, reports, nil
}
