package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestBenchQuality compares two architectures over two seeds: every fit is a run folder, and the
// table (printed and in table.md) holds each architecture's median PSNR over its seeds with the
// range, as the run folders' metrics.json give them, the best median in bold.
func TestBenchQuality(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cmp")
	out, errOut, err := run(context.Background(), "bench", "quality", camera, "--size", "12", "--models", "siren,relu_pe",
		"--seeds", "0,1", "--steps", "4", "--out", dir)
	require.NoError(t, err, errOut)
	require.Contains(t, errOut, "relu_pe seed 1: PSNR")
	table, err := os.ReadFile(filepath.Join(dir, "table.md"))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(out, string(table)), "the table printed is table.md")
	require.Contains(t, string(table), "camera-128.png (12×12), 4 steps per fit, seeds 0, 1")
	medians := map[string]float64{}
	for _, model := range []string{"siren", "relu_pe"} {
		var psnr [2]float64
		for seed := range 2 {
			m := readMetrics(t, filepath.Join(dir, fmt.Sprintf("%s-s%d", model, seed)))
			psnr[seed] = m["psnr"].(float64)
			require.EqualValues(t, 4, m["steps"])
		}
		medians[model] = (psnr[0] + psnr[1]) / 2
		lo, hi := min(psnr[0], psnr[1]), max(psnr[0], psnr[1])
		cell := fmt.Sprintf("%.2f (%.2f–%.2f)", medians[model], lo, hi)
		require.Contains(t, string(table), "| "+model+" | ", model)
		require.Contains(t, string(table), cell, model)
	}
	best := "siren"
	if medians["relu_pe"] > medians["siren"] {
		best = "relu_pe"
	}
	require.Contains(t, string(table), fmt.Sprintf("**%.2f", medians[best]))

	// Ctrl-C: the fit running stops, its folder is complete and holds no checkpoint, and the
	// table has the fits so far.
	stopped := filepath.Join(t.TempDir(), "stopped")
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	out, _, err = run(ctx, "bench", "quality", camera, "--size", "24", "--models", "siren,wire", "--steps", "1000000",
		"--out", stopped, "-q")
	require.ErrorContains(t, err, "interrupted: the table holds the fits so far")
	require.Contains(t, out, "seed 0 interrupted after")
	require.NotContains(t, out, "| wire |")
	require.FileExists(t, filepath.Join(stopped, "siren-s0", "metrics.json"))
	require.NoFileExists(t, filepath.Join(stopped, "siren-s0", "checkpoint.safetensors"))
	require.FileExists(t, filepath.Join(stopped, "table.md"))

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--models", "siren,nope"}, "--models: "},
		{[]string{"--models", "siren,,wire"}, "--models \"siren,,wire\": an empty entry"},
		{[]string{"--seeds", "0,x"}, "--seeds 0,x: \"x\" is not a seed"},
		{[]string{"--model", "wire"}, "--model is not for a comparison: give the architectures with --models"},
		{[]string{"--set", "width=8"}, "--set is not for a comparison"},
		{[]string{"--steps", "0"}, "steps"},
	} {
		_, _, err := run(context.Background(), append([]string{"bench", "quality", camera, "--out", filepath.Join(t.TempDir(), "x")}, c.args...)...)
		require.ErrorContains(t, err, c.want, "%v", c.args)
	}
}
