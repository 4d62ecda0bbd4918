//go:build !noviewer

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render/viewer"
)

// liveRun is what a training job gets: the context to train under (cancelled by Q, a stop from
// another viewer, or Ctrl-C) and the writer that publishes its snapshots to the run folder.
type liveRun struct {
	ctx    context.Context
	writer *live.Writer
	ctl    *live.Control
}

// observers are the snapshot consumers a job attaches: the writer first, the control last (it
// holds the training goroutine while paused).
func (r *liveRun) observers() []inr.Observer { return []inr.Observer{r.writer, r.ctl} }

// runLive runs job (a fit or a solve that writes the run folder dir) in its own goroutine and
// shows it in the window, read back through the run folder like any attached viewer. Q stops
// the job and closes the window once the outputs are written; Ctrl-C in the terminal does the
// same. If the window cannot open, the job goes on headless.
func runLive(dir string, wopt live.WriterOptions, title string, job func(*liveRun) (string, error), script func(*viewer.Handle) error) error {
	ctl, err := live.WatchControl(dir, 0)
	if err != nil {
		return err
	}
	defer ctl.Close()
	wopt.Control = ctl
	w, err := live.NewWriter(dir, wopt)
	if err != nil {
		return err
	}
	ctx, cancel := ctl.WithContext(context.Background())
	defer cancel()
	run := &liveRun{ctx: ctx, writer: w, ctl: ctl}

	done := make(chan struct{})
	var summary string
	var jobErr error
	go func() {
		defer close(done)
		summary, jobErr = job(run)
		if err := w.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "inr-view: the live folder is incomplete:", err)
		}
	}()

	// Ctrl-C stops the job like Q (the outputs are still written) and closes the window.
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	closeWin := make(chan struct{})
	interrupted := make(chan struct{})
	go func() {
		select {
		case <-sig:
			close(interrupted)
			fmt.Fprintln(os.Stderr, "\ninterrupted: stopping after the current step and writing the outputs")
			ctl.Command(live.CommandStop)
			close(closeWin)
		case <-done:
		}
	}()

	r, err := live.NewReader(dir)
	if err != nil {
		return err
	}
	quit := func() error {
		ctl.Command(live.CommandStop) // a finished job ignores it
		<-done
		return nil
	}
	verr := viewer.Run(viewer.Options{Source: r, Control: ctl, Title: title, Quit: quit, Close: closeWin, Script: script})
	if verr != nil {
		select {
		case <-done:
		default:
			fmt.Fprintf(os.Stderr, "inr-view: %v\nthe run goes on without the window (Ctrl-C stops it; its outputs are written to %s)\n", verr, dir)
		}
	}
	<-done
	if summary != "" {
		fmt.Println(summary)
	}
	if jobErr != nil {
		return jobErr
	}
	select {
	case <-interrupted: // like inr fit after Ctrl-C: the outputs hold the state reached
		return &exitError{code: 130, err: fmt.Errorf("interrupted; the outputs in %s hold the state reached", dir)}
	default:
	}
	return verr
}
