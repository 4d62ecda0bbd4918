package panel

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"sort"

	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render"
)

// LossColor is the colour of the total loss curve (the first palette colour), which tests look
// for; metric curves use MetricColor.
var (
	LossColor   = render.PaletteColor(0)
	MetricColor = render.PaletteColor(1)
)

// lossPanel shows the loss curve on a log axis (with the named loss terms when terms is set)
// and, under it on the same steps, the headline metric (PSNR, relative L2 error).
type lossPanel struct {
	id, title   string
	terms       bool
	metric      string
	metricTitle string
	metricLog   bool
}

func (p lossPanel) ID() string { return p.id }

type lossKey struct {
	n, m, phases int
	last         float64
}

// phaseColor marks where an optimiser phase begins (a dashed grey vertical line).
var phaseColor = render.PaletteColor(7)

// phaseMarks draws a dashed vertical line where each optimiser phase after the first begins
// ("L-BFGS after step 300"), spanning the curves' positive range (the loss axis is logarithmic).
func phaseMarks(h *live.History, curves []render.Series) []render.Series {
	if len(h.Phases) < 2 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range curves {
		for _, v := range s.Y {
			if v > 0 && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if !(lo < hi) {
		return nil
	}
	var out []render.Series
	for _, p := range h.Phases[1:] {
		out = append(out, render.Series{Name: fmt.Sprintf("%s after step %g", phaseName(p.Name), p.After),
			X: []float64{p.After, p.After}, Y: []float64{lo, hi}, Color: phaseColor, Dashed: true})
	}
	return out
}

// phaseName writes an optimiser's name as people do.
func phaseName(p string) string {
	switch p {
	case "lbfgs":
		return "L-BFGS"
	case "adam":
		return "Adam"
	}
	return p
}

func (p lossPanel) Key(c *Context) any {
	h := &c.State.History
	k := lossKey{n: h.Len(), m: len(h.Metrics[p.metric].Step), phases: len(h.Phases)}
	if k.n > 0 {
		k.last = h.Loss[k.n-1]
	}
	return k
}

func (p lossPanel) Draw(c *Context, w, h int) (*Picture, error) {
	hist := &c.State.History
	if hist.Len() == 0 || w < 120 || h < 100 {
		return placeholder(c, w, h, p.title, "no steps yet"), nil
	}
	x0, x1 := hist.Step[0], hist.Step[hist.Len()-1]
	if !(x1 > x0) {
		x0, x1 = x0-1, x0+1
	}
	series := []render.Series{{Name: "total", X: hist.Step, Y: hist.Loss, Color: LossColor}}
	if p.terms {
		names := make([]string, 0, len(hist.Terms))
		for k := range hist.Terms {
			names = append(names, k)
		}
		sort.Strings(names)
		for i, k := range names {
			series = append(series, render.Series{Name: k, X: hist.Step, Y: hist.Terms[k], Color: render.PaletteColor(i + 2)})
		}
		if len(names) == 1 {
			series = series[:1] // one term: its curve is the total
		}
	}
	series = append(series, phaseMarks(hist, series)...)
	legend := render.LegendNone
	if len(series) > 1 {
		legend = render.LegendAuto
	}
	met := hist.Metrics[p.metric]
	lossH := h
	if len(met.Step) > 0 {
		lossH = int(math.Round(float64(h) * 0.62))
	}
	img := canvas(w, h)
	regions := map[string]image.Rectangle{}
	lp, pl, err := render.LinePlotPlaced(series, render.PlotOptions{Width: w, Height: lossH, Title: p.title,
		XLabel: "step", YLabel: "loss", YLog: true, XMin: x0, XMax: x1, Legend: legend, TextSize: c.TextSize})
	if err != nil {
		return nil, err
	}
	draw.Draw(img, lp.Rect, lp, image.Point{}, draw.Src)
	regions["loss"] = pl.Plot
	if len(met.Step) > 0 && h-lossH >= 48 {
		mp, mpl, err := render.LinePlotPlaced([]render.Series{{Name: p.metric, X: met.Step, Y: met.Value, Color: MetricColor, Marker: render.MarkerCircle}},
			render.PlotOptions{Width: w, Height: h - lossH, Title: p.metricTitle, XLabel: "step", YLog: p.metricLog,
				XMin: x0, XMax: x1, Legend: render.LegendNone, TextSize: c.TextSize})
		if err != nil {
			return nil, err
		}
		at := image.Pt(0, lossH)
		draw.Draw(img, mp.Rect.Add(at), mp, image.Point{}, draw.Src)
		regions["metric"] = mpl.Plot.Add(at)
	}
	return &Picture{Image: img, Regions: regions}, nil
}
