package pinn

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// libraryCase is one problem of examples/pde solved on a short budget. The bound is loose
// against what the short budget reaches (see the comment of each) but far below what an
// unsolved problem gives (relative L2 ~1 for a network that has not learnt the solution, or
// ~1e-1 for one that learnt only its rough shape), so passing proves the problem is solved.
type libraryCase struct {
	file        string
	adam, lbfgs int
	interior    int     // interior points (0: the file's)
	relL2       float64 // bound on the overall relative L2 error
	check       func(t *testing.T, m *Metrics)
}

var libraryCases = []libraryCase{
	{file: "poisson2d", adam: 200, lbfgs: 600, relL2: 1e-3},                    // reaches 1.0e-4
	{file: "poisson2d-xnet", adam: 50, lbfgs: 150, interior: 500, relL2: 3e-3}, // 3.2e-4
	{file: "poisson2d-kan", adam: 200, lbfgs: 200, interior: 500, relL2: 3e-3, check: func(t *testing.T, m *Metrics) { // 5.2e-4
		require.Equal(t, []int{10, 20}, m.GridExtension, "L-BFGS ran on grids 10 and 20")
	}},
	{file: "helmholtz2d", adam: 100, lbfgs: 1500, interior: 1000, relL2: 3e-2}, // 3.4e-3
	{file: "heat1d", adam: 200, lbfgs: 500, relL2: 5e-3},                       // 7.3e-4
	// The wave, Burgers and Allen–Cahn on their fourier_mlp networks (separable; odd in x;
	// periodic and even in x). The plain-network recipes they replace reached only ≈0.4 (wave)
	// and ≈0.2 (Allen–Cahn) with the full three minutes, so these bounds fail on a regression to
	// them; Burgers' plain 8 × 20 network gave 5.8e-3 at this budget.
	{file: "wave1d", adam: 200, lbfgs: 2500, interior: 1000, relL2: 2e-2},     // 3.3e-3
	{file: "burgers", adam: 300, lbfgs: 1700, relL2: 2e-2},                    // 3.6e-3 (untrained: 0.57)
	{file: "allen-cahn", adam: 300, lbfgs: 1500, interior: 1000, relL2: 5e-2}, // 1.5e-2
	{file: "ode", adam: 200, lbfgs: 300, relL2: 2e-5},                         // 1.4e-6
	{file: "laplace-disk", adam: 200, lbfgs: 500, relL2: 1e-3},                // 1.1e-4
	{file: "kovasznay", adam: 100, lbfgs: 1500, relL2: 1e-2},                  // 1.0e-3
	{file: "inverse-heat", adam: 200, lbfgs: 600, relL2: 2e-3, check: func(t *testing.T, m *Metrics) {
		require.Contains(t, m.Unknowns, "alpha")
		t.Logf("alpha = %.8f", m.Unknowns["alpha"].Value)
		assert.InDelta(t, 0.4, m.Unknowns["alpha"].Value, 2e-3, "α recovered from the data (starts at 1)")
	}},
}

// TestLibrary solves every problem file of examples/pde headless on a short budget and asserts
// its error bound; the full budgets and the bars of the issue are in scripts/bench-pinn-quality.sh.
func TestLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("solves the PDE library (a few minutes)")
	}
	files, err := filepath.Glob("../examples/pde/*.toml")
	require.NoError(t, err)
	covered := map[string]bool{}
	for _, c := range libraryCases {
		covered[c.file] = true
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".toml")
		assert.True(t, covered[name], "examples/pde/%s.toml has no library test case", name)
	}
	for _, c := range libraryCases {
		t.Run(c.file, func(t *testing.T) {
			p, err := Load("../examples/pde/" + c.file + ".toml")
			require.NoError(t, err)
			if c.interior > 0 {
				p.Sampling.Interior = c.interior
			}
			adam, lbfgs := c.adam, c.lbfgs
			start := time.Now()
			res, err := Solve(context.Background(), p, Options{AdamSteps: &adam, LBFGSIterations: &lbfgs})
			require.NoError(t, err)
			m := res.Metrics
			require.NotNil(t, m.RelL2)
			t.Logf("%s: rel L2 %.3e (fields %v), MSE %.3e, %d Adam + %d L-BFGS (%s), %.1f s",
				c.file, *m.RelL2, m.RelL2Fields, *m.MSE, m.AdamSteps, m.LBFGSIterations, m.LBFGSStop, time.Since(start).Seconds())
			assert.Less(t, *m.RelL2, c.relL2)
			if c.check != nil {
				c.check(t, m)
			}
			if os.Getenv("PINN_LIBRARY_OUT") != "" {
				dir := filepath.Join(os.Getenv("PINN_LIBRARY_OUT"), c.file)
				require.NoError(t, MkdirRun(dir))
				require.NoError(t, WriteRun(dir, res, "test"))
			}
		})
	}
}
