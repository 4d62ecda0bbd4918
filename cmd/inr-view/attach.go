//go:build !noviewer

package main

import (
	"fmt"
	"os"

	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render/viewer"
)

// attach shows the run folder dir: live while another process writes it, or after the fact.
// Q stops a live run (it writes its outputs) and quits; closing the window leaves it going.
func attach(dir string, script func(*viewer.Handle) error) error {
	r, err := live.NewReader(dir)
	if err != nil {
		return err
	}
	if _, err := r.Poll(); err != nil {
		fmt.Fprintln(os.Stderr, "inr-view: reading", dir+":", err)
	}
	if r.State().Source == live.SourceNone {
		fmt.Fprintf(os.Stderr, "inr-view: %s holds no run yet; waiting for one to start writing there\n", dir)
	}
	return viewer.Run(viewer.Options{Source: r, Control: r, Detach: true, Script: script})
}
