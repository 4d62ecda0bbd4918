//go:build !noviewer

package main

import (
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/pinn"
	"github.com/inrstudio/studio/render/viewer"
)

// solveFlags are inr solve's flags, plus how often the window gets new pictures.
type solveFlags struct {
	fitcli.SolveFlags
	logEvery    int
	fieldsEvery int
}

func newSolveCmd(script func(*viewer.Handle) error) *cobra.Command {
	var f solveFlags
	cmd := &cobra.Command{
		Use:   "solve FILE",
		Short: "Solve a PDE problem file in this process and watch it train",
		Long: `Solve a PDE problem file exactly as inr solve does (same flags, same run folder) with the
training in its own goroutine and the window showing the solution, error and residual maps, a
line cut against the reference with a time slider, and the loss terms. Q stops the solve early;
the outputs are written before the window closes.`,
		Example: `  inr-view solve examples/pde/heat1d.toml
  inr-view solve examples/pde/burgers.toml --steps 2000 --lbfgs 0`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSolve(args[0], f, cmd.Flags().Changed, script)
		},
	}
	fl := cmd.Flags()
	f.Register(fl)
	fl.IntVar(&f.logEvery, "log-every", 10, "steps between two points of the loss curve in the window (overrides train.log_every)")
	fl.IntVar(&f.fieldsEvery, "fields-every", 10, "new pictures every this many loss points (each costs an evaluation on the reference grid)")
	return cmd
}

func runSolve(path string, f solveFlags, changed func(string) bool, script func(*viewer.Handle) error) error {
	opt, err := f.Options(changed)
	if err != nil {
		return err
	}
	runtime.GOMAXPROCS(f.Threads)
	p, err := pinn.Load(path)
	if err != nil {
		return err
	}
	opt.FieldsEvery = f.fieldsEvery
	if f.logEvery < 1 || f.fieldsEvery < 1 {
		return fmt.Errorf("--log-every %d, --fields-every %d: want ≥ 1", f.logEvery, f.fieldsEvery)
	}
	p.Train.LogEvery = f.logEvery
	dir := f.Dir(path)
	if err := pinn.MkdirRun(dir); err != nil {
		return err
	}
	title := p.Title
	if title == "" {
		title = filepath.Base(path)
	}
	job := func(run *liveRun) (string, error) {
		res, err := pinn.Solve(run.ctx, p, opt, run.observers()...)
		if err != nil {
			return "", err
		}
		if err := pinn.WriteRun(dir, res, version); err != nil {
			return "", fmt.Errorf("write %s: %w", dir, err)
		}
		run.writer.SetModel(filepath.Join(dir, pinn.ModelFile))
		m := res.Metrics
		s := fmt.Sprintf("%s: %d Adam steps + %d L-BFGS iterations in %.1f s", path, m.AdamSteps, m.LBFGSIterations, m.Seconds)
		if m.RelL2 != nil {
			s += fmt.Sprintf(", relative L2 error %.3e", *m.RelL2)
		}
		return s + "; outputs in " + dir + "/", nil
	}
	return runLive(dir, live.WriterOptions{Signal: "pde", Title: title, Axes: live.ProblemAxes(p)}, title, job, script)
}
