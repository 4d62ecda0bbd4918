//go:build !noviewer

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render/viewer"
)

// The viewer's cost to training: the same fit (benchSteps full-batch steps of a SIREN, 64 wide,
// on the 128² camera image) headless, in inr-view fit (training goroutine and window in one process),
// and headless again with a live.Writer and Control while an inr-view window in another process
// follows the run folder. The figure is the fit's own seconds per step (its wall time inside the
// training loop divided by its steps), with the CPU time of the training and of the viewer
// process per step beside it (the wall time of a shared machine is noisy). Variants run in turns, benchRounds times, so that the
// load of a shared machine falls on all of them; the medians and their ratios are reported.
//
//	xvfb-run -a go test -run '^$' -bench ViewerOverhead -benchtime 1x ./cmd/inr-view
//
// INR_VIEW_BENCH_ROUNDS sets the rounds (3); INR_VIEW_BENCH_WIDTH the SIREN's width (64; the
// default SIREN is 256 wide, a step 16 times the work, so the window's fixed cost per second
// weighs far less) and INR_VIEW_BENCH_STEPS the steps (150).
var benchSteps = envInt("INR_VIEW_BENCH_STEPS", 150)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func benchWidth() string { return strconv.Itoa(envInt("INR_VIEW_BENCH_WIDTH", 64)) }

func benchRounds() int { return envInt("INR_VIEW_BENCH_ROUNDS", 3) }

// benchFitArgs are the flags of the measured fit (eval every 25 steps, inr fit's default).
func benchFitArgs(out string) []string {
	return []string{"fit", filepath.Join("..", "..", "assets", "camera-128.png"), "--set", "width=" + benchWidth(), "--lr", "1e-3",
		"--steps", strconv.Itoa(benchSteps), "--out", out}
}

// benchFitter builds the measured fit in this process.
func benchFitter(b *testing.B) *inr.Fitter {
	b.Helper()
	p, err := fitcli.Prepare(benchFitArgs("")[1], fitcli.Flags{Model: "siren", Steps: benchSteps, LR: 1e-3, Set: []string{"width=" + benchWidth()},
		Schedule: "constant", EvalEvery: inr.DefaultEvalEvery}, func(string) bool { return false })
	require.NoError(b, err)
	return p.Fitter
}

func secondsPerStep(res *inr.FitResult) float64 { return res.Seconds / float64(res.Steps) }

// cpuSeconds is the CPU time (user and system) this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// result is one variant's run: wall seconds per step of the training loop, and CPU seconds per
// step of the training process and of the viewer process (0 when there is none).
type result struct{ wall, cpuTrain, cpuView float64 }

// headless runs the fit with no observer.
func benchHeadless(b *testing.B) result {
	f := benchFitter(b)
	c0 := cpuSeconds()
	res, err := f.Run(context.Background())
	require.NoError(b, err)
	return result{wall: secondsPerStep(res), cpuTrain: (cpuSeconds() - c0) / float64(res.Steps)}
}

// inProcess runs inr-view fit in a child process (one window per process) and reads the fit's
// seconds per step from its metrics.json.
func benchInProcess(b *testing.B) result {
	out := b.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "INR_VIEW_SESSION=bench-fit", "INR_VIEW_OUT="+out)
	msg, err := cmd.CombinedOutput()
	require.NoError(b, err, "%s", msg)
	raw, err := os.ReadFile(filepath.Join(out, inr.MetricsFile))
	require.NoError(b, err, "%s", msg)
	var m struct {
		StepSeconds float64 `json:"seconds_per_step"`
		Steps       int     `json:"steps"`
	}
	require.NoError(b, json.Unmarshal(raw, &m))
	require.Equal(b, benchSteps, m.Steps)
	// The child's CPU holds the training and the window (and the start-up): all of it counts.
	cpu := (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds() / float64(m.Steps)
	return result{wall: m.StepSeconds, cpuTrain: cpu}
}

// attached runs the fit here with a Writer and a Control on a run folder that an inr-view window
// in a child process follows.
func benchAttached(b *testing.B) result {
	dir := b.TempDir()
	viewerDone := make(chan error, 1)
	// As inr fit --view starts it (cmd/inr startViewer): niced, so it yields to the training.
	cmd := exec.Command("nice", "-n", "10", os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "INR_VIEW_SESSION=bench-attach", "INR_VIEW_OUT="+dir)
	require.NoError(b, cmd.Start())
	go func() { viewerDone <- cmd.Wait() }()
	time.Sleep(2 * time.Second) // the window is up and polling before training starts

	f := benchFitter(b)
	ctl, err := live.WatchControl(dir, 0)
	require.NoError(b, err)
	defer ctl.Close()
	w, err := live.NewWriter(dir, live.WriterOptions{Control: ctl, Signal: "image", Title: "bench", Model: f.Model()})
	require.NoError(b, err)
	f.SetObservers([]inr.Observer{w, ctl})
	ctx, cancel := ctl.WithContext(context.Background())
	defer cancel()
	c0 := cpuSeconds()
	res, err := f.Run(ctx)
	c1 := cpuSeconds()
	require.NoError(b, err)
	require.NoError(b, w.Close())
	select {
	case err := <-viewerDone:
		require.NoError(b, err)
	case <-time.After(60 * time.Second):
		b.Fatal("the attached viewer did not see the end of the run")
	}
	n := float64(res.Steps)
	return result{wall: secondsPerStep(res), cpuTrain: (c1 - c0) / n,
		cpuView: (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds() / n}
}

func BenchmarkViewerOverhead(b *testing.B) {
	variants := []struct {
		name string
		run  func(*testing.B) result
	}{{"headless", benchHeadless}, {"inprocess", benchInProcess}, {"attached", benchAttached}}
	times := map[string][]float64{}
	for range b.N {
		for r := range benchRounds() {
			for i := range variants {
				v := variants[(i+r)%len(variants)] // rotate the order from round to round
				s := v.run(b)
				times[v.name] = append(times[v.name], s.wall)
				b.Logf("round %d %-9s %6.1f ms/step wall; CPU per step: training process %.1f ms, viewer process %.1f ms; load %s",
					r+1, v.name, 1e3*s.wall, 1e3*s.cpuTrain, 1e3*s.cpuView, loadAverage())
			}
		}
	}
	med := func(v []float64) float64 {
		s := append([]float64(nil), v...)
		sort.Float64s(s)
		return s[len(s)/2]
	}
	h := med(times["headless"])
	for _, v := range variants {
		m := med(times[v.name])
		b.ReportMetric(1e3*m, v.name+"-ms/step")
		if v.name != "headless" {
			b.ReportMetric(h/m, v.name+"-speed-ratio")
		}
	}
	b.ReportMetric(0, "ns/op") // the per-variant figures above are the result
	fmt.Fprintf(os.Stderr, "viewer overhead: headless %.1f ms/step; in-process viewer %.1f (%.2f×); attached viewer %.1f (%.2f×)\n",
		1e3*h, 1e3*med(times["inprocess"]), h/med(times["inprocess"]), 1e3*med(times["attached"]), h/med(times["attached"]))
}

// loadAverage is the 1-minute load average, to judge how busy the shared machine was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

// benchSession runs the window of a benchmark variant (child process): inr-view fit until the
// fit is done, or inr-view RUN_DIR until the attached run is done.
func benchSession(kind string) int {
	out := os.Getenv("INR_VIEW_OUT")
	script := func(h *viewer.Handle) error {
		_, err := h.WaitState(10*time.Minute, func(s *live.State) bool { return s.Done })
		return err
	}
	root := newRoot(script)
	if kind == "bench-fit" {
		root.SetArgs(benchFitArgs(out))
	} else {
		root.SetArgs([]string{out})
	}
	if err := root.Execute(); err != nil {
		fmt.Println(err)
		return 1
	}
	return 0
}
