package live

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
)

// smallFit prepares a quick real fit: a 3×48 SIREN on the 128² camera image reduced to 48².
func smallFit(t *testing.T, steps int) (*inr.Fitter, inr.FitOptions, *inr.Image) {
	t.Helper()
	im, err := inr.LoadImage(filepath.Join("..", "..", "assets", "camera-128.png"))
	require.NoError(t, err)
	im, err = im.Resize(48, 48)
	require.NoError(t, err)
	cfg, err := inr.ConfigFor("siren", []byte(`{"width":48,"hidden_layers":2}`))
	require.NoError(t, err)
	opt := inr.FitOptions{Arch: "siren", Config: cfg, Steps: steps, LR: 1e-3, EvalEvery: 20}
	f, err := inr.NewFitter(im, opt)
	require.NoError(t, err)
	return f, opt, im
}

// TestLiveRunOfARealFit follows a real fit through the run folder: the pictures are the fit's,
// the live model file reproduces the last reconstruction, and the final outputs alone (a run
// written without a live folder) give the same figures.
func TestLiveRunOfARealFit(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a network (about a second)")
	}
	dir := t.TempDir()
	f, opt, im := smallFit(t, 60)
	w, err := NewWriter(dir, WriterOptions{Interval: 5 * time.Millisecond, Signal: "image", Model: f.Model(), ModelEvery: time.Nanosecond})
	require.NoError(t, err)
	f.SetObservers([]inr.Observer{w})
	res, err := f.Run(context.Background())
	require.NoError(t, err)
	require.NoError(t, w.Close())

	r, err := NewReader(dir)
	require.NoError(t, err)
	_, err = r.Poll()
	require.NoError(t, err)
	s := r.State()
	require.True(t, s.Done)
	assert.Equal(t, 60, s.History.Len())
	assert.Equal(t, res.Loss, s.History.Loss, "every step's loss, bit for bit")
	psnr := s.History.Metrics["psnr"]
	require.Len(t, psnr.Value, len(res.Evals))
	for i, e := range res.Evals {
		assert.Equal(t, float64(e.Step), psnr.Step[i])
		assert.Equal(t, e.PSNR, psnr.Value[i])
	}
	rec, tgt := s.Field("reconstruction"), s.Field("target")
	require.NotNil(t, rec)
	require.NotNil(t, tgt)
	// float32 storage of values on [0, 1] changes the PSNR by far less than 0.01 dB.
	assert.InDelta(t, res.PSNR, inr.PSNR(rec.Data, tgt.Data), 0.01)
	assert.InDelta(t, res.PSNR, s.Metrics["psnr"], 1e-9)

	// The live model file holds the last weights: it renders the reconstruction again.
	require.Equal(t, filepath.Join(dir, LiveDir, "model.safetensors"), s.Model)
	m, err := inr.LoadModel(s.Model)
	require.NoError(t, err)
	x := inr.GridCoords(im.W, im.H)
	out := kernel.NewMatrix(im.W*im.H, im.C)
	require.NoError(t, m.Predict(x, out))
	worst := 0.0
	for i, v := range out.Data {
		worst = math.Max(worst, math.Abs(math.Min(math.Max(v, 0), 1)-rec.Data[i]))
	}
	assert.Less(t, worst, 1e-6, "the live model reproduces the snapshot (float32 field storage)")

	// The same run written by inr.WriteRun alone, read after the fact.
	final := t.TempDir()
	met, err := inr.NewMetrics(res, opt, inr.RunInfo{Image: filepath.Join("..", "..", "assets", "camera-128.png"), StepsAsked: 60, EvalEvery: 20})
	require.NoError(t, err)
	require.NoError(t, inr.WriteRun(final, res, met))
	fr, err := NewReader(final)
	require.NoError(t, err)
	changed, err := fr.Poll()
	require.NoError(t, err)
	require.True(t, changed)
	fs := fr.State()
	assert.Equal(t, SourceFinal, fs.Source)
	assert.Equal(t, "image", fs.Signal)
	assert.True(t, fs.Done)
	assert.Equal(t, 60, fs.Step)
	assert.Equal(t, 60, fs.History.Len())
	for i, v := range res.Loss { // loss.csv keeps 17 significant digits
		require.InDelta(t, v, fs.History.Loss[i], 1e-15*v)
	}
	assert.InDelta(t, res.PSNR, fs.Metrics["psnr"], 1e-12)
	assert.Len(t, fs.History.Metrics["psnr"].Value, len(res.Evals))
	assert.Equal(t, filepath.Join(final, inr.ModelFile), fs.Model)
	frec, ftgt := fs.Field("reconstruction"), fs.Field("target")
	require.NotNil(t, frec)
	require.NotNil(t, ftgt, "the target is rebuilt from the image metrics.json names")
	// The PNG holds the reconstruction at 8 bits; the target is rebuilt by the same resize.
	assert.InDelta(t, res.PSNR, inr.PSNR(frec.Data, ftgt.Data), 0.2)
	require.NotNil(t, fs.Field("error"))
	changed, err = fr.Poll()
	require.NoError(t, err)
	assert.False(t, changed)
}

// TestViewerPausesAndStopsARealFit drives a real fit through the control file as a viewer in
// another process would.
func TestViewerPausesAndStopsARealFit(t *testing.T) {
	if testing.Short() {
		t.Skip("fits a network")
	}
	dir := t.TempDir()
	f, _, _ := smallFit(t, 1_000_000)
	ctl, err := WatchControl(dir, time.Millisecond)
	require.NoError(t, err)
	defer ctl.Close()
	w, err := NewWriter(dir, WriterOptions{Interval: 5 * time.Millisecond, Control: ctl, Signal: "image"})
	require.NoError(t, err)
	var steps atomic.Int64
	count := inr.ObserverFunc(func(s *inr.Snapshot) { steps.Store(int64(s.Step)) })
	f.SetObservers([]inr.Observer{count, w, ctl})
	ctx, cancel := ctl.WithContext(context.Background())
	defer cancel()
	type result struct {
		res *inr.FitResult
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := f.Run(ctx)
		done <- result{res, err}
	}()
	r, err := NewReader(dir)
	require.NoError(t, err)
	pollUntil(t, r, func(s *State) bool { return s.Step >= 5 })
	require.NoError(t, r.Command(CommandPause))
	pollUntil(t, r, func(s *State) bool { return s.Paused })
	held := steps.Load()
	time.Sleep(150 * time.Millisecond)
	assert.Equal(t, held, steps.Load(), "no step while paused")
	require.NoError(t, r.Command(CommandRun))
	pollUntil(t, r, func(s *State) bool { return !s.Paused && int64(s.Step) > held+3 })
	require.NoError(t, r.Command(CommandStop))
	var got result
	select {
	case got = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the fit did not stop")
	}
	require.NoError(t, got.err)
	assert.Equal(t, inr.StopInterrupted, got.res.Stop)
	require.NoError(t, w.Close())
	s := pollUntil(t, r, func(s *State) bool { return s.Done })
	assert.Equal(t, got.res.Steps, s.Step)
	assert.False(t, s.Paused)
	_, err = os.Stat(filepath.Join(dir, LiveDir, controlFile))
	assert.NoError(t, err)
}
