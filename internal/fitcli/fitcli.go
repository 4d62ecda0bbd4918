package fitcli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/inrstudio/studio/inr"
)

// Flags are the settings of one image fit as the command line gives them.
type Flags struct {
	Model     string
	Steps     int
	LR        float64
	Size      int
	Crop      bool
	Batch     int
	Seed      uint64
	Init      string
	Out       string
	Config    string
	Set       []string
	Schedule  string
	Warmup    int
	EvalEvery int
	KeepBest  bool
	Rollback  float64
	TimeLimit time.Duration
	Threads   int
	// Resume is the run folder of an unfinished fit to continue (its checkpoint holds the image
	// path and every setting); CheckpointEvery is the wall time between checkpoints.
	Resume          string
	CheckpointEvery time.Duration
}

// DefaultCheckpointEvery is how often a fit saves its checkpoint by default.
const DefaultCheckpointEvery = 5 * time.Minute

// Register adds the fit flags to fl with their defaults.
func (f *Flags) Register(fl *pflag.FlagSet) {
	fl.StringVarP(&f.Model, "model", "m", "siren", "architecture `name` (inr models lists them)")
	fl.IntVar(&f.Steps, "steps", 500, "optimisation steps")
	fl.Float64Var(&f.LR, "lr", 0, "Adam learning rate (0: the architecture's default)")
	fl.IntVar(&f.Size, "size", 0, "resize so that the longer side is N pixels (area averaging down, Catmull–Rom up; 0: keep)")
	fl.BoolVar(&f.Crop, "crop", false, "centre-crop to a square first (how the reference targets were prepared)")
	fl.IntVar(&f.Batch, "batch", 0, "random pixels per step (0: full batch, every pixel every step)")
	fl.Uint64Var(&f.Seed, "seed", 0, "seed of the initialisation and the mini-batches")
	fl.StringVar(&f.Init, "init", "", "start from the weights of a model file written by an earlier fit (its architecture and settings) instead of a new draw")
	fl.StringVarP(&f.Out, "out", "o", "", "run folder (default runs/<image>-<model>)")
	fl.StringVar(&f.Config, "config", "", "architecture settings from a JSON or TOML `file` (inr models shows the keys)")
	fl.StringArrayVar(&f.Set, "set", nil, "one architecture setting, key=value (repeatable; applied after --config)")
	fl.StringVar(&f.Schedule, "schedule", "constant", "learning-rate schedule: "+strings.Join(inr.Schedules, ", "))
	fl.IntVar(&f.Warmup, "warmup", 0, "steps of linear learning-rate warm-up before (and multiplying) the schedule (0: none)")
	fl.IntVar(&f.EvalEvery, "eval-every", inr.DefaultEvalEvery, "steps between full evaluations (PSNR, best weights, snapshots)")
	fl.BoolVar(&f.KeepBest, "keep-best", false, "save the weights of the best evaluation instead of the last")
	fl.Float64Var(&f.Rollback, "rollback", 0, "undo loss spikes: a loss above this factor times the lowest so far (or a NaN) rewinds to the lowest's "+
		"weights and optimiser state and halves the learning rate (e.g. 1000; 0: off, a NaN stops the fit)")
	fl.Var(Duration{&f.TimeLimit}, "time-limit", "end the fit once it has run this long (wall time, evaluations and a resumed fit's earlier time included) "+
		"and write its outputs as a finished fit of fewer steps (e.g. 90s, 10m, or seconds; 0: none; --resume keeps the checkpoint's unless given)")
	fl.IntVar(&f.Threads, "threads", 0, "worker threads (GOMAXPROCS; 0: all CPUs)")
	fl.StringVar(&f.Resume, "resume", "", "continue the unfinished fit in this run folder from its "+inr.CheckpointFile+
		" (same image and settings, no IMAGE argument; bit-identical to a run never stopped at the same --threads)")
	fl.DurationVar(&f.CheckpointEvery, "checkpoint-every", DefaultCheckpointEvery, "wall time between checkpoints of an unfinished fit "+
		"(the run folder's "+inr.CheckpointFile+", also written on Ctrl-C and removed at the end; 0: only on Ctrl-C)")
}

// resumeConflicts are the flags that a resumed fit takes from its checkpoint instead.
var resumeConflicts = []string{"model", "steps", "lr", "size", "crop", "batch", "seed", "init", "out", "config", "set",
	"schedule", "warmup", "eval-every", "keep-best", "rollback"}

// Prepared is a validated fit, nothing written yet.
type Prepared struct {
	Fitter  *inr.Fitter
	Options inr.FitOptions
	Image   *inr.Image // the target as fitted (cropped and resized)
	Dir     string     // the run folder
	// ImagePath and Size are the image file and --size of the fit (a resumed fit's, from its
	// checkpoint), for the report.
	ImagePath string
	Size      int
	// Resumed is the number of steps the checkpoint had done (0 for a new fit).
	Resumed int
	// Memory is the estimated memory of the fit in bytes (0 for a resumed fit, not estimated).
	Memory int64
}

// Prepare validates every flag and the image at path and builds the fitter. changed says
// whether a flag was given on the command line (a --config naming another model than --model is
// an error; --resume refuses the settings it takes from the checkpoint). Nothing is created on
// disk. A resumed fit runs at the thread count it was started with (GOMAXPROCS is set here)
// unless --threads is given.
func Prepare(path string, f Flags, changed func(flag string) bool) (*Prepared, error) {
	if f.Threads < 0 {
		return nil, fmt.Errorf("--threads %d: need ≥ 0", f.Threads)
	}
	if f.CheckpointEvery < 0 {
		return nil, fmt.Errorf("--checkpoint-every %v: need ≥ 0", f.CheckpointEvery)
	}
	if f.Resume != "" {
		return prepareResume(path, f, changed)
	}
	if f.Size < 0 || f.Size == 1 {
		return nil, fmt.Errorf("--size %d: need 0 (keep) or at least 2", f.Size)
	}
	var (
		start *inr.Model
		model string
		cfg   inr.Config
		err   error
	)
	if f.Init != "" {
		if changed("model") || f.Config != "" || len(f.Set) > 0 {
			return nil, fmt.Errorf("--init %s takes the architecture and its settings from the file: drop --model, --config and --set", f.Init)
		}
		if start, err = inr.LoadModel(f.Init); err != nil {
			return nil, fmt.Errorf("--init: %w", err)
		}
		model, cfg = start.Arch, start.Config
	} else if model, cfg, err = ArchConfig(f.Model, f.Config, f.Set, changed("model")); err != nil {
		return nil, err
	}
	opt := inr.FitOptions{Arch: model, Config: cfg, Steps: f.Steps, LR: f.LR, Schedule: f.Schedule, Warmup: f.Warmup, Batch: f.Batch,
		Seed: f.Seed, Init: start, InitFrom: f.Init, EvalEvery: f.EvalEvery, KeepBest: f.KeepBest, Rollback: f.Rollback, TimeLimit: f.TimeLimit}
	if err := inr.ValidateFit(opt); err != nil {
		return nil, flagError(err)
	}
	im, err := loadTarget(path, f.Size, f.Crop)
	if err != nil {
		return nil, err
	}
	if start == nil {
		// Build the model once for the image's channels: a bad setting is reported as such, not
		// as the memory probe's small image failing to fit.
		if _, err := inr.NewModel(model, cfg, 2, im.C, f.Seed); err != nil {
			return nil, settingsError(f, err)
		}
	}
	dir := f.Out
	if dir == "" {
		stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		dir = filepath.Join("runs", stem+"-"+model)
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("--out %s exists and is not a directory", dir)
	}
	if err := refuseUnfinished(dir); err != nil {
		return nil, err
	}
	memory, err := checkMemory(path, im, opt) // last: it runs the fit on small images
	if err != nil {
		return nil, err
	}
	opt.Checkpoint, opt.CheckpointEvery = filepath.Join(dir, inr.CheckpointFile), f.CheckpointEvery
	opt.CheckpointCaller = map[string]string{"image": path, "size": strconv.Itoa(f.Size), "crop": strconv.FormatBool(f.Crop),
		"threads": strconv.Itoa(runtime.GOMAXPROCS(0))}
	fitter, err := inr.NewFitter(im, opt)
	if err != nil {
		return nil, err
	}
	return &Prepared{Fitter: fitter, Options: opt, Image: im, Dir: dir, ImagePath: path, Size: f.Size, Memory: memory}, nil
}

// refuseUnfinished refuses a new fit into a run folder that holds an unfinished fit's
// checkpoint: the new fit would overwrite it, and hours of work with it.
func refuseUnfinished(dir string) error {
	path := filepath.Join(dir, inr.CheckpointFile)
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	what := "an unfinished fit"
	if c, err := inr.ReadCheckpoint(path); err == nil {
		what = fmt.Sprintf("an unfinished fit (%s, step %d of %d)", c.Options.Arch, c.Done, c.Options.Steps)
	}
	return fmt.Errorf("--out %s holds %s: continue it with `inr fit --resume %s`, or choose another --out (delete %s to start over there)",
		dir, what, dir, path)
}

// prepareResume builds the continuation of the fit whose checkpoint is in the run folder
// f.Resume, with the image and settings recorded there.
func prepareResume(path string, f Flags, changed func(string) bool) (*Prepared, error) {
	dir := f.Resume
	for _, name := range resumeConflicts {
		if changed(name) {
			return nil, fmt.Errorf("--resume %s continues the fit with the settings it was started with: drop --%s", dir, name)
		}
	}
	if path != "" {
		return nil, fmt.Errorf("--resume %s takes the image from the checkpoint: drop the IMAGE argument (%s)", dir, path)
	}
	c, err := inr.ReadCheckpoint(filepath.Join(dir, inr.CheckpointFile))
	if err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	path = c.Caller["image"]
	size, err1 := strconv.Atoi(c.Caller["size"])
	crop, err2 := strconv.ParseBool(c.Caller["crop"])
	threads, err3 := strconv.Atoi(c.Caller["threads"])
	if path == "" || err1 != nil || err2 != nil || err3 != nil || threads < 1 {
		return nil, fmt.Errorf("--resume: checkpoint %s does not record the image and its flags (written by another program?)", c.Path)
	}
	im, err := loadTarget(path, size, crop)
	if err != nil {
		return nil, fmt.Errorf("--resume %s: %w", dir, err)
	}
	if !changed("threads") {
		runtime.GOMAXPROCS(threads) // bit-identical continuation needs the same thread count
	}
	opt := c.Options
	opt.Checkpoint, opt.CheckpointEvery, opt.CheckpointCaller = c.Path, f.CheckpointEvery, c.Caller
	if changed("time-limit") {
		opt.TimeLimit = f.TimeLimit
		if err := inr.ValidateFit(opt); err != nil {
			return nil, flagError(err)
		}
	}
	fitter, err := inr.NewFitter(im, opt)
	if err != nil {
		return nil, fmt.Errorf("--resume %s: %w", dir, err)
	}
	if err := fitter.Resume(c); err != nil {
		return nil, fmt.Errorf("--resume: %w", err)
	}
	return &Prepared{Fitter: fitter, Options: opt, Image: im, Dir: dir, ImagePath: path, Size: size, Resumed: c.Done}, nil
}

// loadTarget reads the image at path and prepares it as --crop and --size say.
func loadTarget(path string, size int, crop bool) (*inr.Image, error) {
	im, err := inr.LoadImage(path)
	if err != nil {
		return nil, err
	}
	if crop {
		im = im.CropSquare()
	}
	if size > 0 {
		w, h := im.FitSize(size)
		if im, err = im.Resize(w, h); err != nil {
			return nil, fmt.Errorf("image %s: %w", path, err)
		}
	}
	return im, nil
}

// ArchConfig returns the architecture and its settings: model's defaults, then the file
// configFile (JSON or TOML; it may name the model itself), then every key=value of sets.
func ArchConfig(model, configFile string, sets []string, explicitModel bool) (string, inr.Config, error) {
	var doc []byte
	if configFile != "" {
		name, d, err := ReadConfigFile(configFile)
		if err != nil {
			return "", nil, err
		}
		if name != "" {
			if explicitModel && name != model {
				return "", nil, fmt.Errorf("--config %s is for model %q but --model is %q", configFile, name, model)
			}
			model = name
		}
		doc = d
	}
	if _, err := inr.LookupArch(model); err != nil {
		return "", nil, err
	}
	cfg, err := inr.ConfigFor(model, doc)
	if err != nil {
		if configFile != "" {
			return "", nil, fmt.Errorf("--config %s: %w", configFile, err)
		}
		return "", nil, err
	}
	if err := ApplySets(model, cfg, sets); err != nil {
		return "", nil, err
	}
	return model, cfg, nil
}

// ApplySets applies --set key=value settings to cfg in order.
func ApplySets(model string, cfg inr.Config, sets []string) error {
	for _, kv := range sets {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return fmt.Errorf("--set %q: want key=value", kv)
		}
		if err := inr.SetOption(model, cfg, strings.TrimSpace(k), v); err != nil {
			return fmt.Errorf("--set %s: %w", kv, err)
		}
	}
	return nil
}

// settingsError names the flags the architecture's settings came from.
func settingsError(f Flags, err error) error {
	var from []string
	if f.Config != "" {
		from = append(from, "--config "+f.Config)
	}
	for _, kv := range f.Set {
		from = append(from, "--set "+kv)
	}
	if len(from) == 0 {
		return err
	}
	return fmt.Errorf("%s: %w", strings.Join(from, ", "), err)
}

// flagError names the flag a fit validation error is about.
func flagError(err error) error {
	msg := err.Error()
	for _, p := range []struct{ prefix, flag string }{
		{"steps", "--steps"}, {"learning rate", "--lr"}, {"batch", "--batch"}, {"eval-every", "--eval-every"},
		{"unknown learning-rate schedule", "--schedule"}, {"warmup", "--warmup"}, {"rollback", "--rollback"}, {"time limit", "--time-limit"},
	} {
		if strings.HasPrefix(msg, p.prefix) {
			return fmt.Errorf("%s: %w", p.flag, err)
		}
	}
	return err
}
