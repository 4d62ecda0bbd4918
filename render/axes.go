package render

import (
	"image"
	"image/color"
	"math"
)

// Colours of the chart furniture, shared by every plot so pictures look like one family.
var (
	bgColor    = color.RGBA{255, 255, 255, 255}
	frameColor = color.RGBA{70, 70, 70, 255}
	gridColor  = color.RGBA{0, 0, 0, 26} // ~10% black, blended
	noteColor  = color.RGBA{120, 120, 120, 255}
	legendFill = color.RGBA{255, 255, 255, 230}
	legendEdge = color.RGBA{200, 200, 200, 255}
)

// axis maps data values on one axis to pixel positions: lo goes to p0 and hi to p1 (for a y axis
// p0 is the bottom edge, so pixel positions decrease as values grow).
type axis struct {
	lo, hi float64
	log    bool
	p0, p1 float64
}

func (a axis) fwd(v float64) float64 {
	if a.log {
		return math.Log10(v)
	}
	return v
}

// pix returns the pixel coordinate of data value v (±Inf for values a log axis cannot show).
func (a axis) pix(v float64) float64 { return a.mapper()(v) }

// mapper returns pix with the axis constants hoisted out, for mapping many points.
func (a axis) mapper() func(float64) float64 {
	l, h := a.fwd(a.lo), a.fwd(a.hi)
	if math.IsInf(h-l, 0) {
		// A range spanning most of float64: work in halves, which cannot overflow.
		k := (a.p1 - a.p0) / (h/2 - l/2)
		return func(v float64) float64 { return a.p0 + (v/2-l/2)*k }
	}
	k := (a.p1 - a.p0) / (h - l)
	if a.log {
		return func(v float64) float64 { return a.p0 + (math.Log10(v)-l)*k }
	}
	return func(v float64) float64 { return a.p0 + (v-l)*k }
}

// ticks returns at most n major ticks with their labels, and the minor ticks of a log axis.
func (a axis) ticks(n int) (major []float64, labels []string, minor []float64) {
	if a.log {
		major = LogTicks(a.lo, a.hi, n)
		return major, FormatLogTicks(major), minorLogTicks(a.lo, a.hi)
	}
	major = NiceTicks(a.lo, a.hi, n)
	return major, FormatTicks(major), nil
}

// fitTicks picks the largest tick count (at most 10) whose labels fit along an axis of the given
// pixel length with some air between them; extent measures a label along the axis.
func (a axis) fitTicks(length float64, extent func(string) int, gap float64) ([]float64, []string, []float64) {
	for n := 10; n > 2; n-- {
		major, labels, minor := a.ticks(n)
		total := 0.0
		for _, l := range labels {
			total += float64(extent(l)) + gap
		}
		if total <= length {
			return major, labels, minor
		}
	}
	return a.ticks(2)
}

// autoRange returns a display range for data spanning [lo, hi] with a small margin on each side;
// on a log axis the margin is taken in decades. Degenerate spans are widened so the axis exists.
func autoRange(lo, hi float64, log bool, pad float64) (float64, float64) {
	if log {
		l, h := math.Log10(lo), math.Log10(hi)
		if h-l < 1e-12 {
			l, h = l-0.5, h+0.5
		}
		d := (h - l) * pad
		// Stay within normal float64 numbers, so the axis ends are finite and positive.
		return math.Pow(10, math.Max(l-d, -307)), math.Pow(10, math.Min(h+d, 308))
	}
	if hi-lo <= 1e-12*math.Max(math.Abs(lo), math.Abs(hi)) {
		w := math.Max(math.Abs(lo)*0.1, 0.5)
		if lo == 0 {
			w = 1
		}
		return lo - w, hi + w
	}
	d := (hi/2 - lo/2) * 2 * pad // halves: hi − lo may overflow
	return math.Max(lo-d, -math.MaxFloat64), math.Min(hi+d, math.MaxFloat64)
}

// axisStyle holds the sizes every axis drawing shares, all derived from the text size.
type axisStyle struct {
	text, tickText float64 // label and tick-label sizes in pixels
	tickLen        int     // outward tick length
	pad            int     // space between furniture items
}

func newAxisStyle(size float64) axisStyle {
	return axisStyle{
		text:     size,
		tickText: math.Round(size * 0.9),
		tickLen:  max(3, int(math.Round(size*0.35))),
		pad:      max(3, int(math.Round(size*0.45))),
	}
}

// xAxisDecor draws the ticks, grid lines and labels of a horizontal axis under rect.
func (c *canvas) xAxisDecor(a axis, rect image.Rectangle, st axisStyle, major []float64, labels []string, minor []float64, grid bool) {
	for _, v := range minor {
		x := int(math.Floor(a.pix(v)))
		if x >= rect.Min.X && x < rect.Max.X {
			c.vline(x, rect.Max.Y, rect.Max.Y+st.tickLen/2, frameColor)
		}
	}
	for i, v := range major {
		x := int(math.Floor(a.pix(v)))
		if x < rect.Min.X-1 || x > rect.Max.X {
			continue
		}
		x = min(max(x, rect.Min.X), rect.Max.X-1)
		if grid && x > rect.Min.X && x < rect.Max.X-1 {
			c.vline(x, rect.Min.Y+1, rect.Max.Y-2, gridColor)
		}
		c.vline(x, rect.Max.Y, rect.Max.Y+st.tickLen-1, frameColor)
		c.text(labels[i], st.tickText, false, x, rect.Max.Y+st.tickLen+st.pad/2, textColor, AlignCenter, VAlignTop)
	}
}

// yAxisDecor draws the ticks, grid lines and labels of a vertical axis left of rect (or right of
// it when right is set, as for a colour bar).
func (c *canvas) yAxisDecor(a axis, rect image.Rectangle, st axisStyle, major []float64, labels []string, minor []float64, grid, right bool) {
	for _, v := range minor {
		y := int(math.Floor(a.pix(v)))
		if y >= rect.Min.Y && y < rect.Max.Y {
			if right {
				c.hline(rect.Max.X, rect.Max.X+st.tickLen/2, y, frameColor)
			} else {
				c.hline(rect.Min.X-1-st.tickLen/2, rect.Min.X-1, y, frameColor)
			}
		}
	}
	for i, v := range major {
		y := int(math.Floor(a.pix(v)))
		if y < rect.Min.Y-1 || y > rect.Max.Y {
			continue
		}
		y = min(max(y, rect.Min.Y), rect.Max.Y-1)
		if grid && y > rect.Min.Y && y < rect.Max.Y-1 {
			c.hline(rect.Min.X+1, rect.Max.X-2, y, gridColor)
		}
		if right {
			c.hline(rect.Max.X, rect.Max.X+st.tickLen-1, y, frameColor)
			c.text(labels[i], st.tickText, false, rect.Max.X+st.tickLen+st.pad/2, y, textColor, AlignLeft, VAlignMiddle)
		} else {
			c.hline(rect.Min.X-st.tickLen, rect.Min.X-1, y, frameColor)
			c.text(labels[i], st.tickText, false, rect.Min.X-st.tickLen-st.pad/2, y, textColor, AlignRight, VAlignMiddle)
		}
	}
}

// maxWidth returns the widest label at the given size.
func (c *canvas) maxWidth(labels []string, size float64) int {
	w := 0
	for _, l := range labels {
		w = max(w, c.measure(l, size, false).w)
	}
	return w
}

// textSizeFor derives a legible text size from the picture size when the caller gives none.
func textSizeFor(size float64, w, h int) float64 {
	if size > 0 {
		return size
	}
	return math.Max(10, math.Min(24, math.Round(math.Sqrt(float64(w)*float64(h))/46)))
}
