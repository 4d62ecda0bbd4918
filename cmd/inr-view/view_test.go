//go:build !noviewer

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"os/exec"
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

// childCommand runs this test binary again (a second window needs a second process), killed if
// it outlives timeout so that a stuck window fails the test instead of hanging the suite.
func childCommand(t *testing.T, timeout time.Duration) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	return exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
}

// pdeSession is the child process of TestPDEPanels: a short heat-equation solve in the window.
func pdeSession() int {
	out := os.Getenv("INR_VIEW_OUT")
	run := filepath.Join(out, "run")
	results := map[string]map[string]image.Rectangle{}
	script := func(h *viewer.Handle) error {
		if _, err := h.WaitState(120*time.Second, func(s *live.State) bool { return s.Done && s.Field("solution") != nil }); err != nil {
			return err
		}
		for i, name := range []string{"pde-overview", "pde-cut", "pde-error", "pde-loss"} {
			h.View(func(v *panel.View) { v.Page = i; v.SetSlider(0.3) })
			c, err := h.Capture(30 * time.Second)
			if err != nil {
				return err
			}
			results[name] = c.Frame.Regions
			if err := render.WritePNG(filepath.Join(out, name+".png"), c.Screen); err != nil {
				return err
			}
			if err := render.WritePNG(filepath.Join(shotDir(), "inr-view-"+name+".png"), c.Screen); err != nil {
				return err
			}
		}
		return nil
	}
	root := newRoot(script)
	root.SetArgs([]string{"solve", filepath.Join("..", "..", "examples", "pde", "heat1d.toml"), "--steps", "300", "--lbfgs", "150",
		"--log-every", "10", "--fields-every", "5", "--out", run})
	err := root.Execute()
	b, _ := json.Marshal(map[string]any{"regions": results, "error": errString(err)})
	if werr := os.WriteFile(filepath.Join(out, "session.json"), b, 0o644); werr != nil {
		fmt.Println(werr)
		return 1
	}
	return 0
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestPDEPanels runs a short heat-equation solve in a viewer in a child process and checks its
// pages: the solution, error and residual heatmaps have colour bars, the line cut shows the
// solution curve, and the loss terms fall.
func TestPDEPanels(t *testing.T) {
	if testing.Short() {
		t.Skip("solves a PDE in a second viewer process")
	}
	out := t.TempDir()
	cmd := childCommand(t, 5*time.Minute)
	cmd.Env = append(os.Environ(), "INR_VIEW_SESSION=pde", "INR_VIEW_OUT="+out)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", b)
	raw, err := os.ReadFile(filepath.Join(out, "session.json"))
	require.NoError(t, err, "%s", b)
	var res struct {
		Regions map[string]map[string]image.Rectangle
		Error   string
	}
	require.NoError(t, json.Unmarshal(raw, &res))
	require.Empty(t, res.Error)
	load := func(name string) *image.RGBA {
		img, err := inr.LoadImage(filepath.Join(out, name+".png"))
		require.NoError(t, err)
		rgba := image.NewRGBA(image.Rect(0, 0, img.W, img.H))
		for i := 0; i < img.W*img.H; i++ {
			for c := 0; c < 3; c++ {
				rgba.Pix[4*i+c] = uint8(math.Round(img.Pix[i*img.C+min(c, img.C-1)] * 255))
			}
			rgba.Pix[4*i+3] = 255
		}
		return rgba
	}
	ov := res.Regions["pde-overview"]
	for _, id := range []string{"solution/bar", "error/bar", "residual/bar", "loss/loss"} {
		assert.Contains(t, ov, id)
	}
	img := load("pde-overview")
	// A heatmap's colour bar runs through its colormap: the top and bottom rows differ.
	for _, id := range []string{"solution/bar", "error/bar", "residual/bar"} {
		bar := ov[id]
		top := img.RGBAAt((bar.Min.X+bar.Max.X)/2, bar.Min.Y+1)
		bottom := img.RGBAAt((bar.Min.X+bar.Max.X)/2, bar.Max.Y-2)
		assert.NotEqual(t, top, bottom, id)
	}
	cut := load("pde-cut")
	cr := res.Regions["pde-cut"]["cut/cut"]
	// The solution (solid) and the reference (dashed, near-black, drawn over it) are both there;
	// a good solution lies under the reference and shows through the gaps of its dashes.
	sol, ref := panel.CurveRows(cut, cr, panel.LossColor), panel.CurveRows(cut, cr, color.RGBA{25, 25, 25, 255})
	either := 0
	for x := cr.Min.X; x < cr.Max.X; x++ {
		_, a := sol[x]
		_, b := ref[x]
		if a || b {
			either++
		}
	}
	t.Logf("line cut: solution in %d, reference in %d, either in %d of %d columns", len(sol), len(ref), either, cr.Dx())
	assert.Greater(t, either, cr.Dx()*3/4, "the curves span the cut (the axis pads the data by 3% on each side)")
	assert.Greater(t, len(sol), cr.Dx()/5, "the solution shows")
	assert.Greater(t, len(ref), cr.Dx()/5, "the reference shows")
	assert.Contains(t, res.Regions["pde-cut"], "cut/slider")
	loss := load("pde-loss")
	lr := res.Regions["pde-loss"]["loss/loss"]
	rows := panel.CurveRows(loss, lr, panel.LossColor)
	require.Greater(t, len(rows), lr.Dx()/2)
	var xs []int
	for x := range rows {
		xs = append(xs, x)
	}
	sort.Ints(xs)
	first, last := rows[xs[len(xs)/10]], rows[xs[len(xs)*9/10]]
	assert.Greater(t, last, first, "the total loss falls")
	for _, f := range []string{"metrics.json", "model.safetensors", "loss.csv"} {
		_, err := os.Stat(filepath.Join(out, "run", f))
		assert.NoError(t, err, f)
	}
	if errors.Is(err, os.ErrNotExist) {
		t.Log(string(b))
	}
}

// finalSession is the child process of TestAfterTheFact: inr-view attached to a finished run
// folder that has no live folder (written by inr fit without --view).
func finalSession() int {
	out := os.Getenv("INR_VIEW_OUT")
	var regions map[string]image.Rectangle
	script := func(h *viewer.Handle) error {
		if _, err := h.WaitState(30*time.Second, func(s *live.State) bool { return s.Field("reconstruction") != nil }); err != nil {
			return err
		}
		c, err := h.Capture(30 * time.Second)
		if err != nil {
			return err
		}
		regions = c.Frame.Regions
		if err := render.WritePNG(filepath.Join(out, "final.png"), c.Screen); err != nil {
			return err
		}
		return render.WritePNG(filepath.Join(shotDir(), "inr-view-fit-after-the-fact.png"), c.Screen)
	}
	root := newRoot(script)
	root.SetArgs([]string{filepath.Join(out, "run")})
	err := root.Execute()
	b, _ := json.Marshal(map[string]any{"regions": regions, "error": errString(err)})
	if werr := os.WriteFile(filepath.Join(out, "session.json"), b, 0o644); werr != nil {
		fmt.Println(werr)
		return 1
	}
	return 0
}

// TestAfterTheFact shows the fit's run folder without its live folder, as inr fit alone leaves
// it: the viewer rebuilds the pictures from the PNGs (target, reconstruction, the error from the
// two) and the curves from loss.csv and metrics.json.
func TestAfterTheFact(t *testing.T) {
	require.NoError(t, session.runErr)
	out := t.TempDir()
	run := filepath.Join(out, "run")
	require.NoError(t, os.MkdirAll(run, 0o755))
	for _, f := range append([]string{"target.png"}, inr.RunFiles...) {
		b, err := os.ReadFile(filepath.Join(session.dir, f))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(run, f), b, 0o644))
	}
	cmd := childCommand(t, 2*time.Minute)
	cmd.Env = append(os.Environ(), "INR_VIEW_SESSION=final", "INR_VIEW_OUT="+out)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", msg)
	raw, err := os.ReadFile(filepath.Join(out, "session.json"))
	require.NoError(t, err, "%s", msg)
	var res struct {
		Regions map[string]image.Rectangle
		Error   string
	}
	require.NoError(t, json.Unmarshal(raw, &res))
	require.Empty(t, res.Error)
	im, err := inr.LoadImage(filepath.Join(out, "final.png"))
	require.NoError(t, err)
	screen := image.NewRGBA(image.Rect(0, 0, im.W, im.H))
	for i := 0; i < im.W*im.H; i++ {
		for c := 0; c < 3; c++ {
			screen.Pix[4*i+c] = uint8(math.Round(im.Pix[i*im.C+min(c, im.C-1)] * 255))
		}
		screen.Pix[4*i+3] = 255
	}
	r, ok := res.Regions["reconstruction/content"]
	require.True(t, ok)
	got := greyPSNR(crop(screen, r), targetAt(t, r.Size()))
	t.Logf("after the fact: reconstruction panel %v, PSNR against the target %.2f dB (fit %.2f dB)", r.Size(), got, finalPSNR(t))
	assert.Greater(t, got, finalPSNR(t)-0.5)
	for _, id := range []string{"target/content", "error/bar", "loss/loss", "loss/metric"} {
		assert.Contains(t, res.Regions, id)
	}
	rows := panel.CurveRows(screen, res.Regions["loss/loss"], panel.LossColor)
	assert.Greater(t, len(rows), res.Regions["loss/loss"].Dx()/2, "loss curve from loss.csv")
}
