package panel

import (
	"image"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/render"
)

// shotDir is where tests write the frames they compose: INR_VIEWER_SHOTS when set (the README's
// pictures), else the test's temporary folder.
func shotDir(t *testing.T) string {
	if d := os.Getenv("INR_VIEWER_SHOTS"); d != "" {
		require.NoError(t, os.MkdirAll(d, 0o755))
		return d
	}
	return t.TempDir()
}

// imageState is a run of an image fit: the target is a smooth pattern, the reconstruction the
// target plus a known error, and a loss falling as 1/step.
func imageState(steps int) *live.State {
	const w, h = 64, 48
	tgt := make([]float64, w*h)
	rec := make([]float64, w*h)
	errs := make([]float64, w*h)
	for j := range h {
		for i := range w {
			v := 0.5 + 0.4*math.Sin(float64(i)/5)*math.Cos(float64(j)/7)
			k := j*w + i
			tgt[k] = v
			rec[k] = v + 0.02*math.Sin(float64(i+j))
			errs[k] = math.Abs(rec[k] - tgt[k])
		}
	}
	mk := func(name string, kind inr.FieldKind, d []float64) inr.Field {
		return inr.Field{Name: name, Kind: kind, W: w, H: h, C: 1, Data: d, X0: -1, X1: 1, Y0: -1, Y1: 1, Label: name}
	}
	s := &live.State{Source: live.SourceLive, Signal: "image", Title: "pattern · siren", Step: steps, Loss: 1 / float64(steps),
		Metrics: map[string]float64{"psnr": 34}, Fields: []inr.Field{mk("target", inr.FieldImage, tgt),
			mk("reconstruction", inr.FieldImage, rec), mk("error", inr.FieldScalar, errs)}, FieldsSeq: 1, FieldsStep: steps}
	for k := 1; k <= steps; k++ {
		s.History.Step = append(s.History.Step, float64(k))
		s.History.Seconds = append(s.History.Seconds, float64(k)/50)
		s.History.Loss = append(s.History.Loss, 1/float64(k))
	}
	var m live.Series
	for k := 0; k <= steps; k += 25 {
		m.Step = append(m.Step, float64(k))
		m.Value = append(m.Value, 10+24*float64(k)/float64(steps))
	}
	s.History.Metrics = map[string]live.Series{"psnr": m}
	return s
}

// pdeState is a heat-equation run: u = exp(−π²t)·sin(πx) on t ∈ [0, 1] across, x ∈ [0, 1] up,
// the solution off by a known amount.
func pdeState() *live.State {
	const nt, nx = 60, 40
	sol := make([]float64, nt*nx)
	ref := make([]float64, nt*nx)
	errs := make([]float64, nt*nx)
	res := make([]float64, nt*nx)
	for j := range nx {
		x := (float64(j) + 0.5) / nx
		for i := range nt {
			t := (float64(i) + 0.5) / nt
			k := j*nt + i
			ref[k] = math.Exp(-math.Pi*math.Pi*t/4) * math.Sin(math.Pi*x)
			sol[k] = ref[k] + 0.03*math.Sin(7*x+3*t)
			errs[k] = sol[k] - ref[k]
			res[k] = 1e-4 * (1 + math.Abs(math.Sin(9*x*t)))
		}
	}
	mk := func(name, label string, kind inr.FieldKind, d []float64) inr.Field {
		return inr.Field{Name: name, Kind: kind, W: nt, H: nx, C: 1, Data: d, X0: 0, X1: 1, Y0: 0, Y1: 1, Label: label, T: math.NaN()}
	}
	s := &live.State{Source: live.SourceLive, Signal: "pde", Title: "heat 1-D", Axes: live.Axes{X: "t", Y: "x", Time: "x"},
		Step: 400, Loss: 1e-5, Phase: "adam", Metrics: map[string]float64{"rel_l2": 2e-3},
		Fields: []inr.Field{mk("solution", "u", inr.FieldScalar, sol), mk("reference", "u", inr.FieldScalar, ref),
			mk("error", "u − u_ref", inr.FieldSigned, errs), mk("residual", "|r|", inr.FieldScalar, res)}, FieldsSeq: 3}
	s.History.Terms = map[string][]float64{}
	for k := 1; k <= 400; k++ {
		s.History.Step = append(s.History.Step, float64(k))
		s.History.Seconds = append(s.History.Seconds, float64(k)/100)
		s.History.Loss = append(s.History.Loss, 1/float64(k*k))
		s.History.Terms["residual"] = append(s.History.Terms["residual"], 0.7/float64(k*k))
		s.History.Terms["initial"] = append(s.History.Terms["initial"], 0.3/float64(k*k))
	}
	s.History.Metrics = map[string]live.Series{"rel_l2": {Step: []float64{100, 200, 300, 400}, Value: []float64{1e-1, 2e-2, 5e-3, 2e-3}}}
	s.History.Phases = []live.Phase{{Name: "adam"}, {Name: "lbfgs", After: 300}}
	return s
}

func compose(t *testing.T, c *Composer, s *live.State, v *View, size image.Point, name string) *Frame {
	t.Helper()
	st, state, warn := StatusText(s, Speed(&s.History))
	f, err := c.Compose(&Context{State: s, View: v}, size, Chrome{Title: "INR Studio · " + s.Title, Status: st, State: state, Warn: warn,
		Hints: "space pause · S save · 1–4 pages · Q quit"})
	require.NoError(t, err)
	require.NoError(t, render.WritePNG(filepath.Join(shotDir(t), name), f.Image))
	return f
}

func TestImageFrames(t *testing.T) {
	s := imageState(200)
	c := NewComposer()
	v := NewView()
	f := compose(t, c, s, v, image.Pt(1280, 800), "panel-image-overview.png")
	assert.Equal(t, []string{"overview", "reconstruction", "error", "loss"}, f.Pages)
	assert.Equal(t, 4, f.Redrawn)
	for _, id := range []string{"target", "reconstruction", "error", "loss"} {
		r, ok := f.Regions[id]
		require.True(t, ok, id)
		assert.True(t, r.In(f.Image.Rect), id)
	}
	// The reconstruction's data area holds the reconstruction, scaled by whole pixels.
	r := f.Regions["reconstruction/content"]
	assert.InDelta(t, 64.0/48, float64(r.Dx())/float64(r.Dy()), 0.05, "aspect kept")
	assert.Greater(t, panelPSNR(f.Image, r, s.Field("reconstruction")), 40.0)
	assert.Greater(t, panelPSNR(f.Image, r, s.Field("target")), 30.0)
	assert.Less(t, panelPSNR(f.Image, r, s.Field("target")), 40.0)

	// Nothing changed: nothing is redrawn.
	f = compose(t, c, s, v, image.Pt(1280, 800), "panel-image-overview.png")
	assert.Equal(t, 0, f.Redrawn)
	// One more step: only the loss panel changes (the pictures come every evaluation).
	s2 := *s
	s2.History.Step = append(s.History.Step[:200:200], 201)
	s2.History.Seconds = append(s.History.Seconds[:200:200], 201.0/50)
	s2.History.Loss = append(s.History.Loss[:200:200], 1/201.0)
	f = compose(t, c, &s2, v, image.Pt(1280, 800), "panel-image-overview.png")
	assert.Equal(t, 1, f.Redrawn)

	v.Page = 3
	f = compose(t, c, &s2, v, image.Pt(1000, 700), "panel-image-loss.png")
	loss, ok := f.Regions["loss/loss"]
	require.True(t, ok)
	assert.True(t, curveDescends(t, f.Image, loss, LossColor), "the loss curve falls left to right")
	_, ok = f.Regions["loss/metric"]
	assert.True(t, ok, "PSNR under the loss")

	v.Page = 2
	f = compose(t, c, s, v, image.Pt(900, 700), "panel-image-error.png")
	assert.Contains(t, f.Regions, "error/bar")
}

// panelPSNR compares the grey levels of a frame region with a field resized to it the way the
// viewer scales pixels.
func panelPSNR(img *image.RGBA, r image.Rectangle, f *inr.Field) float64 {
	src, _ := render.FloatImage(f.Data, f.W, f.H, f.C, 8)
	ref, _ := render.Resize(src, r.Dx(), r.Dy(), ScaleFilter(image.Pt(f.W, f.H), r.Size()))
	var se float64
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			a := float64(img.RGBAAt(r.Min.X+x, r.Min.Y+y).R) / 255
			b := float64(ref.RGBAAt(x, y).R) / 255
			se += (a - b) * (a - b)
		}
	}
	return 10 * math.Log10(1/(se/float64(r.Dx()*r.Dy())))
}

// curveDescends finds the pixels of colour col in r and checks that the curve goes down the
// picture (falling loss on a y axis growing upwards): the median row of the right third of the
// columns lies lower than that of the left third by a sixth of the plot's height. Medians keep a
// legend's colour swatch out of the way.
func curveDescends(t *testing.T, img *image.RGBA, r image.Rectangle, col interface{ RGBA() (r, g, b, a uint32) }) bool {
	t.Helper()
	ys := CurveRows(img, r, col)
	var xs []int
	for x := range ys {
		xs = append(xs, x)
	}
	if len(xs) < r.Dx()/2 {
		t.Logf("curve found in %d of %d columns", len(xs), r.Dx())
		return false
	}
	third := func(lo, hi int) float64 {
		var v []float64
		for x, y := range ys {
			if x >= lo && x < hi {
				v = append(v, y)
			}
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	left, right := third(r.Min.X, r.Min.X+r.Dx()/3), third(r.Max.X-r.Dx()/3, r.Max.X)
	t.Logf("curve: median row %.1f in the left third, %.1f in the right third of %v", left, right, r)
	return right > left+float64(r.Dy())/6
}

func TestPDEFrames(t *testing.T) {
	s := pdeState()
	c := NewComposer()
	v := NewView()
	f := compose(t, c, s, v, image.Pt(1280, 800), "panel-pde-overview.png")
	assert.Equal(t, []string{"overview", "line cut", "error & residual", "loss"}, f.Pages)
	for _, id := range []string{"solution/bar", "error/bar", "residual/bar", "loss/loss", "loss/metric"} {
		assert.Contains(t, f.Regions, id)
	}
	v.Page = 1
	v.SetSlider(0.25)
	f = compose(t, c, s, v, image.Pt(1280, 800), "panel-pde-cut.png")
	sl, ok := f.Regions["cut/slider"]
	require.True(t, ok)
	hm := f.Regions["cut/heatmap"]
	assert.Equal(t, hm.Min.X, sl.Min.X, "the slider spans the heatmap's time axis")
	assert.Equal(t, hm.Max.X, sl.Max.X)
	// The marker sits at the slider's column.
	col := SliderColumn(0.25, 60)
	want := hm.Min.X + int((float64(col)+0.5)/60*float64(hm.Dx()))
	found := false
	for x := want - 3; x <= want+3; x++ {
		found = found || f.Image.RGBAAt(x, (hm.Min.Y+hm.Max.Y)/2) == markColor
	}
	assert.True(t, found, "time marker at x ≈ %d", want)
	// The cut shows the solution and the dashed reference: both curves are drawn.
	cut := f.Regions["cut/cut"]
	assert.Greater(t, len(CurveRows(f.Image, cut, LossColor)), cut.Dx()/2)

	v.Page = 3
	f = compose(t, c, s, v, image.Pt(1000, 700), "panel-pde-loss.png")
	lr := f.Regions["loss/loss"]
	assert.True(t, curveDescends(t, f.Image, lr, LossColor))
	// The L-BFGS phase is marked at step 300: the column with the most grey is there (a vertical
	// dashed line; the legend's swatch is short).
	best, bestN := 0, 0
	for x := lr.Min.X; x < lr.Max.X; x++ {
		n := 0
		for y := lr.Min.Y; y < lr.Max.Y; y++ {
			if f.Image.RGBAAt(x, y) == phaseColor {
				n++
			}
		}
		if n > bestN {
			best, bestN = x, n
		}
	}
	wantX := lr.Min.X + int(299.0/399.0*float64(lr.Dx()))
	assert.InDelta(t, wantX, best, 3, "phase mark at step 300")
	assert.Greater(t, bestN, lr.Dy()/4)
}

func TestWaitingAndUnknownSignal(t *testing.T) {
	c := NewComposer()
	f := compose(t, c, &live.State{Loss: math.NaN()}, NewView(), image.Pt(640, 400), "panel-waiting.png")
	assert.Equal(t, []string{"waiting"}, f.Pages)
	f = compose(t, c, &live.State{Signal: "audio", Source: live.SourceLive}, NewView(), image.Pt(640, 400), "panel-unknown.png")
	assert.Equal(t, []string{"waiting"}, f.Pages)
	_, err := c.Compose(&Context{State: &live.State{}, View: NewView()}, image.Pt(10, 10), Chrome{})
	assert.Error(t, err)
}

func TestLayout(t *testing.T) {
	cases := []struct {
		size       image.Point
		n          int
		cols, rows int
	}{
		{image.Pt(1280, 800), 4, 2, 2},
		{image.Pt(1280, 800), 1, 1, 1},
		{image.Pt(1600, 600), 2, 2, 1},
		{image.Pt(600, 1000), 2, 1, 2},
		{image.Pt(2400, 600), 4, 4, 1},
		{image.Pt(1280, 800), 3, 2, 2},
		{image.Pt(1800, 600), 3, 3, 1},
	}
	for _, tc := range cases {
		l := LayoutFor(tc.size, tc.n, TextSizeFor(tc.size))
		require.Len(t, l.Cells, tc.n)
		xs, ys := map[int]bool{}, map[int]bool{}
		for i, c := range l.Cells {
			xs[c.Min.X], ys[c.Min.Y] = true, true
			assert.True(t, c.In(image.Rectangle{Max: tc.size}), "cell inside the frame")
			assert.False(t, c.Overlaps(l.Header) || c.Overlaps(l.Status), "cell clear of the bars")
			for _, d := range l.Cells[i+1:] {
				assert.False(t, c.Overlaps(d), "cells do not overlap")
			}
		}
		assert.Equal(t, tc.cols, len(xs), "%v with %d panels", tc.size, tc.n)
		assert.Equal(t, tc.rows, len(ys), "%v with %d panels", tc.size, tc.n)
	}
	assert.Equal(t, 12.0, TextSizeFor(image.Pt(640, 400)))
	assert.Equal(t, 16.0, TextSizeFor(image.Pt(1280, 800)))
	assert.Equal(t, 22.0, TextSizeFor(image.Pt(3840, 2160)))
}

func TestViewZoomAndPan(t *testing.T) {
	v := NewView()
	assert.False(t, v.Zoomed())
	v.ZoomBy(4, 0.5, 0.5) // the point (0.5, 0.5) stays put
	assert.Equal(t, 4.0, v.Zoom)
	assert.InDelta(t, 0.375, v.CX, 1e-15)
	assert.InDelta(t, 0.375, v.CY, 1e-15)
	v.Pan(10, -10) // far off: the view stays inside the image
	assert.InDelta(t, 0.75, v.CX, 1e-15)
	assert.InDelta(t, -0.75, v.CY, 1e-15)
	v.ZoomBy(0.001, 0, 0)
	assert.Equal(t, 1.0, v.Zoom)
	assert.Equal(t, 0.0, v.CX)
	assert.False(t, v.Zoomed())
	v.ZoomBy(1e9, 0, 0)
	assert.Equal(t, 256.0, v.Zoom)
	v.Reset()
	assert.False(t, v.Zoomed())
	v.SetSlider(2)
	assert.Equal(t, 1.0, v.Slider)
	assert.Equal(t, 0, SliderColumn(0, 10))
	assert.Equal(t, 9, SliderColumn(1, 10))
	assert.Equal(t, 5, SliderColumn(0.5, 10))
}

func TestStatusText(t *testing.T) {
	s := imageState(12345)
	st, state, warn := StatusText(s, 42.5)
	assert.Equal(t, "step 12,345  ·  loss 8.100e-05  ·  PSNR 34.00 dB  ·  42.5 it/s", st)
	assert.Equal(t, "training", state)
	assert.False(t, warn)
	s.Paused = true
	_, state, warn = StatusText(s, 42.5)
	assert.Equal(t, "PAUSED", state)
	assert.True(t, warn)
	s.Stale = true
	_, state, _ = StatusText(s, 0)
	assert.Equal(t, "writer gone", state)
	assert.InDelta(t, 50, Speed(&s.History), 1e-9, "history at 50 steps per second")
	assert.Equal(t, 0.0, Speed(&live.History{}))
}

// TestSamplerQueriesTheNetwork renders a real model at zoom 1 and zoom 4 and checks the pixels
// against the model evaluated directly.
func TestSamplerQueriesTheNetwork(t *testing.T) {
	cfg, err := inr.ConfigFor("siren", []byte(`{"width":16,"hidden_layers":1}`))
	require.NoError(t, err)
	m, err := inr.NewModel("siren", cfg, 2, 1, 7)
	require.NoError(t, err)
	m.Norm, err = inr.RangeNormalization("pm1", 1)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "m.safetensors")
	require.NoError(t, m.Save(path, "test", nil))
	st, err := os.Stat(path)
	require.NoError(t, err)

	done := make(chan struct{}, 4)
	s := NewSampler(func() { done <- struct{}{} })
	defer s.Close()
	req := SampleRequest{W: 40, H: 30, Zoom: 4, CX: 0.25, CY: -0.5, ImgW: 64, ImgH: 48, Model: path, ModelTime: st.ModTime().UnixNano()}
	img, exact, err := s.Request(req)
	assert.Nil(t, img)
	assert.False(t, exact)
	assert.NoError(t, err)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("sampler did not finish")
	}
	img, exact, err = s.Request(req)
	require.NoError(t, err)
	require.True(t, exact)
	assert.Equal(t, image.Rect(0, 0, 40, 30), img.Bounds())
	// Pixel (i, j) is the network at view (cx + (2(i+½)/W − 1)/z, …) scaled to the grid.
	for _, p := range []image.Point{{0, 0}, {39, 29}, {17, 11}} {
		vx := req.CX + (2*(float64(p.X)+0.5)/40-1)/4
		vy := req.CY + (2*(float64(p.Y)+0.5)/30-1)/4
		x := []float64{vx * 64 / 63, vy * 48 / 47}
		out := []float64{0}
		require.NoError(t, predictOne(m, x, out))
		want := math.Round(math.Min(math.Max(out[0], 0), 1) * 255)
		r, _, _, _ := img.At(p.X, p.Y).RGBA()
		assert.InDelta(t, want, float64(r>>8), 0.5, "pixel %v", p)
	}
	// A missing model is an error, reported without a crash.
	_, _, _ = s.Request(SampleRequest{W: 4, H: 4, Zoom: 2, ImgW: 8, ImgH: 8, Model: filepath.Join(t.TempDir(), "none")})
	<-done
	_, _, err = s.Request(SampleRequest{W: 4, H: 4, Zoom: 2, ImgW: 8, ImgH: 8, Model: filepath.Join(t.TempDir(), "none")})
	assert.Error(t, err)
}

func predictOne(m *inr.Model, x, out []float64) error {
	xm, om := kernel.NewMatrix(1, 2), kernel.NewMatrix(1, len(out))
	copy(xm.Data, x)
	if err := m.Predict(xm, om); err != nil {
		return err
	}
	copy(out, om.Data)
	return nil
}

// TestZoomFollowsTrainingSparingly: zoomed in on a live run, new pictures or a new save of the
// weights within ten seconds do not re-render the network (each rendering takes CPU from the
// training); a finished run re-renders on any change.
func TestZoomFollowsTrainingSparingly(t *testing.T) {
	s := imageState(100)
	s.Model = "m.safetensors"
	s.ModelTime = time.Unix(1000, 0)
	v := NewView()
	v.ZoomBy(2, 0, 0)
	key := func(s *live.State) any { return reconstruction{}.Key(&Context{State: s, View: v}) }
	k0 := key(s)
	s2 := *s
	s2.FieldsSeq++
	s2.ModelTime = time.Unix(1004, 0)
	assert.Equal(t, k0, key(&s2), "new pictures and weights 4 s later: same picture")
	s2.ModelTime = time.Unix(1011, 0)
	assert.NotEqual(t, k0, key(&s2), "weights 11 s later: rendered again")
	assert.Equal(t, image.Pt(256, 256), sampleRequest(&s2, s2.Field("reconstruction"), v, image.Pt(600, 600)).Size(), "fewer points while training")
	s2.Done = true
	assert.Equal(t, image.Pt(512, 512), sampleRequest(&s2, s2.Field("reconstruction"), v, image.Pt(600, 600)).Size())
	s3 := s2
	s3.FieldsSeq++
	assert.NotEqual(t, key(&s2), key(&s3))
	v.Reset()
	assert.Equal(t, key(&s2), key(&s2))
}
