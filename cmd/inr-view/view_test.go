//go:build !noviewer

package main

import (
	"encoding/json"
	"flag"
	"fmt"
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
	"github.com/inrstudio/studio/render"
	"github.com/inrstudio/studio/render/viewer"
	"github.com/inrstudio/studio/render/viewer/panel"
)

// ebiten runs one game per process, so TestMain runs the whole scripted fit session in the
// window and the tests check what it captured. The PDE session runs in a child process (this
// test binary again, with INR_VIEW_SESSION=pde).

// The fit: a 3×64 SIREN on the 128² camera image, 120 full-batch steps at lr 1e-3, evaluated
// every 10 steps. On the project's 2-core machine it takes 10–20 s and ends near 34 dB.
var fitArgs = []string{"fit", filepath.Join("..", "..", "assets", "camera-128.png"), "--set", "width=64",
	"--steps", "120", "--lr", "1e-3", "--eval-every", "10"}

type shot struct {
	name string
	cap  viewer.Capture
	st   *live.State
}

var session struct {
	dir    string // the run folder
	shots  map[string]shot
	runErr error
	saved  string // the PNG the S key wrote
}

// runSessionFor reports whether the tests selected by -run need the fit session (all of them but
// TestPDEPanels do).
func runSessionFor(run string) bool { return run != "^$" }

// shotDir is where screenshots go: INR_VIEWER_SHOTS, or a folder under the system's temporary
// folder printed in the log.
func shotDir() string {
	if d := os.Getenv("INR_VIEWER_SHOTS"); d != "" {
		os.MkdirAll(d, 0o755)
		return d
	}
	d := filepath.Join(os.TempDir(), "inr-view-shots")
	os.MkdirAll(d, 0o755)
	return d
}

func TestMain(m *testing.M) {
	flag.Parse()
	switch k := os.Getenv("INR_VIEW_SESSION"); k {
	case "pde":
		os.Exit(pdeSession())
	case "bench-fit", "bench-attach":
		os.Exit(benchSession(k))
	case "final":
		os.Exit(finalSession())
	}
	if !runSessionFor(flag.Lookup("test.run").Value.String()) {
		os.Exit(m.Run()) // only benchmarks (-run '^$'): no fit session
	}
	dir, err := os.MkdirTemp("", "inr-view-fit-")
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	session.dir = dir
	session.shots = map[string]shot{}
	take := func(h *viewer.Handle, name string, settle bool) error {
		var c viewer.Capture
		var err error
		if settle {
			c, err = h.Settle(60 * time.Second)
		} else {
			c, err = h.Capture(30 * time.Second)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		session.shots[name] = shot{name: name, cap: c, st: h.State()}
		return render.WritePNG(filepath.Join(shotDir(), "inr-view-"+name+".png"), c.Screen)
	}
	script := func(h *viewer.Handle) error {
		if _, err := h.WaitState(60*time.Second, func(s *live.State) bool { return s.FieldsStep >= 20 && s.Field("reconstruction") != nil }); err != nil {
			return err
		}
		if err := take(h, "fit-early", false); err != nil {
			return err
		}
		if _, err := h.WaitState(120*time.Second, func(s *live.State) bool { return s.Done && s.Model != "" }); err != nil {
			return err
		}
		if err := take(h, "fit-overview", false); err != nil {
			return err
		}
		h.View(func(v *panel.View) { v.Page = 1 })
		if err := take(h, "fit-reconstruction", false); err != nil {
			return err
		}
		h.View(func(v *panel.View) { v.ZoomBy(3, 0.2, -0.3) })
		if err := take(h, "fit-zoom", true); err != nil {
			return err
		}
		h.View(func(v *panel.View) { v.Reset(); v.Page = 2 })
		if err := take(h, "fit-error", false); err != nil {
			return err
		}
		h.View(func(v *panel.View) { v.Page = 3 })
		if err := take(h, "fit-loss", false); err != nil {
			return err
		}
		h.SavePNG()
		return nil
	}
	root := newRoot(script)
	root.SetArgs(append(append([]string(nil), fitArgs...), "--out", dir))
	session.runErr = root.Execute()
	code := m.Run()
	if code == 0 {
		os.RemoveAll(dir)
	}
	os.Exit(code)
}

func TestFitSessionRan(t *testing.T) {
	require.NoError(t, session.runErr)
	t.Logf("screenshots in %s", shotDir())
	for _, name := range []string{"fit-early", "fit-overview", "fit-reconstruction", "fit-zoom", "fit-error", "fit-loss"} {
		require.Contains(t, session.shots, name)
	}
	// Q (here: the end of the script) leaves a complete run folder.
	for _, f := range append([]string{"target.png"}, inr.RunFiles...) {
		_, err := os.Stat(filepath.Join(session.dir, f))
		assert.NoError(t, err, f)
	}
	m, err := filepath.Glob(filepath.Join(session.dir, "view-*.png"))
	require.NoError(t, err)
	assert.Len(t, m, 1, "the S key saved the window")
}

// crop copies region r of a screen capture.
func crop(img *image.RGBA, r image.Rectangle) *image.RGBA {
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	for y := 0; y < r.Dy(); y++ {
		copy(out.Pix[y*out.Stride:(y+1)*out.Stride], img.Pix[img.PixOffset(r.Min.X, r.Min.Y+y):img.PixOffset(r.Max.X, r.Min.Y+y)])
	}
	return out
}

// greyPSNR is the PSNR of the grey levels (red channel) of two equal-sized pictures.
func greyPSNR(a, b image.Image) float64 {
	r := a.Bounds()
	var se float64
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			p, _, _, _ := a.At(r.Min.X+x, r.Min.Y+y).RGBA()
			q, _, _, _ := b.At(b.Bounds().Min.X+x, b.Bounds().Min.Y+y).RGBA()
			d := float64(p>>8)/255 - float64(q>>8)/255
			se += d * d
		}
	}
	return 10 * math.Log10(1/(se/float64(r.Dx()*r.Dy())))
}

// targetAt returns the fitted target resized to size the way the viewer scales pixels.
func targetAt(t *testing.T, size image.Point) image.Image {
	t.Helper()
	im, err := inr.LoadImage(fitArgs[1])
	require.NoError(t, err)
	src, err := render.FloatImage(im.Pix, im.W, im.H, im.C, 8)
	require.NoError(t, err)
	out, err := render.Resize(src, size.X, size.Y, panel.ScaleFilter(image.Pt(im.W, im.H), size))
	require.NoError(t, err)
	return out
}

func finalPSNR(t *testing.T) float64 {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(session.dir, inr.MetricsFile))
	require.NoError(t, err)
	var m struct {
		PSNR float64 `json:"psnr"`
	}
	require.NoError(t, json.Unmarshal(b, &m))
	return m.PSNR
}

// TestReconstructionPanelMatchesTarget: the reconstruction as the window shows it, against the
// target scaled the same way. The window shows the reconstruction pixel for pixel (nearest
// neighbour enlargement and 8-bit levels), so its PSNR is the fit's own to within the 8-bit
// rounding (about 0.1 dB at 34 dB): the bound is the fit's PSNR − 0.5 dB, and at least 28 dB.
func TestReconstructionPanelMatchesTarget(t *testing.T) {
	require.NoError(t, session.runErr)
	fit := finalPSNR(t)
	t.Logf("fit PSNR %.2f dB", fit)
	require.Greater(t, fit, 28.5, "the fit itself reached a clear picture")
	for _, name := range []string{"fit-overview", "fit-reconstruction"} {
		s := session.shots[name]
		r, ok := s.cap.Frame.Regions["reconstruction/content"]
		require.True(t, ok, name)
		got := greyPSNR(crop(s.cap.Screen, r), targetAt(t, r.Size()))
		t.Logf("%s: reconstruction panel %v, PSNR against the target %.2f dB", name, r.Size(), got)
		assert.Greater(t, got, math.Max(28, fit-0.5), name)
	}
	// The target panel is the target.
	s := session.shots["fit-overview"]
	r := s.cap.Frame.Regions["target/content"]
	assert.Greater(t, greyPSNR(crop(s.cap.Screen, r), targetAt(t, r.Size())), 50.0)
	// The picture sharpened while the window watched: the early frame is clearly worse.
	e := session.shots["fit-early"]
	re := e.cap.Frame.Regions["reconstruction/content"]
	early := greyPSNR(crop(e.cap.Screen, re), targetAt(t, re.Size()))
	t.Logf("early frame (pictures of step %d): %.2f dB", e.st.FieldsStep, early)
	assert.Less(t, early, fit-3)
}

// TestZoomQueriesTheNetwork: zoomed in, the panel shows the saved network evaluated at every
// screen pixel (not the training grid enlarged): it matches panel.SampleImage of the model file
// for the same view, and is closer to that than to the enlarged pixels.
func TestZoomQueriesTheNetwork(t *testing.T) {
	require.NoError(t, session.runErr)
	s := session.shots["fit-zoom"]
	r, ok := s.cap.Frame.Regions["reconstruction/content"]
	require.True(t, ok)
	m, err := inr.LoadModel(filepath.Join(session.dir, inr.ModelFile))
	require.NoError(t, err)
	v := panel.NewView()
	v.ZoomBy(3, 0.2, -0.3)
	n := panel.SampleSize(r.Size())
	req := panel.SampleRequest{W: n.X, H: n.Y, Zoom: v.Zoom, CX: v.CX, CY: v.CY, ImgW: 128, ImgH: 128}
	sampled, err := panel.SampleImage(m, req)
	require.NoError(t, err)
	want, err := render.Resize(sampled, r.Dx(), r.Dy(), panel.ScaleFilter(n, r.Size()))
	require.NoError(t, err)
	got := crop(s.cap.Screen, r)
	direct := greyPSNR(got, want)
	t.Logf("zoom ×3 at (%.3f, %.3f): %v network queries for a %v area; screen vs network %.1f dB", v.CX, v.CY, n, r.Size(), direct)
	assert.Greater(t, direct, 60.0, "the screen shows the network's own values")
	// The enlarged training-grid pixels differ from it: the zoom is not an upscale.
	rec, err := render.FloatImage(session.shots["fit-overview"].st.Field("reconstruction").Data, 128, 128, 1, 8)
	require.NoError(t, err)
	x0 := int(math.Floor((v.CX - 1/v.Zoom + 1) / 2 * 128))
	y0 := int(math.Floor((v.CY - 1/v.Zoom + 1) / 2 * 128))
	side := int(math.Round(128 / v.Zoom))
	sub := rec.(*image.Gray).SubImage(image.Rect(x0, y0, x0+side, y0+side))
	up, err := render.Resize(sub, r.Dx(), r.Dy(), render.Nearest)
	require.NoError(t, err)
	assert.Less(t, greyPSNR(got, up), direct-10)
}

// TestLossCurveDrawnAndFalling: the loss page shows the loss curve, falling from left to right
// (its pixels lie lower on the screen towards the right: the loss falls on a y axis growing
// upwards), and the PSNR curve under it.
func TestLossCurveDrawnAndFalling(t *testing.T) {
	require.NoError(t, session.runErr)
	s := session.shots["fit-loss"]
	r, ok := s.cap.Frame.Regions["loss/loss"]
	require.True(t, ok)
	rows := panel.CurveRows(s.cap.Screen, r, panel.LossColor)
	require.Greater(t, len(rows), r.Dx()*3/4, "the curve spans the plot")
	var xs []int
	for x := range rows {
		xs = append(xs, x)
	}
	sort.Ints(xs)
	med := func(part []int) float64 {
		v := make([]float64, len(part))
		for i, x := range part {
			v[i] = rows[x]
		}
		sort.Float64s(v)
		return v[len(v)/2]
	}
	n := len(xs)
	left, mid, right := med(xs[:n/3]), med(xs[n/3:2*n/3]), med(xs[2*n/3:])
	t.Logf("loss curve median rows: %.1f, %.1f, %.1f (plot %v)", left, mid, right, r)
	assert.Greater(t, mid, left, "falls over the first third")
	assert.Greater(t, right, mid, "and still falls over the last")
	assert.Greater(t, right-left, float64(r.Dy())/4, "by a good part of the plot's height")
	mr, ok := s.cap.Frame.Regions["loss/metric"]
	require.True(t, ok)
	assert.Greater(t, len(panel.CurveRows(s.cap.Screen, mr, panel.MetricColor)), mr.Dx()/2, "the PSNR curve is drawn")
}

// TestErrorPanelHasColourBar: the error page shows the map with its colour bar (magma: the top
// of the bar is the map's bright end).
func TestErrorPanelHasColourBar(t *testing.T) {
	require.NoError(t, session.runErr)
	s := session.shots["fit-error"]
	bar, ok := s.cap.Frame.Regions["error/bar"]
	require.True(t, ok)
	top := s.cap.Screen.RGBAAt((bar.Min.X+bar.Max.X)/2, bar.Min.Y+1)
	bottom := s.cap.Screen.RGBAAt((bar.Min.X+bar.Max.X)/2, bar.Max.Y-2)
	assert.Greater(t, int(top.R)+int(top.G)+int(top.B), 600, "bright top %v", top)
	assert.Less(t, int(bottom.R)+int(bottom.G)+int(bottom.B), 60, "dark bottom %v", bottom)
}
