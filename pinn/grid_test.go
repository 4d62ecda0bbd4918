package pinn

import (
	"context"
	"math"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
)

// kanPoisson is examples/pde/poisson2d-kan.toml's problem on a small budget, with the network
// table given.
func kanPoisson(network, train string) string {
	return `fields = ["u"]
[domain]
shape = "rectangle"
x = [-1, 1]
y = [-1, 1]
[[equation]]
residual = "u_xx + u_yy + 2*pi*pi*sin(pi*x)*sin(pi*y)"
[transform]
u = "(1 - x*x)*(1 - y*y)*N"
[sampling]
interior = 200
[network]
arch = "kan"
` + network + `
[train]
adam_steps = 50
lr = 1e-2
lbfgs_iterations = 30
` + train + `
[reference]
solution = "poisson2d"
`
}

// TestGridExtensionKeepsTheFunction: a one-layer KAN sees the normalised coordinates, all on its
// grid range, so carrying it from grid 5 to 10 (a refinement) leaves the loss and the whole
// prediction unchanged; the parameters grow from 2·(5+3) to 2·(10+3) spline coefficients.
func TestGridExtensionKeepsTheFunction(t *testing.T) {
	p, err := Parse("kan.toml", []byte(kanPoisson("widths = []\ngrid = 5", "")), ".")
	require.NoError(t, err)
	s, err := newSolver(p, 3, 4)
	require.NoError(t, err)
	perturbParams(s, 0.3)
	before, err := s.eval()
	require.NoError(t, err)
	r := &run{s: s, tr: p.Train, ctx: context.Background()}
	require.NoError(t, r.extendGrid(10))
	after, err := r.s.eval()
	require.NoError(t, err)
	require.InDelta(t, before, after, 1e-11*before)
	require.Equal(t, s.ps.Len()+2*5, r.s.ps.Len())
}

// perturbParams moves every parameter by a deterministic pattern, so that the spline
// coefficients (fitted to small noise at the start) carry a visible function.
func perturbParams(s *solver, size float64) {
	for i := range s.ps.Value {
		s.ps.Value[i] += size * math.Sin(float64(3*i+1))
	}
}

// TestSolveWithGridExtension solves Poisson with a KAN [2, 4, 1] on grids 5 → 10 → 20: the
// metrics record the grids, the error falls well below an untrained network's, and the model
// file holds the last grid's network, which loads and predicts what the solve measured.
func TestSolveWithGridExtension(t *testing.T) {
	p, err := Parse("kan.toml", []byte(kanPoisson("widths = [4]\ngrid = 5", "grid_extension = [10, 20]")), ".")
	require.NoError(t, err)
	res, err := Solve(context.Background(), p, Options{})
	require.NoError(t, err)
	m := res.Metrics
	require.Equal(t, []int{10, 20}, m.GridExtension)
	require.Equal(t, 50, m.AdamSteps)
	require.Greater(t, m.LBFGSIterations, 30, "L-BFGS ran on every grid")
	require.NotNil(t, m.RelL2)
	t.Logf("rel L2 %.3g after %d L-BFGS iterations", *m.RelL2, m.LBFGSIterations)
	require.Less(t, *m.RelL2, 2e-2)
	dir := t.TempDir()
	require.NoError(t, WriteRun(dir, res, "test"))
	model, err := inr.LoadModel(filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	require.Equal(t, res.Model.NumParams(), model.NumParams(), "the file holds the grid-20 network")
	x := kernel.NewMatrix(5, 2)
	for i := range x.Data {
		x.Data[i] = 0.9 * math.Sin(float64(7*i+2))
	}
	want, got := kernel.NewMatrix(5, 1), kernel.NewMatrix(5, 1)
	require.NoError(t, res.Model.Predict(x, want))
	require.NoError(t, model.Predict(x, got))
	require.Equal(t, want.Data, got.Data)
}
