package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/pinn"
)

func init() {
	addCommand(newSolveCmd)
	benchCommands = append(benchCommands, newBenchPinnCmd)
}

func newSolveCmd() *cobra.Command {
	var (
		f     fitcli.SolveFlags
		quiet bool
		every int
		view  bool
	)
	cmd := &cobra.Command{
		Use:   "solve FILE",
		Short: "Solve a PDE problem file with a physics-informed network, in float64",
		Long: `Solve the PDE described by a TOML problem file (see examples/pde/README.md): Adam then
L-BFGS on the network the file names, then the error against the reference.

Writes into DIR (default runs/<file name>): metrics.json (rel_l2 overall and per field,
max_error, final loss terms, seconds, …), solution.png, error.png, residual.png,
snapshots.png (time-dependent problems), loss.png, loss.csv and model.safetensors, which
` + "`inr eval`" + ` queries at any points. The problem file is checked completely before anything
is written; errors name the line and the expression. --view opens the desktop viewer on the
run (solution, error and residual heatmaps, loss terms, time slider, line cuts; space pauses,
Q stops, and the run folder is complete either way).`,
		Example: `  inr solve examples/pde/burgers.toml
  inr solve examples/pde/poisson2d.toml --out runs/poisson --steps 500 --seed 3
  inr solve examples/pde/heat1d.toml --time-limit 1m --threads 1`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opt, err := f.Options(cmd.Flags().Changed)
			if err != nil {
				return err
			}
			setThreads(f.Threads)
			p, err := pinn.Load(args[0])
			if err != nil {
				return err
			}
			if !quiet {
				opt.Log = cmd.ErrOrStderr()
			}
			opt.MetricsEvery = every
			out := f.Dir(args[0])
			if err := pinn.MkdirRun(out); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			var obs []inr.Observer
			var lv *liveView
			if view {
				title := p.Title
				if title == "" {
					title = filepath.Base(args[0])
				}
				// Every snapshot (train.log_every) carries the pictures.
				opt.FieldsEvery = 1
				wopt := live.WriterOptions{Signal: "pde", Title: title, Axes: live.ProblemAxes(p)}
				if lv, err = openLiveView(ctx, out, wopt, cmd.ErrOrStderr()); err != nil {
					return err
				}
				defer lv.close(cmd.ErrOrStderr())
				ctx = lv.ctx
				obs = lv.observers()
			}
			res, err := pinn.Solve(ctx, p, opt, obs...)
			if err != nil {
				return err
			}
			if err := pinn.WriteRun(out, res, version); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			if lv != nil {
				lv.writer.SetModel(filepath.Join(out, pinn.ModelFile))
			}
			printSummary(cmd, res, out)
			return nil
		},
	}
	fl := cmd.Flags()
	f.Register(fl)
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress lines")
	fl.BoolVar(&view, "view", false, "watch the solve in the desktop viewer (inr-view; needs a display)")
	fl.IntVar(&every, "error-every", 0, "show the error against the reference on every k-th progress line (costs a prediction at the reference points)")
	return cmd
}

func printSummary(cmd *cobra.Command, res *pinn.Result, out string) {
	m := res.Metrics
	w := cmd.OutOrStdout()
	fmt.Fprintf(w, "%s: %s, %d parameters, %d Adam steps + %d L-BFGS iterations", res.Problem.Path, m.Network, m.Parameters, m.AdamSteps, m.LBFGSIterations)
	if m.LBFGSStop != "" {
		fmt.Fprintf(w, " (%s)", m.LBFGSStop)
	}
	fmt.Fprintf(w, ", %.1f s\n", m.Seconds)
	if m.RelL2 != nil {
		fmt.Fprintf(w, "relative L2 error %.3e, max error %.3e, MSE %.3e", *m.RelL2, *m.MaxError, *m.MSE)
		if len(m.RelL2Fields) > 1 {
			for _, f := range res.Problem.Fields {
				if v, ok := m.RelL2Fields[f]; ok {
					fmt.Fprintf(w, "; %s %.3e", f, v)
				}
			}
		}
		fmt.Fprintln(w)
	}
	for _, name := range slices.Sorted(maps.Keys(m.Unknowns)) {
		u := m.Unknowns[name]
		fmt.Fprintf(w, "unknown %s = %.10g", name, u.Value)
		if u.True != nil {
			fmt.Fprintf(w, " (true %g, relative error %.2e)", *u.True, *u.RelError)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "wrote %s\n", out)
}

func newBenchPinnCmd() *cobra.Command {
	var points, width, steps, threads int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "pinn",
		Short: "Time the Adam step of a Poisson 2-D PINN (tanh MLP, Laplacian by second-order jets)",
		Long: `Time one Adam step of the PDE solver on Poisson 2-D: a tanh MLP with three hidden layers,
interior points with the Laplacian from second-order jets and a tenth as many boundary points,
float64 — exactly the code inr solve runs per step. The PyTorch peer
(scripts/peers/torch_pinn_step.py) computes the same loss by double backward;
scripts/bench-pinn.sh runs the two side by side. --json prints one line in the peer's format.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if threads > 0 {
				runtime.GOMAXPROCS(threads)
			}
			p, err := pinn.BenchProblem(points, width)
			if err != nil {
				return err
			}
			times, info, err := pinn.TimeAdamSteps(p, pinn.Options{}, steps)
			if err != nil {
				return err
			}
			ms, cpu := millis(times)
			med, cpuMed := median(ms), median(cpu)
			w := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(w).Encode(map[string]any{"peer": "inr " + version, "dtype": "float64",
					"threads": runtime.GOMAXPROCS(0), "points": points, "width": width, "plan": info.Plan,
					"ms": ms, "cpu_ms": cpu, "median_ms": med, "median_cpu_ms": cpuMed})
			}
			fmt.Fprintf(w, "Poisson 2-D PINN Adam step, tanh 3×%d, %d points (+%d boundary), plan %s, %d thread(s): median %.1f ms wall, %.1f ms CPU over %d steps\n",
				width, points, points/10, info.Plan, runtime.GOMAXPROCS(0), med, cpuMed, len(ms))
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&points, "points", 10000, "interior collocation points (boundary: a tenth as many)")
	f.IntVar(&width, "width", 64, "hidden width (three hidden layers)")
	f.IntVar(&steps, "steps", 20, "timed steps (after one warm-up step)")
	f.IntVar(&threads, "threads", 1, "worker threads (GOMAXPROCS; 0: all CPUs)")
	f.BoolVar(&asJSON, "json", false, "print one JSON line (for scripts)")
	return cmd
}
