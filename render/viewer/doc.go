//go:build !noviewer

// Package viewer is the desktop window of INR Studio: an ebiten program that shows a run while it
// trains (or after it finished), fed by the same snapshots the headless writers use. It is the
// only package that imports ebiten; every picture it shows is a frame composed by
// render/viewer/panel from package render, so what the window shows is testable headlessly.
//
// ebiten v2.8 starts GLFW in a package init, so any binary linking this package exits before
// main without an X display, and RunGame runs once per process: the viewer is its own binary,
// cmd/inr-view, and tests of this package run under Xvfb with one Run from TestMain.
//
// # Cost to the training
//
// The window reads the run at its own pace and never holds the training goroutine. A poller
// reads the source every 50 ms; a renderer composes frames off ebiten's thread (at most three
// a second while following a run, at once after a key); ebiten draws only when asked, uploading
// and redrawing only the parts of a frame that changed. The window's thread, and the GL
// rasterisers it starts (llvmpipe under Xvfb, where drawing costs CPU), run at nice 10. A zoomed
// reconstruction is re-rendered from newer weights at most every 10 s while training. The
// figures are in cmd/inr-view's BenchmarkViewerOverhead.
//
// # Keys
//
// space pauses and resumes training, S saves the window as a PNG in the run folder, 1–4 switch
// pages, Q stops the run (it still writes all its outputs) and quits once they are written.
// The mouse wheel and + / − zoom the reconstruction (the network is queried at the new
// resolution), the arrows pan it (or move the PDE slider), 0 resets the view; dragging the
// slider picks the time (or position) of the line cut. Closing the window of a viewer attached
// to another process leaves that run going.
//
// # Example
//
//	r, err := live.NewReader(runDir)
//	if err != nil {
//		return err
//	}
//	return viewer.Run(viewer.Options{Source: r, Control: r, Title: "camera · siren"})
package viewer
