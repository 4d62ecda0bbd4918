package render

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var testRed = color.RGBA{230, 0, 0, 255}

// isRed reports whether a pixel is at least half covered by testRed: blended over white (or the
// light grid), red stays ≥ 200 while green and blue fall below 128 only past half coverage, and
// no text, frame or grid pixel is red.
func isRed(c color.RGBA) bool { return c.R >= 200 && c.G < 128 && c.B < 128 }

// columnsOf returns, for each x in r, the mean y of the pixels at least half covered by the red
// test curve, or NaN where the column has none.
func columnsOf(img *image.RGBA, r image.Rectangle) []float64 {
	out := make([]float64, r.Dx())
	for x := r.Min.X; x < r.Max.X; x++ {
		sum, n := 0.0, 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			if isRed(img.RGBAAt(x, y)) {
				sum += float64(y)
				n++
			}
		}
		out[x-r.Min.X] = math.NaN()
		if n > 0 {
			out[x-r.Min.X] = sum / float64(n)
		}
	}
	return out
}

func TestLinePlotDescendingLogCurve(t *testing.T) {
	// A loss-like curve 1/(1+x)² on a log y axis falls monotonically: within the plot area the
	// curve's pixels move down (y grows) from left to right, start and end where the axes put the
	// first and last points, and cover nearly every column.
	const n = 2000
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i] = float64(i)
		y[i] = 1 / sq(1+float64(i)/50)
	}
	img, parts, err := linePlot([]Series{{Name: "loss", X: x, Y: y, Color: testRed}}, PlotOptions{YLog: true, Legend: LegendNone, Width: 800, Height: 500})
	require.NoError(t, err)
	r := parts.rect
	cols := columnsOf(img, r)
	covered, prev := 0, math.Inf(-1)
	for i, c := range cols {
		if math.IsNaN(c) {
			continue
		}
		covered++
		// Half a pixel of slack: the mean of a column's full-coverage pixels can wobble that much
		// where the curve is nearly flat.
		require.GreaterOrEqual(t, c, prev-0.5, "curve rises at column %d", r.Min.X+i)
		prev = math.Max(prev, c)
	}
	assert.Greater(t, covered, r.Dx()*9/10, "curve covers the width of the plot")
	// End points, within 2 px (line half-width plus the column averaging).
	first, last := firstFinite(cols), lastFinite(cols)
	assert.InDelta(t, parts.y.pix(y[0]), first, 2)
	assert.InDelta(t, parts.y.pix(y[n-1]), last, 2)
	assert.Equal(t, FormatLogTicks(parts.yTicks), parts.yLabels)
	assert.Equal(t, "", parts.note)
}

func firstFinite(v []float64) float64 {
	for _, x := range v {
		if !math.IsNaN(x) {
			return x
		}
	}
	return math.NaN()
}

func lastFinite(v []float64) float64 {
	for i := len(v) - 1; i >= 0; i-- {
		if !math.IsNaN(v[i]) {
			return v[i]
		}
	}
	return math.NaN()
}

func TestLinePlotLogSkipsNonPositive(t *testing.T) {
	// y ≤ 0 cannot be shown on a log axis: the two points are skipped, the line breaks there (no
	// curve pixels between x = 2 and x = 5), and a note says so.
	s := Series{X: []float64{1, 2, 3, 4, 5, 6}, Y: []float64{1, 0.5, 0, -1, 0.1, 0.05}, Color: testRed}
	img, parts, err := linePlot([]Series{s}, PlotOptions{YLog: true, Width: 600, Height: 400})
	require.NoError(t, err)
	assert.Equal(t, 2, parts.skipped.logY)
	assert.Equal(t, "2 points with y ≤ 0 not shown (log y)", parts.note)
	cols := columnsOf(img, parts.rect)
	at := func(x float64) int { return int(parts.x.pix(x)) - parts.rect.Min.X }
	for i := at(2) + 4; i < at(5)-4; i++ {
		require.True(t, math.IsNaN(cols[i]), "line drawn across the gap at column %d", i)
	}
	for i := at(1) + 3; i < at(2)-3; i++ {
		require.False(t, math.IsNaN(cols[i]), "segment 1–2 missing at column %d", i)
	}
	for i := at(5) + 3; i < at(6)-3; i++ {
		require.False(t, math.IsNaN(cols[i]), "segment 5–6 missing at column %d", i)
	}
	// The note is written below the axes.
	assert.True(t, hasGrey(img, image.Rect(parts.rect.Min.X, parts.rect.Max.Y+20, img.Rect.Max.X, img.Rect.Max.Y)))

	_, parts, err = linePlot([]Series{{X: []float64{0, 1, 2}, Y: []float64{1, math.NaN(), 3}}}, PlotOptions{XLog: true})
	require.NoError(t, err)
	assert.Equal(t, "1 point with x ≤ 0 not shown (log x); 1 point not finite, not shown", parts.note)
}

// hasGrey reports whether r holds a pixel of the note colour's grey.
func hasGrey(img *image.RGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if c.R == c.G && c.G == c.B && c.R > 100 && c.R < 160 {
				return true
			}
		}
	}
	return false
}

func TestLinePlotLegend(t *testing.T) {
	x := []float64{0, 1, 2, 3}
	down := []Series{{Name: "training loss", X: x, Y: []float64{4, 3, 2, 1}, Color: testRed}}
	none, _, err := linePlot(down, PlotOptions{Legend: LegendNone, Width: 600, Height: 400})
	require.NoError(t, err)
	with, parts, err := linePlot(down, PlotOptions{Legend: LegendTopRight, Width: 600, Height: 400})
	require.NoError(t, err)

	// The legend changes pixels only in the top-right quarter of the plot, and those include text
	// (dark pixels) and the sample line in the series colour.
	r := parts.rect
	quarter := image.Rect((r.Min.X+r.Max.X)/2, r.Min.Y, r.Max.X, (r.Min.Y+r.Max.Y)/2)
	changed := image.Rectangle{}
	dark, sample := false, false
	for y := 0; y < with.Rect.Dy(); y++ {
		for x := 0; x < with.Rect.Dx(); x++ {
			if with.RGBAAt(x, y) == none.RGBAAt(x, y) {
				continue
			}
			changed = changed.Union(image.Rect(x, y, x+1, y+1))
			c := with.RGBAAt(x, y)
			dark = dark || int(c.R)+int(c.G)+int(c.B) < 150
			sample = sample || isRed(c)
		}
	}
	require.False(t, changed.Empty(), "legend drew nothing")
	assert.True(t, changed.In(quarter), "legend %v outside the top-right quarter %v", changed, quarter)
	assert.Greater(t, changed.Dx(), MeasureText("training loss", TextOptions{Size: 12}).X, "legend box holds the name")
	assert.True(t, dark, "legend has no text")
	assert.True(t, sample, "legend has no sample line")

	// Auto placement: a falling line leaves the top right free; a rising one the top left.
	auto, _, err := linePlot(down, PlotOptions{Width: 600, Height: 400})
	require.NoError(t, err)
	assert.Equal(t, with.Pix, auto.Pix, "falling curve: legend top right")
	up := []Series{{Name: "accuracy", X: x, Y: []float64{1, 2, 3, 4}}}
	autoUp, _, err := linePlot(up, PlotOptions{Width: 600, Height: 400})
	require.NoError(t, err)
	topLeft, _, err := linePlot(up, PlotOptions{Width: 600, Height: 400, Legend: LegendTopLeft})
	require.NoError(t, err)
	assert.Equal(t, topLeft.Pix, autoUp.Pix, "rising curve: legend top left")
}

func TestLinePlotTicks(t *testing.T) {
	// A fixed y range [0, 0.87] on a short plot gets the ticks 0, 0.2, …, 0.8.
	s := []Series{{Y: []float64{0, 0.87}}}
	_, parts, err := linePlot(s, PlotOptions{Width: 400, Height: 200, YMin: 0, YMax: 0.87, XMin: 0, XMax: 1})
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 0.2, 0.4, 0.6, 0.8}, parts.yTicks)
	assert.Equal(t, []string{"0.0", "0.2", "0.4", "0.6", "0.8"}, parts.yLabels)
	assert.Equal(t, FormatTicks(parts.xTicks), parts.xLabels)

	// A log y axis over data from 1e-7 to 3 is labelled by decades.
	_, parts, err = linePlot([]Series{{Y: []float64{3, 1e-2, 1e-7}}}, PlotOptions{YLog: true})
	require.NoError(t, err)
	assert.Equal(t, []string{"1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1e0"}, parts.yLabels)
	assert.Equal(t, []float64{0, 0.5, 1, 1.5, 2}, parts.xTicks, "nil X plots against the index")
}

func TestLinePlotMarkersAndDashes(t *testing.T) {
	// Markers only (no line): curve-coloured pixels at the three points, none halfway between.
	s := Series{X: []float64{0, 1, 2}, Y: []float64{0, 1, 0}, Color: testRed, Width: -1, Marker: MarkerCircle, MarkerSize: 4}
	img, parts, err := linePlot([]Series{s}, PlotOptions{Width: 400, Height: 300, Legend: LegendNone})
	require.NoError(t, err)
	for i := range s.X {
		px, py := int(parts.x.pix(s.X[i])), int(parts.y.pix(s.Y[i]))
		assert.Equal(t, testRed, img.RGBAAt(px, py), "marker %d is filled", i)
	}
	mx, my := int(parts.x.pix(0.5)), int(parts.y.pix(0.5))
	assert.False(t, isRed(img.RGBAAt(mx, my)), "no line between markers")

	// A dashed horizontal line alternates between ink and gaps along its row; a solid one does not.
	for _, dashed := range []bool{false, true} {
		h := Series{X: []float64{0, 1}, Y: []float64{1, 1}, Color: testRed, Width: 3, Dashed: dashed}
		img, parts, err := linePlot([]Series{h}, PlotOptions{Width: 400, Height: 300, YMin: 0, YMax: 2, Legend: LegendNone})
		require.NoError(t, err)
		row := int(parts.y.pix(1))
		gaps, x0, x1 := 0, int(parts.x.pix(0))+2, int(parts.x.pix(1))-2
		for x := x0; x < x1; x++ {
			if !isRed(img.RGBAAt(x, row)) {
				gaps++
			}
		}
		if dashed {
			assert.Greater(t, gaps, (x1-x0)/6, "dashed line has gaps")
		} else {
			assert.Zero(t, gaps, "solid line is continuous")
		}
	}
}

func TestLinePlotInputs(t *testing.T) {
	_, err := LinePlot([]Series{{Name: "bad", X: []float64{1, 2}, Y: []float64{1}}}, PlotOptions{})
	require.Error(t, err)
	assert.ErrorContains(t, err, `"bad"`)
	assert.ErrorContains(t, err, "2 x values but 1 y values")

	_, err = LinePlot(nil, PlotOptions{Width: 10, Height: 10})
	assert.ErrorContains(t, err, "size")

	// No data at all: empty axes and a note, not an error (the viewer starts before step 1).
	img, parts, err := linePlot(nil, PlotOptions{YLog: true})
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 800, 500), img.Rect)
	assert.Equal(t, "no data", parts.note)
	assert.Equal(t, []string{"1e0", "1e1"}, parts.yLabels)
}

func TestLossPlotAndLineCut(t *testing.T) {
	steps := []float64{1, 10, 100}
	img, err := LossPlot(steps, []Column{{Name: "loss", Values: []float64{1, 1e-2, 1e-4}}}, PlotOptions{})
	require.NoError(t, err)
	assert.Equal(t, image.Rect(0, 0, 800, 500), img.Rect)

	_, err = LossPlot(steps, []Column{{Name: "loss", Values: []float64{1, 2}}}, PlotOptions{})
	assert.ErrorContains(t, err, "3 x values but 2 y values")

	x := []float64{-1, 0, 1}
	cut, err := LineCut(x, []float64{0, 1, 0}, []float64{0, 0.9, 0}, PlotOptions{Title: "cut"})
	require.NoError(t, err)
	// The reference is drawn dashed in near-black: some pixels of exactly that colour exist.
	found := false
	for i := 0; i < len(cut.Pix); i += 4 {
		if (color.RGBA{cut.Pix[i], cut.Pix[i+1], cut.Pix[i+2], cut.Pix[i+3]}) == referenceColor {
			found = true
			break
		}
	}
	assert.True(t, found, "reference curve missing")
}
