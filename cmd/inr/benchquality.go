package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

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
	Params  int           `json:"params"`
	Steps   int           `json:"steps"`
	Seconds inr.JSONFloat `json:"seconds"`
	PSNR    inr.JSONFloat `json:"psnr"`
	Best    inr.JSONFloat `json:"best_psnr"`
	SSIM    inr.JSONFloat `json:"ssim"`
	Note    string        `json:"note,omitempty"`
}

func newBenchQualityCmd() *cobra.Command {
	var f fitcli.Flags
	var models, seeds string
	var quiet, cont bool
	cmd := &cobra.Command{
		Use:   "quality IMAGE",
		Short: "Compare architectures on one image: fit each (and each seed) and print a table",
		Long: `Fit the image with every architecture of --models (and every seed of --seeds) under the same
budget — --steps, or --time-limit for a comparison at equal wall time, as the WIRE and FINER
papers compare — and print a table: parameters, steps, seconds, PSNR, best PSNR and SSIM (the
median over the seeds, with the range). Every fit is an ordinary inr fit: its run folder is
DIR/<model>-s<seed> (--out DIR, default runs/bench-<image>), and DIR/table.md holds the table.
A fit that diverges is kept with its best state and noted; Ctrl-C stops the current fit, writes
its outputs, keeps its checkpoint and prints the table of the fits so far; the same command with
--continue goes on from there (DIR/comparison.json records the settings and the fits done, so a
comparison can also grow by more --models or --seeds). Each architecture runs at its own
learning rate unless --lr is given; --schedule, --warmup, --rollback, --size, --batch and the other fit
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
			return runBenchQuality(cmd, args[0], f, models, seeds, quiet, cont)
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
	fl.StringVar(&models, "models", "siren,wire,gauss,finer,relu_pe,relu_ff,spder,sl2a,fkan,cauchy", "architectures to compare, comma-separated `names` (inr models lists them)")
	fl.StringVar(&seeds, "seeds", "0", "seeds, comma separated: every architecture is fitted once per seed")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no line per fit, only the table")
	fl.BoolVar(&cont, "continue", false, "go on with the interrupted comparison in --out: the fits it finished are kept, the one it stopped in resumes from its checkpoint, the rest run (same flags needed; --models and --seeds may add fits)")
	return cmd
}

func runBenchQuality(cmd *cobra.Command, path string, f fitcli.Flags, modelList, seedList string, quiet, cont bool) error {
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
	folder := func(model string, seed uint64) string { return filepath.Join(dir, fitKey(model, seed)) }
	rec := &comparison{Settings: comparisonSettings(cmd, path), Fits: map[string]fitFigures{}}
	if cont {
		if rec, err = continueComparison(dir, rec.Settings); err != nil {
			return err
		}
	} else {
		for _, model := range models {
			for _, seed := range seeds {
				if _, err := os.Stat(filepath.Join(folder(model, seed), inr.CheckpointFile)); err == nil {
					return fmt.Errorf("--out %s holds an interrupted comparison (%s stopped unfinished): continue it with the same command and --continue, or choose another --out",
						dir, fitKey(model, seed))
				}
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := rec.save(dir); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	ctx, stopSignals := interruptContext(cmd.Context(), stderr)
	defer stopSignals()
	changed := func(flag string) bool { return flag == "model" || cmd.Flags().Changed(flag) }

	shown := rec.Fits // the table's fits: the record's, and the one Ctrl-C stopped
	interrupted := false
fits:
	for _, model := range models {
		for _, seed := range seeds {
			key := fitKey(model, seed)
			if fit, ok := rec.Fits[key]; ok {
				if !quiet {
					fmt.Fprintf(stderr, "%s seed %d: PSNR %.2f dB (done before, %s/)\n", model, seed, float64(fit.PSNR), folder(model, seed))
				}
				continue
			}
			g := f
			g.Model, g.Seed = model, seed
			g.Out = folder(model, seed)
			prepPath, prepChanged := path, changed
			if _, err := os.Stat(filepath.Join(g.Out, inr.CheckpointFile)); err == nil && cont {
				// The fit the comparison was interrupted in: its checkpoint holds the settings,
				// checked equal to this command's above.
				g.Resume, prepPath, prepChanged = g.Out, "", func(string) bool { return false }
			}
			prep, err := fitcli.Prepare(prepPath, g, prepChanged)
			if err != nil {
				return err
			}
			rec.Width, rec.Height = prep.Image.W, prep.Image.H
			if _, err := makeDir(prep.Dir); err != nil {
				return err
			}
			if g.Resume != "" && !quiet {
				fmt.Fprintf(stderr, "%s seed %d: continuing at step %d of %d\n", model, seed, prep.Resumed, prep.Options.Steps)
			}
			res, fitErr := prep.Fitter.Run(ctx)
			if res == nil {
				return fitErr
			}
			if err := writeRunFolder(res, prep); err != nil {
				return err
			}
			fit := fitFigures{Params: prep.Fitter.Model().NumParams(), Steps: res.Steps, Seconds: inr.JSONFloat(res.Seconds),
				PSNR: inr.JSONFloat(res.PSNR), Best: inr.JSONFloat(res.BestPSNR), SSIM: inr.JSONFloat(res.SSIM)}
			switch {
			case inr.IsDiverged(fitErr):
				fit.Note = fmt.Sprintf("seed %d diverged after %d steps (best state kept)", seed, res.Steps)
			case fitErr != nil:
				return fitErr
			case res.Stop == inr.StopInterrupted:
				fit.Note = fmt.Sprintf("seed %d interrupted after %d steps", seed, res.Steps)
			}
			if !quiet {
				fmt.Fprintf(stderr, "%s seed %d: PSNR %.2f dB, best %.2f dB at step %d, SSIM %.4f, %d steps in %.1f s → %s/\n",
					model, seed, res.PSNR, res.BestPSNR, res.BestStep, res.SSIM, res.Steps, res.Seconds, prep.Dir)
			}
			if interrupted = res.Stop == inr.StopInterrupted; interrupted {
				// In the table, not in the record: its checkpoint stays for --continue.
				shown = maps.Clone(rec.Fits)
				shown[key] = fit
				break fits
			}
			rec.Fits[key] = fit
			if err := rec.save(dir); err != nil {
				return err
			}
		}
	}
	var rows []*qualityRow
	for _, model := range models {
		row := &qualityRow{model: model}
		for _, seed := range seeds {
			if fit, ok := shown[fitKey(model, seed)]; ok {
				row.params = fit.Params
				row.fits = append(row.fits, fit)
				if fit.Note != "" {
					row.notes = append(row.notes, fit.Note)
				}
			}
		}
		rows = append(rows, row)
	}
	budget := fmt.Sprintf("%d steps", f.Steps)
	if f.TimeLimit > 0 {
		budget += fmt.Sprintf(" or %v", f.TimeLimit)
	}
	title := fmt.Sprintf("%s (%d×%d), %s per fit, seeds %s", filepath.Base(path), rec.Width, rec.Height, budget, strings.Join(seedStrs, ", "))
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
		return &exitError{code: 130, err: errors.New("interrupted: the table holds the fits so far; the same command with --continue goes on from where this one stopped")}
	}
	return nil
}

func fitKey(model string, seed uint64) string { return fmt.Sprintf("%s-s%d", model, seed) }

// comparisonFile is the file in a comparison's folder that --continue reads.
const comparisonFile = "comparison.json"

// comparison is what DIR/comparison.json keeps of a comparison: the settings its fits run with
// and the figures of every fit that has ended, so that --continue skips those, resumes the one
// it was interrupted in and runs the rest.
type comparison struct {
	Settings map[string]string     `json:"settings"`
	Width    int                   `json:"width,omitempty"` // of the image as fitted
	Height   int                   `json:"height,omitempty"`
	Fits     map[string]fitFigures `json:"fits"`
}

// comparisonSettings are the settings a comparison's fits share: the image and every fit flag
// (the thread count as resolved), whether given or defaulted.
func comparisonSettings(cmd *cobra.Command, path string) map[string]string {
	s := map[string]string{"image": path, "threads": strconv.Itoa(runtime.GOMAXPROCS(0))}
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		switch fl.Name {
		case "models", "seeds", "quiet", "out", "checkpoint-every", "help", "continue", "threads":
		default:
			if !fl.Hidden {
				s[fl.Name] = fl.Value.String()
			}
		}
	})
	return s
}

// continueComparison reads the comparison in dir and checks that it ran with settings.
func continueComparison(dir string, settings map[string]string) (*comparison, error) {
	path := filepath.Join(dir, comparisonFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--continue: %s holds no comparison to continue (no %s): drop --continue, or give the --out of the comparison", dir, comparisonFile)
	}
	if err != nil {
		return nil, fmt.Errorf("--continue: %w", err)
	}
	var c comparison
	if err := json.Unmarshal(b, &c); err != nil || c.Settings == nil {
		return nil, fmt.Errorf("--continue: %s is not a comparison record (%v): run the comparison again without --continue", path, err)
	}
	if c.Fits == nil {
		c.Fits = map[string]fitFigures{}
	}
	names := slices.Sorted(maps.Keys(settings))
	for _, name := range names {
		was, now := c.Settings[name], settings[name]
		if was == now {
			continue
		}
		if name == "image" {
			return nil, fmt.Errorf("--continue: the comparison in %s is of %s, not %s", dir, was, now)
		}
		return nil, fmt.Errorf("--continue: the comparison in %s ran with --%s %s, not %s: give the same flags to continue it, or choose another --out",
			dir, name, was, now)
	}
	return &c, nil
}

func (c *comparison) save(dir string) error {
	return fsutil.WriteFile(filepath.Join(dir, comparisonFile), func(w io.Writer) error {
		e := json.NewEncoder(w)
		e.SetIndent("", "  ")
		return e.Encode(c)
	})
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
			v[k] = float64(f.PSNR)
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
		psnr := stat(col(func(x fitFigures) float64 { return float64(x.PSNR) }), 2)
		if i == best {
			psnr = "**" + psnr + "**"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", r.model, groupDigits(r.params),
			stat(col(func(x fitFigures) float64 { return float64(x.Steps) }), 0),
			stat(col(func(x fitFigures) float64 { return float64(x.Seconds) }), 1),
			psnr,
			stat(col(func(x fitFigures) float64 { return float64(x.Best) }), 2),
			stat(col(func(x fitFigures) float64 { return float64(x.SSIM) }), 4),
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
