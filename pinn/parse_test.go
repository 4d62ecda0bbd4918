package pinn

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// burgersFile is a complete problem file; the error cases below edit one line of it, so every
// expected line number is the line of that edit.
const burgersFile = `title = "Burgers"
fields = ["u"]

[domain]
shape = "interval"
x = [-1, 1]
time = [0, 1]

[params]
nu = "0.01/pi"

[[equation]]
residual = "u_t + u*u_x - nu*u_xx"

[[condition]]
kind = "dirichlet"
value = 0
on = ["x = -1", "x = 1"]
points = 80

[[condition]]
kind = "initial"
value = "-sin(pi*x)"
points = 160

[sampling]
method = "lhs"
interior = 500

[network]
arch = "mlp"
widths = [20, 20]
activation = "tanh"

[train]
adam_steps = 10
lbfgs_iterations = 5

[reference]
solution = "burgers"
`

func TestParseValidFile(t *testing.T) {
	p, err := Parse("burgers.toml", []byte(burgersFile), ".")
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "t"}, p.Vars)
	assert.Equal(t, []string{"u"}, p.Fields)
	assert.True(t, p.Time)
	assert.Equal(t, []float64{-1, 0}, p.Lo)
	assert.Equal(t, []float64{1, 1}, p.Hi)
	assert.InDelta(t, 0.01/math.Pi, p.Params["nu"], 1e-18)
	require.Len(t, p.Equations, 1)
	assert.Equal(t, 13, p.Equations[0].Line)
	require.Len(t, p.Conditions, 2)
	assert.Equal(t, Dirichlet, p.Conditions[0].Kind)
	assert.Equal(t, "0", p.Conditions[0].Value)
	assert.Equal(t, []int{0, 1}, p.Conditions[0].Parts)
	assert.Equal(t, Initial, p.Conditions[1].Kind)
	assert.Equal(t, "lhs", p.Sampling.Method)
	assert.Equal(t, 500, p.Sampling.Interior)
	assert.Equal(t, "mlp", p.Network.Arch)
	assert.Equal(t, 10, p.Train.AdamSteps)
	assert.Equal(t, 5, p.Train.LBFGSIterations)
	require.NotNil(t, p.Reference)
	// Raissi's grid: 256 x-points × 100 times, evaluated by Cole–Hopf.
	assert.Equal(t, 25600, p.Reference.Len())
	assert.Equal(t, []float64{0, 0.25, 0.5, 0.75, 1}, p.Output.Times)
}

// TestParseErrors edits one line of a valid file and checks the message: the file, the line of
// the edit and what is wrong, naming the offending expression or key.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name    string
		old     string // text replaced (its line is the expected line)
		new     string
		want    []string
		line    int
		multiOK bool
	}{
		{"third derivative", `residual = "u_t + u*u_x - nu*u_xx"`, `residual = "u_t + u*u_x - nu*u_xxx"`,
			[]string{"equation 1: unknown symbol `u_xxx`: this problem asks derivatives up to order 2", "u_t + u*u_x - nu*u_xxx"}, 13, false},
		{"unknown name", `residual = "u_t + u*u_x - nu*u_xx"`, `residual = "u_t + u*u_x - mu*u_xx"`,
			[]string{"equation 1: unknown symbol `mu`", "did you mean"}, 13, false},
		{"power operator", `residual = "u_t + u*u_x - nu*u_xx"`, `residual = "u_t + u^2 - nu*u_xx"`,
			[]string{"equation 1:", "pow"}, 13, false},
		{"misspelt key", `adam_steps = 10`, `adam_step = 10`, []string{"unknown key `train.adam_step` (did you mean `adam_steps`?)"}, 36, false},
		{"unknown kind", `kind = "dirichlet"`, `kind = "dirichlett"`, []string{`condition 1: kind "dirichlett"`, "dirichlet, neumann, robin"}, 16, false},
		{"bad value", `value = "-sin(pi*x)"`, `value = "-sin(pi*z)"`, []string{"condition 2 (initial): value: unknown symbol `z`"}, 23, false},
		{"bad face", `on = ["x = -1", "x = 1"]`, `on = ["x = -1", "x = 2"]`, []string{`condition 1 (dirichlet): on: "x = 2" is not a face of the domain`}, 18, false},
		{"time face", `on = ["x = -1", "x = 1"]`, `on = ["t = 0"]`, []string{`"t = 0" is not a face`}, 18, false},
		{"stray key", `points = 160`, "points = 160\non = \"all\"", []string{"condition 2 (initial): `on` does not apply to a initial condition"}, 25, false},
		{"no such field", `kind = "initial"`, "kind = \"initial\"\nfield = \"v\"", []string{"condition 2 (initial): `v` is not a field (fields: u)"}, 23, false},
		{"unknown architecture", `arch = "mlp"`, `arch = "mpl"`, []string{`network: unknown model "mpl"`}, 31, false},
		{"architecture key", `widths = [20, 20]`, `widthz = [20, 20]`, []string{"network:", "widthz"}, 32, false},
		{"reference", `solution = "burgers"`, `solution = "burger"`, []string{`reference: reference solution "burger": unknown`}, 40, false},
		{"sampler", `method = "lhs"`, `method = "hammersley"`, []string{`sampling: method "hammersley"`}, 27, false},
		{"bad bounds", `x = [-1, 1]`, `x = [1, -1]`, []string{"domain: x = [1, -1]; want lo < hi"}, 6, true},
		{"syntax", `points = 80`, `points = = 80`, []string{"burgers.toml:19:"}, 19, false},
		{"negative weight", `points = 80`, "points = 80\nweight = -1", []string{"condition 1 (dirichlet): weight -1"}, 20, false},
		{"initial without time", "time = [0, 1]\n", "", []string{"condition 2 (initial): needs a time-dependent domain"}, 21, true},
		{"grid extension of an MLP", `adam_steps = 10`, "adam_steps = 10\ngrid_extension = [10]",
			[]string{`train: grid_extension refines a B-spline KAN's grid; the network is mlp (give [network] arch = "kan")`}, 37, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Contains(t, burgersFile, c.old)
			src := strings.Replace(burgersFile, c.old, c.new, 1)
			_, err := Parse("burgers.toml", []byte(src), ".")
			require.Error(t, err)
			var pe *ProblemError
			require.True(t, errors.As(err, &pe), "%v", err)
			msg := err.Error()
			for _, w := range c.want {
				assert.Contains(t, msg, w)
			}
			if !c.multiOK {
				require.Len(t, pe.Messages, 1, msg)
			}
			assert.Contains(t, msg, "burgers.toml:"+strconv.Itoa(c.line)+":", msg)
		})
	}
}

// TestParseGridExtension: a B-spline KAN takes train.grid_extension, grids increasing from its own.
func TestParseGridExtension(t *testing.T) {
	kanFile := strings.Replace(burgersFile, "arch = \"mlp\"\nwidths = [20, 20]\nactivation = \"tanh\"", "arch = \"kan\"\nwidths = [4]\ngrid = 5", 1)
	require.NotEqual(t, burgersFile, kanFile)
	p, err := Parse("burgers.toml", []byte(strings.Replace(kanFile, "adam_steps = 10", "adam_steps = 10\ngrid_extension = [10, 20]", 1)), ".")
	require.NoError(t, err)
	require.Equal(t, []int{10, 20}, p.Train.GridExtension)
	for _, bad := range []string{"[5, 10]", "[10, 10]", "[20, 10]", "[10, 2000]"} {
		_, err := Parse("burgers.toml", []byte(strings.Replace(kanFile, "adam_steps = 10", "adam_steps = 10\ngrid_extension = "+bad, 1)), ".")
		require.ErrorContains(t, err, "burgers.toml:37: train: grid_extension "+bad+"; want grids increasing from the network's 5, at most 1000", bad)
	}
}

// TestParseAllErrorsAtOnce: every mistake of a file is reported in one pass.
func TestParseAllErrorsAtOnce(t *testing.T) {
	src := strings.Replace(burgersFile, `"u_t + u*u_x - nu*u_xx"`, `"u_t + u*u_x - nu*u_xxx + q"`, 1)
	src = strings.Replace(src, `value = "-sin(pi*x)"`, `value = "-sin(pi*y)"`, 1)
	src = strings.Replace(src, `lbfgs_iterations = 5`, `lbfgs_iteration = 5`, 1)
	_, err := Parse("b.toml", []byte(src), ".")
	var pe *ProblemError
	require.True(t, errors.As(err, &pe))
	assert.Len(t, pe.Messages, 4, err.Error())
}

func TestParseFeatures(t *testing.T) {
	dir := t.TempDir()
	csv := "x,t,u\n0.1,0.2,0.5\n0.3,0.4,0.25\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "obs.csv"), []byte(csv), 0o644))
	src := `fields = ["u"]
[domain]
shape = "interval"
x = [0, 1]
time = [0, 1]
[unknowns]
alpha = 1.0
[[equation]]
residual = "u_t - alpha*u_xx"
[[condition]]
kind = "neumann"
value = "0"
on = "x = 0"
[[condition]]
kind = "robin"
a = 1
b = "2"
value = "t"
on = ["x = 1"]
[[condition]]
kind = "periodic"
[[condition]]
kind = "velocity"
[[data]]
file = "obs.csv"
[transform]
u = "sin(pi*x) + t*N"
[sampling.adaptive]
method = "rar"
[reference]
expr.u = "exp(-0.4*pi*pi*t)*sin(pi*x)"
grid = [11, 6]
unknowns.alpha = 0.4
`
	p, err := Parse("f.toml", []byte(src), dir)
	require.NoError(t, err)
	require.Len(t, p.Unknowns, 1)
	assert.Equal(t, Unknown{Name: "alpha", Init: 1, True: 0.4, HasTrue: true}, p.Unknowns[0])
	require.Len(t, p.Conditions, 4)
	assert.Equal(t, []int{0}, p.Conditions[0].Parts)
	assert.Equal(t, []int{1}, p.Conditions[1].Parts)
	assert.Equal(t, "1", p.Conditions[1].A)
	assert.Equal(t, []string{"u", "u_x"}, p.Conditions[2].Derivatives)
	assert.Equal(t, 0, p.Conditions[2].Axis)
	require.Len(t, p.Data, 1)
	assert.Equal(t, []float64{0.1, 0.2, 0.3, 0.4}, p.Data[0].Points.X)
	assert.Equal(t, []float64{0.5, 0.25}, p.Data[0].Values["u"])
	assert.Equal(t, "sin(pi*x) + t*N", p.Transform["u"])
	require.NotNil(t, p.Sampling.Adaptive)
	assert.Equal(t, 200, p.Sampling.Adaptive.Points)
	assert.Equal(t, 66, p.Reference.Len())
	assert.InDelta(t, math.Exp(-0.4*math.Pi*math.Pi)*math.Sin(math.Pi*0.3), p.Reference.Values[5*11+3], 1e-15)
}

func TestLineIndex(t *testing.T) {
	src := `a = 1 # comment = not a key
[t]
b = """
c = 2
"""
d = [
  1, # e = 3
  2,
]
f = { g = 1, h = { i = 2 } }
[[arr]]
k = 1
[[arr]]
k = 2
`
	idx := newLineIndex(src)
	assert.Equal(t, 1, idx.Line("", 0, "a"))
	assert.Equal(t, 3, idx.Line("t", 0, "b"))
	assert.Equal(t, 2, idx.Line("t", 0, "c")) // not a key: falls back to the header
	assert.Equal(t, 6, idx.Line("t", 0, "d"))
	assert.Equal(t, 10, idx.Line("t", 0, "f.g"))
	assert.Equal(t, 10, idx.Line("t", 0, "f.h.i"))
	assert.Equal(t, 12, idx.Line("arr", 0, "k"))
	assert.Equal(t, 14, idx.Line("arr", 1, "k"))
	assert.Equal(t, 10, idx.Find("t.f.h.i"))
}

// FuzzParse: no problem file, however mangled, makes Parse panic; it returns a Problem or a
// ProblemError. (The seed corpus runs with go test; go test -fuzz FuzzParse explores further.)
func FuzzParse(f *testing.F) {
	f.Add(strings.Replace(burgersFile, `solution = "burgers"`, `expr.u = "x*t"`, 1))
	f.Add("fields = [\"u\"]\n[domain]\nshape = \"disk\"\nradius = 1\n[[equation]]\nresidual = \"u_xx + u_yy\"\n[[condition]]\nkind = \"neumann\"\n")
	f.Add("fields = [\"u\", \"v\"]\n[domain]\nshape = \"box\"\nx = [0, 1]\ny = [0, 2]\nz = [1, 3]\n[[equation]]\nresidual = \"u_xz - v\"\n[transform]\nv = \"x*N\"\n")
	f.Add("[domain]\nshape = \"interval\"\nx = [0, 1]\n")
	f.Add("fields = [\"u\"]\n[[condition]]\nkind = \"periodic\"\naxis = 3\n")
	f.Fuzz(func(t *testing.T, src string) {
		p, err := Parse("fuzz.toml", []byte(src), t.TempDir())
		if err == nil && (p == nil || len(p.Equations) == 0) {
			t.Fatalf("accepted a problem without equations: %q", src)
		}
		var pe *ProblemError
		if err != nil && !errors.As(err, &pe) {
			t.Fatalf("error is %T, not a ProblemError: %v", err, err)
		}
	})
}
