//go:build !noviewer

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/render/viewer"
)

func newFitCmd(script func(*viewer.Handle) error) *cobra.Command {
	var f fitcli.Flags
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
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := ""
			if len(args) == 1 {
				path = args[0]
			} else if f.Resume == "" {
				return fmt.Errorf("%s needs IMAGE (or --resume DIR); see `%s --help`", cmd.CommandPath(), cmd.CommandPath())
			}
			return runFit(path, f, cmd.Flags().Changed, script)
		},
	}
	f.Register(cmd.Flags())
	return cmd
}

func runFit(path string, f fitcli.Flags, changed func(string) bool, script func(*viewer.Handle) error) error {
	if f.Threads > 0 {
		runtime.GOMAXPROCS(f.Threads)
	}
	prep, err := fitcli.Prepare(path, f, changed)
	if err != nil {
		return err
	}
	fitter, opt, im, dir := prep.Fitter, prep.Options, prep.Image, prep.Dir
	path = prep.ImagePath
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	title := fmt.Sprintf("%s · %s", filepath.Base(path), opt.Arch)
	fmt.Fprintf(os.Stderr, "fitting %s (%d×%d×%d) with %s: %d parameters, %d steps, %d threads, kernel %s; run folder %s\n",
		path, im.W, im.H, im.C, opt.Arch, fitter.Model().NumParams(), opt.Steps, runtime.GOMAXPROCS(0), kernelName(), dir)
	if note := inr.OrientationNote(im.Orientation); note != "" {
		fmt.Fprintf(os.Stderr, "the image is %s, as viewers show it\n", note)
	}
	evalEvery := opt.EvalEvery
	if evalEvery == 0 {
		evalEvery = inr.DefaultEvalEvery
	}
	info := inr.RunInfo{Image: path, Size: prep.Size, StepsAsked: opt.Steps, EvalEvery: evalEvery,
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
		if note := res.RollbackNote(); note != "" {
			summary += "; " + note
		}
		switch res.Stop {
		case inr.StopInterrupted:
			summary += fmt.Sprintf(" (stopped after %d of %d steps; continue with inr fit --resume %s)", res.Steps, opt.Steps, dir)
		case inr.StopTimeLimit:
			summary += fmt.Sprintf(" (stopped at the time limit, %v, after %d of %d steps)", opt.TimeLimit, res.Steps, opt.Steps)
		}
		return summary, fitErr
	}
	return runLive(dir, live.WriterOptions{Signal: "image", Title: title, Model: fitter.Model()}, title, job, script)
}

func kernelName() string {
	name, _ := kernel.Selection()
	return name
}
