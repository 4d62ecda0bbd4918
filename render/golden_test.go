package render

import (
	"flag"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

// goldenField is a smooth 2-D field with a hole of NaN: sin πx · cos πy · e^{−(x²+y²)} on
// [−1, 1] × [0, 2], 96×96 cells.
func goldenField() Field {
	const n = 96
	d := make([]float64, n*n)
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x := -1 + 2*(float64(i)+0.5)/n
			y := 2 * (float64(j) + 0.5) / n
			d[j*n+i] = math.Sin(math.Pi*x) * math.Cos(math.Pi*y) * math.Exp(-(x*x + y*y/4))
			if sq(x-0.55)+sq(y-1.5) < 0.02 {
				d[j*n+i] = math.NaN()
			}
		}
	}
	return Field{W: n, H: n, Data: d, X0: -1, X1: 1, Y0: 0, Y1: 2}
}

// goldenLoss returns a loss history like a SIREN fit's: fast fall, noisy plateau, second fall.
func goldenLoss(n int) ([]float64, []Column) {
	rng := rand.New(rand.NewPCG(1, 2))
	steps := make([]float64, n)
	total := make([]float64, n)
	bc := make([]float64, n)
	for i := range steps {
		s := float64(i + 1)
		steps[i] = s
		base := 0.8*math.Exp(-s/300) + 2e-3*math.Exp(-s/2500) + 3e-6
		total[i] = base * math.Exp(0.35*rng.NormFloat64())
		bc[i] = 0.1 * base * math.Exp(0.2*rng.NormFloat64()) * (1 + 0.5*math.Sin(s/150))
	}
	return steps, []Column{{Name: "total", Values: total}, {Name: "boundary", Values: bc}}
}

// goldenCut returns a line cut of a solution against its reference with a visible error.
func goldenCut() (x, u, ref []float64) {
	const n = 201
	x, u, ref = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		x[i] = -1 + 2*float64(i)/(n-1)
		ref[i] = -math.Tanh(x[i] / 0.08) // Burgers-like shock at x = 0
		u[i] = -math.Tanh(x[i]/0.11) + 0.03*math.Sin(9*math.Pi*x[i])*math.Exp(-4*x[i]*x[i])
	}
	return x, u, ref
}

func TestGolden(t *testing.T) {
	x, u, ref := goldenCut()
	steps, losses := goldenLoss(5000)
	cases := []struct {
		name string
		draw func() (*image.RGBA, error)
	}{
		{"heatmap_colorbar", func() (*image.RGBA, error) {
			return Heatmap(goldenField(), HeatmapOptions{
				Width: 560, Height: 520, Title: "u(x, y) at step 2000", XLabel: "x", YLabel: "y",
				Label: "u", Symmetric: true, EqualAspect: true,
			})
		}},
		{"loss_log", func() (*image.RGBA, error) {
			return LossPlot(steps, losses, PlotOptions{Title: "Training loss (SIREN, 256×3)"})
		}},
		{"line_cut", func() (*image.RGBA, error) {
			return LineCut(x, u, ref, PlotOptions{Title: "Burgers: u(x, t = 0.5)", XLabel: "x", YLabel: "u", Width: 720, Height: 440})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.draw()
			require.NoError(t, err)
			path := filepath.Join("testdata", tc.name+".png")
			if *update {
				require.NoError(t, os.MkdirAll("testdata", 0o755))
				require.NoError(t, WritePNG(path, got))
				return
			}
			f, err := os.Open(path)
			require.NoError(t, err, "missing golden file: run go test ./render -run TestGolden -update")
			wantImg, err := png.Decode(f)
			f.Close()
			require.NoError(t, err)
			want := image.NewRGBA(wantImg.Bounds())
			for y := 0; y < want.Rect.Dy(); y++ {
				for x := 0; x < want.Rect.Dx(); x++ {
					want.Set(x, y, wantImg.At(x, y))
				}
			}
			require.Equal(t, want.Rect, got.Rect, "size changed")
			// Tolerance: a channel may move by 3 levels anywhere (anti-aliasing arithmetic), and at
			// most 0.2% of pixels may differ by more (a glyph edge shifted by rounding). A layout
			// change, a colour change or a missing label moves far more pixels than that.
			bad, worst := 0, 0
			for i := 0; i < len(got.Pix); i += 4 {
				d := 0
				for c := 0; c < 4; c++ {
					d = max(d, absInt(int(got.Pix[i+c])-int(want.Pix[i+c])))
				}
				worst = max(worst, d)
				if d > 3 {
					bad++
				}
			}
			limit := len(got.Pix) / 4 / 500
			if bad > limit {
				out := filepath.Join(t.TempDir(), tc.name+".png")
				_ = WritePNG(out, got)
				t.Fatalf("%s: %d pixels differ by more than 3 levels (limit %d, worst %d); got image written to %s", tc.name, bad, limit, worst, out)
			}
		})
	}
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
