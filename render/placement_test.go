package render

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlacementMatchesDrawing(t *testing.T) {
	// A heatmap whose left half is 0 and right half 1: the colour changes where Pixel(0, ·) says.
	f := Field{W: 2, H: 1, Data: []float64{0, 1}, X0: -1, X1: 1, Y0: 0, Y1: 1}
	img, pl, err := HeatmapPlaced(f, HeatmapOptions{Width: 400, Height: 300, Colormap: Gray()})
	require.NoError(t, err)
	px, py := pl.Pixel(0, 0.5)
	assert.InDelta(t, float64(pl.Plot.Min.X+pl.Plot.Max.X)/2, px, 0.5)
	assert.InDelta(t, float64(pl.Plot.Min.Y+pl.Plot.Max.Y)/2, py, 0.5)
	y := int(py)
	assert.Equal(t, uint8(0), img.RGBAAt(int(px)-2, y).R, "left of the middle is the low end")
	assert.Equal(t, uint8(255), img.RGBAAt(int(px)+2, y).R, "right of the middle is the high end")
	assert.False(t, pl.Bar.Empty())
	lo, hi := pl.XRange()
	assert.Equal(t, [2]float64{-1, 1}, [2]float64{lo, hi})

	// A line plot: a point's pixel is on the drawn line.
	img, pl, err = LinePlotPlaced([]Series{{X: []float64{0, 10}, Y: []float64{1, 100}, Color: PaletteColor(3), Width: 3}},
		PlotOptions{Width: 400, Height: 300, YLog: true, XMin: 0, XMax: 10, YMin: 1, YMax: 100})
	require.NoError(t, err)
	px, py = pl.Pixel(5, 10) // the middle of the line on log axes
	// Anti-aliasing blends the edges: some pixel of the 3×3 block around the point has the
	// line's colour exactly.
	want, found := PaletteColor(3), false
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			found = found || img.RGBAAt(int(px)+dx, int(py)+dy) == want
		}
	}
	assert.True(t, found, "the line passes through Pixel(5, 10) = (%.1f, %.1f)", px, py)
	lo, hi = pl.YRange()
	assert.Equal(t, [2]float64{1, 100}, [2]float64{lo, hi})
	assert.True(t, pl.Bar.Empty())
}
