package pinn

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/pinn/sample"
)

// gradientCases are small problems that together use every kind of term: equations with an
// unknown, Dirichlet, Neumann, Robin (normals as extra columns), periodic pairs, initial value and
// velocity, operator conditions, data, several fields, and hard-constraint transforms.
var gradientCases = map[string]string{
	"heat with every condition": `fields = ["u"]
[domain]
shape = "interval"
x = [0, 1]
time = [0, 0.5]
[unknowns]
alpha = 0.7
[[equation]]
residual = "u_t - alpha*u_xx + 0.3*u*u_x"
[[condition]]
kind = "neumann"
value = "cos(t)"
on = "x = 0"
points = 7
[[condition]]
kind = "robin"
a = "1 + x"
b = "0.5"
value = "t"
on = "x = 1"
points = 6
[[condition]]
kind = "periodic"
points = 5
weight = 2
[[condition]]
kind = "initial"
value = "sin(pi*x)"
points = 8
[[condition]]
kind = "velocity"
value = "x"
points = 5
[[condition]]
kind = "operator"
residual = "u_x - alpha*u"
points = 4
[sampling]
interior = 23
[network]
widths = [6, 5]
`,
	"two fields, transform, mixed derivatives": `fields = ["u", "v"]
[domain]
shape = "rectangle"
x = [-1, 2]
y = [0, 1]
[params]
k = 1.5
[[equation]]
residual = "u_xx + u_yy - v*u_xy + k"
[[equation]]
residual = "v_x*u_y - u*v + sin(v_yy)"
weight = 0.5
[[condition]]
kind = "dirichlet"
field = "v"
value = "x*y"
on = ["y = 0", "x = 2"]
points = 9
[transform]
u = "(x + 1)*(2 - x)*y*N + sin(x)"
[sampling]
interior = 17
method = "halton"
[network]
widths = [7]
activation = "sine"
activation_config = { omega = 1.0 }
`,
	"disk with data": `fields = ["u"]
[domain]
shape = "disk"
center = [0.5, 0]
radius = 2
[unknowns]
c = 0.3
[[equation]]
residual = "u_xx + u_yy - c*exp(u)"
[[condition]]
kind = "neumann"
value = "x"
points = 9
[[data]]
file = "obs.csv"
weight = 3
[sampling]
interior = 19
[network]
arch = "siren"
width = 8
hidden_layers = 1
first_omega = 3
hidden_omega = 3
`,
}

// TestGradientMatchesFiniteDifferences checks the solver's whole gradient — network parameters
// and unknowns, through replicas sharing parameters, expression programs, normals, periodic pairs,
// transforms — against central differences of its loss. A central difference with step h has
// error O(h²·L‴) + O(ε·L/h); with h = 1e-5 on O(1) losses both are ≲ 1e-8, so a relative
// agreement of 1e-6 fails on any wrong term.
//
// Every case runs with the groups' default chunking (one chunk at these sizes) and with chunks of
// 4 points, so that the gradient summed over chunks is checked too.
func TestGradientMatchesFiniteDifferences(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "obs.csv"), "x,y,u\n0.5,0.1,0.3\n1.2,-0.4,-0.2\n-1,0.5,0.7\n")
	for name, src := range gradientCases {
		for _, chunk := range []int{0, 4} {
			t.Run(fmt.Sprintf("%s/chunk=%d", name, chunk), func(t *testing.T) {
				p, err := Parse(name+".toml", []byte(src), dir)
				require.NoError(t, err)
				s, err := newSolver(p, 3, 4)
				require.NoError(t, err)
				s.setChunkPoints(chunk)
				gradientVsFD(t, s)
			})
		}
	}
}

// setChunkPoints re-chunks every group with k points per chunk (0: the default) and refills
// the points.
func (s *solver) setChunkPoints(k int) {
	for _, g := range s.groups {
		g.chunkSize = k
		g.ch = nil
	}
	for _, src := range s.sources {
		src.fill()
	}
}

func gradientVsFD(t *testing.T, s *solver) {
	s.ps.ZeroGrad()
	loss, err := s.eval()
	require.NoError(t, err)
	require.Greater(t, loss, 0.0)
	grad := append([]float64(nil), s.ps.Grad...)
	x := s.ps.Value
	const h = 1e-5
	for i := 0; i < len(x); i += max(1, len(x)/40) {
		old := x[i]
		x[i] = old + h
		lp, err := s.eval()
		require.NoError(t, err)
		x[i] = old - h
		lm, err := s.eval()
		require.NoError(t, err)
		x[i] = old
		fd := (lp - lm) / (2 * h)
		assert.InDelta(t, fd, grad[i], 1e-6*max(1, math.Abs(fd)), "parameter %d (%d total)", i, len(x))
	}
	if s.unk != nil {
		base := len(x) - len(s.unk.Value)
		for i := base; i < len(x); i++ {
			old := x[i]
			x[i] = old + h
			lp, _ := s.eval()
			x[i] = old - h
			lm, _ := s.eval()
			x[i] = old
			assert.InDelta(t, (lp-lm)/(2*h), grad[i], 1e-6*max(1, math.Abs(grad[i])), "unknown %d", i-base)
		}
	}
}

// TestTransformHoldsConstraint: a transform enforces its condition exactly, for the value and
// the derivative blocks, whatever the network.
func TestTransformHoldsConstraint(t *testing.T) {
	p, err := Parse("t.toml", []byte(`fields = ["u"]
[domain]
shape = "interval"
x = [-1, 1]
time = [0, 1]
[[equation]]
residual = "u_t + u*u_x - 0.01*u_xx"
[transform]
u = "-sin(pi*x) + t*(1 - x*x)*N"
[network]
widths = [8]
`), ".")
	require.NoError(t, err)
	s, err := newSolver(p, 1, 1)
	require.NoError(t, err)
	pts := []float64{-1, 0.3, 1, 0.7, 0.25, 0, -0.6, 0}
	u, err := s.predict(pts)
	require.NoError(t, err)
	for i, want := range []float64{0, 0, -math.Sin(math.Pi * 0.25), -math.Sin(-math.Pi * 0.6)} {
		assert.InDelta(t, want, u[i], 1e-15, "point %d", i)
	}
	// Derivative blocks: u_x at t = 0 is −π cos πx exactly; compare the interior group's jet.
	g := s.interior
	g.setPoints([]float64{0.25, 0, -0.6, 0}, nil)
	g.forward(nil)
	for k, sym := range g.syms {
		if sym.name == "u_x" {
			assert.InDelta(t, -math.Pi*math.Cos(math.Pi*0.25), g.chunks[0].cols[k][0], 1e-14)
			assert.InDelta(t, -math.Pi*math.Cos(-math.Pi*0.6), g.chunks[0].cols[k][1], 1e-14)
		}
		if sym.name == "u_xx" {
			assert.InDelta(t, math.Pi*math.Pi*math.Sin(math.Pi*0.25), g.chunks[0].cols[k][0], 1e-13)
		}
	}
}

// TestModelFileRebuilds: a saved PDE model (normalisation, inner network and transform) is
// rebuilt by inr.LoadModel from the file alone and predicts the same values bit for bit.
func TestModelFileRebuilds(t *testing.T) {
	p, err := Parse("m.toml", []byte(`fields = ["u", "v"]
[domain]
shape = "rectangle"
x = [0, 3]
y = [-2, -1]
[params]
a = 0.5
[[equation]]
residual = "u_xx + v_yy"
[transform]
v = "x*(3 - x)*N + a"
[network]
widths = [9, 9]
[train]
adam_steps = 3
lbfgs_iterations = 2
`), ".")
	require.NoError(t, err)
	got := solvedModelPredicts(t, p, []float64{0, -2, 1.5, -1.2, 3, -1, 2.9, -1.9}, "")
	assert.Equal(t, 0.5, got[1]) // v = a on x = 0
	assert.Equal(t, 0.5, got[5])
}

// solvedModelPredicts solves p, writes its run folder, rebuilds the model from the model file
// alone and asserts that it predicts the solver's values at pts (row-major points) bit for bit;
// it returns those values.
func solvedModelPredicts(t *testing.T, p *Problem, pts []float64, msg string) []float64 {
	t.Helper()
	res, err := Solve(context.Background(), p, Options{})
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, WriteRun(dir, res, "test"))
	m, err := inr.LoadModel(filepath.Join(dir, ModelFile))
	require.NoError(t, err)
	assert.Equal(t, ModelArch, m.Arch)
	want, err := res.predictPoints(pts)
	require.NoError(t, err)
	dim, fields := len(p.Vars), len(p.Fields)
	n := len(pts) / dim
	got := make([]float64, len(want))
	require.NoError(t, m.Predict(kernel.MatrixFrom(n, dim, pts), kernel.MatrixFrom(n, fields, got)))
	assert.Equal(t, want, got, msg)
	return got
}

func writeFile(t testing.TB, path, content string) {
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAdaptiveRefinement: RAR adds the candidates with the largest residual (all of them above
// the 95th percentile of the residual at fresh random points), RAD keeps the set's size and
// moves points towards large residuals, and resampling redraws the interior set.
func TestAdaptiveRefinement(t *testing.T) {
	src := `fields = ["u"]
[domain]
shape = "rectangle"
x = [-1, 1]
y = [-1, 1]
[[equation]]
residual = "u_xx + u_yy - 100*exp(-50*(x*x + y*y))"
[sampling]
interior = 300
resample_every = 10
[sampling.adaptive]
method = "%s"
candidates = 3000
[network]
widths = [8]
`
	for _, method := range []string{"rar", "rad"} {
		t.Run(method, func(t *testing.T) {
			p, err := Parse("a.toml", []byte(fmt.Sprintf(src, method)), ".")
			require.NoError(t, err)
			s, err := newSolver(p, 1, 1)
			require.NoError(t, err)
			before := slices.Clone(s.interior.x.Data)
			require.NoError(t, s.refine(p.Sampling.Adaptive, 1))
			fresh, err := sample.Draw(p.Domain, sample.Interior, sample.NewUniform(99), 2000)
			require.NoError(t, err)
			rf, err := s.residualAt(fresh.X)
			require.NoError(t, err)
			slices.Sort(rf)
			q95 := rf[len(rf)*95/100]
			switch method {
			case "rar":
				require.Equal(t, 330, s.interior.n) // 300 + interior/10
				assert.Equal(t, before, s.interior.x.Data[:600])
				ra, err := s.residualAt(s.anchors)
				require.NoError(t, err)
				assert.Greater(t, slices.Min(ra), q95)
			case "rad":
				require.Equal(t, 300, s.interior.n)
				// The source peaks at the origin: RAD's points crowd there (density ∝ |r| + mean).
				near := func(pts []float64) int {
					c := 0
					for i := 0; i < len(pts); i += 2 {
						if pts[i]*pts[i]+pts[i+1]*pts[i+1] < 0.1 {
							c++
						}
					}
					return c
				}
				assert.Greater(t, near(s.interior.x.Data), 2*near(before))
			}
			s.resample()
			assert.NotEqual(t, before[:600], s.interior.x.Data[:600])
		})
	}
}

// TestEvalReusesBuffers: after the first evaluation, a loss-and-gradient evaluation reuses every
// buffer of the groups, programs, transforms and network: the number of allocations does not grow
// with the number of points and stays small. (What remains are small closures inside the kernel
// package's parallel loops and its pooled scratch buffers; the kernel owns those.)
func TestEvalReusesBuffers(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "obs.csv"), "x,y,u\n0.5,0.1,0.3\n1.2,-0.4,-0.2\n-1,0.5,0.7\n")
	for name, src := range gradientCases {
		allocs := map[int]float64{}
		groups := 0
		for _, n := range []int{200, 4000} {
			p, err := Parse(name+".toml", []byte(src), dir)
			require.NoError(t, err)
			p.Sampling.Interior = n
			s, err := newSolver(p, 3, 4)
			require.NoError(t, err)
			_, err = s.eval()
			require.NoError(t, err)
			groups = len(s.groups)
			allocs[n] = testing.AllocsPerRun(10, func() {
				s.ps.ZeroGrad()
				if _, err := s.eval(); err != nil {
					t.Fatal(err)
				}
			})
		}
		assert.LessOrEqual(t, allocs[4000], allocs[200]+8, "%s: allocations per evaluation %v", name, allocs)
		assert.LessOrEqual(t, allocs[4000], 16*float64(groups), "%s: %d groups", name, groups)
	}
}

// TestCausalWeights: with causal training on, a bin's weight is exp(−ε·Σ of the earlier bins'
// losses), the loss is their weighted mean, and a point's gradient factor carries its bin's weight
// (a late point whose earlier bins are unsolved hardly counts).
func TestCausalWeights(t *testing.T) {
	p, err := Parse("c.toml", []byte(`fields = ["u"]
[domain]
shape = "interval"
x = [0, 1]
time = [0, 2]
[[equation]]
residual = "u_t - u_xx - 3"
[sampling]
interior = 400
[network]
widths = [6]
[train]
causal_bins = 4
causal_epsilon = 0.5
`), ".")
	require.NoError(t, err)
	s, err := newSolver(p, 1, 1)
	require.NoError(t, err)
	c := s.interior.causal
	require.NotNil(t, c)
	plain := s.interior.forward(nil)
	c.on = true
	loss := s.interior.forward(nil)
	// Recompute the bin losses from the residual directly (gathered over the chunks).
	require.Greater(t, len(s.interior.chunks), 1, "the test should cover several chunks")
	var r []float64
	for _, ch := range s.interior.chunks {
		r = append(r, ch.terms[0].r...)
	}
	pts := s.interior.x.Data
	var bl [4]float64
	var bc [4]int
	for i, v := range r {
		b := min(int(pts[2*i+1]/0.5), 3)
		bl[b] += v * v
		bc[b]++
	}
	want, cum := 0.0, 0.0
	for b := range bl {
		bl[b] /= float64(bc[b])
		w := math.Exp(-0.5 * cum)
		assert.InDelta(t, w, c.w[b], 1e-12)
		cum += bl[b]
		want += w * bl[b] / 4
	}
	assert.InDelta(t, want, loss, 1e-12*want)
	assert.Less(t, c.minWeight(), 1.0)
	assert.Equal(t, 1.0, c.w[0])
	// With every weight 1 the causal loss is the mean over bins of the bin losses: close to the
	// plain mean square when the bins hold similar numbers of points.
	c.eps = 1e-300
	assert.InDelta(t, plain, s.interior.forward(nil), 0.2*plain)
	for i, b := range c.bin {
		assert.InDelta(t, float64(len(c.bin))/(4*float64(c.count[b])), c.pw[i], 1e-12)
	}
}
