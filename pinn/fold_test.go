package pinn

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

// foldCase is a problem with its equations and the interior plan the fold must give.
type foldCase struct {
	name      string
	equations []string
	plan      string // nn.Plan.String() of the interior group
	transform string // TOML appended: a hard-constraint transform
}

var foldCases = []foldCase{
	{"poisson", []string{"u_xx + u_yy + 2*pi*pi*sin(pi*x)*sin(pi*y)"}, "dim 2: ∂0 ∂1 ∂00+∂11", ""},
	{"weighted", []string{"0.5*(2*u_xx - 3*u_yy)/4 + u*u_x - x"}, "dim 2: ∂0 ∂1 ∂00-1.5·∂11", ""},
	{"proportional equations", []string{"u_xx + u_yy - exp(u)", "-2*(u_yy + u_xx) + u_y"}, "dim 2: ∂0 ∂1 ∂00+∂11", ""},
	{"mixed derivative", []string{"u_xx + 2*u_xy + u_yy - sin(u)"}, "dim 2: ∂0 ∂1 ∂00+2·∂01+∂11", ""},
	{"cancelled derivative", []string{"u_xx + u_yy - u_yy + u_y"}, "dim 2: ∂0 ∂1 ∂00", ""},
	// Not folded: nonlinear in a second derivative, a non-constant coefficient, or as many
	// combinations as derivatives.
	{"nonlinear", []string{"u_xx + u_yy*u_yy"}, "dim 2: ∂0 ∂1 ∂00 ∂11", ""},
	{"variable coefficient", []string{"x*u_xx + u_yy"}, "dim 2: ∂0 ∂1 ∂00 ∂11", ""},
	{"two combinations", []string{"u_xx + u_yy", "u_xx - u_yy"}, "dim 2: ∂0 ∂1 ∂00 ∂11", ""},
	// Through a hard-constraint transform, whose layer builds the combination block of u from
	// that of N (nonlinear in N and with a coordinate-dependent factor, so every part of the
	// chain rule is exercised).
	{"transform", []string{"u_xx + u_yy - exp(u)"}, "dim 2: ∂0 ∂1 ∂00+∂11", "[transform]\nu = \"x*(2 - x)*sin(N) + y*y*N*N + cos(x*y)\"\n"},
	{"transform weighted", []string{"u_xx - 0.25*u_yy + 3*u_xy - u*u_x"}, "dim 2: ∂0 ∂1 ∂00+3·∂01-0.25·∂11", "[transform]\nu = \"(1 + x*x)*N + x*y\"\n"},
}

func foldProblem(equations []string) string { return foldProblemWith(equations, "") }

// foldProblemWith appends extra TOML (a transform) to the problem.
func foldProblemWith(equations []string, extra string) string {
	src := `fields = ["u"]
[domain]
shape = "rectangle"
x = [-1, 2]
y = [0, 1]
`
	for _, e := range equations {
		src += fmt.Sprintf("[[equation]]\nresidual = %q\n", e)
	}
	return src + `[[condition]]
kind = "dirichlet"
value = "x*y"
points = 9
[sampling]
interior = 37
[network]
widths = [8, 8]
activation = "tanh"
` + extra
}

// TestFoldMatchesPairs: with second derivatives folded into combination blocks the interior plan
// is the expected one, and the loss, every term and the whole gradient equal those of the plan
// with one block per second derivative. Both compute the same sums of products in a different
// order, so they agree to rounding: 1e-12 relative on O(1) losses is thousands of ulps of slack
// and still fails on any wrong coefficient.
func TestFoldMatchesPairs(t *testing.T) {
	for _, c := range foldCases {
		for _, chunk := range []int{0, 5} {
			t.Run(fmt.Sprintf("%s/chunk=%d", c.name, chunk), func(t *testing.T) {
				p, err := Parse(c.name+".toml", []byte(foldProblemWith(c.equations, c.transform)), ".")
				require.NoError(t, err)
				folded, err := buildSolver(p, 3, 4, true)
				require.NoError(t, err)
				pairs, err := buildSolver(p, 3, 4, false)
				require.NoError(t, err)
				assert.Equal(t, c.plan, folded.interior.plan.String())
				pp := pairs.interior.plan
				assert.Len(t, pp.Second(), pp.NumSecond(), "reference plan %v has combination blocks", pp)
				folded.setChunkPoints(chunk)
				pairs.setChunkPoints(chunk)
				for range 2 { // the second evaluation reuses the programs' static parts
					requireSameEvaluation(t, folded, pairs, 1e-12)
				}
			})
		}
	}
}

// foldNetworks are small networks of every architecture a problem file can name, as [network]
// tables: each layer type must carry a combination block (Σ C·∂ᵢ∂ⱼ as one block) the way it
// carries a pair, which TestFoldMatchesPairsEveryNetwork checks.
var foldNetworks = map[string]string{
	"mlp":         "widths = [8, 8]\nactivation = \"tanh\"",
	"siren":       "width = 8\nhidden_layers = 1",
	"wire":        "width = 6\nhidden_layers = 1",
	"gauss":       "width = 8\nhidden_layers = 1\ns = 3",
	"finer":       "width = 8\nhidden_layers = 1\nfirst_omega = 3\nhidden_omega = 3",
	"spder":       "width = 8\nhidden_layers = 1\nomega = 3",
	"relu_pe":     "width = 8\nhidden_layers = 1",
	"relu_ff":     "width = 8\nhidden_layers = 1\nfeatures = 4\nsigma = 1",
	"sl2a":        "width = 8\ndegree = 5\nrank = 3\nhidden_layers = 1",
	"fkan":        "kan_width = 6\ngrid = 4\nwidths = [8]\nscale = 3",
	"cauchy":      "width = 8\nhidden_layers = 1\nscale = 1",
	"kan":         "widths = [4]\ngrid = 4",
	"fourier_mlp": "widths = [8]",
}

// TestFoldMatchesPairsEveryNetwork: the folded and the pair plans give the same loss and gradient
// through every architecture (a layer that read a combination block as a pair would compute a
// wrong Laplacian while its own gradient stayed consistent, so only this comparison finds it).
func TestFoldMatchesPairsEveryNetwork(t *testing.T) {
	for _, a := range inr.Archs() {
		name := a.Name
		if name == ModelArch {
			continue
		}
		net, ok := foldNetworks[name]
		require.True(t, ok, "architecture %s has no small network here: add one", name)
		t.Run(name, func(t *testing.T) {
			src := foldProblemWith([]string{"u_xx + 2*u_xy + u_yy - sin(u)"}, "")
			src = strings.Replace(src, "[network]\nwidths = [8, 8]\nactivation = \"tanh\"\n", "[network]\narch = \""+name+"\"\n"+net+"\n", 1)
			p, err := Parse(name+".toml", []byte(src), ".")
			require.NoError(t, err)
			folded, err := buildSolver(p, 3, 4, true)
			require.NoError(t, err)
			pairs, err := buildSolver(p, 3, 4, false)
			require.NoError(t, err)
			require.Equal(t, "dim 2: ∂0 ∂1 ∂00+2·∂01+∂11", folded.interior.plan.String())
			requireSameEvaluation(t, folded, pairs, 1e-11)
		})
	}
}

// requireSameEvaluation evaluates both solvers and requires the same loss, terms and gradient
// to tol relative (of the loss, of each term or 1e-3, of the largest gradient entry).
func requireSameEvaluation(t *testing.T, folded, pairs *solver, tol float64) {
	t.Helper()
	folded.ps.ZeroGrad()
	pairs.ps.ZeroGrad()
	lf, err := folded.eval()
	require.NoError(t, err)
	lp, err := pairs.eval()
	require.NoError(t, err)
	require.Greater(t, lp, 0.0)
	require.InDelta(t, lp, lf, tol*lp)
	_, vf := folded.terms()
	_, vp := pairs.terms()
	for i := range vp {
		require.InDelta(t, vp[i], vf[i], tol*max(vp[i], 1e-3), "term %d", i)
	}
	scale := 0.0
	for _, g := range pairs.ps.Grad {
		scale = max(scale, math.Abs(g))
	}
	for i, g := range pairs.ps.Grad {
		require.InDelta(t, g, folded.ps.Grad[i], tol*scale, "gradient %d", i)
	}
}
