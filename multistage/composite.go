package multistage

import (
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// Composite is a multi-stage model u(x) ≈ Σₙ εₙ·netₙ(H0(x)), where H0 maps the box [Lo, Hi] (the
// first training samples' bounds) onto [-1, 1] per coordinate. Earlier stages are frozen: each
// new stage fits what the ones before it left.
type Composite struct {
	Lo, Hi []float64
	Stages []*Stage
}

// NewComposite returns an empty model over the box [lo, hi].
func NewComposite(lo, hi []float64) (*Composite, error) {
	if len(lo) == 0 || len(lo) != len(hi) {
		return nil, fmt.Errorf("%w: bounds of %d and %d coordinates", ErrBadInput, len(lo), len(hi))
	}
	for k := range lo {
		if !(hi[k] > lo[k]) || math.IsInf(hi[k]-lo[k], 0) {
			return nil, fmt.Errorf("%w: coordinate %d has bounds [%v, %v]", ErrBadInput, k, lo[k], hi[k])
		}
	}
	return &Composite{Lo: slices.Clone(lo), Hi: slices.Clone(hi)}, nil
}

// Dim is the number of input coordinates.
func (c *Composite) Dim() int { return len(c.Lo) }

// Predict evaluates the model at the points x (N×Dim).
func (c *Composite) Predict(x kernel.Matrix) ([]float64, error) {
	return c.PredictStages(x, len(c.Stages))
}

// PredictStages evaluates the sum of the first n stages at the points x (N×Dim): the model as it
// was after stage n. The stages are added from the last (smallest) to the first, so that the
// small corrections are summed before they meet the O(1) first stage.
func (c *Composite) PredictStages(x kernel.Matrix, n int) ([]float64, error) {
	if x.Cols != c.Dim() {
		return nil, fmt.Errorf("%w: points of dimension %d for a model of dimension %d", ErrBadInput, x.Cols, c.Dim())
	}
	if n < 0 || n > len(c.Stages) {
		return nil, fmt.Errorf("%w: %d stages asked of a model with %d", ErrBadInput, n, len(c.Stages))
	}
	return c.sumStages(x, n, nn.ValuePlan(c.Dim())).Data, nil
}

// sumStages evaluates the sum of the first n stages at the points x on plan: an N×Blocks()
// matrix of u and its derivatives with respect to the normalised coordinates. The stages are
// added from the last (smallest) to the first, so that the small corrections are summed before
// they meet the O(1) first stage.
func (c *Composite) sumStages(x kernel.Matrix, n int, plan *nn.Plan) kernel.Matrix {
	out := kernel.NewMatrix(x.Rows, plan.Blocks())
	if x.Rows == 0 || n == 0 {
		return out
	}
	in := nn.NewInputJet(plan, normalize(x, c.Lo, c.Hi))
	for k := n - 1; k >= 0; k-- {
		s := c.Stages[k]
		y := s.Net.Forward(in)
		for b := range plan.Blocks() {
			blk := y.Block(b)
			for i := range x.Rows {
				out.Set(i, b, out.At(i, b)+s.Epsilon*blk.At(i, 0))
			}
		}
	}
	return out
}

// PredictDerivatives evaluates the model at the points x (N×Dim) with its exact derivatives with
// respect to the coordinates up to order (1: the gradient; 2: also every ∂²/∂x_i∂x_j, i ≤ j),
// from the stage networks' jets and the chain rule of the normalisation. It returns an
// N×(1+len(wrt)) matrix: u, then one column per entry of wrt ({i} for ∂/∂x_i, then {i, j}).
func (c *Composite) PredictDerivatives(x kernel.Matrix, order int) (kernel.Matrix, [][]int, error) {
	if x.Cols != c.Dim() {
		return kernel.Matrix{}, nil, fmt.Errorf("%w: points of dimension %d for a model of dimension %d", ErrBadInput, x.Cols, c.Dim())
	}
	plan, wrt, err := nn.DerivativePlan(c.Dim(), order)
	if err != nil {
		return kernel.Matrix{}, nil, fmt.Errorf("%w: %v", ErrBadInput, err)
	}
	// ∂/∂x_i = a_i·∂/∂h_i on h = a⊙x + b, a_i = 2/(hi_i − lo_i).
	scale := []float64{1}
	for _, w := range wrt {
		s := 1.0
		for _, i := range w {
			s *= 2 / (c.Hi[i] - c.Lo[i])
		}
		scale = append(scale, s)
	}
	out := c.sumStages(x, len(c.Stages), plan)
	for i := range x.Rows {
		for b := 1; b < plan.Blocks(); b++ {
			out.Set(i, b, scale[b]*out.At(i, b))
		}
	}
	return out, wrt, nil
}

// Errors are the errors of a prediction against samples.
type Errors struct {
	RelRMS float64 `json:"rel_rms"` // ‖u − û‖₂ / ‖u‖₂ (the paper's relative L2 error)
	RMS    float64 `json:"rms"`     // sqrt(mean (u − û)²)
	MaxAbs float64 `json:"max_abs"` // max |u − û|
}

// Measure compares predictions with the sample values.
func Measure(pred, y []float64) Errors {
	var num, den, mx float64
	for i, v := range y {
		d := v - pred[i]
		num += d * d
		den += v * v
		mx = math.Max(mx, math.Abs(d))
	}
	e := Errors{RMS: math.Sqrt(num / float64(max(len(y), 1))), MaxAbs: mx}
	if den > 0 {
		e.RelRMS = math.Sqrt(num / den)
	} else {
		e.RelRMS = math.Inf(1)
	}
	return e
}

// Evaluate returns the errors of the model's first n stages on the samples.
func (c *Composite) Evaluate(s Samples, n int) (Errors, error) {
	if err := s.Validate("evaluation samples"); err != nil {
		return Errors{}, err
	}
	pred, err := c.PredictStages(s.X, n)
	if err != nil {
		return Errors{}, err
	}
	return Measure(pred, s.Y), nil
}

// StageReport is what one stage did.
type StageReport struct {
	Stage     int       `json:"stage"` // 1-based
	Plan      StagePlan `json:"plan"`
	FirstAct  string    `json:"first_act"`
	Widths    []int     `json:"widths"`
	Points    int       `json:"points"`
	AdamSteps int       `json:"adam_steps"`
	AdamLoss  float64   `json:"adam_loss"`
	LBFGSIter int       `json:"lbfgs_iterations"`
	LBFGSStop string    `json:"lbfgs_stop"`
	Loss      float64   `json:"loss"` // mean square of the normalised residual fitted
	// Train are the composite's errors on the stage's training samples after the stage, Eval
	// on the evaluation samples (zero when there are none).
	Train   Errors  `json:"train"`
	Eval    Errors  `json:"eval"`
	Seconds float64 `json:"seconds"`
	// Kept is false when the stage made the training error worse and was dropped.
	Kept        bool `json:"kept"`
	Interrupted bool `json:"interrupted"`
}

// AddStage trains one more stage on the samples: it plans ε and κ from the residual of the
// stages so far (stage 1 takes κ = 1, a tanh first layer and ε from the target's magnitude), trains
// a fresh network on the normalised residual and appends it. The stage is appended only when it
// lowers the training error; otherwise Kept is false and the model is unchanged. seed draws the
// network's initial weights.
func (c *Composite) AddStage(ctx context.Context, data Samples, cfg StageConfig, planner Planner, seed uint64) (StageReport, error) {
	start := time.Now()
	k := len(c.Stages)
	rep := StageReport{Stage: k + 1, Points: data.N()}
	if err := data.Validate(fmt.Sprintf("stage %d training samples", k+1)); err != nil {
		return rep, err
	}
	if data.Dim() != c.Dim() {
		return rep, fmt.Errorf("%w: stage %d samples have dimension %d, the model %d", ErrBadInput, k+1, data.Dim(), c.Dim())
	}
	cfg, err := cfg.validate(k)
	if err != nil {
		return rep, err
	}
	before, err := c.PredictStages(data.X, k)
	if err != nil {
		return rep, err
	}
	resid := make([]float64, data.N())
	for i, v := range data.Y {
		resid[i] = v - before[i]
	}
	prevErr := Measure(before, data.Y)
	widths := append(append([]int{c.Dim()}, cfg.Hidden...), 1)
	xn := normalize(data.X, c.Lo, c.Hi)
	rep.FirstAct = "sine"
	if k == 0 {
		rep.FirstAct = "tanh"
		eps, err := planner.Magnitude(resid)
		if err != nil {
			return rep, fmt.Errorf("stage 1: %w", err)
		}
		rep.Plan = StagePlan{Epsilon: eps, Kappa: 1}
	} else {
		if data.N() < 2 {
			return rep, fmt.Errorf("%w: stage %d needs at least 2 samples to measure the residual's frequency", ErrBadInput, k+1)
		}
		if rep.Plan, err = planner.Plan(xn, resid, widths[0], widths[1]); err != nil {
			return rep, fmt.Errorf("stage %d: %w", k+1, err)
		}
	}
	rep.Widths = widths
	net, err := stageNet(widths, rep.FirstAct, rep.Plan.Kappa, seed)
	if err != nil {
		return rep, fmt.Errorf("stage %d: %w", k+1, err)
	}
	target := make([]float64, len(resid))
	for i, v := range resid {
		target[i] = v / rep.Plan.Epsilon
	}
	tr, err := train(ctx, net, xn, target, cfg, k+1)
	rep.AdamSteps, rep.AdamLoss, rep.Loss = tr.AdamSteps, tr.AdamLoss, tr.Loss
	rep.LBFGSIter, rep.Interrupted = tr.LBFGS.Iterations, tr.Interrupts
	if tr.LBFGS.Reason != 0 {
		rep.LBFGSStop = tr.LBFGS.Reason.String()
	}
	rep.Seconds = elapsed(start)
	if err != nil {
		return rep, err
	}
	stage := &Stage{Epsilon: rep.Plan.Epsilon, Kappa: rep.Plan.Kappa, Omega: rep.Plan.Omega, Widths: widths, FirstAct: rep.FirstAct, Net: net}
	c.Stages = append(c.Stages, stage)
	after, err := c.PredictStages(data.X, k+1)
	if err != nil {
		return rep, err
	}
	rep.Train = Measure(after, data.Y)
	rep.Kept = rep.Train.RMS < prevErr.RMS || k == 0
	if !rep.Kept {
		c.Stages = c.Stages[:k]
		rep.Train = prevErr
	}
	rep.Seconds = elapsed(start)
	return rep, nil
}
