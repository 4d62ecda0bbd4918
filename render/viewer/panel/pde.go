package panel

import (
	"fmt"
	"image"
	"image/draw"
	"math"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render"
)

func init() { Register("pde", pdePages) }

// pdePages: an overview (solution, error, residual, loss terms), the line cut with its slider,
// the error and the residual large, the loss terms large.
func pdePages(s *live.State) []Page {
	sol := heat{id: "solution", field: "solution", title: "solution"}
	errP := heat{id: "error", field: "error", title: "error (solution − reference)", signed: true}
	res := heat{id: "residual", field: "residual", title: "|residual|", log: true}
	loss := lossPanel{id: "loss", title: "loss terms", terms: true, metric: "rel_l2", metricTitle: "relative L2 error", metricLog: true}
	second := Panel(errP)
	if s.Field("error") == nil && s.Field("picture:error") == nil {
		second = heat{id: "reference", field: "reference", title: "reference"}
	}
	return []Page{
		{Name: "overview", Panels: []Panel{sol, second, res, loss}},
		{Name: "line cut", Panels: []Panel{cut{}}},
		{Name: "error & residual", Panels: []Panel{second, res}},
		{Name: "loss", Panels: []Panel{loss}},
	}
}

// heat shows a scalar field as a heatmap with a colour bar (a curve for a 1-D problem), or the
// run's saved picture of it when the field values are not available (a finished run without a
// live folder).
type heat struct {
	id, field, title string
	signed, log      bool
}

func (p heat) ID() string { return p.id }

func (p heat) Key(c *Context) any {
	type key struct {
		seq  int64
		has  bool
		axes live.Axes
	}
	return key{c.State.FieldsSeq, c.State.Field(p.field) != nil, c.State.Axes}
}

func (p heat) Draw(c *Context, w, h int) (*Picture, error) {
	f := c.State.Field(p.field)
	if f == nil {
		if pic := c.State.Field("picture:" + p.field); pic != nil {
			return savedPicture(c, pic, p.title, w, h)
		}
		return placeholder(c, w, h, p.title, "no "+p.field+" yet"), nil
	}
	if w < 120 || h < 100 {
		return placeholder(c, w, h, p.title, ""), nil
	}
	title := p.title
	if f.Label != "" && p.field == "solution" {
		title = fmt.Sprintf("%s %s", p.title, f.Label)
	}
	ax := c.State.Axes
	if f.H == 1 { // a 1-D problem: the field is a curve
		x := cellCentres(f.X0, f.X1, f.W)
		series := []render.Series{{Name: p.field, X: x, Y: f.Data, Color: LossColor}}
		if ref := c.State.Field("reference"); ref != nil && p.field == "solution" && ref.W == f.W {
			series = append(series, render.Series{Name: "reference", X: x, Y: ref.Data, Color: referenceColor, Dashed: true})
		}
		data := f.Data
		if p.log {
			data = absValues(f.Data)
			series[0].Y = data
		}
		img, pl, err := render.LinePlotPlaced(series, render.PlotOptions{Width: w, Height: h, Title: title, XLabel: ax.X,
			YLabel: f.Label, YLog: p.log, TextSize: c.TextSize})
		if err != nil {
			return nil, err
		}
		return &Picture{Image: img, Regions: map[string]image.Rectangle{"content": pl.Plot}}, nil
	}
	data := f.Data
	if p.log {
		data = absValues(f.Data)
	}
	img, pl, err := render.HeatmapPlaced(render.Field{W: f.W, H: f.H, Data: data, X0: f.X0, X1: f.X1, Y0: f.Y0, Y1: f.Y1},
		render.HeatmapOptions{Width: w, Height: h, Title: title, XLabel: ax.X, YLabel: ax.Y, Label: f.Label,
			Symmetric: p.signed, Log: p.log, EqualAspect: equalAspect(f, ax), TextSize: c.TextSize})
	if err != nil {
		return nil, err
	}
	return &Picture{Image: img, Regions: map[string]image.Rectangle{"content": pl.Plot, "bar": pl.Bar}}, nil
}

// referenceColor draws reference curves in near-black, as render.LineCut does.
var referenceColor = textColor

// equalAspect keeps one unit as long on both axes for spatial fields of comparable extents (not
// for time against space).
func equalAspect(f *inr.Field, ax live.Axes) bool {
	if ax.Time != "" {
		return false
	}
	a, b := math.Abs(f.X1-f.X0), math.Abs(f.Y1-f.Y0)
	return a > 0 && b > 0 && a/b < 4 && b/a < 4
}

func absValues(v []float64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Abs(x)
	}
	return out
}

// cellCentres returns the centres of n equal cells spanning [a, b].
func cellCentres(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a + (float64(i)+0.5)*(b-a)/float64(n)
	}
	return out
}

// savedPicture shows a picture file of the run as it is.
func savedPicture(c *Context, f *inr.Field, title string, w, h int) (*Picture, error) {
	img := canvas(w, h)
	area := titled(img, title, c.TextSize)
	area = footnote(img, area, "saved picture "+f.Label+" (the run kept no field values)", c.TextSize)
	src, err := fieldImage(f)
	if err != nil {
		return nil, err
	}
	r := fitRect(area, f.W, f.H)
	if err := drawScaled(img, r, src); err != nil {
		return nil, err
	}
	return &Picture{Image: img, Regions: map[string]image.Rectangle{"content": r}}, nil
}

// cut shows the solution with a marker at the slider's position, the slider, and the solution
// against the reference along the marker: u(x) at the chosen time for a time-dependent problem
// (time across), u along y at the chosen x otherwise.
type cut struct{}

func (cut) ID() string { return "cut" }

func (cut) Key(c *Context) any {
	type key struct {
		seq    int64
		has    bool
		slider float64
		axes   live.Axes
	}
	return key{c.State.FieldsSeq, c.State.Field("solution") != nil, c.View.Slider, c.State.Axes}
}

// SliderColumn is the column of a W-column field the slider position t ∈ [0, 1] selects.
func SliderColumn(t float64, w int) int {
	return min(max(int(math.Round(t*float64(w-1))), 0), w-1)
}

func (cut) Draw(c *Context, w, h int) (*Picture, error) {
	f := c.State.Field("solution")
	if f == nil {
		if pic := c.State.Field("picture:snapshots"); pic != nil {
			return savedPicture(c, pic, "solution at the output times", w, h)
		}
		return placeholder(c, w, h, "line cut", "no solution yet"), nil
	}
	if w < 160 || h < 200 {
		return placeholder(c, w, h, "line cut", ""), nil
	}
	ref := c.State.Field("reference")
	if ref != nil && (ref.W != f.W || ref.H != f.H) {
		ref = nil
	}
	ax := c.State.Axes
	if f.H == 1 { // 1-D: the solution is already a curve
		x := cellCentres(f.X0, f.X1, f.W)
		var rv []float64
		if ref != nil {
			rv = ref.Data
		}
		img, pl, err := render.LinePlotPlaced(cutSeries(x, f.Data, rv), render.PlotOptions{Width: w, Height: h,
			Title: "solution " + f.Label + " against the reference", XLabel: ax.X, YLabel: f.Label, TextSize: c.TextSize})
		if err != nil {
			return nil, err
		}
		return &Picture{Image: img, Regions: map[string]image.Rectangle{"cut": pl.Plot}}, nil
	}

	text := c.TextSize
	sliderH := int(math.Round(text * 2.6))
	heatH := (h - sliderH) * 11 / 20
	cutH := h - sliderH - heatH
	col := SliderColumn(c.View.Slider, f.W)
	xs := cellCentres(f.X0, f.X1, f.W)
	at := xs[col]
	name := ax.X
	if name == "" {
		name = "x"
	}
	img := canvas(w, h)
	regions := map[string]image.Rectangle{}

	hm, pl, err := render.HeatmapPlaced(render.Field{W: f.W, H: f.H, Data: f.Data, X0: f.X0, X1: f.X1, Y0: f.Y0, Y1: f.Y1},
		render.HeatmapOptions{Width: w, Height: heatH, Title: "solution " + f.Label, XLabel: ax.X, YLabel: ax.Y, Label: f.Label,
			TextSize: text})
	if err != nil {
		return nil, err
	}
	draw.Draw(img, hm.Rect, hm, image.Point{}, draw.Src)
	px, _ := pl.Pixel(at, 0)
	mx := int(math.Round(px))
	lw := max(2, int(text/7))
	fill(img, image.Rect(mx-lw/2, pl.Plot.Min.Y, mx-lw/2+lw, pl.Plot.Max.Y), markColor)
	regions["heatmap"] = pl.Plot

	// The slider spans the heatmap's x axis, so the knob sits under the marker.
	track := image.Rect(pl.Plot.Min.X, heatH+sliderH/2-max(2, int(text/6)), pl.Plot.Max.X, heatH+sliderH/2+max(2, int(text/6)))
	fill(img, track, color8(200))
	lo, _ := pl.Pixel(f.X0, 0)
	fill(img, image.Rect(int(lo), track.Min.Y, mx, track.Max.Y), markColor)
	knob := int(math.Round(text * 0.55))
	fillCircle(img, mx, (track.Min.Y+track.Max.Y)/2, knob, markColor)
	label := fmt.Sprintf("%s = %.4g", name, at)
	render.DrawText(img, label, track.Max.X+int(text*0.8), (track.Min.Y+track.Max.Y)/2, render.TextOptions{Size: text, Bold: true,
		VAlign: render.VAlignMiddle})
	render.DrawText(img, "drag the slider or press ←/→", track.Max.X, track.Max.Y+int(text*0.35), render.TextOptions{Size: text * 0.8,
		Color: noteColor, HAlign: render.AlignRight, VAlign: render.VAlignTop})
	regions["slider"] = image.Rect(track.Min.X, heatH, track.Max.X, heatH+sliderH)

	ys := cellCentres(f.Y0, f.Y1, f.H)
	sol := column(f, col)
	var rv []float64
	if ref != nil {
		rv = column(ref, col)
	}
	ylab := ax.Y
	if ylab == "" {
		ylab = "y"
	}
	lc, lcp, err := render.LinePlotPlaced(cutSeries(ys, sol, rv), render.PlotOptions{Width: w, Height: cutH,
		Title: fmt.Sprintf("%s along %s at %s", f.Label, ylab, label), XLabel: ylab, YLabel: f.Label, TextSize: text})
	if err != nil {
		return nil, err
	}
	y0 := heatH + sliderH
	draw.Draw(img, lc.Rect.Add(image.Pt(0, y0)), lc, image.Point{}, draw.Src)
	regions["cut"] = lcp.Plot.Add(image.Pt(0, y0))
	return &Picture{Image: img, Regions: regions}, nil
}

// cutSeries is what render.LineCut draws: the solution solid, the reference dashed near-black.
func cutSeries(x, sol, ref []float64) []render.Series {
	s := []render.Series{{Name: "solution", X: x, Y: sol, Color: LossColor}}
	if ref != nil {
		s = append(s, render.Series{Name: "reference", X: x, Y: ref, Color: referenceColor, Dashed: true})
	}
	return s
}

// column returns column i of a field, bottom to top.
func column(f *inr.Field, i int) []float64 {
	out := make([]float64, f.H)
	for j := range out {
		out[j] = f.Data[j*f.W+i]
	}
	return out
}
