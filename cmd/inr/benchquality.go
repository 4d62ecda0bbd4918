package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/fsutil"
)

func init() { benchCommands = append(benchCommands, newBenchQualityCmd) }

// qualityRow is one architecture's fits in a comparison: their figures only, not the fits
// themselves (a fitted network keeps its training buffers: hundreds of MB at 256²).
type qualityRow struct {
	model  string
	params int
	fits   []fitFigures
	notes  []string
}

// fitFigures are what the table shows of a fit.
type fitFigures struct {
	steps                     int
	seconds, psnr, best, ssim float64
}

func newBenchQualityCmd() *cobra.Command {
	var f fitcli.Flags
	var models, seeds string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "quality IMAGE",
		Short: "Compare architectures on one image: fit each (and each seed) and print a table",
		Long: `Fit the image with every architecture of --models (and every seed of --seeds) under the same
budget — --steps, or --time-limit for a comparison at equal wall time, as the WIRE and FINER
papers compare — and print a table: parameters, steps, seconds, PSNR, best PSNR and SSIM (the
median over the seeds, with the range). Every fit is an ordinary inr fit: its run folder is
DIR/<model>-s<seed> (--out DIR, default runs/bench-<image>), and DIR/table.md holds the table.
A fit that diverges is kept with its best state and noted; Ctrl-C stops the current fit, writes
its outputs and prints the table of the fits so far (a comparison is not resumed: run it again). Each architecture runs at its own learning
rate unless --lr is given; --schedule, --warmup, --rollback, --size, --batch and the other fit
flags apply to every fit.`,
		Example: `  inr bench quality assets/camera-128.png --models siren,wire,finer,gauss --steps 300
  inr bench quality photo.jpg --size 256 --models siren,sl2a,fkan --time-limit 2m --seeds 0,1,2`,
		Args: exactArgs(1, "IMAGE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, name := range []string{"model", "seed", "resume", "init", "config", "set"} {
				if cmd.Flags().Changed(name) {
					return fmt.Errorf("--%s is not for a comparison: give the architectures with --models and the seeds with --seeds (inr fit takes --%s)", name, name)
				}
			}
			return runBenchQuality(cmd, args[0], f, models, seeds, quiet)
		},
	}
	fl := cmd.Flags()
	f.Register(fl)
	for _, name := range []string{"model", "seed", "resume", "init", "config", "set"} {
		_ = fl.MarkHidden(name)
	}
	fl.Lookup("steps").DefValue = "300"
	f.Steps = 300
	fl.Lookup("out").Usage = "folder of the run folders and table.md (default runs/bench-<image>)"
	fl.StringVar(&models, "models", "siren,wire,gauss,finer,relu_pe,relu_ff,spder,sl2a,fkan,cauchy", "architectures to compare, comma separated (see `inr models`)")
	fl.StringVar(&seeds, "seeds", "0", "seeds, comma separated: every architecture is fitted once per seed")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no line per fit, only the table")
	return cmd
}

func runBenchQuality(cmd *cobra.Command, path string, f fitcli.Flags, modelList, seedList string, quiet bool) error {
	models, err := splitList("--models", modelList)
	if err != nil {
		return err
	}
	for _, m := range models {
		if _, err := inr.LookupArch(m); err != nil {
			return fmt.Errorf("--models: %w", err)
		}
	}
	var seeds []uint64
	seedStrs, err := splitList("--seeds", seedList)
	if err != nil {
		return err
	}
	for _, s := range seedStrs {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("--seeds %s: %q is not a seed (a non-negative integer)", seedList, s)
		}
		seeds = append(seeds, v)
	}
	if f.Threads < 0 {
		return fmt.Errorf("--threads %d: need ≥ 0", f.Threads)
	}
	setThreads(f.Threads)
	dir := f.Out
	if dir == "" {
		dir = filepath.Join("runs", "bench-"+strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)))
	}
	stderr := cmd.ErrOrStderr()
	ctx, stopSignals := interruptContext(cmd.Context(), stderr)
	defer stopSignals()
	changed := func(flag string) bool { return flag == "model" || cmd.Flags().Changed(flag) }

	var rows []*qualityRow
	var size [2]int
	interrupted := false
	for _, model := range models {
		row := &qualityRow{model: model}
		rows = append(rows, row)
		for _, seed := range seeds {
			g := f
			g.Model, g.Seed = model, seed
			g.Out = filepath.Join(dir, fmt.Sprintf("%s-s%d", model, seed))
			prep, err := fitcli.Prepare(path, g, changed)
			if err != nil {
				return err
			}
			size = [2]int{prep.Image.W, prep.Image.H}
			row.params = prep.Fitter.Model().NumParams()
			if _, err := makeDir(prep.Dir); err != nil {
				return err
			}
			res, fitErr := prep.Fitter.Run(ctx)
			if res == nil {
				return fitErr
			}
			if err := writeRunFolder(res, prep); err != nil {
				return err
			}
			row.fits = append(row.fits, fitFigures{steps: res.Steps, seconds: res.Seconds, psnr: res.PSNR, best: res.BestPSNR, ssim: res.SSIM})
			note := ""
			switch {
			case inr.IsDiverged(fitErr):
				note = fmt.Sprintf("seed %d diverged after %d steps (best state kept)", seed, res.Steps)
			case fitErr != nil:
				return fitErr
			case res.Stop == inr.StopInterrupted:
				note = fmt.Sprintf("seed %d interrupted after %d steps", seed, res.Steps)
				interrupted = true
				// A comparison does not resume its fits: the checkpoint would only make the next
				// run into this folder refuse to start.
				if err := os.Remove(prep.Options.Checkpoint); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
			if note != "" {
				row.notes = append(row.notes, note)
			}
			if !quiet {
				fmt.Fprintf(stderr, "%s seed %d: PSNR %.2f dB, best %.2f dB at step %d, SSIM %.4f, %d steps in %.1f s → %s/\n",
					model, seed, res.PSNR, res.BestPSNR, res.BestStep, res.SSIM, res.Steps, res.Seconds, prep.Dir)
			}
			if interrupted {
				break
			}
		}
		if interrupted {
			break
		}
	}
	budget := fmt.Sprintf("%d steps", f.Steps)
	if f.TimeLimit > 0 {
		budget += fmt.Sprintf(" or %v", f.TimeLimit)
	}
	title := fmt.Sprintf("%s (%d×%d), %s per fit, seeds %s", filepath.Base(path), size[0], size[1], budget, strings.Join(seedStrs, ", "))
	table := qualityTable(title, rows)
	fmt.Fprint(cmd.OutOrStdout(), table)
	if err := fsutil.WriteFile(filepath.Join(dir, "table.md"), func(w io.Writer) error {
		_, err := io.WriteString(w, table)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "run folders and table.md in %s/\n", dir)
	if interrupted {
		return &exitError{code: 130, err: errors.New("interrupted: the table holds the fits so far")}
	}
	return nil
}

// qualityTable formats the comparison as a Markdown table: per architecture the medians over
// its seeds, and the range when there are several.
func qualityTable(title string, rows []*qualityRow) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", title)
	b.WriteString("| model | parameters | steps | seconds | PSNR (dB) | best PSNR (dB) | SSIM | notes |\n")
	b.WriteString("|---|---|---|---|---|---|---|---|\n")
	// The highest median PSNR is in bold.
	best, bestPSNR := -1, math.Inf(-1)
	for i, r := range rows {
		if len(r.fits) == 0 {
			continue
		}
		v := make([]float64, len(r.fits))
		for k, f := range r.fits {
			v[k] = f.psnr
		}
		if m := median(v); m > bestPSNR {
			best, bestPSNR = i, m
		}
	}
	for i, r := range rows {
		if len(r.fits) == 0 {
			continue
		}
		col := func(get func(fitFigures) float64) []float64 {
			v := make([]float64, len(r.fits))
			for i, res := range r.fits {
				v[i] = get(res)
			}
			return v
		}
		stat := func(v []float64, prec int) string {
			f := func(x float64) string { return strconv.FormatFloat(x, 'f', prec, 64) }
			s := f(median(v))
			if lo, hi := f(slices.Min(v)), f(slices.Max(v)); lo != hi {
				s += fmt.Sprintf(" (%s–%s)", lo, hi)
			}
			return s
		}
		psnr := stat(col(func(x fitFigures) float64 { return x.psnr }), 2)
		if i == best {
			psnr = "**" + psnr + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.model, groupDigits(r.params),
			stat(col(func(x fitFigures) float64 { return float64(x.steps) }), 0),
			stat(col(func(x fitFigures) float64 { return x.seconds }), 1),
			psnr,
			stat(col(func(x fitFigures) float64 { return x.best }), 2),
			stat(col(func(x fitFigures) float64 { return x.ssim }), 4),
			strings.Join(r.notes, "; "))
	}
	return b.String()
}

// splitList splits a comma-separated flag value, refusing empty entries.
func splitList(flag, s string) ([]string, error) {
	var out []string
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if v == "" {
			return nil, fmt.Errorf("%s %q: an empty entry (give names separated by commas)", flag, s)
		}
		out = append(out, v)
	}
	return out, nil
}
