package render

import (
	"fmt"
	"image"
	"math"
)

// Field is a scalar field sampled on a W×H grid over the domain [X0, X1] × [Y0, Y1]. Data is
// row-major: Data[j*W+i] is the value of column i, row j. The domain is split into W×H equal
// cells; column 0 is the cell at X0 and row 0 the cell at Y0. The y axis of a heatmap grows
// upwards, so with Y0 < Y1 row 0 is drawn at the bottom (the mathematical convention); an image
// whose row 0 is its top row is drawn upright by giving Y0 > Y1 (for example Y0 = 1, Y1 = −1).
type Field struct {
	W, H           int
	Data           []float64
	X0, X1, Y0, Y1 float64
}

// Validate reports why f cannot be drawn.
func (f Field) Validate() error {
	if err := checkGrid("field", len(f.Data), f.W, f.H, 1); err != nil {
		return err
	}
	for _, v := range [...]float64{f.X0, f.X1, f.Y0, f.Y1} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("field: domain [%g, %g]×[%g, %g] is not finite", f.X0, f.X1, f.Y0, f.Y1)
		}
	}
	if f.X0 == f.X1 || f.Y0 == f.Y1 {
		return fmt.Errorf("field: domain [%g, %g]×[%g, %g] is empty", f.X0, f.X1, f.Y0, f.Y1)
	}
	return nil
}

// HeatmapOptions describe a heatmap picture. The colour range is fixed when Min < Max and taken
// from the finite data otherwise (see AutoScale).
type HeatmapOptions struct {
	Width, Height         int // output size in pixels; 0 means 640×520
	Title, XLabel, YLabel string
	Label                 string   // colour-bar label (the field's name and unit)
	Colormap              Colormap // zero means viridis, or coolwarm when Symmetric
	Min, Max              float64
	Log                   bool // log10 colour scale; values ≤ 0 take the low end
	Symmetric             bool // range [−m, m] for signed data (errors, residuals)
	Smooth                bool // bilinear interpolation between samples instead of crisp cells
	EqualAspect           bool // one domain unit is as long on both axes (images, square domains)
	TextSize              float64
}

// Heatmap draws a field through a colormap with axes in domain coordinates, a colour bar with
// labelled ticks, and a title. NaN samples are painted in the colormap's NaN colour.
func Heatmap(f Field, opt HeatmapOptions) (*image.RGBA, error) {
	img, _, err := heatmap(f, opt)
	return img, err
}

// heatmapParts records where a heatmap put things, for tests that check pixels against data.
type heatmapParts struct {
	heatmapLayout
	scale             Scale
	cm                Colormap
	cbTicks, xTicks   []float64
	cbLabels, xLabels []string
}

func heatmap(f Field, opt HeatmapOptions) (*image.RGBA, heatmapParts, error) {
	if err := f.Validate(); err != nil {
		return nil, heatmapParts{}, fmt.Errorf("heatmap: %w", err)
	}
	w, h := opt.Width, opt.Height
	if w == 0 && h == 0 {
		w, h = 640, 520
	}
	if w < 96 || h < 64 || w > 1<<14 || h > 1<<14 {
		return nil, heatmapParts{}, fmt.Errorf("heatmap: size %d×%d outside 96×64 … 16384×16384", w, h)
	}
	s, err := heatmapScale(f.Data, opt)
	if err != nil {
		return nil, heatmapParts{}, fmt.Errorf("heatmap: %w", err)
	}
	cm := opt.Colormap
	if !cm.valid() {
		cm = Viridis()
		if opt.Symmetric {
			cm = CoolWarm()
		}
	}

	size := textSizeFor(opt.TextSize, w, h)
	st := newAxisStyle(size)
	c := newCanvas(w, h, bgColor)
	cbAxisFor := func(r image.Rectangle) axis {
		return axis{lo: s.Min, hi: s.Max, log: s.Log, p0: float64(r.Max.Y), p1: float64(r.Min.Y)}
	}
	labelH := func(string) int { return c.measure("0", st.tickText, false).h() }

	// Lay out twice: the right margin depends on the colour-bar labels, which depend on the bar's
	// height, which depends on the top and bottom margins only.
	lay := c.heatmapLayout(f, opt, st, 0, 0)
	cbMajor, cbLabels, cbMinor := cbAxisFor(lay.bar).fitTicks(float64(lay.bar.Dy()), labelH, size)
	ax := axis{lo: math.Min(f.X0, f.X1), hi: math.Max(f.X0, f.X1)}
	ay := axis{lo: math.Min(f.Y0, f.Y1), hi: math.Max(f.Y0, f.Y1)}
	ay.p0, ay.p1 = float64(lay.plot.Max.Y), float64(lay.plot.Min.Y)
	yMajor, yLabels, _ := ay.fitTicks(float64(lay.plot.Dy()), labelH, size)
	lay = c.heatmapLayout(f, opt, st, c.maxWidth(cbLabels, st.tickText), c.maxWidth(yLabels, st.tickText))
	cbMajor, cbLabels, cbMinor = cbAxisFor(lay.bar).fitTicks(float64(lay.bar.Dy()), labelH, size)
	ax.p0, ax.p1 = float64(lay.plot.Min.X), float64(lay.plot.Max.X)
	ay.p0, ay.p1 = float64(lay.plot.Max.Y), float64(lay.plot.Min.Y)
	yMajor, yLabels, _ = ay.fitTicks(float64(lay.plot.Dy()), labelH, size)
	xMajor, xLabels, _ := ax.fitTicks(float64(lay.plot.Dx()), func(s string) int { return c.measure(s, st.tickText, false).w }, 1.5*size)

	c.paintField(f, lay.plot, cm, s, opt.Smooth)
	c.frame(lay.plot.Inset(-1), frameColor)
	c.xAxisDecor(ax, lay.plot, st, xMajor, xLabels, nil, false)
	c.yAxisDecor(ay, lay.plot, st, yMajor, yLabels, nil, false, false)

	c.paintBar(lay.bar, cm)
	c.frame(lay.bar.Inset(-1), frameColor)
	c.yAxisDecor(cbAxisFor(lay.bar), lay.bar, st, cbMajor, cbLabels, cbMinor, false, true)

	if opt.Title != "" {
		c.text(opt.Title, titleSize(st), true, (lay.plot.Min.X+lay.bar.Max.X)/2, 2*st.pad, textColor, AlignCenter, VAlignTop)
	}
	lineH := c.measure("0", st.text, false).h()
	if opt.XLabel != "" {
		y := lay.plot.Max.Y + st.tickLen + st.pad/2 + c.measure("0", st.tickText, false).h() + st.pad/2
		c.text(opt.XLabel, st.text, false, (lay.plot.Min.X+lay.plot.Max.X)/2, y, textColor, AlignCenter, VAlignTop)
	}
	if opt.YLabel != "" {
		c.textUp(opt.YLabel, st.text, lay.plot.Min.X-st.tickLen-st.pad-lay.yLabelW-st.pad/2-lineH/2, (lay.plot.Min.Y+lay.plot.Max.Y)/2, textColor)
	}
	if opt.Label != "" {
		c.textUp(opt.Label, st.text, lay.bar.Max.X+st.tickLen+st.pad+lay.cbLabelW+st.pad/2+lineH/2, (lay.bar.Min.Y+lay.bar.Max.Y)/2, textColor)
	}
	return c.img, heatmapParts{heatmapLayout: lay, scale: s, cm: cm, cbTicks: cbMajor, cbLabels: cbLabels, xTicks: xMajor, xLabels: xLabels}, nil
}

// heatmapScale returns the colour scale of a heatmap from its options and data.
func heatmapScale(data []float64, opt HeatmapOptions) (Scale, error) {
	if opt.Min < opt.Max {
		s := Scale{Min: opt.Min, Max: opt.Max, Log: opt.Log}
		return s, s.Validate()
	}
	return AutoScale(data, opt.Symmetric, opt.Log)
}

// heatmapLayout is where the parts of a heatmap go.
type heatmapLayout struct {
	plot, bar         image.Rectangle
	yLabelW, cbLabelW int
}

// heatmapLayout places the plot and colour bar given the widest colour-bar and y tick labels.
func (c *canvas) heatmapLayout(f Field, opt HeatmapOptions, st axisStyle, cbLabelW, yLabelW int) heatmapLayout {
	w, h := c.img.Rect.Dx(), c.img.Rect.Dy()
	if cbLabelW == 0 {
		cbLabelW = c.measure("0.00", st.tickText, false).w
	}
	if yLabelW == 0 {
		yLabelW = c.measure("0.0", st.tickText, false).w
	}
	lineH := c.measure("0", st.text, false).h()
	tickH := c.measure("0", st.tickText, false).h()
	top := 2 * st.pad
	if opt.Title != "" {
		top += c.measure(opt.Title, titleSize(st), true).h() + st.pad
	} else {
		top += tickH / 2
	}
	bottom := st.tickLen + st.pad/2 + tickH + st.pad
	if opt.XLabel != "" {
		bottom += lineH + st.pad/2
	}
	left := st.pad + yLabelW + st.pad/2 + st.tickLen + 1
	if opt.YLabel != "" {
		left += lineH + st.pad
	}
	barW := max(8, int(math.Round(st.text*1.1)))
	barGap := int(math.Round(st.text * 1.2))
	right := barGap + barW + st.tickLen + st.pad/2 + cbLabelW + st.pad
	if opt.Label != "" {
		right += lineH + st.pad
	}
	// Keep at least a sliver of plot so tiny outputs still render something.
	pw, ph := max(8, w-left-right), max(8, h-top-bottom)
	if opt.EqualAspect {
		aspect := math.Abs(f.X1-f.X0) / math.Abs(f.Y1-f.Y0)
		if float64(pw)/float64(ph) > aspect {
			nw := max(8, int(math.Round(float64(ph)*aspect)))
			left += (pw - nw) / 2 // centre the plot and its colour bar together
			pw = nw
		} else {
			nh := max(8, int(math.Round(float64(pw)/aspect)))
			top += (ph - nh) / 2
			ph = nh
		}
	}
	plot := image.Rect(left, top, left+pw, top+ph)
	bar := image.Rect(plot.Max.X+barGap, plot.Min.Y, plot.Max.X+barGap+barW, plot.Max.Y)
	return heatmapLayout{plot: plot, bar: bar, yLabelW: yLabelW, cbLabelW: cbLabelW}
}

// paintField fills rect with the field, sampling it at each pixel centre: the nearest cell, or a
// bilinear blend of the four nearest cell centres when smooth. Values are quantised to table
// indices once per sample, so a 512² field costs one normalisation per value, not per pixel.
func (c *canvas) paintField(f Field, rect image.Rectangle, cm Colormap, s Scale, smooth bool) {
	pw, ph := rect.Dx(), rect.Dy()
	// Source coordinate (in cells, 0 … W) of each destination pixel centre, left to right and top
	// to bottom, honouring reversed extents.
	sx := make([]float64, pw)
	for i := range sx {
		u := (float64(i) + 0.5) / float64(pw) * float64(f.W)
		if f.X0 > f.X1 {
			u = float64(f.W) - u
		}
		sx[i] = u
	}
	sy := make([]float64, ph)
	for j := range sy {
		v := (float64(j) + 0.5) / float64(ph) * float64(f.H)
		if f.Y1 > f.Y0 { // row H-1 is at the top
			v = float64(f.H) - v
		}
		sy[j] = v
	}
	norm := s.normalizer()
	if !smooth {
		const nanIdx = 256
		idx := make([]uint16, len(f.Data))
		for k, v := range f.Data {
			if v != v {
				idx[k] = nanIdx
			} else {
				idx[k] = uint16(lutIndex(norm(v)))
			}
		}
		cols := make([]int, pw)
		for i, u := range sx {
			cols[i] = min(int(u), f.W-1)
		}
		lut := cm.lut
		for j, v := range sy {
			row := idx[min(int(v), f.H-1)*f.W:]
			pix := c.img.Pix[c.img.PixOffset(rect.Min.X, rect.Min.Y+j):]
			for i, ci := range cols {
				col := cm.nan
				if k := row[ci]; k != nanIdx {
					col = lut[k]
				}
				p := pix[4*i : 4*i+4 : 4*i+4]
				p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
			}
		}
		return
	}
	t := make([]float64, len(f.Data))
	for k, v := range f.Data {
		t[k] = norm(v)
	}
	for j, v := range sy {
		y := math.Min(math.Max(v-0.5, 0), float64(f.H-1))
		y0 := int(y)
		y1 := min(y0+1, f.H-1)
		fy := y - float64(y0)
		pix := c.img.Pix[c.img.PixOffset(rect.Min.X, rect.Min.Y+j):]
		for i, u := range sx {
			x := math.Min(math.Max(u-0.5, 0), float64(f.W-1))
			x0 := int(x)
			x1 := min(x0+1, f.W-1)
			fx := x - float64(x0)
			a, b := t[y0*f.W+x0], t[y0*f.W+x1]
			cc, d := t[y1*f.W+x0], t[y1*f.W+x1]
			val := (a*(1-fx)+b*fx)*(1-fy) + (cc*(1-fx)+d*fx)*fy
			if val != val { // a NaN neighbour: fall back to the nearest cell
				val = t[min(int(v), f.H-1)*f.W+min(int(u), f.W-1)]
			}
			col := cm.At(val)
			p := pix[4*i : 4*i+4 : 4*i+4]
			p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
		}
	}
}

// paintBar fills the colour bar: bottom is the low end of the map, top the high end. Each row
// samples the map at its centre, so the bar shows exactly the colours the field uses.
func (c *canvas) paintBar(r image.Rectangle, cm Colormap) {
	for j := 0; j < r.Dy(); j++ {
		col := cm.At((float64(r.Dy()-1-j) + 0.5) / float64(r.Dy()))
		c.fill(image.Rect(r.Min.X, r.Min.Y+j, r.Max.X, r.Min.Y+j+1), col)
	}
}
