package main

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
)

func init() { addCommand(newBenchCmd) }

// benchCommands holds the subcommands of `inr bench`; other files add theirs in init.
var benchCommands = []func() *cobra.Command{newBenchFitCmd}

func newBenchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Benchmarks: the timed training steps the README quotes (beside their peers' when run by their scripts), and comparisons of architectures on an image",
		Args:  cobra.NoArgs,
	}
	for _, c := range benchCommands {
		cmd.AddCommand(c())
	}
	return cmd
}

func newBenchFitCmd() *cobra.Command {
	var side, steps, warmup, threads int
	var model string
	var set []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "fit",
		Short: "Time the full-batch training step of image fitting (forward, MSE, backward, Adam)",
		Long: `Time the training step of inr fit on a side×side grid in full batch (every pixel): forward,
MSE loss, backward and the Adam update, exactly the code a fit runs. The target is
sin(3x)·cos(2y), as in scripts/peers/torch_siren_step.py. The network is the peer's: SIREN
2→256→256→256→1, three sine layers of width 256 (hidden_layers=2; inr fit's default SIREN has one
more hidden layer, as the siren repository's default); --set changes any setting. Prints the
median and every step's time; --json prints one line in the peer's format for scripts/bench-fit.sh.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if side < 2 || steps < 1 || warmup < 0 || threads < 0 {
				return fmt.Errorf("--side %d, --steps %d, --warmup %d, --threads %d: need side ≥ 2, steps ≥ 1, warmup ≥ 0, threads ≥ 0",
					side, steps, warmup, threads)
			}
			cfg, err := inr.ConfigFor(model, nil)
			if err != nil {
				return err
			}
			if model == "siren" {
				cfg.(*inr.SirenConfig).Hidden = 2 // the peer's 2→256→256→256→1
			}
			if err := fitcli.ApplySets(model, cfg, set); err != nil {
				return err
			}
			probe, err := inr.NewModel(model, cfg, 2, 1, 0)
			if err != nil {
				return fmt.Errorf("model %s: %w", model, err)
			}
			params := probe.NumParams()
			setThreads(threads)
			im := inr.NewImage(side, side, 1, 8)
			x := inr.GridCoords(side, side)
			for p := range side * side {
				// The peer's target on [-1, 1], stored as an image value on [0, 1].
				im.Pix[p] = (math.Sin(3*x.At(p, 0))*math.Cos(2*x.At(p, 1)) + 1) / 2
			}
			times, err := inr.StepTimes(im, inr.FitOptions{Arch: model, Config: cfg, Steps: warmup + steps}, warmup, steps)
			if err != nil {
				return err
			}
			ms, cpu := millis(times)
			med, cpuMed := median(ms), median(cpu)
			w := cmd.OutOrStdout()
			if asJSON {
				return json.NewEncoder(w).Encode(map[string]any{"peer": "inr " + version, "model": model, "dtype": "float64",
					"threads": runtime.GOMAXPROCS(0), "side": side, "params": params, "kernel": kernelName(), "ms": ms, "cpu_ms": cpu,
					"median_ms": med, "median_cpu_ms": cpuMed})
			}
			fmt.Fprintf(w, "%s (%d parameters) full-batch step, %d² points, float64, %d thread(s), kernel %s: median %.1f ms wall, %.1f ms CPU over %d steps\n",
				model, params, side, runtime.GOMAXPROCS(0), kernelName(), med, cpuMed, len(ms))
			fmt.Fprintf(w, "  wall ms %v\n  CPU ms  %v\n", roundAll(ms), roundAll(cpu))
			return nil
		},
	}
	fl := cmd.Flags()
	fl.IntVar(&side, "side", 256, "image side: side² points per step")
	fl.IntVar(&steps, "steps", 5, "timed steps")
	fl.IntVar(&warmup, "warmup", 1, "untimed steps first")
	fl.IntVar(&threads, "threads", 1, "worker threads (GOMAXPROCS; 0: all CPUs)")
	fl.StringVar(&model, "model", "siren", "architecture")
	fl.StringArrayVar(&set, "set", nil, "one architecture setting, key=value (repeatable)")
	fl.BoolVar(&asJSON, "json", false, "print one JSON line (for scripts)")
	return cmd
}

// millis returns the steps' wall and CPU times in milliseconds.
func millis(times []inr.StepTime) (wall, cpu []float64) {
	wall, cpu = make([]float64, len(times)), make([]float64, len(times))
	for i, t := range times {
		wall[i] = float64(t.Wall) / float64(time.Millisecond)
		cpu[i] = float64(t.CPU) / float64(time.Millisecond)
	}
	return wall, cpu
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func roundAll(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Round(x*10) / 10
	}
	return out
}
