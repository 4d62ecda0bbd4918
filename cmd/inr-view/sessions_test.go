//go:build !noviewer

package main

import (
	"context"
	"encoding/json"
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

// The sessions that need a window of their own run in child processes (this test binary again,
// with INR_VIEW_SESSION set): a PDE solve, and a finished run folder read after the fact.

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
