package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/pytest"
	"github.com/inrstudio/studio/internal/sysmem"
	"github.com/inrstudio/studio/kernel"
)

const camera = "../../assets/camera-128.png"

// run executes the command line in-process and returns stdout, stderr and the error.
func run(ctx context.Context, args ...string) (string, string, error) {
	root := newRoot()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return out.String(), errb.String(), err
}

func readMetrics(t *testing.T, dir string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, inr.MetricsFile))
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(b, &m))
	return m
}

func TestFitWritesTheRunFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, errOut, err := run(context.Background(), "fit", camera, "--size", "32", "--steps", "30", "--eval-every", "10", "--out", dir, "--seed", "2")
	require.NoError(t, err, errOut)
	require.Contains(t, out, "PSNR")
	require.Contains(t, out, dir)
	require.Contains(t, errOut, "step 30/30", "plain log lines when stderr is not a terminal")
	require.Regexp(t, `kernel \w+, about [0-9.]+ MiB of memory\n`, errOut, "the estimated memory")
	for _, f := range inr.RunFiles {
		st, err := os.Stat(filepath.Join(dir, f))
		require.NoError(t, err, f)
		require.Positive(t, st.Size(), f)
	}
	m := readMetrics(t, dir)
	require.Equal(t, "siren", m["model"])
	require.EqualValues(t, 30, m["steps"])
	require.EqualValues(t, 2, m["seed"])
	require.EqualValues(t, 198401, m["params"])
	require.EqualValues(t, 32, m["width"])
	require.Equal(t, "constant", m["schedule"])
	require.Equal(t, "completed", m["stop"])
	psnr, best := m["psnr"].(float64), m["best_psnr"].(float64)
	require.Greater(t, psnr, 25.0, "30 SIREN steps on a 32² image")
	require.GreaterOrEqual(t, best, psnr)
	require.Greater(t, m["ssim"].(float64), 0.5)
	require.Greater(t, m["seconds"].(float64), 0.0)
	for _, k := range []string{"lr", "threads", "kernel", "image", "size", "keep_best", "rollback", "rollbacks", "config", "evals"} {
		require.Contains(t, m, k)
	}
	require.NotContains(t, m, "exif_orientation", "a PNG is not turned")
	// The reconstruction has the image's size and depth; the loss table has one row per step.
	f, err := os.Open(filepath.Join(dir, inr.ReconstructionFile))
	require.NoError(t, err)
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	require.NoError(t, err)
	require.Equal(t, [2]int{32, 32}, [2]int{cfg.Width, cfg.Height})
	csv, err := os.ReadFile(filepath.Join(dir, inr.LossCSVFile))
	require.NoError(t, err)
	require.Len(t, strings.Split(strings.TrimSpace(string(csv)), "\n"), 31)

	// eval renders the saved model at another resolution, and at the fitted one by default.
	big := filepath.Join(t.TempDir(), "big.png")
	out, _, err = run(context.Background(), "eval", filepath.Join(dir, inr.ModelFile), "--size", "80", "--out", big)
	require.NoError(t, err)
	require.Contains(t, out, "80×80")
	im, err := inr.LoadImage(big)
	require.NoError(t, err)
	require.Equal(t, [3]int{80, 80, 1}, [3]int{im.W, im.H, im.C})
	same := filepath.Join(t.TempDir(), "same.png")
	_, _, err = run(context.Background(), "eval", filepath.Join(dir, inr.ModelFile), "--out", same)
	require.NoError(t, err)
	a, err := inr.LoadImage(same)
	require.NoError(t, err)
	b, err := inr.LoadImage(filepath.Join(dir, inr.ReconstructionFile))
	require.NoError(t, err)
	require.Equal(t, b.Pix, a.Pix, "eval at the fitted size reproduces reconstruction.png")
}

// Same seed and thread count: the model files are byte-identical.
func TestFitSameSeedSameModelFile(t *testing.T) {
	var files [2][]byte
	for i := range files {
		dir := filepath.Join(t.TempDir(), "run")
		_, errOut, err := run(context.Background(), "fit", camera, "--size", "16", "--steps", "8", "--out", dir, "--seed", "5", "--threads", "2", "-q")
		require.NoError(t, err, errOut)
		files[i], err = os.ReadFile(filepath.Join(dir, inr.ModelFile))
		require.NoError(t, err)
	}
	require.True(t, bytes.Equal(files[0], files[1]))
}

// Cancelling the context (what Ctrl-C does) stops the fit and still writes every output.
func TestFitInterruptWritesOutputs(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, _, err := run(ctx, "fit", camera, "--size", "32", "--steps", "1000000", "--out", dir, "-q")
	require.Error(t, err)
	require.Equal(t, 130, exitCode(err))
	require.Contains(t, err.Error(), "interrupted")
	for _, f := range inr.RunFiles {
		require.FileExists(t, filepath.Join(dir, f))
	}
	m := readMetrics(t, dir)
	require.Equal(t, "interrupted", m["stop"])
	require.Less(t, m["steps"].(float64), 1000000.0)
}

// --time-limit ends the fit as a finished one: exit 0, every output, the reason in metrics.json
// and the log, no checkpoint left.
func TestFitTimeLimit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, _, err := run(context.Background(), "fit", camera, "--size", "32", "--steps", "1000000", "--time-limit", "1ms", "--out", dir, "-q")
	require.NoError(t, err)
	require.Contains(t, out, "stopped at the time limit (--time-limit 1ms) after 1 of 1000000 steps")
	for _, f := range inr.RunFiles {
		require.FileExists(t, filepath.Join(dir, f))
	}
	require.NoFileExists(t, filepath.Join(dir, inr.CheckpointFile))
	m := readMetrics(t, dir)
	require.Equal(t, "time_limit", m["stop"])
	require.Equal(t, 0.001, m["time_limit"])
	require.EqualValues(t, 1, m["steps"])
}

// Ctrl-C leaves checkpoint.safetensors; inr fit --resume DIR continues from it, with the image
// and flags the checkpoint recorded, to the same model file as a fit never stopped, and removes it.
func TestFitResumeAfterInterrupt(t *testing.T) {
	args := []string{camera, "--size", "24", "--steps", "400", "--eval-every", "9", "--threads", "1", "-q"}
	whole := filepath.Join(t.TempDir(), "whole")
	_, errOut, err := run(context.Background(), append([]string{"fit", "--out", whole}, args...)...)
	require.NoError(t, err, errOut)

	dir := filepath.Join(t.TempDir(), "run")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, _, err = run(ctx, append([]string{"fit", "--out", dir}, args...)...)
	require.Error(t, err)
	require.Contains(t, err.Error(), "--resume "+dir)
	require.FileExists(t, filepath.Join(dir, inr.CheckpointFile))
	stopped := readMetrics(t, dir)["steps"].(float64)
	require.Less(t, stopped, 400.0)
	// The checkpoint is the model at that step: eval renders it at the fitted size, info says
	// what it is.
	preview := filepath.Join(t.TempDir(), "preview.png")
	_, _, err = run(context.Background(), "eval", filepath.Join(dir, inr.CheckpointFile), "--out", preview)
	require.NoError(t, err)
	im, err := inr.LoadImage(preview)
	require.NoError(t, err)
	require.Equal(t, [2]int{24, 24}, [2]int{im.W, im.H})
	info, _, err := run(context.Background(), "info", filepath.Join(dir, inr.CheckpointFile))
	require.NoError(t, err)
	require.Contains(t, info, fmt.Sprintf("an unfinished fit's checkpoint: %d of 400 steps done", int(stopped)))
	require.Contains(t, info, "fitted to: a 24×24 image")
	ck, err := inr.LoadModel(filepath.Join(dir, inr.CheckpointFile))
	require.NoError(t, err)
	pts := kernel.MatrixFrom(3, 2, []float64{-1, 1, 0.3, -0.2, 0.9, 0.9})
	want := kernel.NewMatrix(3, 1)
	require.NoError(t, ck.Predict(pts, want))
	if pytest.Available() { // Python reads it as the same model
		got := pytest.Predict(t, []pytest.Query{{File: filepath.Join(dir, inr.CheckpointFile), Data: pts.Data, Cols: 2}})
		pytest.AssertClose(t, "checkpoint", got[0], want.Data, 1, 1e-12)
	}

	_, errOut, err = run(context.Background(), "fit", "--resume", dir, "--model", "gauss")
	require.ErrorContains(t, err, "drop --model", errOut)
	_, _, err = run(context.Background(), "fit", camera, "--resume", dir)
	require.ErrorContains(t, err, "drop the IMAGE argument")
	_, _, err = run(context.Background(), "fit", "--resume", t.TempDir())
	require.ErrorContains(t, err, "no such file")
	_, _, err = run(context.Background(), "fit", "--resume", dir, "--time-limit", "-1s")
	require.ErrorContains(t, err, "--time-limit: time limit -1s: need ≥ 0 (0: none)")
	// A new fit into the folder would overwrite the unfinished one: refused.
	ckpt, err := os.ReadFile(filepath.Join(dir, inr.CheckpointFile))
	require.NoError(t, err)
	_, _, err = run(context.Background(), append([]string{"fit", "--out", dir}, args...)...)
	require.ErrorContains(t, err, fmt.Sprintf("--out %s holds an unfinished fit (siren, step %d of 400): continue it with `inr fit --resume %s`", dir, int(stopped), dir))
	after, err := os.ReadFile(filepath.Join(dir, inr.CheckpointFile))
	require.NoError(t, err)
	require.True(t, bytes.Equal(ckpt, after), "the checkpoint is untouched")

	_, errOut, err = run(context.Background(), "fit", "--resume", dir)
	require.NoError(t, err, errOut)
	a, err := os.ReadFile(filepath.Join(whole, inr.ModelFile))
	require.NoError(t, err)
	b, err := os.ReadFile(filepath.Join(dir, inr.ModelFile))
	require.NoError(t, err)
	require.True(t, bytes.Equal(a, b), "resumed after %v steps: the model file differs from the uninterrupted fit's", stopped)
	m := readMetrics(t, dir)
	require.Equal(t, "completed", m["stop"])
	require.Equal(t, readMetrics(t, whole)["best_psnr"], m["best_psnr"])
	require.NoFileExists(t, filepath.Join(dir, inr.CheckpointFile))
}

// writeFile writes data into dir/name and returns the path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

// Every bad input gets one clear message, a non-zero exit, and leaves no run folder.
func TestFitBadInput(t *testing.T) {
	in := t.TempDir()
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))))
	onePixel := writeFile(t, in, "one.png", buf.Bytes())
	zero := append([]byte(nil), buf.Bytes()...)
	clear(zero[16:24]) // IHDR width and height, then fix the chunk's CRC
	binary.BigEndian.PutUint32(zero[29:33], crc32.ChecksumIEEE(zero[12:29]))
	empty := writeFile(t, in, "empty.png", zero)
	full, err := os.ReadFile(camera)
	require.NoError(t, err)
	cut := writeFile(t, in, "cut.png", full[:len(full)/2])
	text := writeFile(t, in, "notes.png", []byte("not an image at all"))
	cfgBad := writeFile(t, in, "bad.json", []byte(`{"widht": 3}`))

	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{filepath.Join(in, "nope.png")}, "no such file"},
		{"not an image", []string{text}, "not a PNG or JPEG"},
		{"truncated PNG", []string{cut}, "truncated"},
		{"0×0 image", []string{empty}, "0×0"},
		{"1×1 image", []string{onePixel}, "1×1"},
		{"unknown model", []string{camera, "--model", "sirne"}, `unknown model "sirne"`},
		{"zero steps", []string{camera, "--steps", "0"}, "--steps"},
		{"steps not a number", []string{camera, "--steps", "many"}, "invalid argument \"many\""},
		{"negative lr", []string{camera, "--lr", "-1"}, "--lr"},
		{"negative batch", []string{camera, "--batch", "-5"}, "--batch"},
		{"unknown schedule", []string{camera, "--schedule", "sometimes"}, "--schedule"},
		{"rollback factor ≤ 1", []string{camera, "--rollback", "0.5"}, "--rollback"},
		{"negative time limit", []string{camera, "--time-limit", "-1s"}, "--time-limit: time limit -1s: need ≥ 0 (0: none)"},
		{"size 1", []string{camera, "--size", "1"}, "--size"},
		{"unknown --set key", []string{camera, "--set", "widht=3"}, "widht"},
		{"--set without =", []string{camera, "--set", "width"}, "key=value"},
		{"bad --set value", []string{camera, "--set", "width=-4"}, "--set width=-4: siren: width -4 and hidden_layers 3 must be ≥ 1 and ≥ 0"},
		{"bad --set value type", []string{camera, "--set", "width=wide"}, "--set width=wide: setting width takes a value of type int, not wide"},
		{"bad WIRE scale", []string{camera, "--model", "wire", "--set", "s=-1"}, "--set s=-1: wire: activation gabor_complex: s must be positive, got -1"},
		{"unknown config key", []string{camera, "--config", cfgBad}, "widht"},
		{"missing config", []string{camera, "--config", filepath.Join(in, "none.toml")}, "--config"},
		{"unknown flag", []string{camera, "--stpes", "3"}, "unknown flag"},
		{"missing --init file", []string{camera, "--init", filepath.Join(in, "none.safetensors")}, "--init"},
		{"--init not a model", []string{camera, "--init", text}, "--init"},
		{"--init with --model", []string{camera, "--init", text, "--model", "wire"}, "drop --model"},
		{"no image", []string{}, "needs IMAGE"},
	}
	if _, ok := sysmem.Available(); ok {
		// 4096² full batch: about 400 GiB with SIREN, more than any machine this runs on has.
		cases = append(cases, struct {
			name string
			args []string
			want string
		}{"more memory than available", []string{camera, "--size", "4096"}, "needs about"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "run")
			args := append([]string{"fit"}, c.args...)
			args = append(args, "--out", dir)
			_, _, err := run(context.Background(), args...)
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
			require.Equal(t, 1, exitCode(err))
			require.NotContains(t, err.Error(), "\n", "one message")
			_, statErr := os.Stat(dir)
			require.True(t, os.IsNotExist(statErr), "no run folder is created for bad input")
		})
	}
}

// --init starts from a saved model's weights: the new run's first evaluation is the old run's
// final state, its settings come from the file, and a model of another shape is refused.
func TestFitInitFromModelFile(t *testing.T) {
	first := filepath.Join(t.TempDir(), "first")
	_, errOut, err := run(context.Background(), "fit", camera, "--size", "24", "--steps", "20", "--model", "gauss",
		"--set", "width=32", "--set", "hidden_layers=1", "--out", first, "-q")
	require.NoError(t, err, errOut)
	m1 := readMetrics(t, first)
	model := filepath.Join(first, inr.ModelFile)

	second := filepath.Join(t.TempDir(), "second")
	_, errOut, err = run(context.Background(), "fit", camera, "--size", "24", "--steps", "20", "--init", model,
		"--eval-every", "1", "--seed", "9", "--out", second, "-q")
	require.NoError(t, err, errOut)
	m2 := readMetrics(t, second)
	require.Equal(t, "gauss", m2["model"])
	require.Equal(t, model, m2["init"])
	require.Equal(t, m1["params"], m2["params"], "the file's settings (width 32, one hidden layer)")
	evals := m2["evals"].([]any)
	start := evals[0].(map[string]any)
	require.EqualValues(t, 0, start["step"])
	require.InDelta(t, m1["psnr"].(float64), start["psnr"].(float64), 1e-9, "step 0 of the second run is the first run's end")
	require.Greater(t, m2["best_psnr"].(float64), m1["psnr"].(float64), "20 more steps improve on it")

	// A grey model cannot start a colour fit; nothing is written.
	third := filepath.Join(t.TempDir(), "third")
	_, _, err = run(context.Background(), "fit", "../../assets/coffee-128.png", "--init", model, "--out", third)
	require.Error(t, err)
	require.Contains(t, err.Error(), "--init")
	require.Contains(t, err.Error(), "channel")
	require.NoDirExists(t, third)
}

func TestFitConfigFiles(t *testing.T) {
	in := t.TempDir()
	toml := writeFile(t, in, "small.toml", []byte("model = \"gauss\"\nwidth = 16\nhidden_layers = 1\n"))
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, err := run(context.Background(), "fit", camera, "--size", "16", "--steps", "3", "--config", toml, "--set", "s=20", "--out", dir, "-q")
	require.NoError(t, err, errOut)
	m := readMetrics(t, dir)
	require.Equal(t, "gauss", m["model"])
	cfg := m["config"].(map[string]any)
	require.EqualValues(t, 16, cfg["width"])
	require.EqualValues(t, 1, cfg["hidden_layers"])
	require.EqualValues(t, 20, cfg["s"])
	require.EqualValues(t, 2*16+16+16*16+16+16+1, m["params"])

	js := writeFile(t, in, "c.json", []byte(`{"model": "gauss"}`))
	_, _, err = run(context.Background(), "fit", camera, "--model", "siren", "--config", js, "--out", filepath.Join(t.TempDir(), "x"))
	require.ErrorContains(t, err, "is for model \"gauss\"")
}

func TestModelsListsEveryArchitecture(t *testing.T) {
	out, _, err := run(context.Background(), "models")
	require.NoError(t, err)
	for _, want := range []string{"siren", "198,401", "wire", "99,551", "sl2a", "329,729", "fkan", "435,329",
		"relu_pe", "204,545", "relu_ff", "263,169", "spder", "329,985", "cauchy", "201,473", "gauss", "finer", "first_omega=30"} {
		require.Contains(t, out, want)
	}
}

func TestEvalPointsAndErrors(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, err := run(context.Background(), "fit", camera, "--size", "16", "--steps", "3", "--out", dir, "-q")
	require.NoError(t, err, errOut)
	model := filepath.Join(dir, inr.ModelFile)
	pts := writeFile(t, t.TempDir(), "pts.csv", []byte("x,y\n0,0\n-1,1\n0.5,-0.25\n"))
	out := filepath.Join(t.TempDir(), "vals.csv")
	_, _, err = run(context.Background(), "eval", model, "--points", pts, "--out", out)
	require.NoError(t, err)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Equal(t, "x,y,gray", lines[0])
	require.Len(t, lines, 4)
	require.True(t, strings.HasPrefix(lines[2], "-1,1,"))

	// --derivatives 2: the values as before, then the exact derivatives (PredictDerivatives).
	dout := filepath.Join(t.TempDir(), "derivs.csv")
	_, _, err = run(context.Background(), "eval", model, "--points", pts, "--derivatives", "2", "--out", dout)
	require.NoError(t, err)
	b, err = os.ReadFile(dout)
	require.NoError(t, err)
	dlines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Equal(t, "x,y,gray,gray_x,gray_y,gray_xx,gray_xy,gray_yy", dlines[0])
	m, err := inr.LoadModel(model)
	require.NoError(t, err)
	want, _, err := m.PredictDerivatives(kernel.MatrixFrom(1, 2, []float64{-1, 1}), 2)
	require.NoError(t, err)
	fields := strings.Split(dlines[2], ",")
	require.Len(t, fields, 8)
	plain := strings.Split(lines[2], ",")
	require.Equal(t, plain[:2], fields[:2])
	v0, err := strconv.ParseFloat(plain[2], 64)
	require.NoError(t, err)
	for k, v := range want.Data {
		if k == 0 {
			// The value as without --derivatives, up to the last bits (Predict takes SIREN's
			// fused sine path).
			require.InDelta(t, v0, v, 1e-13)
		}
		got, err := strconv.ParseFloat(fields[2+k], 64)
		require.NoError(t, err)
		require.Equal(t, v, got, "column %d", 2+k)
	}

	// --show gradient|laplacian: a heatmap of the exact derivative field.
	lap := filepath.Join(t.TempDir(), "lap.png")
	said, _, err := run(context.Background(), "eval", model, "--show", "laplacian", "--size", "20", "--out", lap)
	require.NoError(t, err)
	require.Contains(t, said, "laplacian of gray on a 20×20 grid")
	pic, err := inr.LoadImage(lap)
	require.NoError(t, err)
	require.Equal(t, [3]int{640, 560, 3}, [3]int{pic.W, pic.H, pic.C})

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{model}, "--out is required"},
		{[]string{model, "--show", "curl", "--out", "x.png"}, "--show curl: value, gradient or laplacian"},
		{[]string{model, "--show", "gradient", "--points", pts, "--out", "x.csv"}, "--show gradient draws a rendering: with --points, use --derivatives"},
		{[]string{model, "--out", "x.jpg"}, ".png"},
		{[]string{model, "--width", "5", "--out", "x.png"}, "go together"},
		{[]string{filepath.Join(dir, "nothing.safetensors"), "--out", "x.png"}, "no such file"},
		{[]string{filepath.Join(dir, inr.MetricsFile), "--out", "x.png"}, "model file"},
		{[]string{model, "--points", pts, "--size", "4", "--out", "x.csv"}, "--points"},
		{[]string{model, "--derivatives", "1", "--out", "x.png"}, "--derivatives goes with --points"},
		{[]string{model, "--points", pts, "--derivatives", "3", "--out", "x.csv"}, "--derivatives 3: 1 (first derivatives) or 2"},
		{[]string{model, "--size", "10000", "--out", "x.png"}, "--size 10000: a rendering has at most 67108864 pixels (8192×8192), this one 10000×10000"},
		{[]string{model, "--width", "9000", "--height", "8000", "--out", "x.png"}, "--width 9000 --height 8000: a rendering has at most"},
		{[]string{model, "--size", "8", "--out", filepath.Join(dir, "no", "x.png")}, "--out: write " + filepath.Join(dir, "no", "x.png") + ": directory " + filepath.Join(dir, "no") + " does not exist"},
	} {
		_, _, err := run(context.Background(), append([]string{"eval"}, c.args...)...)
		require.ErrorContains(t, err, c.want, "%v", c.args)
	}
}

// Colour and grayscale, 8 and 16 bits, PNG and JPEG: the reconstruction keeps the channels and the
// bit depth of the input.
func TestFitImageKinds(t *testing.T) {
	in := t.TempDir()
	coffee, err := inr.LoadImage("../../assets/coffee-128.png")
	require.NoError(t, err)
	small, err := coffee.Resize(12, 10)
	require.NoError(t, err)
	small.Depth = 16
	rgb16 := filepath.Join(in, "rgb16.png")
	require.NoError(t, small.SavePNG(rgb16))
	var jb bytes.Buffer
	require.NoError(t, jpeg.Encode(&jb, small.ToImage(8), &jpeg.Options{Quality: 95}))
	jpg := writeFile(t, in, "photo.jpg", jb.Bytes())
	gray := &inr.Image{W: 12, H: 10, C: 1, Depth: 16, Pix: make([]float64, 120)}
	for i := range gray.Pix {
		gray.Pix[i] = float64(i) / 119
	}
	gray16 := filepath.Join(in, "gray16.png")
	require.NoError(t, gray.SavePNG(gray16))

	for _, c := range []struct {
		path            string
		model           string
		depth, channels int
	}{{rgb16, "siren", 16, 3}, {jpg, "wire", 8, 3}, {gray16, "relu_pe", 16, 1}, {camera, "finer", 8, 1}} {
		dir := filepath.Join(t.TempDir(), "run")
		_, errOut, err := run(context.Background(), "fit", c.path, "--model", c.model, "--steps", "2", "--size", "12", "--out", dir, "-q")
		require.NoError(t, err, errOut)
		rec, err := inr.LoadImage(filepath.Join(dir, inr.ReconstructionFile))
		require.NoError(t, err)
		require.Equal(t, [2]int{c.depth, c.channels}, [2]int{rec.Depth, rec.C}, c.path)
		require.Equal(t, 12, rec.W)
	}
}

// TestFitTurnsAPhoneJPEG fits a JPEG whose EXIF orientation says "turn 90° clockwise" (as a
// phone held upright writes it): the target and the reconstruction stand as a viewer shows the
// photo, the log says so, and metrics.json records the orientation.
func TestFitTurnsAPhoneJPEG(t *testing.T) {
	coffee, err := inr.LoadImage("../../assets/coffee-128.png")
	require.NoError(t, err)
	small, err := coffee.Resize(24, 16)
	require.NoError(t, err)
	var jb bytes.Buffer
	require.NoError(t, jpeg.Encode(&jb, small.ToImage(8), &jpeg.Options{Quality: 95}))
	// APP1 "Exif": a big-endian TIFF header, one IFD entry (orientation, SHORT, 1 value: 6).
	app1 := []byte{0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, '*', 0, 0, 0, 8,
		0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0}
	jpg := writeFile(t, t.TempDir(), "phone.jpg", append(append(jb.Bytes()[:2:2], app1...), jb.Bytes()[2:]...))
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, err := run(context.Background(), "fit", jpg, "--steps", "2", "--out", dir)
	require.NoError(t, err, errOut)
	require.Contains(t, errOut, "the image is turned 90° clockwise (EXIF orientation 6), as viewers show it")
	for _, f := range []string{inr.TargetFile, inr.ReconstructionFile} {
		im, err := inr.LoadImage(filepath.Join(dir, f))
		require.NoError(t, err)
		require.Equal(t, [2]int{16, 24}, [2]int{im.W, im.H}, f)
	}
	require.EqualValues(t, 6, readMetrics(t, dir)["exif_orientation"])
}
