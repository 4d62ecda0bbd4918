package pinn

import (
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWriteRun solves tiny problems of each picture layout (1-D, space–time, 2-D with several
// fields, disk, scattered file reference) for a few steps and checks the run folder: every file
// is there, the pictures decode, and metrics.json holds the figures of the result.
func TestWriteRun(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ref.csv"), "x,y,u\n0.1,0.2,0.5\n-0.3,0.4,0.25\n0.5,-0.5,0\n")
	cases := map[string]struct {
		src   string
		files []string
	}{
		"ode": {`fields = ["u"]
[domain]
shape = "interval"
x = [-1, 1]
[[equation]]
residual = "u_x - u - x"
[transform]
u = "x*N"
[network]
widths = [5]
[reference]
solution = "ode-exp"
`, []string{"solution.png", "error.png", "residual.png"}},
		"space-time": {`fields = ["u"]
[domain]
shape = "interval"
x = [0, 1]
time = [0, 1]
[[equation]]
residual = "u_t - 0.4*u_xx"
[[condition]]
kind = "initial"
value = "sin(pi*x)"
[reference]
solution = "heat1d"
grid = [21, 11]
[network]
widths = [5]
[output]
times = [0, 0.5]
`, []string{"solution.png", "error.png", "residual.png", "snapshots.png"}},
		"two fields on a disk, file reference": {`fields = ["u", "v"]
[domain]
shape = "disk"
center = [0, 0]
radius = 1
[[equation]]
residual = "u_xx + v_yy"
[[equation]]
residual = "u - v"
[reference]
file = "ref.csv"
[output]
grid = [15, 15]
[network]
widths = [5]
`, []string{"solution.png", "error.png", "residual.png"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			p, err := Parse(name+".toml", []byte(c.src), dir)
			require.NoError(t, err)
			adam, lbfgs := 5, 5
			res, err := Solve(context.Background(), p, Options{AdamSteps: &adam, LBFGSIterations: &lbfgs})
			require.NoError(t, err)
			out := filepath.Join(t.TempDir(), "run")
			require.NoError(t, MkdirRun(out))
			require.NoError(t, WriteRun(out, res, "test"))
			for _, f := range append(c.files, "loss.png") {
				fh, err := os.Open(filepath.Join(out, f))
				require.NoError(t, err, f)
				img, err := png.Decode(fh)
				fh.Close()
				require.NoError(t, err, f)
				assert.Greater(t, img.Bounds().Dx(), 200, f)
			}
			for _, f := range []string{"loss.csv", ModelFile} {
				assert.FileExists(t, filepath.Join(out, f))
			}
			raw, err := os.ReadFile(filepath.Join(out, "metrics.json"))
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(raw, &m))
			assert.InDelta(t, *res.Metrics.RelL2, m["rel_l2"], 0)
			assert.Equal(t, float64(5), m["adam_steps"])
			assert.Contains(t, m, "loss_terms")
			assert.Contains(t, m, "seconds")
		})
	}
}
