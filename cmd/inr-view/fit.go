//go:build !noviewer

package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/render/viewer"
)

// fitFlags are inr fit's flags, with the same names, defaults and meaning.
type fitFlags struct {
	model, out, config, schedule string
	steps, size, batch           int
	evalEvery, threads           int
	lr                           float64
	seed                         uint64
	crop, keepBest               bool
	set                          []string
}

func newFitCmd(script func(*viewer.Handle) error) *cobra.Command {
	var f fitFlags
	cmd := &cobra.Command{
		Use:   "fit IMAGE",
		Short: "Fit a coordinate network to an image in this process and watch it train",
		Long: `Fit an image exactly as inr fit does (same flags, same run folder: model.safetensors,
reconstruction.png, error.png, loss.png, loss.csv, metrics.json) with the training in its own
goroutine and the window showing it. The run folder also gets live/, so another viewer can
attach with inr view DIR. Q stops the fit early; the outputs are written before the window
closes.`,
		Example: `  inr-view fit assets/camera-128.png
  inr-view fit photo.png --model wire --size 256 --steps 2000`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFit(args[0], f, cmd.Flags().Changed("model"), script)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.model, "model", "m", "siren", "architecture (see `inr models`)")
	fl.IntVar(&f.steps, "steps", 500, "optimisation steps")
	fl.Float64Var(&f.lr, "lr", 0, "Adam learning rate (0: the architecture's default)")
	fl.IntVar(&f.size, "size", 0, "resize so that the longer side is N pixels (0: keep)")
	fl.BoolVar(&f.crop, "crop", false, "centre-crop to a square first")
	fl.IntVar(&f.batch, "batch", 0, "random pixels per step (0: full batch)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the initialisation and the mini-batches")
	fl.StringVarP(&f.out, "out", "o", "", "run folder (default runs/<image>-<model>)")
	fl.StringVar(&f.config, "config", "", "architecture settings from a JSON or TOML file")
	fl.StringArrayVar(&f.set, "set", nil, "one architecture setting, key=value (repeatable; applied after --config)")
	fl.StringVar(&f.schedule, "schedule", "constant", "learning-rate schedule: "+strings.Join(inr.Schedules, ", "))
	fl.IntVar(&f.evalEvery, "eval-every", inr.DefaultEvalEvery, "steps between full evaluations (pictures in the window)")
	fl.BoolVar(&f.keepBest, "keep-best", false, "save the weights of the best evaluation instead of the last")
	fl.IntVar(&f.threads, "threads", 0, "worker threads (GOMAXPROCS; 0: all CPUs)")
	return cmd
}

// prepareFit validates the flags and the image the way inr fit does and returns the fitter.
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
	cfg, err := inr.ConfigFor(model, doc)
	if err != nil {
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
		return nil, opt, nil, "", err
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
	return fitter, opt, im, dir, nil
}

// readConfigFile reads architecture settings from a JSON or TOML file (as inr fit --config): an
// optional "model" key names the architecture; the rest is returned as a JSON document.
func readConfigFile(path string) (model string, doc []byte, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("--config: %w", err)
	}
	var m map[string]any
	if strings.EqualFold(filepath.Ext(path), ".toml") {
		if _, err := toml.Decode(string(data), &m); err != nil {
			return "", nil, fmt.Errorf("--config %s: %w", path, err)
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			return "", nil, fmt.Errorf("--config %s: not a JSON object: %w", path, err)
		}
	}
	if v, ok := m["model"]; ok {
		s, ok := v.(string)
		if !ok {
			return "", nil, fmt.Errorf("--config %s: \"model\" must be a string", path)
		}
		model = s
		delete(m, "model")
	}
	doc, err = json.Marshal(m)
	return model, doc, err
}

func runFit(path string, f fitFlags, explicitModel bool, script func(*viewer.Handle) error) error {
	if f.threads > 0 {
		runtime.GOMAXPROCS(f.threads)
	}
	fitter, opt, im, dir, err := prepareFit(path, f, explicitModel)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	title := fmt.Sprintf("%s · %s", filepath.Base(path), opt.Arch)
	fmt.Fprintf(os.Stderr, "fitting %s (%d×%d×%d) with %s: %d parameters, %d steps, %d threads, kernel %s; run folder %s\n",
		path, im.W, im.H, im.C, opt.Arch, fitter.Model().NumParams(), opt.Steps, runtime.GOMAXPROCS(0), kernelName(), dir)
	evalEvery := opt.EvalEvery
	if evalEvery == 0 {
		evalEvery = inr.DefaultEvalEvery
	}
	info := inr.RunInfo{Image: path, Size: f.size, StepsAsked: opt.Steps, EvalEvery: evalEvery,
		Threads: runtime.GOMAXPROCS(0), Kernel: kernelName(), Version: version}
	job := func(run *liveRun) (string, error) {
		fitter.SetObservers(run.observers())
		res, fitErr := fitter.Run(run.ctx)
		if res == nil {
			return "", fitErr
		}
		m, err := inr.NewMetrics(res, opt, info)
		if err != nil {
			return "", err
		}
		if err := inr.WriteRun(dir, res, m); err != nil {
			return "", err
		}
		run.writer.SetModel(filepath.Join(dir, inr.ModelFile))
		summary := fmt.Sprintf("%s %s: PSNR %.2f dB, best %.2f dB at step %d, SSIM %.4f, %d steps in %.1f s; outputs in %s/",
			filepath.Base(path), opt.Arch, res.PSNR, res.BestPSNR, res.BestStep, res.SSIM, res.Steps, res.Seconds, dir)
		if res.Stop == inr.StopInterrupted {
			summary += fmt.Sprintf(" (stopped after %d of %d steps)", res.Steps, opt.Steps)
		}
		return summary, fitErr
	}
	return runLive(dir, live.WriterOptions{Signal: "image", Title: title, Model: fitter.Model()}, title, job, script)
}

func kernelName() string {
	name, _ := kernel.Selection()
	return name
}
