package inr

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

func TestWriteRunFolder(t *testing.T) {
	im := smallCamera(t, 16)
	opt := FitOptions{Arch: "siren", Steps: 6, EvalEvery: 3, Seed: 1}
	res, err := Fit(context.Background(), im, opt)
	require.NoError(t, err)
	m, err := NewMetrics(res, opt, RunInfo{Image: "camera", StepsAsked: 6, EvalEvery: 3, Threads: 1, Kernel: "test", Version: "v"})
	require.NoError(t, err)
	dir := t.TempDir()
	require.NoError(t, WriteRun(dir, res, m))
	for _, f := range RunFiles {
		require.FileExists(t, filepath.Join(dir, f))
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, len(RunFiles), "no temporary files are left behind")

	var got map[string]any
	b, err := os.ReadFile(filepath.Join(dir, MetricsFile))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &got))
	require.InDelta(t, res.PSNR, got["psnr"], 1e-12)
	require.Equal(t, "last", got["saved_model"])
	require.Len(t, got["evals"], 3) // steps 0, 3, 6

	// The model file rebuilds the fitted model and records the image for inr eval.
	back, err := LoadModel(filepath.Join(dir, ModelFile))
	require.NoError(t, err)
	w, h, c, depth, ok := back.ImageInfo()
	require.True(t, ok)
	require.Equal(t, [4]int{16, 16, 1, 8}, [4]int{w, h, c, depth})
	rec, err := back.RenderImage(16, 16)
	require.NoError(t, err)
	for i := range rec.Pix {
		// Predict runs the same arithmetic in other chunks: equal to rounding.
		require.InDelta(t, res.Reconstruction.Pix[i], rec.Pix[i], 1e-12)
	}
	loaded, err := LoadImage(filepath.Join(dir, ReconstructionFile))
	require.NoError(t, err)
	for i := range loaded.Pix {
		require.InDelta(t, res.Reconstruction.Pix[i], loaded.Pix[i], 0.5/255+1e-12, "8-bit quantisation")
	}
}

// JSON has no NaN or infinity: such figures are written as null, and read back as NaN.
func TestMetricsNonFinite(t *testing.T) {
	type figures struct{ A, B, C JSONFloat }
	b, err := json.Marshal(figures{JSONFloat(math.NaN()), JSONFloat(math.Inf(1)), 2.5})
	require.NoError(t, err)
	require.Equal(t, `{"A":null,"B":null,"C":2.5}`, string(b))
	var back figures
	require.NoError(t, json.Unmarshal(b, &back))
	require.True(t, math.IsNaN(float64(back.A)) && math.IsNaN(float64(back.B)))
	require.Equal(t, JSONFloat(2.5), back.C)
}

// Rendering at another resolution samples the same continuous function: a 4× rendering area-
// averaged back down is close to the fitted-size rendering, and corner pixels coincide exactly
// (the grid's ends are ±1 at every resolution).
func TestRenderImageAnyResolution(t *testing.T) {
	im := smallCamera(t, 16)
	res, err := Fit(context.Background(), im, FitOptions{Arch: "siren", Steps: 30})
	require.NoError(t, err)
	big, err := res.Model.RenderImage(64, 48)
	require.NoError(t, err)
	require.Equal(t, [3]int{64, 48, 1}, [3]int{big.W, big.H, big.C})
	small, err := res.Model.RenderImage(16, 12)
	require.NoError(t, err)
	require.InDelta(t, big.At(0, 0, 0), small.At(0, 0, 0), 1e-12)
	require.InDelta(t, big.At(63, 47, 0), small.At(15, 11, 0), 1e-12)
	_, err = res.Model.RenderImage(0, 5)
	require.ErrorContains(t, err, "size")
}

func TestPointsCSV(t *testing.T) {
	header, x, err := ReadPoints(strings.NewReader("t, x\n0, 1\n\n# comment\n0.5,-2e-3\n"), "p.csv", 2)
	require.NoError(t, err)
	require.Equal(t, []string{"t", "x"}, header)
	require.Equal(t, []float64{0, 1, 0.5, -2e-3}, x.Data)
	_, x, err = ReadPoints(strings.NewReader("1,2,3\n"), "p.csv", 3)
	require.NoError(t, err)
	require.Equal(t, 1, x.Rows)
	for _, c := range []struct{ in, want string }{
		{"1,2\n3\n", "line 2 has 1 values"},
		{"a,b,c\n", "header has 3 columns"},
		{"1,NaN\n", "not a finite number"},
		{"x,y\n", "no points"},
		{"1,zz\n", "column 2"},
	} {
		_, _, err := ReadPoints(strings.NewReader(c.in), "p.csv", 2)
		require.ErrorContains(t, err, c.want, c.in)
		require.ErrorContains(t, err, "p.csv")
	}
	// dim 0: the columns come from the header or the first line.
	header, x, err = ReadPoints(strings.NewReader("a,b,u\n1,2,3\n4,5,6\n"), "p.csv", 0)
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "u"}, header)
	require.Equal(t, 2, x.Rows)
	require.Equal(t, 3, x.Cols)
	_, _, err = ReadPoints(strings.NewReader("1,2,3\n4,5\n"), "p.csv", 0)
	require.ErrorContains(t, err, "line 2 has 2 values where the first line has 3")
	var sb strings.Builder
	y := kernel.MatrixFrom(2, 1, []float64{0.1, math.Pi})
	require.NoError(t, WritePoints(&sb, []string{"t", "x"}, []string{"u"}, x2(), y))
	require.Equal(t, "t,x,u\n0,1,0.1\n0.5,-0.002,3.141592653589793\n", sb.String())
}

func x2() kernel.Matrix { return kernel.MatrixFrom(2, 2, []float64{0, 1, 0.5, -2e-3}) }

func TestModelNames(t *testing.T) {
	cfg, err := ConfigFor("mlp", nil)
	require.NoError(t, err)
	m, err := NewModel("mlp", cfg, 3, 2, 0)
	require.NoError(t, err)
	require.Equal(t, []string{"x0", "x1", "x2"}, m.InputNames())
	require.Equal(t, []string{"u0", "u1"}, m.OutputNames())
	m.Extra = map[string]string{"input_names": "t, x, y", "output_names": "u,v"}
	require.Equal(t, []string{"t", "x", "y"}, m.InputNames())
	require.Equal(t, []string{"u", "v"}, m.OutputNames())
	m.Config = namedConfig{MLPConfig: cfg.(*MLPConfig), Vars: []string{"t", "x", "z"}, Fields: []string{"p", "q"}}
	require.Equal(t, []string{"t", "x", "z"}, m.InputNames(), "a configuration's vars come first")
	require.Equal(t, []string{"p", "q"}, m.OutputNames())
}

// namedConfig is a configuration listing its variables and fields in its JSON, as a PDE model's.
type namedConfig struct {
	*MLPConfig
	Vars   []string `json:"vars"`
	Fields []string `json:"fields"`
}
