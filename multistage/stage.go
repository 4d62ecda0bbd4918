package multistage

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// ErrDiverged is wrapped by the error a stage returns when its loss or gradient becomes NaN or
// infinite.
var ErrDiverged = errors.New("multistage: training diverged")

// StageConfig is the network and the training budget of one stage.
type StageConfig struct {
	// Hidden are the hidden layers' widths (the paper: 20,20,20 for stages 1–2, 30,30,30 after).
	Hidden []int
	// AdamSteps full-batch Adam steps at learning rate LR (0: 1e-3, TensorFlow's default that
	// the official code uses) come first; the parameters with the lowest loss seen are kept.
	AdamSteps int
	LR        float64
	// LBFGSIter L-BFGS iterations follow, stopping early when ‖∇loss‖∞ ≤ GradTol (0: 1e-14), or
	// when the line search can make no more progress (how float64 L-BFGS usually ends at machine
	// precision). History is the number of correction pairs (0: DefaultHistory).
	LBFGSIter int
	GradTol   float64
	History   int
	// Data, when set, are the stage's training samples instead of the ones given to Fit: later
	// stages fit higher frequencies and need denser samples (the paper's §2.2.2; the official
	// code goes from 1501 to 4801 points at stage 3).
	Data *Samples
}

// DefaultHistory is the number of L-BFGS correction pairs a stage keeps by default. A stage's
// network has 1–2 thousand parameters and an ill-conditioned least-squares loss, and a short
// history (50 pairs here before, 10 in the official tfp code) makes L-BFGS creep down it: on
// stage 3 of the paper's example 2 (1951 parameters, 4801 points, 10000 iterations from the same
// Adam start) the normalised loss ends at 2.2e-4 with 50 pairs, 2.6e-5 with 300 and 4.5e-8 with
// 1000. A history near the parameter count lets L-BFGS act like full BFGS; the two-loop recursion
// then costs 4·1000·P flops per iteration, about 15% of a forward and backward pass at stage 3.
const DefaultHistory = 1000

// DefaultStages is the official 1-D regression recipe (sciml.md §1.4): four stages of 3×20,
// 3×20, 3×30, 3×30 tanh networks (sine first layer from stage 2), 3000/5000/5000/5000 Adam
// steps and 3333/6666/10000/13333 L-BFGS iterations.
func DefaultStages() []StageConfig {
	return []StageConfig{
		{Hidden: []int{20, 20, 20}, AdamSteps: 3000, LBFGSIter: 3333},
		{Hidden: []int{20, 20, 20}, AdamSteps: 5000, LBFGSIter: 6666},
		{Hidden: []int{30, 30, 30}, AdamSteps: 5000, LBFGSIter: 10000},
		{Hidden: []int{30, 30, 30}, AdamSteps: 5000, LBFGSIter: 13333},
	}
}

func (c StageConfig) validate(k int) (StageConfig, error) {
	if c.LR == 0 {
		c.LR = 1e-3
	}
	if c.GradTol == 0 {
		c.GradTol = 1e-14
	}
	if c.History == 0 {
		c.History = DefaultHistory
	}
	bad := func(format string, a ...any) (StageConfig, error) {
		return c, fmt.Errorf("%w: stage %d: %s", ErrBadInput, k+1, fmt.Sprintf(format, a...))
	}
	if len(c.Hidden) == 0 {
		return bad("no hidden layers")
	}
	for _, w := range c.Hidden {
		if w < 1 {
			return bad("hidden widths %v: every width must be ≥ 1", c.Hidden)
		}
	}
	switch {
	case c.AdamSteps < 0 || c.LBFGSIter < 0:
		return bad("adam steps %d and L-BFGS iterations %d must be ≥ 0", c.AdamSteps, c.LBFGSIter)
	case c.AdamSteps == 0 && c.LBFGSIter == 0:
		return bad("no training budget (adam steps and L-BFGS iterations are both 0)")
	case !(c.LR > 0) || math.IsInf(c.LR, 0):
		return bad("learning rate %v must be a finite number > 0", c.LR)
	case c.GradTol < 0 || math.IsNaN(c.GradTol):
		return bad("gradient tolerance %v must be ≥ 0", c.GradTol)
	case c.History < 1:
		return bad("L-BFGS history %d must be ≥ 1", c.History)
	}
	return c, nil
}

// Stage is one trained network of a composite model: it contributes Epsilon·net(H0(x)).
type Stage struct {
	Epsilon  float64 // prefactor ε
	Kappa    float64 // first-layer scale κ
	Omega    float64 // the residual's dominant angular frequency it was planned for (0 for stage 1)
	Widths   []int   // layer widths, input to output
	FirstAct string  // "tanh" (stage 1) or "sine" (later stages)
	Net      *nn.Graph
}

// stageNet builds the network of a stage: an MLP with tanh hidden layers and a linear output,
// whose first layer is firstAct(κ·(H0·W) + b), with glorot_normal weights (TensorFlow's
// truncated normal) and zero biases as in the official regression code.
func stageNet(widths []int, firstAct string, kappa float64, seed uint64) (*nn.Graph, error) {
	tanh, err := act.New("tanh", nil)
	if err != nil {
		return nil, err
	}
	first := tanh
	switch firstAct {
	case "tanh":
	case "sine":
		if first, err = act.New("sine", act.Config{"omega": 1}); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: first activation %q (known: tanh, sine)", ErrBadInput, firstAct)
	}
	if !(kappa > 0) || math.IsInf(kappa, 0) {
		return nil, fmt.Errorf("%w: first-layer scale κ = %v must be a finite number > 0", ErrBadInput, kappa)
	}
	return nn.NewMLP(nn.MLPConfig{
		Widths:     widths,
		Act:        tanh,
		FirstAct:   first,
		FirstScale: kappa,
		Init:       nn.Init{Weight: "glorot_normal", Bias: "zero"},
	}, nn.NewRNG(seed))
}

// trainResult reports one stage's optimisation.
type trainResult struct {
	AdamSteps  int
	AdamLoss   float64 // best loss seen during Adam (the parameters L-BFGS starts from)
	LBFGS      nn.LBFGSResult
	Loss       float64 // final loss (mean square of the normalised residual)
	Interrupts bool    // the context was cancelled
}

// train fits net to target at the normalised points xn (N×D) with Adam, then L-BFGS, on the
// mean square error.
func train(ctx context.Context, net *nn.Graph, xn kernel.Matrix, target []float64, cfg StageConfig, stage int) (trainResult, error) {
	var res trainResult
	ps, err := net.ParamSet()
	if err != nil {
		return res, err
	}
	in := nn.NewInputJet(nn.ValuePlan(xn.Cols), xn)
	tm := kernel.MatrixFrom(len(target), 1, target)
	var gb nn.JetBuffer
	eval := func() (float64, error) {
		y := net.Forward(in)
		dy := gb.Like(y, 1)
		loss := nn.MSE{}.Eval(y.Value(), tm, dy.Value(), 1, false)
		net.Backward(dy, false)
		return loss, nil
	}
	res.AdamLoss = math.Inf(1)
	if cfg.AdamSteps > 0 {
		adam := nn.NewAdam(ps, cfg.LR)
		best := make([]float64, ps.Len())
		copy(best, ps.Value)
		for step := range cfg.AdamSteps {
			if ctx.Err() != nil {
				res.Interrupts = true
				break
			}
			ps.ZeroGrad()
			loss, _ := eval()
			if err := nn.CheckFinite("loss", loss); err != nil {
				return res, fmt.Errorf("stage %d: adam step %d: %w: %w", stage, step+1, ErrDiverged, err)
			}
			if loss < res.AdamLoss {
				res.AdamLoss = loss
				copy(best, ps.Value)
			}
			if err := adam.Step(); err != nil {
				return res, fmt.Errorf("stage %d: %w: %w", stage, ErrDiverged, err)
			}
			res.AdamSteps = step + 1
		}
		copy(ps.Value, best) // the last step's loss is not known yet; the best seen is
	}
	if cfg.LBFGSIter > 0 && !res.Interrupts {
		o := nn.NewLBFGS(ps)
		o.MaxIter, o.GradTol, o.History = cfg.LBFGSIter, cfg.GradTol, cfg.History
		o.OnIter = func(int, float64) bool { return ctx.Err() == nil }
		r, err := o.Minimize(eval)
		res.LBFGS = r
		if err != nil {
			if errors.Is(err, nn.ErrNonFinite) {
				return res, fmt.Errorf("stage %d: %w: %w", stage, ErrDiverged, err)
			}
			return res, fmt.Errorf("stage %d: %w", stage, err)
		}
		res.Interrupts = r.Reason == nn.Interrupted
	}
	ps.ZeroGrad()
	res.Loss, _ = eval()
	if err := nn.CheckFinite("loss", res.Loss); err != nil {
		return res, fmt.Errorf("stage %d: final loss: %w: %w", stage, ErrDiverged, err)
	}
	return res, nil
}

// elapsed is the wall time since start in seconds.
func elapsed(start time.Time) float64 { return time.Since(start).Seconds() }
