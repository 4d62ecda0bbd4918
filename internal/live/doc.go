// Package live is the protocol between a training process and a viewer process: the run folder's
// live/ subfolder, which a Writer fills while a fit or a solve runs and a Reader follows, plus a
// control file through which the viewer pauses, resumes or stops the training loop.
//
// # Main types
//
//   - Writer: an inr.Observer that publishes snapshots without ever blocking the training
//     goroutine. Observe records the snapshot and returns; a goroutine of the Writer writes, at
//     most once per Interval, the pending history rows (every step's loss, terms and metrics, as
//     JSON lines), the newest pictures (a binary fields file, float32) and a small state.json,
//     then bumps the sequence file. A slow disk only makes it skip intermediate pictures.
//   - Reader: polls a run folder (one read of the small sequence file when nothing changed) and keeps
//     the newest State: figures, the whole loss history, the latest fields and the model file. A
//     finished run is read the same way (it leaves live/ behind); a folder without live/ is read
//     from its final outputs (metrics.json, loss.csv, target.png and reconstruction.png, the
//     model file).
//   - Control: pause, resume and stop for a training loop. The loop attaches it as its last
//     observer (Observe holds the training goroutine while paused, so a pause takes effect at the
//     next snapshot: every step for inr.Fit, every log_every steps for pinn.Solve) and trains
//     under the context of WithContext (cancelled on stop). WatchControl also obeys the run
//     folder's control file, which SendCommand (or Reader.Command) writes from the viewer's
//     process. The state's Paused says that the loop is holding, not merely that it was asked.
//
// Every file but the append-only history is replaced by rename, so a reader never sees a torn
// file; the history is read only up to the length the current state.json vouches for.
//
// # Example
//
// The training side:
//
//	ctl, err := live.WatchControl(runDir, 0)
//	if err != nil {
//		return err
//	}
//	defer ctl.Close()
//	w, err := live.NewWriter(runDir, live.WriterOptions{Control: ctl, Signal: "image"})
//	if err != nil {
//		return err
//	}
//	ctx, cancel := ctl.WithContext(ctx)
//	defer cancel()
//	opt.Observers = append(opt.Observers, w, ctl) // the control last: it may hold the loop
//	res, err := inr.Fit(ctx, im, opt)
//	// … write the final outputs, then:
//	if err := w.Close(); err != nil {
//		log.Print(err) // the viewer missed the end; the run itself is fine
//	}
//
// The viewer side:
//
//	r, err := live.NewReader(runDir)
//	…
//	if changed, err := r.Poll(); changed {
//		show(r.State())
//	}
//	r.Command(live.CommandPause)
package live
