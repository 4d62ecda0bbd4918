package render_test

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/render"
)

func ExampleNiceTicks() {
	ticks := render.NiceTicks(0, 0.87, 6)
	fmt.Println(render.FormatTicks(ticks))
	log := render.LogTicks(1e-7, 3, 10)
	fmt.Println(render.FormatLogTicks(log))
	// Output:
	// [0.0 0.2 0.4 0.6 0.8]
	// [1e-7 1e-6 1e-5 1e-4 1e-3 1e-2 1e-1 1e0]
}

func ExampleHeatmap() {
	// A 64×32 field on [0, 2]×[−1, 1], drawn at 480×320 with a colour bar.
	const w, h = 64, 32
	data := make([]float64, w*h)
	for j := 0; j < h; j++ {
		for i := 0; i < w; i++ {
			x := 2 * (float64(i) + 0.5) / w
			y := -1 + 2*(float64(j)+0.5)/h
			data[j*w+i] = math.Sin(math.Pi*x) * y
		}
	}
	img, err := render.Heatmap(render.Field{W: w, H: h, Data: data, X0: 0, X1: 2, Y0: -1, Y1: 1},
		render.HeatmapOptions{Width: 480, Height: 320, Title: "u(x, y)", Label: "u", Symmetric: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Bounds())
	// Output: (0,0)-(480,320)
}
