package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
)

// Marker is the symbol drawn at each data point of a series.
type Marker int

// Markers.
const (
	MarkerNone Marker = iota
	MarkerCircle
	MarkerSquare
)

// LegendPos says where the legend goes. LegendAuto picks the corner of the plot area that covers
// the fewest data points.
type LegendPos int

// Legend positions.
const (
	LegendAuto LegendPos = iota
	LegendNone
	LegendTopRight
	LegendTopLeft
	LegendBottomRight
	LegendBottomLeft
)

// Series is one named curve of a line plot.
type Series struct {
	Name       string     // legend entry; unnamed series are left out of the legend
	X, Y       []float64  // X nil means 0, 1, 2, …
	Color      color.RGBA // zero means the next colour of the default palette
	Width      float64    // line width in pixels; 0 derives it from the text size; < 0 hides the line
	Dashed     bool
	Marker     Marker
	MarkerSize float64 // marker radius in pixels; 0 derives it from the line width
}

// PlotOptions describe the axes and decoration of a line plot. Ranges are fixed when Min < Max and
// chosen from the data otherwise.
type PlotOptions struct {
	Width, Height         int // output size in pixels; 0 means 800×500
	Title, XLabel, YLabel string
	XLog, YLog            bool
	XMin, XMax            float64
	YMin, YMax            float64
	Legend                LegendPos
	NoGrid                bool
	TextSize              float64 // base text size in pixels; 0 derives it from the output size
}

// palette holds the ten "tab10" colours users know from matplotlib, in their usual order.
var palette = [...]color.RGBA{
	{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
	{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
	{188, 189, 34, 255}, {23, 190, 207, 255},
}

// PaletteColor returns the i-th default series colour (cycling through ten).
func PaletteColor(i int) color.RGBA { return palette[((i%len(palette))+len(palette))%len(palette)] }

// LinePlot draws the series on one set of axes. Points a log axis cannot show (≤ 0) and
// non-finite points are skipped, breaking the line there, and a note under the plot says how
// many were left out. Mismatched X and Y lengths are an error; empty series give empty axes.
func LinePlot(series []Series, opt PlotOptions) (*image.RGBA, error) {
	img, _, err := linePlot(series, opt)
	return img, err
}

// plotParts records where a line plot put things, for tests that check pixels against data.
type plotParts struct {
	rect           image.Rectangle
	x, y           axis
	yTicks, xTicks []float64
	yLabels        []string
	xLabels        []string
	note           string
	skipped        skips
}

func linePlot(series []Series, opt PlotOptions) (*image.RGBA, plotParts, error) {
	for i, s := range series {
		if s.X != nil && len(s.X) != len(s.Y) {
			return nil, plotParts{}, fmt.Errorf("line plot: series %d (%q): %d x values but %d y values", i, s.Name, len(s.X), len(s.Y))
		}
	}
	w, h := opt.Width, opt.Height
	if w == 0 && h == 0 {
		w, h = 800, 500
	}
	if w < 64 || h < 48 || w > 1<<14 || h > 1<<14 {
		return nil, plotParts{}, fmt.Errorf("line plot: size %d×%d outside 64×48 … 16384×16384", w, h)
	}
	size := textSizeFor(opt.TextSize, w, h)
	st := newAxisStyle(size)
	c := newCanvas(w, h, bgColor)

	xr, yr, skipped := dataRanges(series, opt)
	var notes []string
	if skipped.logX > 0 {
		notes = append(notes, fmt.Sprintf("%s with x ≤ 0 not shown (log x)", points(skipped.logX)))
	}
	if skipped.logY > 0 {
		notes = append(notes, fmt.Sprintf("%s with y ≤ 0 not shown (log y)", points(skipped.logY)))
	}
	if skipped.nonFinite > 0 {
		notes = append(notes, fmt.Sprintf("%s not finite, not shown", points(skipped.nonFinite)))
	}
	if !skipped.any {
		notes = append(notes, "no data")
	}
	note := strings.Join(notes, "; ")

	rect := c.plotLayout(opt, st, note)
	ax := axis{lo: xr[0], hi: xr[1], log: opt.XLog, p0: float64(rect.Min.X), p1: float64(rect.Max.X)}
	ay := axis{lo: yr[0], hi: yr[1], log: opt.YLog, p0: float64(rect.Max.Y), p1: float64(rect.Min.Y)}

	yMajor, yLabels, yMinor := ay.fitTicks(float64(rect.Dy()), func(string) int { return c.measure("0", st.tickText, false).h() }, size)
	// The left margin depends on the widest y label, so lay out again once the labels are known.
	rect = c.plotLayoutWithY(opt, st, note, c.maxWidth(yLabels, st.tickText))
	ax.p0, ax.p1 = float64(rect.Min.X), float64(rect.Max.X)
	ay.p0, ay.p1 = float64(rect.Max.Y), float64(rect.Min.Y)
	xMajor, xLabels, xMinor := ax.fitTicks(float64(rect.Dx()), func(s string) int { return c.measure(s, st.tickText, false).w }, 1.5*size)

	c.fill(rect, bgColor)
	c.xAxisDecor(ax, rect, st, xMajor, xLabels, xMinor, !opt.NoGrid)
	c.yAxisDecor(ay, rect, st, yMajor, yLabels, yMinor, !opt.NoGrid, false)

	lineW := math.Max(1.25, size/8)
	var drawn [][]pt
	for i, s := range series {
		col := s.Color
		if col == (color.RGBA{}) {
			col = PaletteColor(i)
		}
		drawn = append(drawn, c.drawSeries(s, col, ax, ay, rect, lineW))
	}
	c.frame(rect.Inset(-1), frameColor)
	c.plotLabels(opt, st, rect, note)
	c.legend(series, opt.Legend, rect, st, lineW, drawn)
	return c.img, plotParts{rect: rect, x: ax, y: ay, yTicks: yMajor, xTicks: xMajor, yLabels: yLabels, xLabels: xLabels, note: note, skipped: skipped}, nil
}

func points(n int) string {
	if n == 1 {
		return "1 point"
	}
	return fmt.Sprintf("%d points", n)
}

// skips counts the points a plot leaves out, by reason.
type skips struct {
	logX, logY, nonFinite int
	any                   bool // at least one point is drawable
}

// dataRanges returns the x and y display ranges and the skipped-point counts.
func dataRanges(series []Series, opt PlotOptions) ([2]float64, [2]float64, skips) {
	var sk skips
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for j, y := range s.Y {
			x := float64(j)
			if s.X != nil {
				x = s.X[j]
			}
			switch {
			case math.IsNaN(x) || math.IsInf(x, 0) || math.IsNaN(y) || math.IsInf(y, 0):
				sk.nonFinite++
				continue
			case opt.XLog && x <= 0:
				sk.logX++
				continue
			case opt.YLog && y <= 0:
				sk.logY++
				continue
			}
			sk.any = true
			xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
			ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
		}
	}
	pick := func(lo, hi, fixLo, fixHi float64, log bool) [2]float64 {
		if fixLo < fixHi && (!log || fixLo > 0) {
			return [2]float64{fixLo, fixHi}
		}
		if lo > hi { // no data
			if log {
				return [2]float64{1, 10}
			}
			return [2]float64{0, 1}
		}
		l, h := autoRange(lo, hi, log, 0.03)
		return [2]float64{l, h}
	}
	return pick(xlo, xhi, opt.XMin, opt.XMax, opt.XLog), pick(ylo, yhi, opt.YMin, opt.YMax, opt.YLog), sk
}

// plotLayout returns a first plot rectangle, before the y tick labels are known.
func (c *canvas) plotLayout(opt PlotOptions, st axisStyle, note string) image.Rectangle {
	return c.plotLayoutWithY(opt, st, note, c.measure("0.00", st.tickText, false).w)
}

// plotLayoutWithY returns the plot rectangle given the width of the widest y tick label.
func (c *canvas) plotLayoutWithY(opt PlotOptions, st axisStyle, note string, yLabelW int) image.Rectangle {
	w, h := c.img.Rect.Dx(), c.img.Rect.Dy()
	lineH := c.measure("0", st.text, false).h()
	tickH := c.measure("0", st.tickText, false).h()
	top := 2 * st.pad
	if opt.Title != "" {
		top += c.measure(opt.Title, titleSize(st), true).h() + st.pad
	} else {
		top += tickH / 2 // room for the top y label
	}
	bottom := st.tickLen + st.pad/2 + tickH + st.pad
	if opt.XLabel != "" {
		bottom += lineH + st.pad/2
	}
	if note != "" {
		bottom += c.measure(note, st.tickText, false).h() + st.pad/2
	}
	left := st.pad + yLabelW + st.pad/2 + st.tickLen + 1
	if opt.YLabel != "" {
		left += lineH + st.pad
	}
	right := max(3*st.pad, c.measure("0.000", st.tickText, false).w/2+st.pad)
	return image.Rect(left, top, max(left+8, w-right), max(top+8, h-bottom))
}

func titleSize(st axisStyle) float64 { return math.Round(st.text * 1.2) }

// plotLabels draws the title, axis labels and the note around the plot rectangle.
func (c *canvas) plotLabels(opt PlotOptions, st axisStyle, rect image.Rectangle, note string) {
	if opt.Title != "" {
		c.text(opt.Title, titleSize(st), true, (rect.Min.X+rect.Max.X)/2, 2*st.pad, textColor, AlignCenter, VAlignTop)
	}
	y := rect.Max.Y + st.tickLen + st.pad/2 + c.measure("0", st.tickText, false).h() + st.pad/2
	if opt.XLabel != "" {
		r := c.text(opt.XLabel, st.text, false, (rect.Min.X+rect.Max.X)/2, y, textColor, AlignCenter, VAlignTop)
		y = r.Max.Y + st.pad/2
	}
	if note != "" {
		c.text(note, st.tickText, false, c.img.Rect.Max.X-st.pad, y, noteColor, AlignRight, VAlignTop)
	}
	if opt.YLabel != "" {
		lineH := c.measure("0", st.text, false).h()
		c.textUp(opt.YLabel, st.text, st.pad+lineH/2, (rect.Min.Y+rect.Max.Y)/2, textColor)
	}
}
