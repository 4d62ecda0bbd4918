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

	// Ctrl-C: the fit running stops, its folder is complete, its checkpoint is kept, and the
	// table has the fits so far. --continue then ends the comparison exactly as a run that was
	// never stopped: the finished fits are kept, the stopped one resumes bit-identically.
	args := []string{"bench", "quality", camera, "--size", "8", "--models", "siren,relu_pe", "--steps", "400", "--threads", "1", "-q"}
	whole := filepath.Join(t.TempDir(), "whole")
	start := time.Now()
	_, _, err = run(context.Background(), append(args, "--out", whole)...)
	require.NoError(t, err)
	stopped := filepath.Join(t.TempDir(), "stopped")
	// Stopped a third of the way: in either fit or before one, never after both.
	ctx, cancel := context.WithTimeout(context.Background(), time.Since(start)/3)
	defer cancel()
	out, _, err = run(ctx, append(args, "--out", stopped)...)
	require.ErrorContains(t, err, "interrupted: the table holds the fits so far; the same command with --continue")
	require.Contains(t, out, "seed 0 interrupted after")
	require.FileExists(t, filepath.Join(stopped, "table.md"))
	var unfinished string // the fit stopped: the only one with a checkpoint
	for _, fit := range []string{"siren-s0", "relu_pe-s0"} {
		if _, err := os.Stat(filepath.Join(stopped, fit, "checkpoint.safetensors")); err == nil {
			require.Empty(t, unfinished, "one fit was stopped")
			unfinished = fit
		}
	}
	require.NotEmpty(t, unfinished, "the stopped fit keeps its checkpoint")
	require.FileExists(t, filepath.Join(stopped, unfinished, "metrics.json"))
	if unfinished == "siren-s0" {
		require.NoDirExists(t, filepath.Join(stopped, "relu_pe-s0"), "the fits after the stopped one have not started")
	}

	_, _, err = run(context.Background(), append(args, "--out", stopped)...)
	require.ErrorContains(t, err, "holds an interrupted comparison ("+unfinished+" stopped unfinished): continue it with the same command and --continue")
	_, _, err = run(context.Background(), append(args, "--out", stopped, "--steps", "700", "--continue")...)
	require.ErrorContains(t, err, "ran with --steps 400, not 700")
	_, _, err = run(context.Background(), append(args, "--out", filepath.Join(t.TempDir(), "none"), "--continue")...)
	require.ErrorContains(t, err, "holds no comparison to continue")

	_, errOut, err = run(context.Background(), append(args[:len(args)-1], "--out", stopped, "--continue")...)
	require.NoError(t, err, errOut)
	require.Contains(t, errOut, unfinished[:len(unfinished)-3]+" seed 0: continuing at step")
	require.NoFileExists(t, filepath.Join(stopped, unfinished, "checkpoint.safetensors"))
	for _, fit := range []string{"siren-s0", "relu_pe-s0"} {
		a, b := readMetrics(t, filepath.Join(whole, fit)), readMetrics(t, filepath.Join(stopped, fit))
		require.Equal(t, a["psnr"], b["psnr"], fit)
		require.Equal(t, a["final_loss"], b["final_loss"], fit)
		require.Equal(t, a["evals"], b["evals"], fit)
	}
	// --continue with another seed adds its fits and keeps the others.
	out, errOut, err = run(context.Background(), append(args[:len(args)-1], "--out", stopped, "--continue", "--seeds", "0,1")...)
	require.NoError(t, err, errOut)
	require.Regexp(t, `siren seed 0: PSNR [0-9.]+ dB \(done before, `, errOut)
	require.Regexp(t, `relu_pe seed 0: PSNR [0-9.]+ dB \(done before, `, errOut)
	require.Regexp(t, `relu_pe seed 1: PSNR [0-9.]+ dB, best`, errOut)
	require.Contains(t, out, "seeds 0, 1")
	require.FileExists(t, filepath.Join(stopped, "relu_pe-s1", "metrics.json"))

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
