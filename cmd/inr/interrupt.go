package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interruptContext returns a context that the first Ctrl-C (SIGINT) or SIGTERM cancels, so that a
// training loop stops after its current step and the command still writes its outputs; a second
// signal exits at once with status 130. stop releases the signal handler.
func interruptContext(parent context.Context, w io.Writer) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-ch:
		case <-done:
			return
		}
		fmt.Fprintln(w, "\ninterrupted: stopping after the current step and writing the outputs (Ctrl-C again to quit now)")
		cancel()
		select {
		case <-ch:
			fmt.Fprintln(w, "interrupted twice: quitting without writing")
			os.Exit(130)
		case <-done:
		}
	}()
	return ctx, func() {
		signal.Stop(ch)
		close(done)
		cancel()
	}
}
