package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fsutil"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/multistage"
	"github.com/inrstudio/studio/pinn/expr"
	"github.com/inrstudio/studio/render"
)

func init() { addCommand(newFitFnCmd) }

type fitFnFlags struct {
	expr, domain, csv, out  string
	points, stages, threads int
	adam, lbfgs             int
	tol                     float64
	seed                    uint64
	quiet                   bool
}

func newFitFnCmd() *cobra.Command {
	var f fitFnFlags
	cmd := &cobra.Command{
		Use:   "fit-fn (--expr EXPR [--domain x=A:B,…] | --csv FILE)",
		Short: "Fit a function to machine precision with a multi-stage network (regression, float64)",
		Long: `Fit a function of one or more variables with a multi-stage neural network (Wang & Lai,
J. Comput. Phys. 2024): stage 1 fits the samples, every later stage fits the residual the
stages before it left, scaled to order one (prefactor ε from the residual's size, first-layer
scale κ from its dominant frequency). Each stage trains with Adam then L-BFGS, in float64: four
stages take a smooth function from ~1e-6 to ~1e-12 relative error.

The samples come from an expression of the variables named by --domain, on a grid of --points
per axis (stages 3 and later on a denser grid, as the paper does; held-out errors at 8000 or
more uniformly random points of the box), or from a CSV file: one sample per line, the
coordinates then the value, with an optional header line of names.

Writes into DIR (default runs/fit-fn): model.safetensors (every stage; ` + "`inr eval`" + ` evaluates
it at points, and numpy reads it as the README shows), metrics.json (per-stage ε, κ, iterations
and errors), stages.png (relative L2 error after each stage, log scale) and, for one input,
error.png (|u − û| along x after each stage). Ctrl-C ends the current stage and keeps the
finished ones.`,
		Example: `  inr fit-fn --expr "sin(2*x+1) + 0.2*exp(1.3*x)" --domain x=-1:1
  inr fit-fn --expr "sin(pi*x)*cos(2*pi*y)" --domain x=0:1,y=0:1 --points 81 --stages 3
  inr fit-fn --csv samples.csv --out runs/mydata --tol 1e-12`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runFitFn(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.expr, "expr", "", "the function to fit, of the variables named by --domain (e.g. \"sin(2*x+1)\")")
	fl.StringVar(&f.domain, "domain", "x=-1:1", "variables and their ranges for --expr, comma-separated (e.g. x=0:1,y=-1:1)")
	fl.StringVar(&f.csv, "csv", "", "CSV file of samples: coordinates then the value on each line, optional header")
	fl.IntVar(&f.points, "points", 0, "grid points per axis for --expr (0: 1501 for one variable, 101 for two, 26 for three, 10 above)")
	fl.IntVar(&f.stages, "stages", 4, "stages to train (the paper's recipe has 4; more repeat its last stage)")
	fl.IntVar(&f.adam, "adam", 0, "Adam steps of every stage (0: the recipe's 3000 for stage 1, 5000 after)")
	fl.IntVar(&f.lbfgs, "lbfgs", 0, "L-BFGS iterations of every stage (0: the recipe's 3333, 6666, 10000, 13333)")
	fl.Float64Var(&f.tol, "tol", 0, "stop adding stages once the relative L2 training error is ≤ this (0: train every stage)")
	fl.Uint64Var(&f.seed, "seed", 0, "seed of the networks' initial weights (stage k draws from seed+k)")
	fl.StringVarP(&f.out, "out", "o", "runs/fit-fn", "run folder")
	fl.IntVar(&f.threads, "threads", 0, "worker threads (GOMAXPROCS; 0: all CPUs)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no per-stage lines")
	return cmd
}

// fitFnMetrics is metrics.json of a fit-fn run.
type fitFnMetrics struct {
	Model  string   `json:"model"`
	Source string   `json:"source"`
	Inputs []string `json:"inputs"`
	Points int      `json:"points"`
	// DensePoints are the samples of stages 3 and later (an expression's denser grid).
	DensePoints int                      `json:"dense_points,omitempty"`
	EvalPoints  int                      `json:"eval_points"`
	Stages      []multistage.StageReport `json:"stages"`
	Train       multistage.Errors        `json:"train"`
	Eval        *multistage.Errors       `json:"eval,omitempty"`
	Seconds     float64                  `json:"seconds"`
	Seed        uint64                   `json:"seed"`
	Stop        string                   `json:"stop"`
	Version     string                   `json:"version"`
}

func runFitFn(cmd *cobra.Command, f fitFnFlags) error {
	if (f.expr == "") == (f.csv == "") {
		return fmt.Errorf("give the function as --expr EXPR (with --domain) or the samples as --csv FILE, one of the two")
	}
	if f.csv != "" && (cmd.Flags().Changed("domain") || f.points != 0) {
		return fmt.Errorf("--domain and --points describe --expr samples; --csv brings its own points")
	}
	if f.stages < 1 {
		return fmt.Errorf("--stages %d: want ≥ 1", f.stages)
	}
	if f.points < 0 || f.points == 1 {
		return fmt.Errorf("--points %d: want ≥ 2 per axis (0: the default)", f.points)
	}
	if !(f.tol >= 0) || math.IsInf(f.tol, 0) {
		return fmt.Errorf("--tol %g: want a finite number ≥ 0", f.tol)
	}
	if f.threads < 0 || f.adam < 0 || f.lbfgs < 0 {
		return fmt.Errorf("--threads, --adam and --lbfgs must be ≥ 0")
	}
	setThreads(f.threads)

	var (
		data        multistage.Samples
		dense, eval *multistage.Samples // an expression's: stages 3+ samples, held-out samples
		names       []string
		source      string
		err         error
	)
	if f.expr != "" {
		source = f.expr
		var tr, de, ev multistage.Samples
		tr, de, ev, names, err = exprSamples(f.expr, f.domain, f.points)
		data, dense, eval = tr, &de, &ev
	} else {
		source = f.csv
		data, names, err = csvSamples(f.csv)
	}
	if err != nil {
		return err
	}
	stages := multistage.DefaultStages()
	for len(stages) < f.stages {
		stages = append(stages, stages[len(stages)-1])
	}
	stages = stages[:f.stages]
	if len(stages) <= 2 {
		dense = nil // only stages 3 and later train on the denser grid
	}
	for k := range stages {
		if k >= 2 && dense != nil {
			stages[k].Data = dense
		}
		if f.adam > 0 {
			stages[k].AdamSteps = f.adam
		}
		if f.lbfgs > 0 {
			stages[k].LBFGSIter = f.lbfgs
		}
	}

	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return fmt.Errorf("--out %s: %w", f.out, err)
	}
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
	defer stop()
	w := cmd.OutOrStdout()
	if !f.quiet {
		more := ""
		if dense != nil {
			more = fmt.Sprintf(" (%d from stage 3 on)", dense.N())
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "fitting %s: %d samples%s of %d input(s), up to %d stages\n", source, data.N(), more, data.Dim(), len(stages))
	}
	start := time.Now()
	model, reports, fitErr := multistage.Fit(ctx, data, multistage.Options{
		Stages: stages, Seed: f.seed, Tol: f.tol, Eval: eval,
		OnStage: func(r multistage.StageReport) {
			if f.quiet {
				return
			}
			line := fmt.Sprintf("stage %d: ε %.3g, κ %.3g, %d Adam + %d L-BFGS, rel L2 %.3g (max |err| %.3g)",
				r.Stage, r.Plan.Epsilon, r.Plan.Kappa, r.AdamSteps, r.LBFGSIter, r.Train.RelRMS, r.Train.MaxAbs)
			if eval != nil && r.Kept {
				line += fmt.Sprintf(", held-out %.3g", r.Eval.RelRMS)
			}
			if !r.Kept {
				line += " — dropped: it did not lower the error"
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "%s, %.1f s\n", line, r.Seconds)
		},
	})
	if model == nil || len(model.Stages) == 0 {
		if fitErr == nil {
			fitErr = errors.New("no stage finished")
		}
		return fmt.Errorf("fit-fn: %w (nothing written to %s)", fitErr, f.out)
	}
	m := fitFnMetrics{Model: multistage.Architecture, Source: source, Inputs: names, Points: data.N(),
		Stages: reports, Seconds: time.Since(start).Seconds(), Seed: f.seed, Stop: "completed", Version: version}
	switch {
	case fitErr != nil:
		m.Stop = "error: " + fitErr.Error()
	case ctx.Err() != nil:
		m.Stop = "interrupted"
	}
	if dense != nil {
		m.DensePoints = dense.N()
	}
	if m.Train, err = model.Evaluate(data, len(model.Stages)); err != nil {
		return err
	}
	if eval != nil {
		m.EvalPoints = eval.N()
		e, err := model.Evaluate(*eval, len(model.Stages))
		if err != nil {
			return err
		}
		m.Eval = &e
	}
	if err := writeFitFnRun(f.out, model, data, eval, m); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d stage(s), relative L2 error %.3g (max |err| %.3g)", len(model.Stages), m.Train.RelRMS, m.Train.MaxAbs)
	if m.Eval != nil {
		fmt.Fprintf(w, ", held-out %.3g", m.Eval.RelRMS)
	}
	fmt.Fprintf(w, " in %.1f s; outputs in %s\n", m.Seconds, f.out)
	if fitErr != nil {
		return fmt.Errorf("fit-fn: %w (the stages before it are saved in %s)", fitErr, f.out)
	}
	return nil
}

// writeFitFnRun writes the model, the plots and metrics.json (last), each file atomically.
func writeFitFnRun(dir string, model *multistage.Composite, data multistage.Samples, eval *multistage.Samples, m fitFnMetrics) error {
	if err := model.SaveFile(filepath.Join(dir, inr.ModelFile), version); err != nil {
		return err
	}
	// Relative L2 error after each kept stage.
	var idx, train, held []float64
	for _, r := range m.Stages {
		if r.Kept {
			idx = append(idx, float64(len(idx)+1))
			train = append(train, r.Train.RelRMS)
			held = append(held, r.Eval.RelRMS)
		}
	}
	series := []render.Series{{Name: "training samples", X: idx, Y: train, Marker: render.MarkerCircle}}
	if eval != nil {
		series = append(series, render.Series{Name: "held-out samples", X: idx, Y: held, Marker: render.MarkerCircle, Dashed: true})
	}
	img, err := render.LinePlot(series, render.PlotOptions{Title: "multi-stage fit", XLabel: "stages", YLabel: "relative L2 error", YLog: true})
	if err != nil {
		return err
	}
	if err := render.WritePNG(filepath.Join(dir, "stages.png"), img); err != nil {
		return err
	}
	if data.Dim() == 1 {
		if err := writeStageErrors(filepath.Join(dir, "error.png"), model, data); err != nil {
			return err
		}
	}
	return fsutil.WriteFile(filepath.Join(dir, inr.MetricsFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
}

// writeStageErrors plots |u − û| along x after each stage of a 1-D model.
func writeStageErrors(path string, model *multistage.Composite, data multistage.Samples) error {
	n := data.N()
	order := make([]int, n) // the samples sorted by x, for a line plot
	for i := range order {
		order[i] = i
	}
	x := data.X
	sort.SliceStable(order, func(a, b int) bool { return x.At(order[a], 0) < x.At(order[b], 0) })
	xs := make([]float64, n)
	for k, i := range order {
		xs[k] = x.At(i, 0)
	}
	var series []render.Series
	for s := 1; s <= len(model.Stages); s++ {
		pred, err := model.PredictStages(x, s)
		if err != nil {
			return err
		}
		e := make([]float64, n)
		for k, i := range order {
			e[k] = math.Abs(data.Y[i] - pred[i])
		}
		series = append(series, render.Series{Name: fmt.Sprintf("after stage %d", s), X: xs, Y: e})
	}
	img, err := render.LinePlot(series, render.PlotOptions{Title: "|u − û| after each stage", XLabel: "x", YLabel: "absolute error", YLog: true})
	if err != nil {
		return err
	}
	return render.WritePNG(path, img)
}

// exprSamples evaluates src on a grid of points per axis over the domain (the training samples
// of stages 1–2), on a denser grid (stages 3 and later fit higher frequencies: the paper goes
// from 1501 to 4801 points in 1-D, ×3.2 per axis; ×2 per axis above one variable) and at
// uniformly random points of the box (held-out samples, as the paper's evaluation set).
func exprSamples(src, domain string, points int) (train, dense, eval multistage.Samples, names []string, err error) {
	names, lo, hi, err := parseDomain(domain)
	if err != nil {
		return train, dense, eval, nil, err
	}
	prog, err := expr.Compile(src, &expr.Env{Vars: names})
	if err != nil {
		return train, dense, eval, nil, fmt.Errorf("--expr %q: %w", src, err)
	}
	d := len(names)
	if points == 0 {
		points = map[int]int{1: 1501, 2: 101, 3: 26}[d]
		if points == 0 {
			points = 10
		}
	}
	densePoints := 2*(points-1) + 1
	if d == 1 {
		densePoints = int(3.2*float64(points-1)) + 1
	}
	if math.Pow(float64(densePoints), float64(d)) > 4e6 {
		return train, dense, eval, nil, fmt.Errorf("--points %d over %d variables makes more than 4 million samples in the later stages' denser grid: lower --points", points, d)
	}
	grid := func(n int) [][]float64 {
		var axes [][]float64
		for k := range names {
			axes = append(axes, multistage.Linspace(lo[k], hi[k], n))
		}
		return axes
	}
	values := func(s *multistage.Samples) error {
		cols := make([][]float64, len(prog.Inputs()))
		for c, sym := range prog.Inputs() {
			col := make([]float64, s.N())
			for i := range col {
				col[i] = s.X.At(i, sym.Index)
			}
			cols[c] = col
		}
		s.Y = append([]float64(nil), prog.Eval(s.N(), cols, nil)...)
		for i, v := range s.Y {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("--expr %q is %v at %v: fit a function that is finite over --domain %s", src, v, s.X.Row(i), domain)
			}
		}
		return nil
	}
	zero := func([]float64) float64 { return 0 }
	train = multistage.GridSamples(grid(points), zero)
	dense = multistage.GridSamples(grid(densePoints), zero)
	n := min(max(train.N(), 8000), 200_000)
	r := rand.New(rand.NewPCG(1, 2))
	eval = multistage.Samples{X: kernel.NewMatrix(n, d)}
	for i := range n {
		for k := range d {
			eval.X.Set(i, k, lo[k]+(hi[k]-lo[k])*r.Float64())
		}
	}
	for _, s := range []*multistage.Samples{&train, &dense, &eval} {
		if err := values(s); err != nil {
			return train, dense, eval, nil, err
		}
	}
	return train, dense, eval, names, nil
}

// parseDomain reads "x=-1:1,y=0:2" into names and bounds.
func parseDomain(s string) (names []string, lo, hi []float64, err error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("--domain %q: %s (the form is x=-1:1,y=0:2)", s, fmt.Sprintf(format, a...))
	}
	for _, part := range strings.Split(s, ",") {
		name, rng, ok := strings.Cut(strings.TrimSpace(part), "=")
		a, b, ok2 := strings.Cut(rng, ":")
		if !ok || !ok2 || strings.TrimSpace(name) == "" {
			return nil, nil, nil, bad("%q is not name=low:high", part)
		}
		name = strings.TrimSpace(name)
		for _, n := range names {
			if n == name {
				return nil, nil, nil, bad("variable %s appears twice", name)
			}
		}
		l, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
		h, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if err1 != nil || err2 != nil || !(h > l) || math.IsInf(l, 0) || math.IsInf(h, 0) {
			return nil, nil, nil, bad("the range of %s must be two finite numbers, low < high", name)
		}
		names, lo, hi = append(names, name), append(lo, l), append(hi, h)
	}
	return names, lo, hi, nil
}

// csvSamples reads samples from CSV: on each line the coordinates, then the value.
func csvSamples(path string) (multistage.Samples, []string, error) {
	in, err := os.Open(path)
	if err != nil {
		return multistage.Samples{}, nil, fmt.Errorf("--csv: %w", err)
	}
	defer in.Close()
	header, all, err := inr.ReadPoints(in, path, 0)
	if err != nil {
		return multistage.Samples{}, nil, err
	}
	d := all.Cols - 1
	if d < 1 {
		return multistage.Samples{}, nil, fmt.Errorf("%s: each line needs the coordinates and then the value (at least 2 columns, found %d)", path, all.Cols)
	}
	x := kernel.NewMatrix(all.Rows, d)
	y := make([]float64, all.Rows)
	for i := 0; i < all.Rows; i++ {
		copy(x.Row(i), all.Row(i)[:d])
		y[i] = all.At(i, d)
	}
	names := header
	if names != nil {
		names = names[:d]
	} else {
		for k := range d {
			names = append(names, fmt.Sprintf("x%d", k+1))
		}
	}
	return multistage.Samples{X: x, Y: y}, names, nil
}
