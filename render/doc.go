// Package render draws everything INR Studio shows as plain image.Image values: colormaps,
// images from float arrays, error maps, heatmaps of scalar fields with a colour bar, line plots
// (loss curves on log axes, line cuts of a solution against its reference), panel grids, text and
// resizing, plus atomic PNG and loss-CSV writers. The desktop viewer (render/viewer, the only
// package that imports ebiten) calls these same functions on every training snapshot, so every
// picture it shows can also be written headless and tested pixel by pixel.
//
// # Main types and functions
//
//   - Colormap: t ∈ [0, 1] → colour through a 256-entry table (Viridis, Magma, CoolWarm, Gray,
//     or ColormapByName, with "_r" for reversed), with a NaN colour absent from the map.
//   - Scale and AutoScale: the value → t mapping, linear or log10, optionally symmetric.
//   - FloatImage, Colorize, ErrorField, ErrorMap: pictures from raw arrays, one pixel per sample.
//   - Field and Heatmap: a W×H field over a domain, with axes in domain coordinates and a colour
//     bar whose ticks are nice numbers (scientific for tiny or huge ranges, decades when log).
//   - Series, LinePlot, LossPlot, LineCut: anti-aliased curves with legend, log or linear axes.
//   - NiceTicks, LogTicks, FormatTicks, FormatLogTicks: the tick rules, usable on their own.
//   - Grid, Resize, Zoom, DrawText, MeasureText: composition.
//   - WritePNG, EncodePNG, WriteLossCSV, EncodeLossCSV: outputs of a run folder.
//
// # Why our own drawing rather than gonum.org/v1/plot
//
// gonum/plot draws good static figures, but at viewer rates it is too slow and its heatmap is
// the problem: on this project's 2-core machine, a 512² plotter.HeatMap rendered through vgimg
// took 0.66–0.94 s and a 10 000-point log-scale loss plot about 80 ms (gonum plot v0.17.0, run
// beside this package's BenchmarkHeatmap and BenchmarkLossPlot). Here a field is quantised to
// table indices once and blitted, so a 512² heatmap with colour bar, axes and labels takes about
// 3 ms, and a curve is thinned to at most four points per pixel column before it is stroked, so
// an 800×500 loss plot of 10 000 points takes about 5 ms. Lines are anti-aliased with
// golang.org/x/image/vector (segment quads with bevel joins in one path per series, composited
// through an alpha mask), and text uses the Go fonts through golang.org/x/image/font/opentype,
// sized from the picture or set by the caller. Owning the layout also lets tests ask where the
// plot area, ticks and colour bar went and check pixels against the data.
//
// # Example
//
//	steps, loss := []float64{1, 2, 3}, []float64{1, 0.1, 0.01}
//	img, err := render.LossPlot(steps, []render.Column{{Name: "loss", Values: loss}}, render.PlotOptions{})
//	if err != nil {
//		return err
//	}
//	if err := render.WritePNG("run/loss.png", img); err != nil {
//		return err
//	}
//	return render.WriteLossCSV("run/loss.csv", steps, render.Column{Name: "loss", Values: loss})
//
// Pictures are safe to draw from several goroutines at once: every call makes its own font
// faces and buffers; the only shared state is the read-only colormap registry and parsed fonts.
package render
