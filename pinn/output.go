package pinn

import (
	"encoding/json"
	"fmt"
	"image"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/inrstudio/studio/internal/fsutil"
	"github.com/inrstudio/studio/render"
)

// ModelFile is the name of the model file in a run folder.
const ModelFile = "model.safetensors"

// WriteRun writes a solve's run folder: metrics.json, solution.png, error.png (with a reference),
// residual.png, snapshots.png (time-dependent problems), loss.png, loss.csv and the model file.
// Every file is written atomically. dir must exist.
func WriteRun(dir string, res *Result, version string) error {
	p := res.Problem
	js, err := json.MarshalIndent(res.Metrics, "", "  ")
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	if err := fsutil.WriteBytes(filepath.Join(dir, "metrics.json"), append(js, '\n')); err != nil {
		return err
	}
	extra := map[string]string{"problem": filepath.Base(p.Path), "vars": strings.Join(p.Vars, ","), "fields": strings.Join(p.Fields, ",")}
	if err := res.Model.Save(filepath.Join(dir, ModelFile), version, extra); err != nil {
		return err
	}
	if err := writeLoss(dir, res); err != nil {
		return err
	}
	if res.Eval == nil {
		return nil
	}
	pics, err := Pictures(res)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(pics)) {
		if err := render.WritePNG(filepath.Join(dir, name), pics[name]); err != nil {
			return err
		}
	}
	return nil
}

func writeLoss(dir string, res *Result) error {
	h := res.History
	if len(h.Steps) == 0 {
		return nil
	}
	cols := []render.Column{{Name: "loss", Values: h.Total}}
	for k, n := range h.TermNames {
		cols = append(cols, render.Column{Name: n, Values: h.Terms[k]})
	}
	if err := render.WriteLossCSV(filepath.Join(dir, "loss.csv"), h.Steps, cols...); err != nil {
		return err
	}
	if len(cols) == 2 && h.Total[len(h.Total)-1] == h.Terms[0][len(h.Total)-1] {
		cols = cols[:1] // one term of weight 1: its curve is the total
	}
	title := "loss"
	if h.AdamSteps > 0 && h.AdamSteps < len(h.Steps) {
		title = fmt.Sprintf("loss (Adam to step %d, then L-BFGS)", h.AdamSteps)
	}
	img, err := render.LossPlot(h.Steps, cols, render.PlotOptions{Title: title, XLabel: "step / iteration"})
	if err != nil {
		return err
	}
	return render.WritePNG(filepath.Join(dir, "loss.png"), img)
}

// Pictures draws a result's pictures, keyed by file name: solution.png (solution and reference
// per field), error.png (solution − reference), residual.png (|residual| on a log scale) and,
// for a time-dependent problem, snapshots.png (the solution at the output times: line cuts
// against the reference in one space dimension, maps in more).
func Pictures(res *Result) (map[string]image.Image, error) {
	p, ev := res.Problem, res.Eval
	v := newView(p, ev.Axes)
	nf := len(p.Fields)
	out := map[string]image.Image{}
	var sol, errs []render.Panel
	for f, name := range p.Fields {
		pred := v.plane(ev.GridPred, nf, f)
		ref := v.plane(ev.GridRef, nf, f)
		img, err := v.draw(p, pred, name, false, false)
		if err != nil {
			return nil, err
		}
		sol = append(sol, render.Panel{Image: img})
		if !hasFinite(ref) {
			continue
		}
		img, err = v.draw(p, ref, name+" (reference)", false, false)
		if err != nil {
			return nil, err
		}
		sol = append(sol, render.Panel{Image: img})
		e := make([]float64, len(pred))
		for i := range e {
			e[i] = pred[i] - ref[i]
		}
		img, err = v.draw(p, e, name+" − "+name+"_ref", true, false)
		if err != nil {
			return nil, err
		}
		errs = append(errs, render.Panel{Image: img})
	}
	if len(errs) == 0 && ev.Ref != nil {
		img, err := scatterErrors(p, v, ev)
		if err != nil {
			return nil, err
		}
		errs = append(errs, render.Panel{Image: img})
	}
	cols := 2
	if nf == 1 {
		cols = len(sol)
	}
	var err error
	if out["solution.png"], err = grid(sol, cols, title(res, "solution")); err != nil {
		return nil, err
	}
	if len(errs) > 0 {
		if out["error.png"], err = grid(errs, min(len(errs), 3), title(res, "error")); err != nil {
			return nil, err
		}
	}
	img, err := v.draw(p, v.plane(ev.GridRes, 1, 0), "|residual|", false, true)
	if err != nil {
		return nil, err
	}
	out["residual.png"] = img
	if p.Time {
		if out["snapshots.png"], err = snapshots(res, v); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func title(res *Result, what string) string {
	t := res.Problem.Title
	if t == "" {
		t = filepath.Base(res.Problem.Path)
	}
	m := res.Metrics
	if m != nil && m.RelL2 != nil && what != "residual" {
		return fmt.Sprintf("%s — %s (relative L2 error %.2e)", t, what, *m.RelL2)
	}
	return t + " — " + what
}

func grid(panels []render.Panel, cols int, heading string) (image.Image, error) {
	if len(panels) == 1 {
		return panels[0].Image, nil
	}
	return render.Grid(panels, render.GridOptions{Cols: cols, Title: heading})
}

// draw renders one plane: a heatmap with a colour bar (signed data symmetric about 0, log scale
// for residuals), or a line plot for a 1-D problem.
func (vw *view) draw(p *Problem, data []float64, label string, signed, logScale bool) (image.Image, error) {
	xl := p.Vars[vw.h]
	if vw.v < 0 {
		y := data
		opt := render.PlotOptions{Title: label, XLabel: xl, YLabel: label, YLog: logScale, Legend: render.LegendNone}
		return render.LinePlot([]render.Series{{Name: label, X: vw.axes[vw.h], Y: y}}, opt)
	}
	f := vw.field("", label, "", data)
	t := label
	if p.Time && len(vw.axes) > 2 {
		t = fmt.Sprintf("%s at %s = %g", label, p.Vars[len(p.Vars)-1], vw.axes[len(vw.axes)-1][vw.fixed[len(vw.axes)-1]])
	}
	opt := render.HeatmapOptions{Title: t, XLabel: xl, YLabel: p.Vars[vw.v], Label: label, Symmetric: signed, Log: logScale,
		EqualAspect: !p.Time && sameSpan(f.X0, f.X1, f.Y0, f.Y1)}
	if logScale {
		// Residuals cross zero along curves; four decades below the largest value keep the
		// picture about where the residual is large rather than about its zeros.
		top := 0.0
		for _, v := range data {
			if v > top {
				top = v
			}
		}
		if top > 0 {
			opt.Min, opt.Max = top*1e-4, top
		}
	}
	return render.Heatmap(render.Field{W: f.W, H: f.H, Data: data, X0: f.X0, X1: f.X1, Y0: f.Y0, Y1: f.Y1}, opt)
}

func sameSpan(x0, x1, y0, y1 float64) bool {
	a, b := x1-x0, y1-y0
	return a > 0 && b > 0 && a/b < 4 && b/a < 4
}

// scatterErrors draws the error at scattered reference points: binned onto the plane (largest
// |error| per cell) in 2-D, against the coordinate in 1-D.
func scatterErrors(p *Problem, vw *view, ev *Evaluation) (image.Image, error) {
	d, nf := len(p.Vars), len(p.Fields)
	n := len(ev.Points) / d
	if vw.v < 0 {
		xs, ys := make([]float64, 0, n), make([]float64, 0, n)
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmpFloat(ev.Points[a*d], ev.Points[b*d]) })
		for _, i := range idx {
			e := maxFieldError(ev, i, nf)
			if !math.IsNaN(e) {
				xs, ys = append(xs, ev.Points[i*d]), append(ys, e)
			}
		}
		return render.LinePlot([]render.Series{{Name: "|error|", X: xs, Y: ys, Width: -1, Marker: render.MarkerCircle}},
			render.PlotOptions{XLabel: p.Vars[0], YLabel: "|u − u_ref|", YLog: true})
	}
	w, h := vw.size()
	data := make([]float64, w*h)
	for i := range data {
		data[i] = math.NaN()
	}
	hx, vx := vw.axes[vw.h], vw.axes[vw.v]
	for i := range n {
		e := maxFieldError(ev, i, nf)
		if math.IsNaN(e) {
			continue
		}
		ci, cj := nearest(hx, ev.Points[i*d+vw.h]), nearest(vx, ev.Points[i*d+vw.v])
		k := cj*w + ci
		if math.IsNaN(data[k]) || e > data[k] {
			data[k] = e
		}
	}
	return vw.draw(p, data, "|u − u_ref| (max per cell)", false, true)
}

func maxFieldError(ev *Evaluation, i, nf int) float64 {
	e := math.NaN()
	for f := range nf {
		r := ev.Ref[i*nf+f]
		if math.IsNaN(r) {
			continue
		}
		d := math.Abs(ev.Pred[i*nf+f] - r)
		if math.IsNaN(e) || d > e {
			e = d
		}
	}
	return e
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// nearest returns the index of the value of the sorted axis a closest to x.
func nearest(a []float64, x float64) int {
	i, _ := slices.BinarySearch(a, x)
	switch {
	case i == 0:
		return 0
	case i == len(a):
		return len(a) - 1
	case x-a[i-1] <= a[i]-x:
		return i - 1
	}
	return i
}

// snapshots draws the solution at the output times.
func snapshots(res *Result, vw *view) (image.Image, error) {
	p := res.Problem
	d, nf := len(p.Vars), len(p.Fields)
	sp := d - 1
	var panels []render.Panel
	for _, t := range p.Output.Times {
		// The spatial plane at time t: the picture grid's spatial axes.
		axes := slices.Clone(res.Eval.Axes[:sp])
		axes = append(axes, []float64{t})
		pts := gridPoints(axes)
		pred, err := res.predictPoints(pts)
		if err != nil {
			return nil, err
		}
		n := len(pts) / d
		ref := make([]float64, n*nf)
		for i := range n {
			res.referenceAt(pts[i*d:(i+1)*d], ref[i*nf:(i+1)*nf])
		}
		for f, name := range p.Fields {
			var img image.Image
			if sp == 1 {
				sol, rv := make([]float64, n), make([]float64, n)
				for i := range n {
					sol[i], rv[i] = pred[i*nf+f], ref[i*nf+f]
				}
				if !hasFinite(rv) {
					rv = nil
				}
				img, err = render.LineCut(axes[0], sol, rv, render.PlotOptions{XLabel: p.Vars[0], YLabel: name,
					Title: fmt.Sprintf("%s at %s = %g", name, p.Vars[d-1], t)})
			} else {
				sv := &view{axes: axes, h: 0, v: 1, fixed: make([]int, d), strides: make([]int, d)}
				stride := 1
				for k, a := range axes {
					sv.strides[k] = stride
					stride *= len(a)
					sv.fixed[k] = len(a) / 2
				}
				img, err = sv.draw(p, sv.plane(pred, nf, f), fmt.Sprintf("%s at %s = %g", name, p.Vars[d-1], t), false, false)
			}
			if err != nil {
				return nil, err
			}
			panels = append(panels, render.Panel{Image: img})
		}
	}
	return render.Grid(panels, render.GridOptions{Cols: min(len(panels), 3), Title: title(res, "snapshots")})
}

// predictPoints evaluates the solved model at points.
func (res *Result) predictPoints(pts []float64) ([]float64, error) {
	p := res.Problem
	d, nf := len(p.Vars), len(p.Fields)
	n := len(pts) / d
	out := make([]float64, n*nf)
	s := &solver{p: p, model: res.Model}
	v, err := s.predict(pts)
	copy(out, v)
	return out, err
}

// referenceAt writes the reference fields at pt (NaN when unknown there): evaluated when the
// reference can be, else the nearest point of a reference grid within half a cell.
func (res *Result) referenceAt(pt, out []float64) {
	for f := range out {
		out[f] = math.NaN()
	}
	ref := res.Problem.Reference
	if ref == nil || ref.Eval(pt, out) || ref.Axes == nil {
		return
	}
	idx, stride := 0, 1
	for k, a := range ref.Axes {
		i := nearest(a, pt[k])
		if len(a) > 1 && math.Abs(a[i]-pt[k]) > 0.51*math.Abs(a[1]-a[0]) {
			return
		}
		idx += i * stride
		stride *= len(a)
	}
	copy(out, ref.Values[idx*len(out):(idx+1)*len(out)])
}

// MkdirRun creates the run folder (the caller validates the problem first, so a bad file leaves
// no folder behind).
func MkdirRun(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	return nil
}
