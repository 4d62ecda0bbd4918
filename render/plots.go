package render

import (
	"image"
	"image/color"
)

// LossPlot draws training-loss curves against the step on a log y axis: one line per column, in
// palette order, with a legend when there is more than one. Steps and losses that a log axis
// cannot show (≤ 0) are skipped with a note. Unset labels default to "step" and "loss".
func LossPlot(steps []float64, losses []Column, opt PlotOptions) (*image.RGBA, error) {
	opt.YLog = true
	if opt.XLabel == "" {
		opt.XLabel = "step"
	}
	if opt.YLabel == "" {
		opt.YLabel = "loss"
	}
	if len(losses) == 1 && opt.Legend == LegendAuto {
		opt.Legend = LegendNone
	}
	series := make([]Series, len(losses))
	for i, l := range losses {
		series[i] = Series{Name: l.Name, X: steps, Y: l.Values}
	}
	return LinePlot(series, opt)
}

// referenceColor draws reference curves in near-black so the solution's colour stands out.
var referenceColor = color.RGBA{40, 40, 40, 255}

// LineCut compares a solution with its reference along a line through the domain: the solution
// as a solid line in the first palette colour, the reference as a dashed near-black line. A nil
// reference draws the solution alone.
func LineCut(x, solution, reference []float64, opt PlotOptions) (*image.RGBA, error) {
	series := []Series{{Name: "solution", X: x, Y: solution}}
	if reference != nil {
		series = append(series, Series{Name: "reference", X: x, Y: reference, Color: referenceColor, Dashed: true})
	}
	return LinePlot(series, opt)
}
