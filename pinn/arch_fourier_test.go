package pinn

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

var fourierConfigs = map[string]string{
	"periodic x":                 `{"widths": [7, 6], "periodic": [0], "frequencies": [[1, 2]]}`,
	"frequencies, both axes":     `{"widths": [5], "frequencies": [[0.5, 1.5], [2]]}`,
	"periodic + gaussian":        `{"widths": [6, 6], "periodic": [0], "features": 4, "sigma": 1.3}`,
	"modified, periodic + freqs": `{"widths": [5, 5, 5], "periodic": [0], "frequencies": [[1, 3], [1]], "modified": true}`,
	"gaussian only":              `{"widths": [6], "features": 5, "sigma": 2, "modified": true}`,
	"separable, periodic x":      `{"widths": [5, 5], "separable": true, "rank": 4, "periodic": [0]}`,
	"separable, frequencies":     `{"widths": [6], "separable": true, "frequencies": [[1], [1, 2]]}`,
	"odd in x":                   `{"widths": [6, 5], "odd": [0]}`,
	"even in y, features":        `{"widths": [6], "even": [1], "features": 3, "sigma": 1}`,
}

func buildFourier(t *testing.T, src string) *nn.Graph {
	cfg, err := inr.ConfigFor(FourierMLPArch, json.RawMessage(src))
	require.NoError(t, err)
	net, err := cfg.Build(2, 1, nn.NewRNG(5))
	require.NoError(t, err)
	return net
}

func fourierValue(net *nn.Graph, x, y float64) float64 {
	plan, _ := nn.NewPlan(2, nil, nil)
	return net.Forward(nn.NewInputJet(plan, kernel.MatrixFrom(1, 2, []float64{x, y}))).Value().At(0, 0)
}

// TestFourierMLPDerivatives: every derivative block of the embedded network (u_x, u_y, u_xx,
// u_yy, u_xy) equals central differences of its value. Differences with h = 1e-4 on these O(1)
// smooth functions err by O(h²·u⁽⁴⁾) ≈ 1e-7 (second) and O(h²·u‴) (first), so 1e-5 catches any
// wrong chain-rule term while leaving room for rounding (ε/h² ≈ 1e-8).
func TestFourierMLPDerivatives(t *testing.T) {
	for name, src := range fourierConfigs {
		t.Run(name, func(t *testing.T) {
			net := buildFourier(t, src)
			plan, err := nn.NewPlan(2, []int{0, 1}, []nn.Pair{{I: 0, J: 0}, {I: 1, J: 1}, {I: 0, J: 1}})
			require.NoError(t, err)
			pts := []float64{0.3, -0.7, -0.9, 0.2, 0.55, 0.95}
			jet := net.Forward(nn.NewInputJet(plan, kernel.MatrixFrom(3, 2, pts)))
			const h = 1e-4
			for i := range 3 {
				x, y := pts[2*i], pts[2*i+1]
				f := func(dx, dy float64) float64 { return fourierValue(net, x+dx, y+dy) }
				// The forward at single points reuses buffers: read the jet first.
				got := map[string]float64{}
				for name, b := range map[string]kernel.Matrix{"u": jet.Value(), "u_x": jet.D(0), "u_y": jet.D(1),
					"u_xx": jet.D2(0, 0), "u_yy": jet.D2(1, 1), "u_xy": jet.D2(0, 1)} {
					got[name] = b.At(i, 0)
				}
				u := f(0, 0)
				want := map[string]float64{
					"u":    u,
					"u_x":  (f(h, 0) - f(-h, 0)) / (2 * h),
					"u_y":  (f(0, h) - f(0, -h)) / (2 * h),
					"u_xx": (f(h, 0) - 2*u + f(-h, 0)) / (h * h),
					"u_yy": (f(0, h) - 2*u + f(0, -h)) / (h * h),
					"u_xy": (f(h, h) - f(h, -h) - f(-h, h) + f(-h, -h)) / (4 * h * h),
				}
				for k, w := range want {
					assert.InDelta(t, w, got[k], 1e-5*max(1, math.Abs(w)), "%s at point %d", k, i)
				}
			}
		})
	}
}

// TestFourierMLPPeriodic: along a periodic axis the network and its derivatives take the same
// values on both faces x̂ = ±1, to rounding (1e-12), whatever the weights.
func TestFourierMLPPeriodic(t *testing.T) {
	for _, name := range []string{"periodic x", "periodic + gaussian", "modified, periodic + freqs", "separable, periodic x"} {
		t.Run(name, func(t *testing.T) {
			net := buildFourier(t, fourierConfigs[name])
			plan, err := nn.NewPlan(2, []int{0, 1}, []nn.Pair{{I: 0, J: 0}, {I: 0, J: 1}})
			require.NoError(t, err)
			pts := []float64{-1, -0.4, 1, -0.4, -1, 0.8, 1, 0.8}
			jet := net.Forward(nn.NewInputJet(plan, kernel.MatrixFrom(4, 2, pts)))
			for b := range plan.Blocks() {
				blk := jet.Block(b)
				for _, pair := range [][2]int{{0, 1}, {2, 3}} {
					lo, hi := blk.At(pair[0], 0), blk.At(pair[1], 0)
					assert.InDelta(t, lo, hi, 1e-12*max(1, math.Abs(lo)), "block %d, points %v", b, pair)
				}
			}
			// Not trivially constant along the axis.
			assert.Greater(t, math.Abs(fourierValue(net, 0, -0.4)-fourierValue(net, -1, -0.4)), 1e-3)
		})
	}
}

// TestFourierMLPBadConfig: configurations that cannot build name what is wrong.
func TestFourierMLPBadConfig(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{`{"widths": [4], "periodic": [0], "frequencies": [[1.5]]}`, "whole number"},
		{`{"widths": [4], "periodic": [2]}`, "periodic axis 2"},
		{`{"widths": [4], "features": 3}`, "sigma"},
		{`{"widths": [4, 5], "modified": true}`, "equal widths"},
		{`{"widths": [], "periodic": [0]}`, "no hidden layers"},
		{`{"widths": [4], "frequencies": [[1], [1], [1]]}`, "3 axes"},
		{`{"widths": [4], "separable": true, "modified": true}`, "separable"},
		{`{"widths": [4], "odd": [0], "even": [1]}`, "not both"},
		{`{"widths": [4], "odd": [3]}`, "axis 3"},
	} {
		cfg, err := inr.ConfigFor(FourierMLPArch, json.RawMessage(c.src))
		require.NoError(t, err)
		_, err = cfg.Build(2, 1, nn.NewRNG(1))
		require.Error(t, err, c.src)
		assert.Contains(t, err.Error(), c.want, c.src)
	}
}

// TestFourierMLPSolverGradient: the solver's loss gradient through the embedded network (with a
// periodic axis, Gaussian features and the modified MLP's gates) matches central differences
// (see TestGradientMatchesFiniteDifferences).
func TestFourierMLPSolverGradient(t *testing.T) {
	for name, net := range map[string]string{
		"periodic + features": "periodic = [0]\nfrequencies = [[1, 2], [1]]\nfeatures = 3\nsigma = 1",
		"modified":            "periodic = [0]\nfrequencies = [[1, 2], [1]]\nfeatures = 3\nsigma = 1\nmodified = true",
		"separable":           "separable = true\nrank = 4\nfrequencies = [[1, 2], [1, 2]]",
		"odd":                 "odd = [0]",
	} {
		t.Run(name, func(t *testing.T) {
			src := fmt.Sprintf(`fields = ["u"]
[domain]
shape = "interval"
x = [-1, 1]
time = [0, 1]
[[equation]]
residual = "u_t - 0.01*u_xx + 5*(u*u*u - u)"
[transform]
u = "x*x*cos(pi*x) + t*N"
[sampling]
interior = 17
[network]
arch = "fourier_mlp"
widths = [6, 6]
%s
`, net)
			p, err := Parse("ac.toml", []byte(src), ".")
			require.NoError(t, err)
			s, err := newSolver(p, 3, 4)
			require.NoError(t, err)
			gradientVsFD(t, s)
		})
	}
}

// TestFourierMLPModelFile: a solved model on the embedded network (its frequency buffers
// included) is rebuilt from the model file alone and predicts the same values bit for bit.
func TestFourierMLPModelFile(t *testing.T) {
	for _, net := range []string{"periodic = [0]\nfeatures = 3\nsigma = 2", "separable = true\nfrequencies = [[1], [2]]", "odd = [0]\nfeatures = 2\nsigma = 1"} {
		p, err := Parse("m.toml", []byte(`fields = ["u"]
[domain]
shape = "interval"
x = [-1, 1]
time = [0, 1]
[[equation]]
residual = "u_t - 0.01*u_xx"
[transform]
u = "x*x + t*N"
[network]
arch = "fourier_mlp"
widths = [5, 5]
`+net+`
[train]
adam_steps = 3
lbfgs_iterations = 2
`), ".")
		require.NoError(t, err)
		solvedModelPredicts(t, p, []float64{-1, 0, 1, 0.5, 0.3, 0.9, -0.2, 0.1}, net)
	}
}

// TestFourierMLPSymmetry: an odd (even) network changes sign (keeps its value) under the
// reflection of its axis, in every derivative block with the sign the chain rule gives
// (∂/∂x̂ flips once per reflected axis), to 1e-13.
func TestFourierMLPSymmetry(t *testing.T) {
	for _, c := range []struct {
		name string
		axis int
		odd  bool
	}{{"odd in x", 0, true}, {"even in y, features", 1, false}} {
		t.Run(c.name, func(t *testing.T) {
			net := buildFourier(t, fourierConfigs[c.name])
			plan, err := nn.NewPlan(2, []int{0, 1}, []nn.Pair{{I: 0, J: 0}, {I: 1, J: 1}, {I: 0, J: 1}})
			require.NoError(t, err)
			pts := []float64{0.3, -0.7, -0.9, 0.2}
			mirror := slices.Clone(pts)
			for i := range 2 {
				mirror[2*i+c.axis] *= -1
			}
			all := append(slices.Clone(pts), mirror...)
			jet := net.Forward(nn.NewInputJet(plan, kernel.MatrixFrom(4, 2, all)))
			base := 1.0
			if c.odd {
				base = -1
			}
			// Sign of each block under the reflection: one flip per derivative along the axis.
			flips := map[int]int{0: 0}
			for _, v := range []int{0, 1} {
				b, ok := plan.FirstBlock(v)
				require.True(t, ok)
				flips[b] = boolInt(v == c.axis)
			}
			for _, pr := range plan.Second() {
				b, ok := plan.SecondBlock(pr.I, pr.J)
				require.True(t, ok)
				flips[b] = boolInt(pr.I == c.axis) + boolInt(pr.J == c.axis)
			}
			require.Len(t, flips, plan.Blocks())
			for b := range plan.Blocks() {
				sign := base
				if flips[b]%2 == 1 {
					sign = -sign
				}
				blk := jet.Block(b)
				for i := range 2 {
					assert.InDelta(t, sign*blk.At(i, 0), blk.At(i+2, 0), 1e-13, "block %d point %d", b, i)
				}
				assert.Greater(t, math.Abs(blk.At(0, 0))+math.Abs(blk.At(1, 0)), 1e-6, "block %d is not trivially zero", b)
			}
		})
	}
}
