package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"
)

func init() { addCommand(newViewCmd) }

// viewerName is the desktop viewer's binary. It is separate from inr because ebiten needs an X
// display from package initialisation on (see DESIGN.md, "The viewer").
const viewerName = "inr-view"

func newViewCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "view RUN_DIR",
		Short: "Open the desktop viewer on a run folder (live while a fit writes it, or finished)",
		Long: `Open the desktop viewer, inr-view, on a run folder: live while inr fit or inr solve writes it
(started with --view, the run can be paused with space and stopped with Q), or after the fact
from its outputs. inr-view is looked for beside the inr executable, then on PATH; it needs an X
display.`,
		Example: `  inr view runs/camera-128-siren
  xvfb-run -a inr view runs/burgers   # on a machine without a screen`,
		Args: exactArgs(1, "RUN_DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := args[0]
			if st, err := os.Stat(dir); err != nil || !st.IsDir() {
				return fmt.Errorf("run folder %s: not found (give the folder inr fit or inr solve wrote, e.g. runs/<image>-<model>)", dir)
			}
			bin, err := viewerReady()
			if err != nil {
				return err
			}
			return runViewer(cmd, bin, dir)
		},
	}
}

// errNoDisplay and errNoViewer tell why the viewer cannot start; their messages say what to do.
var (
	errNoDisplay = errors.New("no X display: DISPLAY is not set, and the viewer needs one. " +
		"On a machine without a screen run it under Xvfb (xvfb-run -a inr view RUN_DIR), or look at the run folder's PNGs")
	errNoViewer = errors.New("the desktop viewer inr-view is not installed")
)

// viewerReady returns the viewer binary, or an error saying exactly what is missing and how to
// get it.
func viewerReady() (string, error) {
	bin, err := findViewer()
	if err != nil {
		return "", err
	}
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && os.Getenv("DISPLAY") == "" {
		return "", errNoDisplay
	}
	return bin, nil
}

// findViewer looks for inr-view beside the running inr (the make build puts both in bin/), then
// on PATH.
func findViewer() (string, error) {
	name := viewerName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	var looked []string
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		p := filepath.Join(filepath.Dir(exe), name)
		looked = append(looked, filepath.Dir(exe))
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	looked = append(looked, "PATH")
	return "", fmt.Errorf(`%w (looked in %v).
Build it beside inr (it needs cgo and the X11 development headers):
    make build-viewer
or: CGO_ENABLED=1 go build -o bin/inr-view ./cmd/inr-view
The headers on Debian/Ubuntu:
    sudo apt-get install libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev libgl1-mesa-dev pkg-config
and to run it without a screen: sudo apt-get install xvfb xauth`, errNoViewer, looked)
}

// runViewer runs inr-view on dir in the foreground and passes its exit status on. Ctrl-C
// reaches the viewer (same process group); inr only waits for it.
func runViewer(cmd *cobra.Command, bin, dir string) error {
	c := exec.Command(bin, dir)
	c.Stdin, c.Stdout, c.Stderr = os.Stdin, cmd.OutOrStdout(), cmd.ErrOrStderr()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	if err := c.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return &exitError{code: ee.ExitCode(), err: fmt.Errorf("%s exited with status %d", viewerName, ee.ExitCode())}
		}
		return fmt.Errorf("start %s: %w", bin, err)
	}
	return nil
}

// startViewer starts inr-view on the run folder runDir in the background, for fit --view and
// solve --view: the viewer follows the run through runDir/live and keeps showing it after the
// run ends, until its window is closed. The error says why it cannot start (no viewer binary,
// no display) and what to do; the caller then goes on headless.
func startViewer(runDir string) error {
	bin, err := viewerReady()
	if err != nil {
		return err
	}
	// The viewer yields the CPU to the training it watches: on a busy machine (or a software
	// renderer) it draws fewer frames rather than slowing the run.
	c := exec.Command(bin, runDir)
	if nice, err := exec.LookPath("nice"); err == nil {
		c = exec.Command(nice, "-n", "10", bin, runDir)
	}
	c.Stdout, c.Stderr = os.Stderr, os.Stderr
	if err := c.Start(); err != nil {
		return fmt.Errorf("start %s: %w", bin, err)
	}
	go c.Wait() // reap it; the viewer outlives this run if its window stays open
	return nil
}
