package render

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rgbaAt returns the colour of pixel (x, y).
func rgbaAt(img *image.RGBA, x, y int) color.RGBA {
	return img.RGBAAt(x, y)
}

// ramp returns a w×h field whose value is its x coordinate (cell centres) on [x0, x1]×[0, 1].
func ramp(w, h int, x0, x1 float64) Field {
	d := make([]float64, w*h)
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			d[j*w+i] = x0 + (x1-x0)*(float64(i)+0.5)/float64(w)
		}
	}
	return Field{W: w, H: h, Data: d, X0: x0, X1: x1, Y0: 0, Y1: 1}
}

func TestHeatmapRampColours(t *testing.T) {
	// A field equal to its x coordinate: every pixel of the plot shows the colour of the cell
	// under its centre, exactly (no blending in nearest mode).
	f := ramp(64, 8, 0, 1)
	img, parts, err := heatmap(f, HeatmapOptions{Width: 500, Height: 300, Title: "ramp", XLabel: "x", YLabel: "y", Label: "u"})
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 500, 300), img.Rect)
	p := parts.plot
	require.Greater(t, p.Dx(), 300, "plot area uses most of the width")
	assert.Equal(t, Scale{Min: 0.5 / 64, Max: 63.5 / 64}, parts.scale, "auto range spans the data")
	for _, px := range []int{p.Min.X, p.Min.X + p.Dx()/3, (p.Min.X + p.Max.X) / 2, p.Max.X - 1} {
		cell := int((float64(px-p.Min.X) + 0.5) / float64(p.Dx()) * 64)
		want := Viridis().At(parts.scale.Norm(f.Data[cell]))
		for _, py := range []int{p.Min.Y + 1, (p.Min.Y + p.Max.Y) / 2, p.Max.Y - 2} {
			assert.Equal(t, want, rgbaAt(img, px, py), "pixel (%d, %d) → cell %d", px, py, cell)
		}
	}
	// Leftmost column shows the low end of the map, rightmost the high end.
	assert.Equal(t, Viridis().At(0), rgbaAt(img, p.Min.X, p.Min.Y+5))
	assert.Equal(t, Viridis().At(1), rgbaAt(img, p.Max.X-1, p.Min.Y+5))
}

func TestHeatmapColourBarSpansRange(t *testing.T) {
	f := ramp(32, 4, -2, 3)
	img, parts, err := heatmap(f, HeatmapOptions{Width: 480, Height: 360, Min: -2, Max: 3})
	require.NoError(t, err)
	b := parts.bar
	mid := (b.Min.X + b.Max.X) / 2
	assert.Equal(t, Viridis().At(1), rgbaAt(img, mid, b.Min.Y), "top of the bar is the high end")
	assert.Equal(t, Viridis().At(0), rgbaAt(img, mid, b.Max.Y-1), "bottom of the bar is the low end")
	// The bar is monotone in luminance from bottom to top (viridis), within the 8-bit dips the
	// colormap test allows.
	prev := -1.0
	for y := b.Max.Y - 1; y >= b.Min.Y; y -= 4 {
		l := relativeLuminance(rgbaAt(img, mid, y))
		require.Greater(t, l, prev-5e-4, "bar row %d", y)
		prev = l
	}
	assert.Equal(t, []float64{-2, -1, 0, 1, 2, 3}, parts.cbTicks)
	assert.Equal(t, []string{"-2", "-1", "0", "1", "2", "3"}, parts.cbLabels)
	// Each tick label was drawn: dark pixels right of the bar at the tick's height.
	for _, v := range parts.cbTicks {
		y := int(axis{lo: -2, hi: 3, p0: float64(b.Max.Y), p1: float64(b.Min.Y)}.pix(v))
		y = min(y, b.Max.Y-1)
		assert.True(t, hasDark(img, image.Rect(b.Max.X+2, y-6, img.Rect.Max.X, y+7)), "label for %g", v)
	}
}

// hasDark reports whether r holds a pixel darker than mid-grey (text or furniture).
func hasDark(img *image.RGBA, r image.Rectangle) bool {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := img.RGBAAt(x, y)
			if int(c.R)+int(c.G)+int(c.B) < 3*100 {
				return true
			}
		}
	}
	return false
}

func TestHeatmapNaN(t *testing.T) {
	f := ramp(10, 10, 0, 1)
	nan := map[int]bool{0: true, 33: true, 99: true}
	for k := range nan {
		f.Data[k] = math.NaN()
	}
	for _, smooth := range []bool{false, true} {
		img, parts, err := heatmap(f, HeatmapOptions{Width: 400, Height: 300, Smooth: smooth})
		require.NoError(t, err)
		p := parts.plot
		nanCol := Viridis().NaNColor()
		for k := 0; k < 100; k++ {
			i, j := k%10, k/10
			// Centre of cell (i, j); row 0 is at the bottom since Y0 < Y1.
			px := p.Min.X + int((float64(i)+0.5)/10*float64(p.Dx()))
			py := p.Max.Y - 1 - int((float64(j)+0.5)/10*float64(p.Dy()))
			got := rgbaAt(img, px, py)
			if nan[k] {
				assert.Equal(t, nanCol, got, "smooth=%v: NaN cell %d", smooth, k)
			} else {
				assert.NotEqual(t, nanCol, got, "smooth=%v: cell %d", smooth, k)
			}
		}
		assert.Equal(t, 0.05, parts.scale.Min, "NaN is ignored by the auto range")
	}
}

func TestHeatmapLogScale(t *testing.T) {
	// Values from 1e-12 to 1 along x (log-spaced), plus exact zeros in the top row: on a log
	// scale the colour follows the exponent, and zeros take the low end.
	const w = 13
	d := make([]float64, w*2)
	for i := 0; i < w; i++ {
		d[i] = math.Pow(10, float64(i-12))
		d[w+i] = 0
	}
	f := Field{W: w, H: 2, Data: d, X0: 0, X1: 1, Y0: 0, Y1: 1}
	img, parts, err := heatmap(f, HeatmapOptions{Width: 520, Height: 320, Log: true, Colormap: Magma()})
	require.NoError(t, err)
	assert.Equal(t, Scale{Min: 1e-12, Max: 1, Log: true}, parts.scale)
	assert.Equal(t, []string{"1e-12", "1e-10", "1e-8", "1e-6", "1e-4", "1e-2", "1e0"}, parts.cbLabels)
	p := parts.plot
	bottomRow := p.Max.Y - p.Dy()/4
	topRow := p.Min.Y + p.Dy()/4
	for i := 0; i < w; i++ {
		px := p.Min.X + int((float64(i)+0.5)/w*float64(p.Dx()))
		want := Magma().At(float64(i) / 12)
		assert.Equal(t, want, rgbaAt(img, px, bottomRow), "1e%d", i-12)
		assert.Equal(t, Magma().At(0), rgbaAt(img, px, topRow), "zero on a log scale")
	}
	assert.Equal(t, 0.5, parts.scale.Norm(1e-6), "1e-6 is the middle of [1e-12, 1] in log")
}

func TestHeatmapSymmetricAndOrientation(t *testing.T) {
	// Signed data from -1 to 3: symmetric range [-3, 3], coolwarm by default, zero in the middle.
	// Y0 > Y1 says row 0 is the top row, as in an image.
	d := []float64{
		-1, 0, // row 0 (top, y = 1)
		3, 0, // row 1 (bottom, y = -1)
	}
	f := Field{W: 2, H: 2, Data: d, X0: -1, X1: 1, Y0: 1, Y1: -1}
	img, parts, err := heatmap(f, HeatmapOptions{Width: 400, Height: 400, Symmetric: true, EqualAspect: true})
	require.NoError(t, err)
	assert.Equal(t, Scale{Min: -3, Max: 3}, parts.scale)
	assert.Equal(t, "coolwarm", parts.cm.Name())
	p := parts.plot
	assert.InDelta(t, p.Dx(), p.Dy(), 1, "equal aspect on a square domain gives a square plot")
	q := func(i, j int) color.RGBA { // centre of the quarter (i, j), j = 0 at the top
		return rgbaAt(img, p.Min.X+p.Dx()*(2*i+1)/4, p.Min.Y+p.Dy()*(2*j+1)/4)
	}
	cw := CoolWarm()
	assert.Equal(t, cw.At(parts.scale.Norm(-1)), q(0, 0))
	assert.Equal(t, cw.At(0.5), q(1, 0), "zero is the neutral middle")
	assert.Equal(t, cw.At(1), q(0, 1))
	assert.Equal(t, cw.At(0.5), q(1, 1))
}

func TestHeatmapErrors(t *testing.T) {
	good := ramp(4, 4, 0, 1)
	tests := []struct {
		name string
		f    Field
		opt  HeatmapOptions
		msg  string
	}{
		{"short data", Field{W: 4, H: 4, Data: make([]float64, 15), X1: 1, Y1: 1}, HeatmapOptions{}, "15 values"},
		{"empty domain", Field{W: 4, H: 4, Data: make([]float64, 16), X1: 1}, HeatmapOptions{}, "empty"},
		{"nan domain", Field{W: 4, H: 4, Data: make([]float64, 16), X1: math.NaN(), Y1: 1}, HeatmapOptions{}, "not finite"},
		{"log and symmetric", good, HeatmapOptions{Log: true, Symmetric: true}, "symmetric"},
		{"negative log range", good, HeatmapOptions{Log: true, Min: -1, Max: 1}, "positive"},
		{"tiny", good, HeatmapOptions{Width: 10, Height: 10}, "size"},
	}
	for _, tc := range tests {
		_, err := Heatmap(tc.f, tc.opt)
		require.Error(t, err, tc.name)
		assert.ErrorContains(t, err, tc.msg, tc.name)
		assert.ErrorContains(t, err, "heatmap", tc.name)
	}
}

func TestHeatmapAllNaNStillDraws(t *testing.T) {
	// A diverged snapshot must still render (all NaN colour) rather than fail the viewer.
	d := make([]float64, 9)
	for i := range d {
		d[i] = math.NaN()
	}
	img, parts, err := heatmap(Field{W: 3, H: 3, Data: d, X1: 1, Y1: 1}, HeatmapOptions{Width: 300, Height: 240})
	require.NoError(t, err)
	c := parts.plot.Min.Add(parts.plot.Size().Div(2))
	assert.Equal(t, Viridis().NaNColor(), rgbaAt(img, c.X, c.Y))
}
