package inr

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/internal/pytest"
	"github.com/inrstudio/studio/kan"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// pyModel is a model saved for the Python reader.
type pyModel struct {
	name string
	m    *Model
}

// pyModels saves into dir every architecture (default settings, colour output), an MLP with
// every registered activation (per-unit parameters where it has any) and a graph of the
// remaining layers (positional encoding, B-spline KAN with a SiLU term and edge scales, a nested
// residual graph, concatenation, complex layers with a real Gabor activation), their parameters
// moved off their initial values, as <name>.safetensors.
func pyModels(t *testing.T, dir string) []pyModel {
	var models []pyModel
	add := func(name string, m *Model) {
		// Move every trainable parameter off its initial value, so that a reader that ignored
		// one (a LayerNorm's γ and β start at 1 and 0, activation parameters at 1) would be seen.
		// The change is a tenth of the parameter's RMS (0.1 for one that starts at zero), which
		// keeps the network in the regime of its initialisation, as a trained one is.
		rng := rand.New(rand.NewPCG(uint64(len(models)), 5))
		for _, p := range m.Net.Params() {
			rms := 0.0
			for _, v := range p.Value {
				rms += v * v
			}
			rms = math.Sqrt(rms / float64(len(p.Value)))
			if rms == 0 {
				rms = 1
			}
			for i := range p.Value {
				p.Value[i] += 0.1 * rms * rng.NormFloat64()
			}
		}
		require.NoError(t, m.Save(filepath.Join(dir, name+".safetensors"), "test", nil), name)
		models = append(models, pyModel{name, m})
	}
	for _, a := range Archs() {
		m, err := NewModel(a.Name, nil, 2, 3, 1)
		require.NoError(t, err, a.Name)
		m.Norm, err = RangeNormalization("pm1", 3)
		require.NoError(t, err)
		add(a.Name, m)
	}
	for _, name := range act.Names() {
		f, err := act.New(name, nil)
		if err != nil {
			continue // a complex activation: covered by wire
		}
		cfg := &MLPConfig{Widths: []int{12, 12}, Activation: name, PerUnit: len(f.Params()) > 0,
			Init: "glorot_normal", Bias: "torch", LR: 1e-3, Range: "01"}
		m, err := NewModel("mlp", cfg, 2, 1, 2)
		require.NoError(t, err, name)
		add("mlp-"+name, m)
	}
	add("layers", layerZoo(t))
	return models
}

// pyQueries saves pyModels into dir and returns them, the test points and the queries of every
// model at those points.
func pyQueries(t *testing.T, dir string) ([]pyModel, kernel.Matrix, []pytest.Query) {
	models := pyModels(t, dir)
	x := pyPoints()
	qs := make([]pytest.Query, len(models))
	for i, m := range models {
		qs[i] = pytest.Query{File: filepath.Join(dir, m.name+".safetensors"), Data: x.Data, Cols: x.Cols}
	}
	return models, x, qs
}

// pyPoints are the test points: a little outside the fitted square too.
func pyPoints() kernel.Matrix {
	x := kernel.NewMatrix(97, 2)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range x.Data {
		x.Data[i] = 2.2*rng.Float64() - 1.1
	}
	return x
}

// TestModelFilesEvaluateInPython evaluates every model of pyModels with python/inrstudio.py:
// numpy alone must give Go's predictions (1e-11 of the output's scale: numpy's sin, exp and
// summation order differ from the kernel's by a few ulps, and a SIREN amplifies them by ω0 per
// layer), and the same rendering as RenderImage.
func TestModelFilesEvaluateInPython(t *testing.T) {
	pytest.Python(t)
	dir := t.TempDir()
	models, x, qs := pyQueries(t, dir)
	got := pytest.Predict(t, qs)
	for i, pm := range models {
		want := kernel.NewMatrix(x.Rows, pm.m.Out)
		require.NoError(t, pm.m.Predict(x, want))
		pytest.AssertClose(t, pm.name, got[i], want.Data, pm.m.Out, 1e-11)
	}

	// The rendering: the same grid as RenderImage, clipped the same way.
	out := pytest.Run(t, "import json, inrstudio\nprint(json.dumps(inrstudio.load(sys.argv[1]).render(7, 5).reshape(-1).tolist()))", "",
		filepath.Join(dir, "siren.safetensors"))
	var render []float64
	require.NoError(t, json.Unmarshal(out, &render))
	siren, err := LoadModel(filepath.Join(dir, "siren.safetensors"))
	require.NoError(t, err)
	im, err := siren.RenderImage(7, 5)
	require.NoError(t, err)
	require.Len(t, render, len(im.Pix))
	for i, v := range im.Pix {
		assert.InDelta(t, v, render[i], 1e-11, "pixel sample %d", i)
	}
}

// layerZoo is a model made of the layers no architecture uses: a positional encoding, a
// B-spline KAN with an edge-scaled SiLU term, an affine map, a residual graph nested in the
// model's, a concatenation and a sum, and complex layers (real to complex, real part, complex
// to real) with a real Gabor activation.
func layerZoo(t *testing.T) *Model {
	rng := nn.NewRNG(9)
	pe, err := nn.NewPositionalEncoding(2, 3)
	require.NoError(t, err)
	bs, err := kan.NewBSplineKANConfig(pe.OutWidth(), 6, kan.DefaultBSplineConfig(), rng)
	require.NoError(t, err)
	aff, err := nn.NewAffine([]float64{1.5, -0.5, 2, 1, 0.25, 3}, []float64{0.1, 0.2, -0.3, 0, 1, -1})
	require.NoError(t, err)
	tanh, err := act.New("tanh", nil)
	require.NoError(t, err)
	inner := nn.NewDenseAct(6, 6, true, tanh, false)
	require.NoError(t, nn.InitDense(inner.Dense, nn.Init{Weight: "glorot_normal"}, rng))
	res, err := nn.Residual(inner)
	require.NoError(t, err)
	cplx, err := nn.NewComplexDense(12, 4, nn.RealToComplex, rng)
	require.NoError(t, err)
	gabor, err := act.New("gabor_real", act.Config{"omega": 3, "s": 0.5})
	require.NoError(t, err)
	out, err := nn.NewComplexDense(4, 2, nn.ComplexToReal, rng)
	require.NoError(t, err)

	g := nn.NewGraph(2)
	h := g.Apply(bs, g.Apply(pe, g.Input()))
	h = g.Apply(aff, h)
	h = g.Concat(g.Apply(res, h), h)
	z := g.Apply(cplx, h)
	re := g.Apply(nn.NewActivation(gabor, 4, false), g.Apply(nn.NewRealPart(4), z))
	both := g.Add(z, g.Concat(re, re))
	net, err := g.Build(g.Apply(out, both))
	require.NoError(t, err)
	return &Model{Arch: "layers", Config: &MLPConfig{}, In: 2, Out: 2, Net: net,
		Norm: Normalization{Scale: []float64{2, 0.5}, Offset: []float64{-1, 0.25}}}
}

// TestPythonRefusesOpaqueLayers: a layer without a Spec is recorded as opaque, nn.Opaque names
// it, and the Python reader refuses the file naming the layer instead of guessing.
func TestPythonRefusesOpaqueLayers(t *testing.T) {
	pytest.Python(t)
	net, err := nn.Chain(nn.NewDense(2, 3, true), opaqueLayer{nn.NewDense(3, 1, true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"inr.opaqueLayer"}, nn.Opaque(net.Spec()))
	m := &Model{Arch: "test", Config: &MLPConfig{}, In: 2, Out: 1, Net: net, Norm: Normalization{Scale: []float64{1}, Offset: []float64{0}}}
	path := filepath.Join(t.TempDir(), "m.safetensors")
	require.NoError(t, m.Save(path, "test", nil))
	out := pytest.Run(t, `
import inrstudio
try:
    inrstudio.load(sys.argv[1])
except inrstudio.UnsupportedLayer as e:
    print(e)
`, "", path)
	assert.Equal(t, "layer 1 (inr.opaqueLayer) is not one inrstudio.py can evaluate", strings.TrimSpace(string(out)))
}

// opaqueLayer is a layer that does not describe itself.
type opaqueLayer struct{ *nn.Dense }

func (opaqueLayer) Spec() {} // not nn.Specifier's method: hides the embedded Dense's Spec

// TestModelFilesInPyTorch turns every model of pyModels into a torch module
// (inrstudio.to_torch): its predictions are numpy's (1e-12 of the outputs' scale), its
// autograd gradient with respect to the inputs is Go's exact one (PredictDerivatives, 1e-10),
// the fixed tensors are buffers and not parameters, and a module trained one step in PyTorch
// and saved (inrstudio.save) is read back by Go with the new weights: Go's predictions match
// torch's after the step, and the buffers are unchanged.
func TestModelFilesInPyTorch(t *testing.T) {
	pytest.Torch(t)
	dir := t.TempDir()
	models, x, qs := pyQueries(t, dir)
	numpy := pytest.Predict(t, qs)
	pred, grad := pytest.TorchPredict(t, qs)
	for i, pm := range models {
		pytest.AssertClose(t, pm.name+" torch", pred[i], flat(numpy[i]), pm.m.Out, 1e-12)
		d, _, err := pm.m.PredictDerivatives(x, 1)
		require.NoError(t, err)
		want := make([]float64, 0, 2*x.Rows)
		for r := range x.Rows {
			want = append(want, d.At(r, pm.m.Out), d.At(r, 2*pm.m.Out)) // ∂/∂x and ∂/∂y of output 0
		}
		pytest.AssertClose(t, pm.name+" gradient", grad[i], want, 2, 1e-10)
	}

	names := make([]string, len(models))
	for i, m := range models {
		names[i] = m.name
	}
	// Parameters and buffers; one SGD step on relu_ff (whose Fourier features' B is a buffer),
	// saved and read back by Go.
	out := pytest.Run(t, `
import json, torch, numpy as np
import inrstudio
d = sys.argv[1]
res = {}
for n in json.loads(sys.argv[2]):
    net = inrstudio.to_torch(d + "/" + n + ".safetensors")
    res[n] = [len(list(net.parameters())), len(list(net.buffers()))]
net = inrstudio.to_torch(d + "/relu_ff.safetensors")
opt = torch.optim.SGD(net.parameters(), lr=0.1)
xt = torch.tensor(np.array(json.loads(sys.stdin.read()))).reshape(-1, 2)
((net(xt) - 0.3) ** 2).mean().backward()
opt.step()
inrstudio.save(net, d + "/relu_ff-tuned.safetensors")
res["tuned"] = net.predict(xt).tolist()
print(json.dumps(res))
`, string(mustJSON(t, x.Data)), dir, string(mustJSON(t, names)))
	var got map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(out, &got))
	for _, pm := range models {
		var counts [2]int
		require.NoError(t, json.Unmarshal(got[pm.name], &counts), pm.name)
		assert.Equal(t, [2]int{len(pm.m.Net.Params()), len(pm.m.Net.Buffers()) + 2}, counts,
			"%s: parameters, and buffers (the file's, the output scale and offset)", pm.name)
	}
	var tuned [][]float64
	require.NoError(t, json.Unmarshal(got["tuned"], &tuned))
	back, err := LoadModel(filepath.Join(dir, "relu_ff-tuned.safetensors"))
	require.NoError(t, err)
	y := kernel.NewMatrix(x.Rows, back.Out)
	require.NoError(t, back.Predict(x, y))
	pytest.AssertClose(t, "relu_ff after a torch step", tuned, y.Data, back.Out, 1e-12)
	before, err := LoadModel(filepath.Join(dir, "relu_ff.safetensors"))
	require.NoError(t, err)
	y0 := kernel.NewMatrix(x.Rows, back.Out)
	require.NoError(t, before.Predict(x, y0))
	assert.NotEqual(t, y0.Data, y.Data, "the step changed the model")
	require.Len(t, back.Net.Buffers(), 1)
	assert.Equal(t, before.Net.Buffers()[0].Value, back.Net.Buffers()[0].Value, "Fourier features' B is a buffer: not trained")
}

func flat(rows [][]float64) []float64 {
	var out []float64
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}
