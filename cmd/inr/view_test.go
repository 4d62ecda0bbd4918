package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeViewer puts an inr-view script on PATH that records its arguments and exits with status.
func fakeViewer(t *testing.T, status string) (dir, record string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell script stand-in")
	}
	dir = t.TempDir()
	record = filepath.Join(dir, "args")
	script := "#!/bin/sh\necho \"$@\" > " + record + "\nexit " + status + "\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, viewerName), []byte(script), 0o755))
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir, record
}

func runInr(args ...string) (string, error) {
	root := newRoot()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestViewRunsTheViewer(t *testing.T) {
	_, record := fakeViewer(t, "0")
	t.Setenv("DISPLAY", ":99")
	run := t.TempDir()
	_, err := runInr("view", run)
	require.NoError(t, err)
	b, err := os.ReadFile(record)
	require.NoError(t, err)
	assert.Equal(t, run+"\n", string(b), "inr-view gets the run folder")
}

func TestViewPassesTheExitStatusOn(t *testing.T) {
	fakeViewer(t, "3")
	t.Setenv("DISPLAY", ":99")
	_, err := runInr("view", t.TempDir())
	require.Error(t, err)
	assert.Equal(t, 3, exitCode(err))
}

func TestViewSaysWhatIsMissing(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no inr-view anywhere (the test binary's folder has none)
	t.Setenv("DISPLAY", ":99")
	_, err := runInr("view", t.TempDir())
	require.Error(t, err)
	msg := err.Error()
	for _, want := range []string{"inr-view is not installed", "make build-viewer", "go build -o bin/inr-view ./cmd/inr-view",
		"libxrandr-dev", "xvfb"} {
		assert.Contains(t, msg, want)
	}
	assert.NotEqual(t, 0, exitCode(err))

	fakeViewer(t, "0")
	t.Setenv("DISPLAY", "")
	_, err = runInr("view", t.TempDir())
	require.ErrorIs(t, err, errNoDisplay)
	assert.Contains(t, err.Error(), "xvfb-run")
	assert.ErrorIs(t, startViewer(t.TempDir()), errNoDisplay, "fit --view gets the same reason and goes on headless")

	_, err = runInr("view", filepath.Join(t.TempDir(), "missing"))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "not found"), err.Error())
}

func TestStartViewerInBackground(t *testing.T) {
	_, record := fakeViewer(t, "0")
	t.Setenv("DISPLAY", ":99")
	run := t.TempDir()
	require.NoError(t, startViewer(run))
	require.Eventually(t, func() bool {
		b, err := os.ReadFile(record)
		return err == nil && string(b) == run+"\n"
	}, 10e9, 10e6)
}

// TestFitAndSolveView: --view starts the viewer on the run folder, writes the live folder the
// viewer reads (its last state marked done), and the run folder is complete; without a display
// the run says what to do and goes on headless.
func TestFitAndSolveView(t *testing.T) {
	cases := []struct {
		name    string
		args    func(dir string) []string
		display string
		outputs []string
	}{
		{"fit", func(dir string) []string {
			return []string{"fit", "../../assets/camera-128.png", "--size", "16", "--steps", "5", "--view", "-q", "--out", dir}
		}, ":99", []string{"metrics.json", "reconstruction.png", "model.safetensors"}},
		{"fit without a display", func(dir string) []string {
			return []string{"fit", "../../assets/camera-128.png", "--size", "16", "--steps", "5", "--view", "-q", "--out", dir}
		}, "", []string{"metrics.json", "reconstruction.png", "model.safetensors"}},
		{"solve", func(dir string) []string {
			return []string{"solve", "../../examples/pde/ode.toml", "--steps", "20", "--lbfgs", "5", "--view", "-q", "--out", dir}
		}, ":99", []string{"metrics.json", "solution.png", "model.safetensors"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, record := fakeViewer(t, "0")
			t.Setenv("DISPLAY", c.display)
			dir := filepath.Join(t.TempDir(), "run")
			out, err := runInr(c.args(dir)...)
			require.NoError(t, err, out)
			for _, f := range c.outputs {
				assert.FileExists(t, filepath.Join(dir, f))
			}
			state, err := os.ReadFile(filepath.Join(dir, "live", "state.json"))
			require.NoError(t, err, "the live folder the viewer follows")
			assert.Contains(t, string(state), `"done":true`)
			if c.display == "" {
				assert.Contains(t, out, "no X display")
				assert.Contains(t, out, "continuing headless")
				assert.NoFileExists(t, record, "no viewer without a display")
				return
			}
			require.Eventually(t, func() bool {
				b, err := os.ReadFile(record)
				return err == nil && string(b) == dir+"\n"
			}, 10e9, 10e6, "inr-view started on the run folder")
		})
	}
}
