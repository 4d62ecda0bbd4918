package pinn

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/pytest"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// solvedModel is a PDE model saved for the Python reader, with points of its domain.
type solvedModel struct {
	name string
	m    *inr.Model
	x    kernel.Matrix
	file string
}

// solvedModels saves into dir the model of every example problem (domain normalisation, the
// problem's network, hard-constraint transforms; Allen–Cahn's periodic, even fourier_mlp) and
// every fourier_mlp configuration of the tests (separable, modified, odd and even, Gaussian
// features), with their parameters moved off their initial values, and draws points in each
// one's domain.
func solvedModels(t *testing.T, dir string) []solvedModel {
	var models []solvedModel
	rng := rand.New(rand.NewPCG(11, 12))
	add := func(name string, m *inr.Model, lo, hi []float64) {
		for _, p := range m.Net.Params() {
			for i := range p.Value {
				p.Value[i] *= 1 + 0.1*rng.NormFloat64()
			}
		}
		file := filepath.Join(dir, fmt.Sprintf("%02d.safetensors", len(models)))
		require.NoError(t, m.Save(file, "test", nil), name)
		x := kernel.NewMatrix(61, len(lo))
		for i := range x.Rows {
			for j := range lo {
				x.Set(i, j, lo[j]+(hi[j]-lo[j])*rng.Float64())
			}
		}
		models = append(models, solvedModel{name, m, x, file})
	}

	files, err := filepath.Glob(filepath.Join("..", "examples", "pde", "*.toml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		p, err := Load(f)
		require.NoError(t, err, f)
		cfg, err := newModelConfig(p)
		require.NoError(t, err, f)
		m, err := inr.NewModel(ModelArch, cfg, len(p.Vars), len(p.Fields), 3)
		require.NoError(t, err, f)
		add(filepath.Base(f), m, p.Lo, p.Hi)
	}
	names := make([]string, 0, len(fourierConfigs))
	for name := range fourierConfigs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		cfg, err := inr.ConfigFor(FourierMLPArch, json.RawMessage(fourierConfigs[name]))
		require.NoError(t, err)
		m, err := inr.NewModel(FourierMLPArch, cfg, 2, 1, 5)
		require.NoError(t, err, name)
		add("fourier_mlp "+name, m, []float64{-1, -1}, []float64{1, 1})
	}
	return models
}

func solvedQueries(models []solvedModel) []pytest.Query {
	qs := make([]pytest.Query, len(models))
	for i, s := range models {
		qs[i] = pytest.Query{File: s.file, Data: s.x.Data, Cols: s.x.Cols}
	}
	return qs
}

// TestSolvedModelsEvaluateInPython: python/inrstudio.py gives Go's predictions of every model of
// solvedModels at random points of its domain with numpy alone (1e-11 of the outputs' scale).
func TestSolvedModelsEvaluateInPython(t *testing.T) {
	pytest.Python(t)
	models := solvedModels(t, t.TempDir())
	for _, s := range models {
		assert.Empty(t, nn.Opaque(s.m.Net.Spec()), s.name)
	}
	got := pytest.Predict(t, solvedQueries(models))
	for i, s := range models {
		want := kernel.NewMatrix(s.x.Rows, s.m.Out)
		require.NoError(t, s.m.Predict(s.x, want))
		pytest.AssertClose(t, s.name, got[i], want.Data, s.m.Out, 1e-11)
	}
}

// TestSolvedModelsInPyTorch: as torch modules (inrstudio.to_torch) the same models give Go's
// predictions, and autograd's derivatives of the first field with respect to the physical
// coordinates are Go's exact ones (PredictDerivatives), through the normalisation, the
// symmetric twins and the hard constraints.
func TestSolvedModelsInPyTorch(t *testing.T) {
	pytest.Torch(t)
	models := solvedModels(t, t.TempDir())
	pred, grad := pytest.TorchPredict(t, solvedQueries(models))
	for i, s := range models {
		want := kernel.NewMatrix(s.x.Rows, s.m.Out)
		require.NoError(t, s.m.Predict(s.x, want))
		pytest.AssertClose(t, s.name, pred[i], want.Data, s.m.Out, 1e-11)
		d, _, err := s.m.PredictDerivatives(s.x, 1)
		require.NoError(t, err)
		dim := s.x.Cols
		wantGrad := make([]float64, 0, s.x.Rows*dim)
		for r := range s.x.Rows {
			for c := range dim {
				wantGrad = append(wantGrad, d.At(r, (1+c)*s.m.Out))
			}
		}
		pytest.AssertClose(t, s.name+" gradient", grad[i], wantGrad, dim, 1e-10)
	}
}

// TestPythonTransformRefusesOtherSyntax: an expression the problem-file language does not have
// (Python's ** here, which Parse rejects too) is refused by the reader, naming it.
func TestPythonTransformRefusesOtherSyntax(t *testing.T) {
	pytest.Python(t)
	out := pytest.Run(t, `
import inrstudio, numpy as np
try:
    inrstudio._expression(inrstudio._NUMPY, "x**2 + N", {"x": np.zeros(1), "N": np.zeros(1)})
except inrstudio.UnsupportedLayer as e:
    print(e)
print(inrstudio._expression(inrstudio._NUMPY, "pow(x, 2) - -N/2 + max(x, e)*pi", {"x": np.array([3.0]), "N": np.array([4.0])})[0])
`, "")
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], "expression 'x**2 + N': cannot evaluate")
	v, err := strconv.ParseFloat(lines[1], 64)
	require.NoError(t, err)
	assert.InDelta(t, 11+3*math.Pi, v, 1e-13)
}
