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

// finalStamp identifies a version of the final outputs by their modification times.
type finalStamp struct {
	metrics, loss, target, recon, model time.Time
}

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
	stamp := finalStamp{metrics: modTime(filepath.Join(r.dir, finalMetrics)), loss: modTime(filepath.Join(r.dir, finalLoss)),
		target: modTime(filepath.Join(r.dir, finalTarget)), recon: modTime(filepath.Join(r.dir, finalRecon))}
	if model != "" {
		stamp.model = modTime(model)
	}
	if stamp == r.final {
		return false, nil
	}
	r.final = stamp
	s, err := readFinal(r.dir)
	if s.Model = model; model != "" {
		s.ModelTime = stamp.model
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
	if b, err := os.ReadFile(filepath.Join(dir, finalMetrics)); err == nil {
		found = true
		if err := s.readMetrics(b); err != nil {
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
			s.Loss = h.Loss[n-1]
			if s.Step == 0 {
				s.Step = int(h.Step[n-1])
			}
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
	}
	fields, err := finalImageFields(dir)
	if err != nil {
		errs = append(errs, err)
	}
	if len(fields) > 0 {
		found = true
		s.Fields, s.FieldsSeq, s.FieldsStep = fields, 1, s.Step
	}
	if !found && findModel(dir) == "" {
		s.Source, s.Done = SourceNone, false
	}
	s.Signal = guessSignal(s.Fields)
	return s, errors.Join(errs...)
}

// readMetrics takes the numbers of metrics.json: top-level ones and those of a "final" object;
// "steps"/"step" and "seconds" give the step and the time.
func (s *State) readMetrics(b []byte) error {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	s.Metrics = map[string]float64{}
	take := func(m map[string]any) {
		for k, v := range m {
			f, ok := v.(float64)
			if !ok {
				continue
			}
			switch k {
			case "steps", "step":
				s.Step = int(f)
			case "seconds", "train_seconds":
				s.Seconds = f
			default:
				s.Metrics[k] = f
			}
		}
	}
	take(doc)
	if fin, ok := doc["final"].(map[string]any); ok {
		take(fin)
	}
	if p, ok := doc["phase"].(string); ok {
		s.Phase = p
	}
	return nil
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

// finalImageFields rebuilds the target, reconstruction and error pictures of an image fit from
// its PNGs. The error is recomputed from the two (the error PNG is a colour map, not values).
func finalImageFields(dir string) ([]inr.Field, error) {
	var out []inr.Field
	var tgt, rec *inr.Image
	for _, p := range []struct {
		file string
		im   **inr.Image
	}{{finalTarget, &tgt}, {finalRecon, &rec}} {
		path := filepath.Join(dir, p.file)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		im, err := inr.LoadImage(path)
		if err != nil {
			return out, err
		}
		*p.im = im
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
