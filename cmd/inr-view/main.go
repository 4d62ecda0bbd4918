//go:build !noviewer

// Command inr-view is the desktop viewer of INR Studio. It shows a run while it trains: the
// reconstruction sharpening, the loss falling, the error map, or a PDE solution with its error,
// residual, line cuts and loss terms.
//
//	inr-view RUN_DIR               attach to a run folder (live while a fit writes it, or finished)
//	inr-view fit IMAGE [flags]     fit an image in this process and watch it (the flags of inr fit)
//	inr-view solve FILE [flags]    solve a PDE problem file in this process and watch it
//
// It is its own binary because ebiten needs an X display from package initialisation on; `inr
// view` and `inr fit --view` start it.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/render/viewer"
)

// version is set at build time with -ldflags "-X main.version=…", like inr's.
var version = "0.1.0-dev"

func main() {
	if err := newRoot(nil).Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "inr-view:", err)
		os.Exit(exitCode(err))
	}
}

// newRoot builds the command line. script, when set, drives the window (tests).
func newRoot(script func(h *viewer.Handle) error) *cobra.Command {
	root := &cobra.Command{
		Use:   "inr-view RUN_DIR | inr-view fit IMAGE [flags] | inr-view solve FILE [flags]",
		Short: "The INR Studio desktop viewer: watch a fit or a PDE solve as it trains",
		Long: `inr-view shows a run of INR Studio in a window: for an image fit the target, the
reconstruction (zoom with the wheel or +/−: the network is queried at the new resolution), the
error map and the loss with the PSNR; for a PDE solve the solution, error and residual maps, a
line cut against the reference with a time slider, and the loss terms.

Keys: space pauses and resumes training, S saves the window as a PNG in the run folder, 1–4
switch pages, Q stops the run (it still writes all its outputs) and quits; arrows pan (or move
the slider), 0 resets the zoom. Closing the window of a viewer attached to another process
leaves that run going.`,
		Example: `  inr-view runs/camera-siren
  inr-view fit assets/camera-128.png --steps 300
  inr-view solve examples/pde/heat1d.toml`,
		Args:          cobra.ExactArgs(1),
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			return attach(args[0], script)
		},
	}
	root.AddCommand(newFitCmd(script), newSolveCmd(script))
	return root
}

// exitError carries an exit status (130 after an interrupt) to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 1
}
