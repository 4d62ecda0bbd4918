package inr

import (
	"encoding/json"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"strconv"

	"github.com/inrstudio/studio/internal/fsutil"
	"github.com/inrstudio/studio/render"
)

// The files of a run folder.
const (
	ModelFile          = "model.safetensors"
	TargetFile         = "target.png" // the image as fitted (after --crop and --size)
	ReconstructionFile = "reconstruction.png"
	ErrorFile          = "error.png"
	LossPlotFile       = "loss.png"
	LossCSVFile        = "loss.csv"
	MetricsFile        = "metrics.json"
)

// RunFiles lists the files WriteRun writes, metrics.json last.
var RunFiles = []string{ModelFile, TargetFile, ReconstructionFile, ErrorFile, LossPlotFile, LossCSVFile, MetricsFile}

// RunInfo is what a run folder records besides the fit's own figures.
type RunInfo struct {
	Image      string // the source file
	Size       int    // the --size the image was resized to (0: its own size)
	Seed       uint64
	StepsAsked int
	EvalEvery  int
	Threads    int
	Kernel     string
	Version    string
}

// Metrics is the content of metrics.json. Non-finite figures are written as null.
type Metrics struct {
	Model       string          `json:"model"`
	Config      json.RawMessage `json:"config"`
	PSNR        JSONFloat       `json:"psnr"`      // of the saved model
	LastPSNR    JSONFloat       `json:"last_psnr"` // of the weights after the last step
	BestPSNR    JSONFloat       `json:"best_psnr"` // the best evaluation's
	BestStep    int             `json:"best_step"`
	SSIM        JSONFloat       `json:"ssim"`
	Steps       int             `json:"steps"`
	StepsAsked  int             `json:"steps_requested"`
	Seconds     float64         `json:"seconds"`
	StepSeconds float64         `json:"seconds_per_step"`
	Params      int             `json:"params"`
	ParamsTorch int             `json:"params_torch"` // PyTorch's numel (a complex entry once)
	Seed        uint64          `json:"seed"`
	Init        string          `json:"init,omitempty"` // the model file the weights started from (--init)
	LR          float64         `json:"lr"`
	Schedule    string          `json:"schedule"`
	Warmup      int             `json:"warmup"` // steps of linear learning-rate warm-up (0: none)
	Batch       int             `json:"batch"`
	FullBatch   bool            `json:"full_batch"`
	EvalEvery   int             `json:"eval_every"`
	KeepBest    bool            `json:"keep_best"`
	Rollback    float64         `json:"rollback"`             // FitOptions.Rollback (0: off)
	Rollbacks   []int           `json:"rollbacks"`            // the steps that rolled back; the rate was halved at each
	TimeLimit   float64         `json:"time_limit,omitempty"` // FitOptions.TimeLimit in seconds (stop "time_limit" when it ended the fit)
	SavedModel  string          `json:"saved_model"`          // "last" or "best"
	Stop        StopReason      `json:"stop"`
	Range       string          `json:"target_range"`
	Image       string          `json:"image"`
	Size        int             `json:"size"`
	Width       int             `json:"width"`
	Height      int             `json:"height"`
	Channels    int             `json:"channels"`
	Orientation int             `json:"exif_orientation,omitempty"` // the EXIF orientation applied to a JPEG (2–8)
	Threads     int             `json:"threads"`
	Kernel      string          `json:"kernel"`
	Version     string          `json:"version"`
	FinalLoss   JSONFloat       `json:"final_loss"`
	Evals       []evalJSON      `json:"evals"`
}

type evalJSON struct {
	Step int       `json:"step"`
	PSNR JSONFloat `json:"psnr"`
}

// JSONFloat is a float that JSON carries as null when it is not finite (NaN and ±Inf, which JSON
// has no numbers for), and reads back from null as NaN.
type JSONFloat float64

func (f JSONFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(v, 'g', -1, 64)), nil
}

func (f *JSONFloat) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = JSONFloat(math.NaN())
		return nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	*f = JSONFloat(v)
	return err
}

// NewMetrics assembles metrics.json from a fit and the run's context.
func NewMetrics(res *FitResult, opt FitOptions, info RunInfo) (*Metrics, error) {
	cfg, err := json.Marshal(res.Model.Config)
	if err != nil {
		return nil, fmt.Errorf("metrics: model configuration: %w", err)
	}
	saved := "last"
	if res.KeptBest {
		saved = "best"
	}
	m := &Metrics{
		Model: opt.Arch, Config: cfg, PSNR: JSONFloat(res.PSNR), LastPSNR: JSONFloat(res.LastPSNR),
		BestPSNR: JSONFloat(res.BestPSNR), BestStep: res.BestStep, SSIM: JSONFloat(res.SSIM),
		Steps: res.Steps, StepsAsked: info.StepsAsked, Seconds: res.Seconds,
		Params: res.Model.NumParams(), ParamsTorch: TorchParamCount(res.Model.Net),
		Seed: opt.Seed, Init: opt.InitFrom, LR: res.LR, Schedule: res.Schedule, Warmup: opt.Warmup, Batch: res.Batch,
		FullBatch: res.Batch == res.Target.W*res.Target.H, EvalEvery: info.EvalEvery,
		KeepBest: opt.KeepBest, Rollback: opt.Rollback, TimeLimit: opt.TimeLimit.Seconds(), Rollbacks: append([]int{}, res.Rollbacks...), SavedModel: saved, Stop: res.Stop, Range: res.Range,
		Image: info.Image, Size: info.Size, Width: res.Target.W, Height: res.Target.H, Channels: res.Target.C,
		Orientation: res.Target.Orientation,
		Threads:     info.Threads, Kernel: info.Kernel, Version: info.Version, FinalLoss: JSONFloat(math.NaN()),
	}
	if res.Steps > 0 {
		m.StepSeconds = res.Seconds / float64(res.Steps)
		m.FinalLoss = JSONFloat(res.Loss[len(res.Loss)-1])
	}
	for _, e := range res.Evals {
		m.Evals = append(m.Evals, evalJSON{Step: e.Step, PSNR: JSONFloat(e.PSNR)})
	}
	return m, nil
}

// imageMeta is what a fitted image model records in its file for `inr eval`.
func imageMeta(im *Image) map[string]string {
	return map[string]string{
		"signal": "image", "width": strconv.Itoa(im.W), "height": strconv.Itoa(im.H),
		"channels": strconv.Itoa(im.C), "bit_depth": strconv.Itoa(im.Depth),
	}
}

// fitMeta is what a fit's model file and its checkpoints record besides the model: the image's
// size, the seed and the steps done.
func fitMeta(im *Image, seed uint64, steps int) map[string]string {
	extra := imageMeta(im)
	extra["seed"], extra["steps"] = strconv.FormatUint(seed, 10), strconv.Itoa(steps)
	return extra
}

// WriteRun writes the run folder dir (which must exist): the model file, the target as fitted and
// the reconstruction at the image's bit depth, the error map with its colour bar, the loss curve (log scale) and table,
// and metrics.json, last. Every file is written atomically.
func WriteRun(dir string, res *FitResult, m *Metrics) error {
	path := func(name string) string { return filepath.Join(dir, name) }
	extra := fitMeta(res.Target, m.Seed, res.Steps)
	extra["saved_model"] = m.SavedModel
	if err := res.Model.Save(path(ModelFile), m.Version, extra); err != nil {
		return err
	}
	if err := res.Target.SavePNG(path(TargetFile)); err != nil {
		return err
	}
	if err := res.Reconstruction.SavePNG(path(ReconstructionFile)); err != nil {
		return err
	}
	errImg, err := ErrorPicture(res.Reconstruction, res.Target)
	if err != nil {
		return fmt.Errorf("write %s: %w", path(ErrorFile), err)
	}
	if err := render.WritePNG(path(ErrorFile), errImg); err != nil {
		return err
	}
	steps := make([]float64, len(res.Loss))
	for i := range steps {
		steps[i] = float64(i + 1)
	}
	lossCol := render.Column{Name: "loss", Values: res.Loss}
	plot, err := render.LossPlot(steps, []render.Column{lossCol}, render.PlotOptions{
		Title: fmt.Sprintf("%s: training loss (MSE, targets on %s)", m.Model, RangeName(res.Range))})
	if err != nil {
		return fmt.Errorf("write %s: %w", path(LossPlotFile), err)
	}
	if err := render.WritePNG(path(LossPlotFile), plot); err != nil {
		return err
	}
	if err := render.WriteLossCSV(path(LossCSVFile), steps, lossCol); err != nil {
		return err
	}
	js, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("write %s: %w", path(MetricsFile), err)
	}
	return fsutil.WriteBytes(path(MetricsFile), append(js, '\n'))
}

// ErrorPicture draws |reconstruction − target| (mean over channels) as a heatmap with a colour
// bar from 0 to the largest error, the image upright.
func ErrorPicture(rec, target *Image) (image.Image, error) {
	field, err := render.ErrorField(rec.Pix, target.Pix, target.C, false)
	if err != nil {
		return nil, err
	}
	top := 0.0
	for _, v := range field {
		if v > top {
			top = v
		}
	}
	if !(top > 0) || math.IsInf(top, 0) {
		top = 1.0 / 65535 // a perfect (or non-finite) fit still gets a valid scale
	}
	w, h := 640, 560
	return render.Heatmap(render.Field{W: target.W, H: target.H, Data: field, X0: -1, X1: 1, Y0: 1, Y1: -1},
		render.HeatmapOptions{Width: w, Height: h, Title: "|reconstruction − target|", XLabel: "x", YLabel: "y",
			Label: "absolute error (mean over channels)", Colormap: render.Magma(), Min: 0, Max: top, EqualAspect: true})
}

// RangeName writes a target range for people: "[-1, 1]" or "[0, 1]".
func RangeName(r string) string {
	switch r {
	case "pm1":
		return "[-1, 1]"
	case "01":
		return "[0, 1]"
	}
	return r
}
