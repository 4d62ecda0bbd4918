package render

import (
	"math"
	"testing"
)

// BenchmarkHeatmap draws a 512² field with colour bar, axes, labels and title at a typical
// viewer panel size (640×560), as the viewer does for every snapshot.
func BenchmarkHeatmap(b *testing.B) {
	const n = 512
	d := make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x, y := float64(i)/n, float64(j)/n
			d[j*n+i] = math.Sin(7*x) * math.Cos(5*y)
		}
	}
	f := Field{W: n, H: n, Data: d, X0: -1, X1: 1, Y0: -1, Y1: 1}
	for _, bc := range []struct {
		name string
		opt  HeatmapOptions
	}{
		{"512", HeatmapOptions{Width: 640, Height: 560, Title: "u(x, y)", XLabel: "x", YLabel: "y", Label: "u", Symmetric: true}},
		{"512/log", HeatmapOptions{Width: 640, Height: 560, Title: "|error|", Label: "error", Log: true}},
		{"512/smooth", HeatmapOptions{Width: 640, Height: 560, Title: "u(x, y)", Smooth: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Heatmap(f, bc.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLossPlot draws a noisy 10 000-step loss curve on a log axis at 800×500.
func BenchmarkLossPlot(b *testing.B) {
	steps, losses := goldenLoss(10000)
	for _, bc := range []struct {
		name   string
		losses []Column
	}{
		{"800x500", losses[:1]},
		{"800x500/2series", losses},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := LossPlot(steps, bc.losses, PlotOptions{Width: 800, Height: 500, Title: "Training loss"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncodePNG measures writing a plot, for comparison with drawing it.
func BenchmarkEncodePNG(b *testing.B) {
	steps, losses := goldenLoss(10000)
	img, err := LossPlot(steps, losses, PlotOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := EncodePNG(discard{}, img); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
