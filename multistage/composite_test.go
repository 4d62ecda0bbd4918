package multistage

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/internal/pytest"
	"github.com/inrstudio/studio/kernel"
)

// smallModel trains a quick two-stage model of a 1-D function (a few hundred steps: enough to
// have two distinct, non-trivial stages, not an accuracy test).
func smallModel(t *testing.T) (*Composite, Samples) {
	t.Helper()
	f := func(x float64) float64 { return math.Sin(2*x+1) + 0.2*math.Exp(1.3*x) }
	data := NewSamples1D(Linspace(-1, 1, 101), f)
	c, reps, err := Fit(context.Background(), data, Options{Seed: 3, Stages: []StageConfig{
		{Hidden: []int{8, 8}, AdamSteps: 200, LBFGSIter: 100},
		{Hidden: []int{8, 8}, AdamSteps: 100, LBFGSIter: 100},
	}})
	require.NoError(t, err)
	require.Len(t, reps, 2)
	require.Len(t, c.Stages, 2, "the second stage lowers the error and is kept")
	return c, data
}

// TestPredictMatchesStageSum checks Predict against the definition Σ εₖ·netₖ(H0(x)) computed by
// hand, layer by layer, from the weights (1e-14 relative: the same operations in another order).
func TestPredictMatchesStageSum(t *testing.T) {
	c, data := smallModel(t)
	pred, err := c.Predict(data.X)
	require.NoError(t, err)
	for i := 0; i < data.N(); i += 10 {
		x := data.X.At(i, 0)
		want := 0.0
		for _, s := range c.Stages {
			want += s.Epsilon * byHand(s, []float64{2*(x-c.Lo[0])/(c.Hi[0]-c.Lo[0]) - 1})
		}
		assert.InDelta(t, want, pred[i], 1e-14*math.Max(1, math.Abs(want)), "point %d", i)
	}
	one, err := c.PredictStages(data.X, 1)
	require.NoError(t, err)
	e1, e2 := Measure(one, data.Y), Measure(pred, data.Y)
	assert.Less(t, e2.RMS, e1.RMS, "stage 2 lowers the error")
}

// byHand evaluates a stage network from its parameters without the nn package.
func byHand(s *Stage, h []float64) float64 {
	ps := s.Net.Params()
	for l := 0; l < len(s.Widths)-1; l++ {
		w, b := ps[2*l], ps[2*l+1]
		in, out := s.Widths[l], s.Widths[l+1]
		z := make([]float64, out)
		for j := range out {
			var acc float64
			for i := range in {
				acc += h[i] * w.Value[i*out+j]
			}
			if l == 0 {
				acc *= s.Kappa
			}
			z[j] = acc + b.Value[j]
			switch {
			case l == len(s.Widths)-2:
			case l == 0 && s.FirstAct == "sine":
				z[j] = math.Sin(z[j])
			default:
				z[j] = math.Tanh(z[j])
			}
		}
		h = z
	}
	return h[0]
}

// TestSaveLoadRoundTrip checks that a saved and reloaded model predicts bit for bit what the
// original does, and that a truncated or foreign file is an error.
func TestSaveLoadRoundTrip(t *testing.T) {
	c, data := smallModel(t)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	require.NoError(t, c.SaveFile(path, "test"))
	back, err := LoadFile(path)
	require.NoError(t, err)
	require.Len(t, back.Stages, 2)
	want, err := c.Predict(data.X)
	require.NoError(t, err)
	got, err := back.Predict(data.X)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	for k := range c.Stages {
		assert.Equal(t, c.Stages[k].Epsilon, back.Stages[k].Epsilon)
		assert.Equal(t, c.Stages[k].Kappa, back.Stages[k].Kappa)
	}

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	_, err = Load(bytes.NewReader(raw[:len(raw)-8]))
	assert.ErrorContains(t, err, "truncated")
	_, err = LoadFile(filepath.Join(t.TempDir(), "missing.safetensors"))
	assert.ErrorContains(t, err, "no such file")
}

// TestModelFileFromPython evaluates the saved model with the numpy snippet of doc.go, and with
// python/inrstudio.py, and compares with Predict (1e-13 absolute: numpy's sin/tanh and summation order differ from the
// kernel's by a few ulps). It needs python3 with numpy; without it the test says so and skips.
func TestModelFileFromPython(t *testing.T) {
	py := pytest.Python(t)
	c, data := smallModel(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	require.NoError(t, c.SaveFile(path, "test"))
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	snippet := pythonSnippet(string(doc))
	require.NotEmpty(t, snippet, "doc.go holds the Python snippet")
	script := snippet + "\nimport sys\nx = np.linspace(-1, 1, 101)[:, None]\nfor v in predict(x): print(repr(float(v)))\n"
	script = strings.Replace(script, `open("model.safetensors", "rb")`, `open(sys.argv[1], "rb")`, 1)
	script = "import sys\n" + script
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	require.NoError(t, err, string(out))
	want, err := c.Predict(data.X)
	require.NoError(t, err)
	lines := strings.Fields(string(out))
	require.Len(t, lines, len(want))
	for i, l := range lines {
		v, err := strconv.ParseFloat(l, 64)
		require.NoError(t, err)
		assert.InDelta(t, want[i], v, 1e-13, "point %d", i)
	}
	// The studio's Python reader (python/inrstudio.py) evaluates it too.
	got := pytest.Predict(t, []pytest.Query{{File: path, Data: data.X.Data, Cols: data.X.Cols}})
	pytest.AssertClose(t, "multistage", got[0], want, 1, 1e-13)
}

// TestModelFileInPyTorch: as a torch module (inrstudio.to_torch) the saved model gives Predict's
// values and, by autograd, PredictDerivatives' exact first derivative.
func TestModelFileInPyTorch(t *testing.T) {
	pytest.Torch(t)
	c, data := smallModel(t)
	path := filepath.Join(t.TempDir(), "model.safetensors")
	require.NoError(t, c.SaveFile(path, "test"))
	pred, grad := pytest.TorchPredict(t, []pytest.Query{{File: path, Data: data.X.Data, Cols: data.X.Cols}})
	d, _, err := c.PredictDerivatives(data.X, 1)
	require.NoError(t, err)
	u, du := make([]float64, d.Rows), make([]float64, d.Rows)
	for i := range d.Rows {
		u[i], du[i] = d.At(i, 0), d.At(i, 1)
	}
	pytest.AssertClose(t, "multistage", pred[0], u, 1, 1e-13)
	pytest.AssertClose(t, "multistage u_x", grad[0], du, 1, 1e-12)
}

// pythonSnippet extracts the indented Python block that follows "Python evaluates it" in doc.go.
func pythonSnippet(doc string) string {
	i := strings.Index(doc, "Python evaluates it")
	if i < 0 {
		return ""
	}
	var b strings.Builder
	started := false
	for _, line := range strings.Split(doc[i:], "\n")[1:] {
		code, ok := strings.CutPrefix(line, "//\t")
		if !ok {
			if started {
				break
			}
			continue
		}
		started = true
		b.WriteString(code + "\n")
	}
	return b.String()
}

func TestBadInput(t *testing.T) {
	ok := NewSamples1D(Linspace(-1, 1, 20), math.Sin)
	twoD := GridSamples([][]float64{Linspace(0, 1, 4), Linspace(0, 1, 4)}, func(x []float64) float64 { return x[0] })
	stage := []StageConfig{{Hidden: []int{4}, AdamSteps: 1}}
	cases := []struct {
		name string
		data Samples
		opt  Options
		want string
	}{
		{"empty", Samples{}, Options{Stages: stage}, "empty"},
		{"length mismatch", Samples{X: ok.X, Y: ok.Y[:5]}, Options{Stages: stage}, "20 points but 5 values"},
		{"NaN value", Samples{X: ok.X, Y: append(append([]float64{}, ok.Y[:19]...), math.NaN())}, Options{Stages: stage}, "value 19 is NaN"},
		{"constant coordinate", NewSamples1D([]float64{1, 1, 1}, math.Sin), Options{Stages: stage}, "coordinate 0 of every sample"},
		{"no stages", ok, Options{Stages: []StageConfig{}}, "no stages"},
		{"no hidden layers", ok, Options{Stages: []StageConfig{{AdamSteps: 1}}}, "no hidden layers"},
		{"no budget", ok, Options{Stages: []StageConfig{{Hidden: []int{4}}}}, "no training budget"},
		{"negative lr", ok, Options{Stages: []StageConfig{{Hidden: []int{4}, AdamSteps: 1, LR: -1}}}, "learning rate"},
		{"eval of another dimension", ok, Options{Stages: stage, Eval: &twoD}, "dimension 2"},
		{"stage data of another dimension", ok, Options{Stages: []StageConfig{{Hidden: []int{4}, AdamSteps: 1, Data: &twoD}}}, "dimension 2"},
		{"bad planner", ok, Options{Stages: stage, Planner: Planner{Epsilon: "l1"}}, "epsilon rule"},
		{"negative tolerance", ok, Options{Stages: stage, Tol: -1}, "tolerance"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Fit(context.Background(), c.data, c.opt)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrBadInput)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	c, err := NewComposite([]float64{0}, []float64{1})
	require.NoError(t, err)
	_, err = c.Predict(kernel.NewMatrix(3, 2))
	assert.ErrorIs(t, err, ErrBadInput)
	var buf bytes.Buffer
	assert.ErrorIs(t, c.Save(&buf, ""), ErrBadInput, "an empty model has nothing to save")
}

// TestDivergence drives Adam with an absurd learning rate on huge targets: the loss overflows
// and Fit reports ErrDiverged, naming the stage and the step.
func TestDivergence(t *testing.T) {
	data := NewSamples1D(Linspace(-1, 1, 50), func(x float64) float64 { return math.Sin(3 * x) })
	data.X.Set(3, 0, math.NaN()) // not even reached: validation comes first
	_, _, err := Fit(context.Background(), data, Options{Stages: []StageConfig{{Hidden: []int{4}, AdamSteps: 10}}})
	require.ErrorIs(t, err, ErrBadInput)

	data = NewSamples1D(Linspace(-1, 1, 50), func(x float64) float64 { return 1e300 * math.Sin(3*x) })
	_, reps, err := Fit(context.Background(), data, Options{Planner: Planner{Epsilon: EpsilonMax}, Stages: []StageConfig{{Hidden: []int{4}, AdamSteps: 10, LR: 1e306}}})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrDiverged), "got %v", err)
	assert.Contains(t, err.Error(), "stage 1")
	require.Len(t, reps, 1)
}
