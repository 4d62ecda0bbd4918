package main

import (
	"context"
	"fmt"
	"io"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/live"
)

// liveView is the --view side of a headless run: the run folder's live/ subfolder written as the
// run goes, the control file that the viewer's space (pause) and Q (stop) write, and the viewer
// process watching both.
type liveView struct {
	ctx    context.Context // cancelled by the viewer's stop as well as by the parent
	cancel context.CancelFunc
	ctl    *live.Control
	writer *live.Writer
}

// openLiveView prepares the live folder of dir and starts inr-view on it. A viewer that cannot
// start (no binary, no display) is not an error: the message says what to do and the run goes
// on headless, still writing live/ so that `inr view DIR` can attach later.
func openLiveView(parent context.Context, dir string, wopt live.WriterOptions, stderr io.Writer) (*liveView, error) {
	ctl, err := live.WatchControl(dir, 0)
	if err != nil {
		return nil, fmt.Errorf("--view: %w", err)
	}
	wopt.Control = ctl
	w, err := live.NewWriter(dir, wopt)
	if err != nil {
		ctl.Close()
		return nil, fmt.Errorf("--view: %w", err)
	}
	ctx, cancel := ctl.WithContext(parent)
	if err := startViewer(dir); err != nil {
		fmt.Fprintf(stderr, "inr: --view: %v\ncontinuing headless; watch the run later with: inr view %s\n", err, dir)
	}
	return &liveView{ctx: ctx, cancel: cancel, ctl: ctl, writer: w}, nil
}

// observers are the snapshot receivers to add to the run's: the writer, then the control (last,
// because a pause holds the training goroutine inside it until the viewer resumes or stops).
func (v *liveView) observers() []inr.Observer { return []inr.Observer{v.writer, v.ctl} }

// close finishes the live folder (its last state says the run is done) and stops watching the
// control file.
func (v *liveView) close(stderr io.Writer) {
	v.cancel()
	if err := v.writer.Close(); err != nil {
		fmt.Fprintln(stderr, "inr: the live folder is incomplete:", err)
	}
	v.ctl.Close()
}
