package fitcli

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/inrstudio/studio/pinn"
)

// SolveFlags are the flags of a PDE solve that inr solve and inr-view solve share. Those given
// on the command line override the problem file's train section.
type SolveFlags struct {
	Out       string
	Steps     int
	LBFGS     int
	Seed      uint64
	TimeLimit time.Duration
	Threads   int
}

// Register adds the solve flags to fl.
func (f *SolveFlags) Register(fl *pflag.FlagSet) {
	fl.StringVarP(&f.Out, "out", "o", "", "run folder (default runs/<file name>)")
	fl.IntVar(&f.Steps, "steps", 0, "Adam steps (overrides train.adam_steps)")
	fl.IntVar(&f.LBFGS, "lbfgs", 0, "L-BFGS iterations (overrides train.lbfgs_iterations)")
	fl.Uint64Var(&f.Seed, "seed", 0, "seed of the network initialisation and of the collocation points")
	fl.Var(Duration{&f.TimeLimit}, "time-limit", "stop training after this long, e.g. 90s or 3m, or seconds (overrides train.time_limit; 0: none)")
	fl.IntVar(&f.Threads, "threads", 0, "worker threads (GOMAXPROCS; 0: all CPUs)")
}

// Options checks the flags and returns the solver options they set; changed says whether a flag
// was given (only those override the problem file).
func (f *SolveFlags) Options(changed func(flag string) bool) (pinn.Options, error) {
	var opt pinn.Options
	if f.Threads < 0 {
		return opt, fmt.Errorf("--threads %d: need ≥ 0", f.Threads)
	}
	if changed("steps") {
		if f.Steps < 0 {
			return opt, fmt.Errorf("--steps %d: want ≥ 0", f.Steps)
		}
		opt.AdamSteps = &f.Steps
	}
	if changed("lbfgs") {
		if f.LBFGS < 0 {
			return opt, fmt.Errorf("--lbfgs %d: want ≥ 0", f.LBFGS)
		}
		opt.LBFGSIterations = &f.LBFGS
	}
	if changed("seed") {
		opt.Seed = &f.Seed
	}
	if changed("time-limit") {
		if f.TimeLimit < 0 {
			return opt, fmt.Errorf("--time-limit %v: need ≥ 0 (0: none)", f.TimeLimit)
		}
		secs := f.TimeLimit.Seconds()
		opt.TimeLimit = &secs
	}
	return opt, nil
}

// Dir is the run folder of the problem file at path: --out, or runs/<its name>.
func (f *SolveFlags) Dir(path string) string {
	if f.Out != "" {
		return f.Out
	}
	base := filepath.Base(path)
	return filepath.Join("runs", strings.TrimSuffix(base, filepath.Ext(base)))
}
