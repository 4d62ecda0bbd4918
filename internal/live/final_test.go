package live

import (
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/pinn"
	"github.com/inrstudio/studio/render"
)

func TestReadLossCSV(t *testing.T) {
	h, err := readLossCSV(strings.NewReader("step,loss,residual,boundary,psnr\n1,1,0.9,0.1,\n2,0.5,0.45,0.05,20\n3,0.25,0.2,,\n"))
	require.NoError(t, err)
	assert.Equal(t, []float64{1, 2, 3}, h.Step)
	assert.Equal(t, []float64{1, 0.5, 0.25}, h.Loss)
	assert.Equal(t, []float64{0.9, 0.45, 0.2}, h.Terms["residual"])
	assert.Equal(t, 0.05, h.Terms["boundary"][1])
	assert.True(t, math.IsNaN(h.Terms["boundary"][2]), "an empty cell is a missing value")
	assert.Equal(t, Series{Step: []float64{2}, Value: []float64{20}}, h.Metrics["psnr"])

	for name, in := range map[string]string{
		"no header":  "",
		"one column": "step\n1\n",
		"bad number": "step,loss\n1,x\n",
		"no step":    "step,loss\n,1\n",
	} {
		_, err := readLossCSV(strings.NewReader(in))
		assert.Error(t, err, name)
	}
}

// TestReaderOfFinishedSolve reads a PDE run folder written without a live folder: metrics, loss
// terms and the pictures as they are.
func TestReaderOfFinishedSolve(t *testing.T) {
	dir := t.TempDir()
	metrics := `{"problem": "examples/pde/heat1d.toml", "title": "heat", "vars": ["x", "t"], "fields": ["u"],
  "rel_l2": 1.5e-4, "max_error": 3e-4, "loss": 2e-6, "loss_terms": {"residual": 1.5e-6, "initial": 5e-7},
  "seconds": 12.5, "adam_steps": 100, "threads": 2}`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "metrics.json"), []byte(metrics), 0o644))
	require.NoError(t, render.WriteLossCSV(filepath.Join(dir, "loss.csv"), []float64{1, 2, 3},
		render.Column{Name: "loss", Values: []float64{1, 0.1, 0.01}}, render.Column{Name: "residual", Values: []float64{0.9, 0.09, 0.009}}))
	pic := image.NewRGBA(image.Rect(0, 0, 20, 10))
	pic.Set(3, 4, color.RGBA{255, 0, 0, 255})
	require.NoError(t, render.WritePNG(filepath.Join(dir, "solution.png"), pic))

	r, err := NewReader(dir)
	require.NoError(t, err)
	_, err = r.Poll()
	require.NoError(t, err)
	s := r.State()
	assert.Equal(t, SourceFinal, s.Source)
	assert.Equal(t, "pde", s.Signal)
	assert.Equal(t, "heat", s.Title)
	assert.True(t, s.Done)
	assert.Equal(t, 3, s.Step)
	assert.Equal(t, 12.5, s.Seconds)
	assert.Equal(t, 2e-6, s.Loss)
	assert.Equal(t, map[string]float64{"residual": 1.5e-6, "initial": 5e-7}, s.Terms)
	assert.Equal(t, 1.5e-4, s.Metrics["rel_l2"])
	assert.NotContains(t, s.Metrics, "threads", "settings are not metrics")
	assert.Equal(t, []float64{0.9, 0.09, 0.009}, s.History.Terms["residual"])
	p := s.Field("picture:solution")
	require.NotNil(t, p)
	require.Equal(t, [3]int{20, 10, 3}, [3]int{p.W, p.H, p.C})
	assert.Equal(t, 1.0, p.Data[(4*20+3)*3], "the red pixel")
	assert.Equal(t, 0.0, p.Data[(4*20+3)*3+1])
	assert.Empty(t, s.Model)
	assert.Error(t, r.Command(CommandStop), "a finished run takes no commands")

	// A model file appearing later is noticed.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "model.safetensors"), []byte("x"), 0o644))
	changed, err := r.Poll()
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, filepath.Join(dir, "model.safetensors"), r.State().Model)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "metrics.json"), []byte("{broken"), 0o644))
	_, err = r.Poll()
	assert.Error(t, err, "an unreadable metrics.json is reported")
	assert.Equal(t, []float64{1, 0.1, 0.01}, r.State().History.Loss, "what could be read is kept")
}

func TestWriterPublishesAxes(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond, Signal: "pde", Axes: Axes{X: "t", Y: "x", Time: "x"}})
	require.NoError(t, err)
	w.Observe(snap(1, 1, true))
	require.NoError(t, w.Close())
	r, err := NewReader(dir)
	require.NoError(t, err)
	_, err = r.Poll()
	require.NoError(t, err)
	assert.Equal(t, Axes{X: "t", Y: "x", Time: "x"}, r.State().Axes)
	assert.Equal(t, "pde", r.State().Signal)
}

func TestProblemAxes(t *testing.T) {
	for name, want := range map[string]Axes{
		"heat1d.toml":    {X: "t", Y: "x", Time: "x"},
		"poisson2d.toml": {X: "x", Y: "y"},
		"ode.toml":       {X: "x"},
	} {
		p, err := pinn.Load(filepath.Join("..", "..", "examples", "pde", name))
		require.NoError(t, err, name)
		assert.Equal(t, want, ProblemAxes(p), name)
	}
}
