package pinn

import (
	"fmt"
	"github.com/inrstudio/studio/inr"

	"github.com/inrstudio/studio/nn"
)

// StepInfo describes what one timed step computes.
type StepInfo struct {
	Points int    // collocation points over all groups
	Blocks int    // jet blocks of the interior plan
	Plan   string // the interior derivative plan
}

// TimeAdamSteps times n Adam steps of the problem's solve loop (every group's forward and
// backward, then the Adam update), after one untimed warm-up step, and returns each step's wall
// and CPU time. It is the speed benchmark's measurement (scripts/bench-pinn.sh), so it runs
// exactly the code a solve runs.
func TimeAdamSteps(p *Problem, opt Options, n int) ([]inr.StepTime, StepInfo, error) {
	seed, netSeed := p.Sampling.Seed, p.Network.Seed
	if opt.Seed != nil {
		seed, netSeed = *opt.Seed, *opt.Seed
	}
	s, err := newSolver(p, seed, netSeed)
	if err != nil {
		return nil, StepInfo{}, err
	}
	info := StepInfo{Blocks: s.interior.plan.Blocks(), Plan: s.interior.plan.String()}
	for _, g := range s.groups {
		info.Points += g.n
	}
	adam := nn.NewAdam(s.ps, p.Train.LR)
	step := func() error {
		s.ps.ZeroGrad()
		if _, err := s.eval(); err != nil {
			return err
		}
		return adam.Step()
	}
	if err := step(); err != nil {
		return nil, info, fmt.Errorf("warm-up step: %w", err)
	}
	times := make([]inr.StepTime, n)
	for i := range times {
		if times[i], err = inr.TimeStep(step); err != nil {
			return nil, info, fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	return times, info, nil
}

// benchProblem is the speed benchmark's problem: Poisson 2-D with a tanh network of three hidden
// layers, the Laplacian by second-order jets, interior points and a tenth as many boundary points
// — the loss scripts/peers/torch_pinn_step.py computes by double backward in PyTorch.
const benchProblem = `title = "Poisson 2-D speed benchmark"
fields = ["u"]
[domain]
shape = "rectangle"
x = [-1, 1]
y = [-1, 1]
[[equation]]
residual = "u_xx + u_yy + 2*pi*pi*sin(pi*x)*sin(pi*y)"
[[condition]]
kind = "dirichlet"
value = "0"
points = %d
[sampling]
method = "uniform"
interior = %d
[network]
arch = "mlp"
widths = [%d, %d, %d]
activation = "tanh"
[train]
lr = 1e-3
`

// BenchProblem returns the speed benchmark's Poisson problem with the given number of interior
// points (and a tenth as many boundary points) and hidden width: `inr bench pinn` times its Adam
// step (10 000 points, width 64 in scripts/bench-pinn.sh).
func BenchProblem(points, width int) (*Problem, error) {
	if points < 10 || width < 1 {
		return nil, fmt.Errorf("bench problem: %d points, width %d", points, width)
	}
	src := fmt.Sprintf(benchProblem, points/10, points, width, width, width)
	return Parse("bench-poisson2d.toml", []byte(src), ".")
}
