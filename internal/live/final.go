package live

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/inrstudio/studio/inr"
)

// The final outputs of a run folder that a Reader falls back to when there is no live folder.
const (
	finalMetrics = "metrics.json"
	finalLoss    = "loss.csv"
	finalTarget  = "target.png"
	finalRecon   = "reconstruction.png"
)

// metricColumns are loss.csv columns that hold metrics rather than loss terms.
var metricColumns = map[string]bool{"psnr": true, "ssim": true, "rel_l2": true, "best_psnr": true, "lr": true}

// finalStamp identifies a version of the final outputs by the modification times of the files
// a Reader reads (a solve writes metrics.json first and its pictures last).
type finalStamp [6 + 4]time.Time // 5 outputs, 4 pictures, the model

func modTime(path string) time.Time {
	st, err := os.Stat(path)
	if err != nil {
		return time.Time{}
	}
	return st.ModTime()
}

// pollFinal (re)reads the final outputs when their modification times changed.
func (r *Reader) pollFinal() (bool, error) {
	model := findModel(r.dir)
	var stamp finalStamp
	for i, name := range append([]string{finalMetrics, finalLoss, finalTarget, finalRecon, LiveDir}, pictureFiles[:]...) {
		stamp[i] = modTime(filepath.Join(r.dir, name))
	}
	if model != "" {
		stamp[len(stamp)-1] = modTime(model)
	}
	if stamp == r.final {
		return false, nil
	}
	r.final = stamp
	s, err := readFinal(r.dir)
	if s.Model = model; model != "" {
		s.ModelTime = stamp[len(stamp)-1]
	}
	r.cur = s
	return true, err
}

// readFinal builds a State from a finished run's outputs. Missing files leave their part empty;
// the error reports unreadable ones (the State still holds what could be read).
func readFinal(dir string) (*State, error) {
	s := &State{Source: SourceFinal, Dir: dir, Loss: nan(), Done: true}
	var errs []error
	found := false
	var fm finalMetricsDoc
	if b, err := os.ReadFile(filepath.Join(dir, finalMetrics)); err == nil {
		found = true
		if fm, err = s.readMetrics(b); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Join(dir, finalMetrics), err))
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	if f, err := os.Open(filepath.Join(dir, finalLoss)); err == nil {
		found = true
		h, err := readLossCSV(f)
		f.Close()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Join(dir, finalLoss), err))
		}
		s.History = h
		if n := h.Len(); n > 0 {
			if math.IsNaN(s.Loss) { // metrics.json's final loss is the authority
				s.Loss = h.Loss[n-1]
			}
			if s.Step == 0 {
				s.Step = int(h.Step[n-1])
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	var psnr Series // an image fit's evaluations, for the PSNR curve
	for _, e := range fm.Evals {
		if e.PSNR != nil {
			psnr.Step = append(psnr.Step, float64(e.Step))
			psnr.Value = append(psnr.Value, float64(*e.PSNR))
		}
	}
	if len(psnr.Step) > 0 {
		if s.History.Metrics == nil {
			s.History.Metrics = map[string]Series{}
		}
		s.History.Metrics["psnr"] = psnr
	}
	fields, err := finalImageFields(dir, fm)
	if err != nil {
		errs = append(errs, err)
	}
	pics := finalPictures(dir)
	if len(fields)+len(pics) > 0 {
		found = true
		s.Fields, s.FieldsSeq, s.FieldsStep = append(fields, pics...), 1, s.Step
	}
	if !found && findModel(dir) == "" {
		s.Source, s.Done = SourceNone, false
	}
	switch {
	case fm.Problem != "":
		s.Signal, s.Title = "pde", fm.Title
	default:
		s.Signal = guessSignal(s.Fields)
		if s.Signal == "" && fm.Image != "" {
			s.Signal = "image"
		}
		if fm.Image != "" {
			s.Title = fmt.Sprintf("%s · %s", filepath.Base(fm.Image), fm.Model)
		}
	}
	return s, errors.Join(errs...)
}

// finalMetricsDoc holds the non-numeric parts of metrics.json a viewer uses.
type finalMetricsDoc struct {
	Model   string `json:"model"`
	Image   string `json:"image"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	Problem string `json:"problem"`
	Title   string `json:"title"`
	Evals   []struct {
		Step int  `json:"step"`
		PSNR *num `json:"psnr"`
	} `json:"evals"`
}

// metricKeys are the parts of metric names that readMetrics keeps (metrics.json also holds
// settings such as the width or the seed).
var metricKeys = []string{"psnr", "ssim", "rel_l2", "error", "mse", "loss", "iou", "chamfer"}

// readMetrics takes the figures of metrics.json: top-level numbers whose names say they are
// metrics, the step count and the time.
func (s *State) readMetrics(b []byte) (finalMetricsDoc, error) {
	var fm finalMetricsDoc
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return fm, err
	}
	if err := json.Unmarshal(b, &fm); err != nil {
		return fm, err
	}
	s.Metrics = map[string]float64{}
	for k, v := range doc {
		f, ok := v.(float64)
		if !ok {
			continue
		}
		switch k {
		case "steps":
			s.Step = int(f)
		case "seconds":
			s.Seconds = f
		default:
			for _, m := range metricKeys {
				if strings.Contains(k, m) {
					s.Metrics[k] = f
					break
				}
			}
		}
	}
	for _, k := range []string{"final_loss", "loss"} {
		if l, ok := s.Metrics[k]; ok {
			s.Loss = l
		}
	}
	if terms, ok := doc["loss_terms"].(map[string]any); ok {
		s.Terms = map[string]float64{}
		for k, v := range terms {
			if f, ok := v.(float64); ok {
				s.Terms[k] = f
			}
		}
	}
	return fm, nil
}

// readLossCSV reads a loss curve: a header naming the columns, the first being the step. The
// column "loss" (or "total") is the loss; metric columns (psnr, …) become sparse metrics and
// the others loss terms. Empty cells are missing values.
func readLossCSV(r io.Reader) (History, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return History{}, fmt.Errorf("header: %w", err)
	}
	if len(head) < 2 {
		return History{}, fmt.Errorf("header %q: want a step column and at least one more", strings.Join(head, ","))
	}
	lossCol := -1
	for i, name := range head[1:] {
		if n := strings.TrimSpace(name); n == "loss" || n == "total" {
			lossCol = i + 1
			break
		}
	}
	if lossCol < 0 {
		lossCol = 1
	}
	var h History
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return h, fmt.Errorf("line %d: %w", line, err)
		}
		cell := func(i int) (float64, bool, error) {
			if i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
				return math.NaN(), false, nil
			}
			v, err := strconv.ParseFloat(strings.TrimSpace(rec[i]), 64)
			if err != nil {
				return 0, false, fmt.Errorf("line %d: column %q: %w", line, head[i], err)
			}
			return v, true, nil
		}
		step, ok, err := cell(0)
		if err != nil || !ok {
			return h, fmt.Errorf("line %d: no step: %v", line, err)
		}
		rw := row{Step: int(step)}
		for i := 1; i < len(head); i++ {
			v, ok, err := cell(i)
			if err != nil {
				return h, err
			}
			name := strings.TrimSpace(head[i])
			switch {
			case i == lossCol:
				rw.Loss = num(v)
			case !ok:
			case metricColumns[name]:
				if rw.Metrics == nil {
					rw.Metrics = numMap{}
				}
				rw.Metrics[name] = v
			default:
				if rw.Terms == nil {
					rw.Terms = numMap{}
				}
				rw.Terms[name] = v
			}
		}
		h.add(rw)
	}
	return h, nil
}

// finalImageFields rebuilds the target, reconstruction and error pictures of an image fit: the
// reconstruction from its PNG, the target from target.png or else from the image metrics.json
// names (brought to the fitted size), and the error recomputed from the two (error.png is a
// colour map, not values).
func finalImageFields(dir string, fm finalMetricsDoc) ([]inr.Field, error) {
	var out []inr.Field
	var tgt, rec *inr.Image
	load := func(path string) (*inr.Image, error) {
		if _, err := os.Stat(path); err != nil {
			return nil, nil
		}
		return inr.LoadImage(path)
	}
	var err error
	if rec, err = load(filepath.Join(dir, finalRecon)); err != nil {
		return nil, err
	}
	if tgt, err = load(filepath.Join(dir, finalTarget)); err != nil {
		return nil, err
	}
	if tgt == nil && fm.Image != "" && rec != nil {
		tgt = sourceImage(dir, fm.Image, rec.W, rec.H)
	}
	mk := func(name string, im *inr.Image) inr.Field {
		return inr.Field{Name: name, Kind: inr.FieldImage, W: im.W, H: im.H, C: im.C, Data: im.Pix,
			X0: -1, X1: 1, Y0: -1, Y1: 1, Label: name}
	}
	if tgt != nil {
		out = append(out, mk("target", tgt))
	}
	if rec != nil {
		out = append(out, mk("reconstruction", rec))
	}
	if tgt != nil && rec != nil && tgt.W == rec.W && tgt.H == rec.H && tgt.C == rec.C {
		e := make([]float64, tgt.W*tgt.H)
		for p := range e {
			var sum float64
			for c := range tgt.C {
				sum += math.Abs(rec.Pix[p*tgt.C+c] - tgt.Pix[p*tgt.C+c])
			}
			e[p] = sum / float64(tgt.C)
		}
		out = append(out, inr.Field{Name: "error", Kind: inr.FieldScalar, W: tgt.W, H: tgt.H, C: 1, Data: e,
			X0: -1, X1: 1, Y0: -1, Y1: 1, Label: "|reconstruction − target| (mean over channels)"})
	}
	return out, nil
}

// sourceImage loads the fitted image (its path as recorded, or relative to the run folder) and
// brings it to w×h the way `inr fit --crop --size` does; nil when it cannot.
func sourceImage(dir, path string, w, h int) *inr.Image {
	im, err := inr.LoadImage(path)
	if err != nil && !filepath.IsAbs(path) {
		im, err = inr.LoadImage(filepath.Join(dir, path))
	}
	if err != nil {
		return nil
	}
	if im.W == w && im.H == h {
		return im
	}
	if w == h && im.W != im.H {
		im = im.CropSquare()
	}
	if im, err = im.Resize(w, h); err != nil {
		return nil
	}
	return im
}

// pictureFiles are the PNGs of a solve that a viewer shows as they are when it has no field
// values (a run written without a live folder).
var pictureFiles = [4]string{"solution.png", "error.png", "residual.png", "snapshots.png"}

// finalPictures loads a solve's pictures as RGB image fields named "picture:<file>".
func finalPictures(dir string) []inr.Field {
	var out []inr.Field
	for _, name := range pictureFiles {
		im, err := inr.LoadImage(filepath.Join(dir, name))
		if err != nil {
			continue
		}
		out = append(out, inr.Field{Name: "picture:" + strings.TrimSuffix(name, ".png"), Kind: inr.FieldImage,
			W: im.W, H: im.H, C: im.C, Data: im.Pix, X0: -1, X1: 1, Y0: -1, Y1: 1, Label: name})
	}
	return out
}

// findModel returns the run folder's model file: model.safetensors, or else the first
// *.safetensors by name; "" when there is none.
func findModel(dir string) string {
	p := filepath.Join(dir, "model.safetensors")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	m, _ := filepath.Glob(filepath.Join(dir, "*.safetensors"))
	sort.Strings(m)
	if len(m) > 0 {
		return m[0]
	}
	return ""
}

func nan() float64 { return math.NaN() }
