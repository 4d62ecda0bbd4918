package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

// TestInfo describes a fitted model: what it is, what it was fitted to, its settings, the
// normalisation, and its layers whose parameters add up to the model's.
func TestInfo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, err := run(context.Background(), "fit", camera, "--model", "sl2a", "--set", "width=16", "--set", "rank=4",
		"--set", "degree=8", "--size", "12", "--steps", "2", "--out", dir, "-q")
	require.NoError(t, err, errOut)
	out, _, err := run(context.Background(), "info", filepath.Join(dir, inr.ModelFile))
	require.NoError(t, err)
	m, err := inr.LoadModel(filepath.Join(dir, inr.ModelFile))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Contains(t, lines[0], "sl2a, 2 → 1, "+groupDigits(m.NumParams())+" parameters")
	require.Equal(t, "fitted to: a 12×12 image, 1 channel(s), 8-bit, seed 0, steps 2, the last weights", lines[1])
	metrics := readMetrics(t, dir)
	require.Equal(t, fmt.Sprintf("its run (metrics.json beside it): PSNR %.2f dB, best %.2f dB at step %d, SSIM %.4f, %.1f s",
		metrics["psnr"], metrics["best_psnr"], int(metrics["best_step"].(float64)), metrics["ssim"], metrics["seconds"]), lines[2])
	require.Equal(t, "settings: degree=8 hidden_layers=3 rank=4 width=16", lines[3])
	require.Equal(t, "layers:", lines[4])
	require.Contains(t, lines[5], "KAN 2→16, Chebyshev degree 8")
	require.Contains(t, out, "product of 1, 1")
	require.Contains(t, out, "low-rank dense 16→16, rank 4")
	sum := 0
	for _, l := range lines[5:] {
		f := strings.Fields(l)
		n := strings.ReplaceAll(f[len(f)-1], ",", "")
		var v int
		_, err := fmt.Sscan(n, &v)
		require.NoError(t, err, l)
		sum += v
	}
	require.Equal(t, m.NumParams(), sum, "the layers' parameters add up to the model's")

	_, _, err = run(context.Background(), "info", filepath.Join(dir, "missing.safetensors"))
	require.ErrorContains(t, err, "no such file")
	_, _, err = run(context.Background(), "info", filepath.Join(dir, inr.MetricsFile))
	require.ErrorContains(t, err, "model file")
}
