package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/pinn"
)

func init() { addCommand(newSolveCmd) }

func newSolveCmd() *cobra.Command {
	var (
		out       string
		steps     int
		lbfgs     int
		seed      uint64
		timeLimit float64
		quiet     bool
		timeSteps int
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
is written; errors name the line and the expression.`,
		Example: `  inr solve examples/pde/burgers.toml
  inr solve examples/pde/poisson2d.toml --out runs/poisson --steps 500 --seed 3`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := pinn.Load(args[0])
			if err != nil {
				return err
			}
			opt := pinn.Options{}
			if cmd.Flags().Changed("steps") {
				if steps < 0 {
					return fmt.Errorf("--steps %d: want ≥ 0", steps)
				}
				opt.AdamSteps = &steps
			}
			if cmd.Flags().Changed("lbfgs") {
				if lbfgs < 0 {
					return fmt.Errorf("--lbfgs %d: want ≥ 0", lbfgs)
				}
				opt.LBFGSIterations = &lbfgs
			}
			if cmd.Flags().Changed("seed") {
				opt.Seed = &seed
			}
			if cmd.Flags().Changed("time-limit") {
				if !(timeLimit >= 0) {
					return fmt.Errorf("--time-limit %g: want seconds ≥ 0", timeLimit)
				}
				opt.TimeLimit = &timeLimit
			}
			if timeSteps > 0 {
				return timeAdamSteps(cmd, p, opt, timeSteps)
			}
			if !quiet {
				opt.Log = cmd.ErrOrStderr()
			}
			if out == "" {
				base := filepath.Base(args[0])
				out = filepath.Join("runs", strings.TrimSuffix(base, filepath.Ext(base)))
			}
			if err := pinn.MkdirRun(out); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			res, err := pinn.Solve(ctx, p, opt)
			if err != nil {
				return err
			}
			if err := pinn.WriteRun(out, res, version); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			printSummary(cmd, res, out)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&out, "out", "o", "", "run folder (default runs/<file name>)")
	f.IntVar(&steps, "steps", 0, "Adam steps (overrides train.adam_steps)")
	f.IntVar(&lbfgs, "lbfgs", 0, "L-BFGS iterations (overrides train.lbfgs_iterations)")
	f.Uint64Var(&seed, "seed", 0, "seed of the network initialisation and of the collocation points")
	f.Float64Var(&timeLimit, "time-limit", 0, "stop training after this many seconds (overrides train.time_limit; 0: none)")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress lines")
	f.IntVar(&timeSteps, "time-steps", 0, "benchmark: time this many Adam steps after one warm-up and print them as JSON (nothing is written)")
	_ = f.MarkHidden("time-steps")
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

// timeAdamSteps prints the wall time of single Adam steps of the problem as JSON, the format of
// the PyTorch peer (scripts/peers/torch_pinn_step.py), for scripts/bench-pinn.sh.
func timeAdamSteps(cmd *cobra.Command, p *pinn.Problem, opt pinn.Options, n int) error {
	ms, info, err := pinn.TimeAdamSteps(p, opt, n)
	if err != nil {
		return err
	}
	return json.NewEncoder(cmd.OutOrStdout()).Encode(map[string]any{
		"peer": "inr " + version, "dtype": "float64", "threads": pinn.Threads(), "points": info.Points,
		"blocks": info.Blocks, "plan": info.Plan, "ms": ms,
	})
}
