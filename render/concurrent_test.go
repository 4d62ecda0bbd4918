package render

import (
	"image"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConcurrentDrawing(t *testing.T) {
	// The viewer may draw the loss plot and the heatmap on different goroutines: results must
	// match the serial ones exactly (run with -race to check for shared state).
	steps, losses := goldenLoss(2000)
	f := goldenField()
	draw := func() (*image.RGBA, *image.RGBA, error) {
		a, err := LossPlot(steps, losses, PlotOptions{Width: 400, Height: 300})
		if err != nil {
			return nil, nil, err
		}
		b, err := Heatmap(f, HeatmapOptions{Width: 320, Height: 280, Title: "u"})
		return a, b, err
	}
	wantA, wantB, err := draw()
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			a, b, err := draw()
			if assert.NoError(t, err) {
				assert.Equal(t, wantA.Pix, a.Pix)
				assert.Equal(t, wantB.Pix, b.Pix)
			}
		})
	}
	wg.Wait()
}
