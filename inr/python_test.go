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

// TestModelFilesEvaluateInPython saves every architecture (default settings, colour output),
// an MLP with every registered activation (per-unit parameters where it has any) and a graph
// of the remaining layers (positional encoding, B-spline KAN with a SiLU term and edge scales,
// a nested residual graph, concatenation, complex layers with a real Gabor activation) with
// their parameters moved off their initial values, and evaluates each file with
// python/inrstudio.py: numpy alone must give Go's predictions (1e-11 of the output's scale:
// numpy's sin, exp and summation order differ from the kernel's by a few ulps, and a SIREN
// amplifies them by ω0 per layer), and the same rendering as RenderImage.
func TestModelFilesEvaluateInPython(t *testing.T) {
	pytest.Python(t)
	dir := t.TempDir()
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

	x := kernel.NewMatrix(97, 2)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range x.Data {
		x.Data[i] = 2.2*rng.Float64() - 1.1 // a little outside the fitted square too
	}
	qs := make([]pytest.Query, len(models))
	for i, m := range models {
		qs[i] = pytest.Query{File: filepath.Join(dir, m.name+".safetensors"), Data: x.Data, Cols: x.Cols}
	}
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
