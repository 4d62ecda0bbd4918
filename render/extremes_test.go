package render

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtremeValuesDraw(t *testing.T) {
	// Ranges at the edges of float64 must neither hang the tick search nor panic: each picture
	// is drawn and its tick labels are finite numbers.
	big, tiny := math.MaxFloat64, math.SmallestNonzeroFloat64
	for _, tc := range []struct {
		name string
		y    []float64
		log  bool
	}{
		{"full range", []float64{-big, big}, false},
		{"huge", []float64{1e300, 3e300}, false},
		{"subnormal", []float64{tiny, 4 * tiny}, false},
		{"zero and subnormal", []float64{0, tiny}, false},
		{"600 decades", []float64{1e-300, 1e300}, true},
		{"subnormal log", []float64{tiny, 1}, true},
		{"constant", []float64{7, 7}, false},
		{"constant log", []float64{7, 7}, true},
	} {
		_, parts, err := linePlot([]Series{{Y: tc.y}}, PlotOptions{YLog: tc.log, Width: 320, Height: 240})
		require.NoError(t, err, tc.name)
		require.GreaterOrEqual(t, len(parts.yTicks), 1, tc.name)
		for _, v := range parts.yTicks {
			assert.False(t, math.IsNaN(v) || math.IsInf(v, 0), "%s: tick %g", tc.name, v)
		}
		_, hp, err := heatmap(Field{W: 2, H: 1, Data: tc.y, X0: 0, X1: 1, Y0: 0, Y1: 1}, HeatmapOptions{Log: tc.log, Width: 320, Height: 240})
		require.NoError(t, err, tc.name)
		require.GreaterOrEqual(t, len(hp.cbTicks), 1, tc.name)
	}
}

func TestLinePlotClipsToAxes(t *testing.T) {
	// Data beyond a fixed range is cut at the frame: no curve pixel outside the plot area.
	x := []float64{-10, -0.5, 0, 0.5, 10}
	y := []float64{-5, 0.2, 3, 0.8, 9}
	img, parts, err := linePlot([]Series{{X: x, Y: y, Color: testRed, Width: 4, Marker: MarkerCircle}},
		PlotOptions{XMin: -1, XMax: 1, YMin: 0, YMax: 1, Width: 400, Height: 300, Legend: LegendNone})
	require.NoError(t, err)
	inside := 0
	for py := 0; py < img.Rect.Dy(); py++ {
		for px := 0; px < img.Rect.Dx(); px++ {
			if !isRed(img.RGBAAt(px, py)) {
				continue
			}
			require.True(t, parts.rect.Inset(-1).Min.X <= px && px < parts.rect.Max.X && py >= parts.rect.Min.Y && py < parts.rect.Max.Y,
				"curve pixel (%d, %d) outside the plot area %v", px, py, parts.rect)
			inside++
		}
	}
	assert.Greater(t, inside, 100)
}
