package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/kernel"
)

func init() { addCommand(newFitCmd) }

// fitFlags are inr fit's flags: the fit's (shared with inr-view fit) and the terminal's.
type fitFlags struct {
	fitcli.Flags
	quiet bool
	view  bool
}

func newFitCmd() *cobra.Command {
	var f fitFlags
	cmd := &cobra.Command{
		Use:   "fit IMAGE | fit --resume DIR",
		Short: "Fit a coordinate network to an image (PNG or JPEG) and write the run folder",
		Long: `Fit a coordinate network to an image: coordinates on [-1,1]², targets scaled to the
architecture's range, Adam at the architecture's learning rate unless --lr is given. The run
folder (--out, default runs/<image>-<model>) receives model.safetensors, reconstruction.png,
error.png, loss.png, loss.csv and metrics.json. Ctrl-C stops after the current step and still
writes everything; a second Ctrl-C quits at once. An unfinished fit keeps checkpoint.safetensors
in its run folder (every --checkpoint-every, and on Ctrl-C; removed when it ends): --resume DIR
continues it from there with its own image and settings, to the same results as a run never
stopped (same --threads). --view opens the desktop viewer on the run
(space pauses, Q stops; the run folder is complete either way). ` + "`inr models`" + ` lists the
architectures.`,
		Example: `  inr fit assets/camera-128.png
  inr fit photo.jpg --model wire --size 256 --steps 2000 --schedule wire --keep-best
  inr fit assets/camera-128.png --model spder --steps 300 --rollback 1000
  inr fit photo.png --model siren --set width=128 --set first_omega=20 --out runs/small
  inr fit assets/coffee-128.png --model finer --view
  inr fit --resume runs/photo-wire`,
		Args: func(cmd *cobra.Command, args []string) error {
			if f.Resume != "" && len(args) == 0 {
				return nil
			}
			return exactArgs(1, "IMAGE")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			return runFit(cmd, path, f)
		},
	}
	fl := cmd.Flags()
	f.Register(fl)
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress output, only the summary")
	fl.BoolVar(&f.view, "view", false, "watch the fit in the desktop viewer (inr-view; needs a display)")
	return cmd
}

func runFit(cmd *cobra.Command, path string, f fitFlags) error {
	if f.Threads < 0 {
		return fmt.Errorf("--threads %d: need ≥ 0", f.Threads)
	}
	setThreads(f.Threads)
	prep, err := fitcli.Prepare(path, f.Flags, cmd.Flags().Changed)
	if err != nil {
		return err
	}
	fitter, opt, im, dir := prep.Fitter, prep.Options, prep.Image, prep.Dir
	path = prep.ImagePath
	created, err := makeDir(dir)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if !f.quiet {
		mem := ""
		if prep.Memory > 0 {
			mem = ", about " + fitcli.HumanBytes(prep.Memory) + " of memory"
		}
		fmt.Fprintf(stderr, "fitting %s (%d×%d×%d) with %s: %d parameters, %d steps, lr %g, %s batch, %d threads, kernel %s%s\n",
			path, im.W, im.H, im.C, opt.Arch, fitter.Model().NumParams(), opt.Steps, fitLR(fitter, opt), batchName(opt.Batch, im),
			runtime.GOMAXPROCS(0), kernelName(), mem)
		if note := inr.OrientationNote(im.Orientation); note != "" {
			fmt.Fprintf(stderr, "the image is %s, as viewers show it\n", note)
		}
		if prep.Resumed > 0 {
			fmt.Fprintf(stderr, "resuming %s after step %d\n", dir, prep.Resumed)
		}
		opt.Observers = append(opt.Observers, newProgress(stderr, opt.Steps))
	}
	ctx, stopSignals := interruptContext(cmd.Context(), stderr)
	defer stopSignals()
	var lv *liveView
	if f.view {
		title := fmt.Sprintf("%s · %s", filepath.Base(path), opt.Arch)
		if lv, err = openLiveView(ctx, dir, live.WriterOptions{Signal: "image", Title: title, Model: fitter.Model()}, stderr); err != nil {
			removeIfCreated(dir, created)
			return err
		}
		defer lv.close(stderr)
		ctx = lv.ctx
		opt.Observers = append(opt.Observers, lv.observers()...)
	}
	fitter.SetObservers(opt.Observers)
	res, fitErr := fitter.Run(ctx)
	if res == nil {
		if lv == nil {
			removeIfCreated(dir, created)
		}
		return fitErr
	}
	if err := writeRunFolder(res, prep); err != nil {
		return err
	}
	if lv != nil {
		lv.writer.SetModel(filepath.Join(dir, inr.ModelFile))
	}
	w := cmd.OutOrStdout()
	saved := ""
	if res.KeptBest {
		saved = fmt.Sprintf(" (saved the best weights, step %d)", res.BestStep)
	}
	fmt.Fprintf(w, "%s %s: PSNR %.2f dB%s, best %.2f dB at step %d, SSIM %.4f, %d steps in %.1f s\n",
		filepath.Base(path), opt.Arch, res.PSNR, saved, res.BestPSNR, res.BestStep, res.SSIM, res.Steps, res.Seconds)
	if note := res.RollbackNote(); note != "" {
		fmt.Fprintln(w, note)
	}
	fmt.Fprintf(w, "outputs: %s/ (%s)\n", dir, strings.Join(inr.RunFiles, ", "))
	switch {
	case fitErr != nil:
		return fitErr
	case res.Stop == inr.StopTimeLimit:
		fmt.Fprintf(w, "stopped at the time limit (--time-limit %v) after %d of %d steps\n", opt.TimeLimit, res.Steps, opt.Steps)
	case res.Stop == inr.StopInterrupted && lv != nil && lv.ctl.Stopped():
		fmt.Fprintf(w, "stopped from the viewer after %d of %d steps; the outputs hold that state\n", res.Steps, opt.Steps)
	case res.Stop == inr.StopInterrupted:
		return &exitError{code: 130, err: fmt.Errorf("interrupted after %d of %d steps; the outputs hold that state; continue with inr fit --resume %s",
			res.Steps, opt.Steps, dir)}
	}
	return nil
}

// writeRunFolder writes the run folder of a fit that ended (finished, stopped or diverged with
// its best state): every output and metrics.json with what the run was.
func writeRunFolder(res *inr.FitResult, prep *fitcli.Prepared) error {
	opt := prep.Options
	evalEvery := opt.EvalEvery
	if evalEvery == 0 {
		evalEvery = inr.DefaultEvalEvery
	}
	m, err := inr.NewMetrics(res, opt, inr.RunInfo{Image: prep.ImagePath, Size: prep.Size, StepsAsked: opt.Steps, EvalEvery: evalEvery,
		Threads: runtime.GOMAXPROCS(0), Kernel: kernelName(), Version: version})
	if err != nil {
		return err
	}
	return inr.WriteRun(prep.Dir, res, m)
}

func fitLR(f *inr.Fitter, opt inr.FitOptions) float64 {
	if opt.LR > 0 {
		return opt.LR
	}
	return f.Model().Config.Training().LR
}

func batchName(b int, im *inr.Image) string {
	if b == 0 || b >= im.W*im.H {
		return "full"
	}
	return fmt.Sprintf("%d-point", b)
}

func kernelName() string {
	name, _ := kernel.Selection()
	return name
}

// makeDir creates dir (and its parents) and reports whether it did not exist before.
func makeDir(dir string) (bool, error) {
	if _, err := os.Stat(dir); err == nil {
		return false, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return false, fmt.Errorf("--out: %w", err)
	}
	return true, nil
}

// removeIfCreated removes dir when this run created it and left it empty.
func removeIfCreated(dir string, created bool) {
	if !created {
		return
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) == 0 {
		os.Remove(dir)
	}
}

// exitError carries a specific exit status (130 after an interrupt) to main.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// exitCode is the process status for an error returned by a command.
func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 1
}

// exactArgs is cobra.ExactArgs with a message that names what is missing.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return fmt.Errorf("%s needs %s (got %d arguments); see `%s --help`", cmd.CommandPath(), what, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// setThreads applies --threads (0 leaves GOMAXPROCS alone).
func setThreads(n int) {
	if n > 0 {
		runtime.GOMAXPROCS(n)
	}
}
