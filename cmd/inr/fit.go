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
	"github.com/inrstudio/studio/kernel"
)

func init() { addCommand(newFitCmd) }

type fitFlags struct {
	model     string
	steps     int
	lr        float64
	size      int
	crop      bool
	batch     int
	seed      uint64
	out       string
	config    string
	set       []string
	schedule  string
	evalEvery int
	keepBest  bool
	threads   int
	quiet     bool
}

func newFitCmd() *cobra.Command {
	var f fitFlags
	cmd := &cobra.Command{
		Use:   "fit IMAGE",
		Short: "Fit a coordinate network to an image (PNG or JPEG) and write the run folder",
		Long: `Fit a coordinate network to an image: coordinates on [-1,1]², targets scaled to the
architecture's range, Adam at the architecture's learning rate unless --lr is given. The run
folder (--out, default runs/<image>-<model>) receives model.safetensors, reconstruction.png,
error.png, loss.png, loss.csv and metrics.json. Ctrl-C stops after the current step and still
writes everything; a second Ctrl-C quits at once. ` + "`inr models`" + ` lists the architectures.`,
		Example: `  inr fit assets/camera-128.png
  inr fit photo.jpg --model wire --size 256 --steps 2000 --schedule wire --keep-best
  inr fit photo.png --model siren --set width=128 --set first_omega=20 --out runs/small`,
		Args: exactArgs(1, "IMAGE"),
		RunE: func(cmd *cobra.Command, args []string) error { return runFit(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.model, "model", "m", "siren", "architecture (see `inr models`)")
	fl.IntVar(&f.steps, "steps", 500, "optimisation steps")
	fl.Float64Var(&f.lr, "lr", 0, "Adam learning rate (0: the architecture's default)")
	fl.IntVar(&f.size, "size", 0, "resize so that the longer side is N pixels (area averaging down, Catmull–Rom up; 0: keep)")
	fl.BoolVar(&f.crop, "crop", false, "centre-crop to a square first (how the reference targets were prepared)")
	fl.IntVar(&f.batch, "batch", 0, "random pixels per step (0: full batch, every pixel every step)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the initialisation and the mini-batches")
	fl.StringVarP(&f.out, "out", "o", "", "run folder (default runs/<image>-<model>)")
	fl.StringVar(&f.config, "config", "", "architecture settings from a JSON or TOML file (`inr models` shows the keys)")
	fl.StringArrayVar(&f.set, "set", nil, "one architecture setting, key=value (repeatable; applied after --config)")
	fl.StringVar(&f.schedule, "schedule", "constant", "learning-rate schedule: "+strings.Join(inr.Schedules, ", "))
	fl.IntVar(&f.evalEvery, "eval-every", inr.DefaultEvalEvery, "steps between full evaluations (PSNR, best weights, snapshots)")
	fl.BoolVar(&f.keepBest, "keep-best", false, "save the weights of the best evaluation instead of the last")
	fl.IntVar(&f.threads, "threads", 0, "worker threads (GOMAXPROCS; 0: all CPUs)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress output, only the summary")
	return cmd
}

// prepareFit validates every flag and input and returns the prepared fit and its output folder.
// Nothing is created on disk.
func prepareFit(path string, f fitFlags, explicitModel bool) (*inr.Fitter, inr.FitOptions, *inr.Image, string, error) {
	var opt inr.FitOptions
	if f.threads < 0 {
		return nil, opt, nil, "", fmt.Errorf("--threads %d: need ≥ 0", f.threads)
	}
	if f.size < 0 || f.size == 1 {
		return nil, opt, nil, "", fmt.Errorf("--size %d: need 0 (keep) or at least 2", f.size)
	}
	model := f.model
	var doc []byte
	if f.config != "" {
		name, d, err := readConfigFile(f.config)
		if err != nil {
			return nil, opt, nil, "", err
		}
		if name != "" {
			if explicitModel && name != model {
				return nil, opt, nil, "", fmt.Errorf("--config %s is for model %q but --model is %q", f.config, name, model)
			}
			model = name
		}
		doc = d
	}
	if _, err := inr.LookupArch(model); err != nil {
		return nil, opt, nil, "", err
	}
	cfg, err := inr.ConfigFor(model, doc)
	if err != nil {
		if f.config != "" {
			return nil, opt, nil, "", fmt.Errorf("--config %s: %w", f.config, err)
		}
		return nil, opt, nil, "", err
	}
	for _, kv := range f.set {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, opt, nil, "", fmt.Errorf("--set %q: want key=value", kv)
		}
		if err := inr.SetOption(model, cfg, strings.TrimSpace(k), v); err != nil {
			return nil, opt, nil, "", err
		}
	}
	opt = inr.FitOptions{Arch: model, Config: cfg, Steps: f.steps, LR: f.lr, Schedule: f.schedule, Batch: f.batch,
		Seed: f.seed, EvalEvery: f.evalEvery, KeepBest: f.keepBest}
	if err := inr.ValidateFit(opt); err != nil {
		return nil, opt, nil, "", flagError(err)
	}
	im, err := inr.LoadImage(path)
	if err != nil {
		return nil, opt, nil, "", err
	}
	if f.crop {
		im = im.CropSquare()
	}
	if f.size > 0 {
		w, h := im.FitSize(f.size)
		if im, err = im.Resize(w, h); err != nil {
			return nil, opt, nil, "", fmt.Errorf("image %s: %w", path, err)
		}
	}
	fitter, err := inr.NewFitter(im, opt)
	if err != nil {
		return nil, opt, nil, "", err
	}
	dir := f.out
	if dir == "" {
		stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		dir = filepath.Join("runs", stem+"-"+model)
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, opt, nil, "", fmt.Errorf("--out %s exists and is not a directory", dir)
	}
	return fitter, opt, im, dir, nil
}

// flagError names the flag a fit validation error is about.
func flagError(err error) error {
	msg := err.Error()
	for _, p := range []struct{ prefix, flag string }{
		{"steps", "--steps"}, {"learning rate", "--lr"}, {"batch", "--batch"}, {"eval-every", "--eval-every"},
		{"unknown learning-rate schedule", "--schedule"},
	} {
		if strings.HasPrefix(msg, p.prefix) {
			return fmt.Errorf("%s: %w", p.flag, err)
		}
	}
	return err
}

func runFit(cmd *cobra.Command, path string, f fitFlags) error {
	if f.threads < 0 {
		return fmt.Errorf("--threads %d: need ≥ 0", f.threads)
	}
	setThreads(f.threads)
	fitter, opt, im, dir, err := prepareFit(path, f, cmd.Flags().Changed("model"))
	if err != nil {
		return err
	}
	created, err := makeDir(dir)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if !f.quiet {
		fmt.Fprintf(stderr, "fitting %s (%d×%d×%d) with %s: %d parameters, %d steps, lr %g, %s batch, %d threads, kernel %s\n",
			path, im.W, im.H, im.C, opt.Arch, fitter.Model().NumParams(), opt.Steps, fitLR(fitter, opt), batchName(opt.Batch, im),
			runtime.GOMAXPROCS(0), kernelName())
		opt.Observers = append(opt.Observers, newProgress(stderr, opt.Steps))
	}
	fitter.SetObservers(opt.Observers)
	ctx, stopSignals := interruptContext(cmd.Context(), stderr)
	defer stopSignals()
	res, fitErr := fitter.Run(ctx)
	if res == nil {
		removeIfCreated(dir, created)
		return fitErr
	}
	evalEvery := opt.EvalEvery
	if evalEvery == 0 {
		evalEvery = inr.DefaultEvalEvery
	}
	m, err := inr.NewMetrics(res, opt, inr.RunInfo{Image: path, Size: f.size, StepsAsked: opt.Steps, EvalEvery: evalEvery,
		Threads: runtime.GOMAXPROCS(0), Kernel: kernelName(), Version: version})
	if err != nil {
		return err
	}
	if err := inr.WriteRun(dir, res, m); err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	saved := ""
	if res.KeptBest {
		saved = fmt.Sprintf(" (saved the best weights, step %d)", res.BestStep)
	}
	fmt.Fprintf(w, "%s %s: PSNR %.2f dB%s, best %.2f dB at step %d, SSIM %.4f, %d steps in %.1f s\n",
		filepath.Base(path), opt.Arch, res.PSNR, saved, res.BestPSNR, res.BestStep, res.SSIM, res.Steps, res.Seconds)
	fmt.Fprintf(w, "outputs: %s/ (%s)\n", dir, strings.Join(inr.RunFiles, ", "))
	switch {
	case fitErr != nil:
		return fitErr
	case res.Stop == inr.StopInterrupted:
		return &exitError{code: 130, err: fmt.Errorf("interrupted after %d of %d steps; the outputs hold that state", res.Steps, opt.Steps)}
	}
	return nil
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
