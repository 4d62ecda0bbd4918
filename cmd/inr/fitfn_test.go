package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFitFnStagesAndEval fits sin(2x+1) + 0.2·exp(1.3x) on [-1, 1] with two short stages and
// checks what a user relies on: the second stage lowers the relative L2 error by more than 100×
// (short budgets: the recipe's full ones reach ~1e-9 after two stages), the held-out error on
// the grid's midpoints follows the training error, the files are written, and inr eval
// reproduces the function at new points within the reported maximum error (×10: the points are
// off the grid).
func TestFitFnStagesAndEval(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	out, errOut, err := run(context.Background(), "fit-fn", "--expr", "sin(2*x+1) + 0.2*exp(1.3*x)",
		"--points", "301", "--stages", "2", "--adam", "400", "--lbfgs", "500", "--out", dir)
	require.NoError(t, err, errOut)
	require.Contains(t, errOut, "stage 2:")
	require.Contains(t, out, dir)
	for _, f := range []string{"model.safetensors", "metrics.json", "stages.png", "error.png"} {
		require.FileExists(t, filepath.Join(dir, f))
	}
	m := readMetrics(t, dir)
	stages := m["stages"].([]any)
	require.Len(t, stages, 2)
	rel := func(i int, set string) float64 {
		return stages[i].(map[string]any)[set].(map[string]any)["rel_rms"].(float64)
	}
	e1, e2 := rel(0, "train"), rel(1, "train")
	t.Logf("relative L2: stage 1 %.3g, stage 2 %.3g (held-out %.3g, %.3g)", e1, e2, rel(0, "eval"), rel(1, "eval"))
	require.Less(t, e1, 1e-2)
	require.Less(t, e2, e1/100, "the second stage fits the residual")
	require.Less(t, rel(1, "eval"), 3*e2, "held-out error follows the training error")
	maxErr := m["train"].(map[string]any)["max_abs"].(float64)

	info, _, err := run(context.Background(), "info", filepath.Join(dir, "model.safetensors"))
	require.NoError(t, err)
	require.Contains(t, info, "multi-stage regression model (inr fit-fn), 1 input(s) on [-1]–[1], 2 stages")
	require.Contains(t, info, "stage 2: ε ")

	pts := writeFile(t, t.TempDir(), "pts.csv", []byte("x\n-0.987\n-0.31\n0.123\n0.777\n"))
	vals := filepath.Join(t.TempDir(), "vals.csv")
	_, errOut, err = run(context.Background(), "eval", filepath.Join(dir, "model.safetensors"), "--points", pts, "--out", vals)
	require.NoError(t, err, errOut)
	b, err := os.ReadFile(vals)
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Equal(t, "x,u", lines[0])
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		x, _ := strconv.ParseFloat(f[0], 64)
		u, _ := strconv.ParseFloat(f[1], 64)
		want := math.Sin(2*x+1) + 0.2*math.Exp(1.3*x)
		require.InDelta(t, want, u, 10*maxErr, "u(%v)", x)
	}

	// The exact derivatives of the fitted model follow those of the function (an approximation
	// of u to 4e-7 gives its derivatives to about 2e-4 and 1e-3, most near the ends).
	_, errOut, err = run(context.Background(), "eval", filepath.Join(dir, "model.safetensors"), "--points", pts, "--derivatives", "2", "--out", vals)
	require.NoError(t, err, errOut)
	b, err = os.ReadFile(vals)
	require.NoError(t, err)
	lines = strings.Split(strings.TrimSpace(string(b)), "\n")
	require.Equal(t, "x,u,u_x,u_xx", lines[0])
	for _, l := range lines[1:] {
		var v [4]float64
		for k, f := range strings.Split(l, ",") {
			v[k], err = strconv.ParseFloat(f, 64)
			require.NoError(t, err)
		}
		x := v[0]
		t.Logf("x = %v: u_x %.3g off, u_xx %.3g off", x, v[2]-(2*math.Cos(2*x+1)+0.26*math.Exp(1.3*x)), v[3]-(-4*math.Sin(2*x+1)+0.338*math.Exp(1.3*x)))
		require.InDelta(t, 2*math.Cos(2*x+1)+0.26*math.Exp(1.3*x), v[2], 1e-3, "u_x(%v)", x)
		require.InDelta(t, -4*math.Sin(2*x+1)+0.338*math.Exp(1.3*x), v[3], 2e-2, "u_xx(%v)", x)
	}
}

// TestFitFnCSV fits samples read from a CSV file with a header (two inputs) and checks the
// training error of one short stage and that the names come from the header.
func TestFitFnCSV(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("a,b,value\n")
	for i := 0; i <= 20; i++ {
		for j := 0; j <= 20; j++ {
			x, y := float64(i)/20, float64(j)/20
			fmt.Fprintf(&sb, "%v,%v,%v\n", x, y, math.Sin(math.Pi*x)*math.Cos(math.Pi*y))
		}
	}
	csv := writeFile(t, t.TempDir(), "s.csv", []byte(sb.String()))
	dir := filepath.Join(t.TempDir(), "run")
	_, errOut, err := run(context.Background(), "fit-fn", "--csv", csv, "--stages", "1", "--adam", "500", "--lbfgs", "300", "--out", dir, "-q")
	require.NoError(t, err, errOut)
	m := readMetrics(t, dir)
	require.Equal(t, []any{"a", "b"}, m["inputs"])
	rel := m["train"].(map[string]any)["rel_rms"].(float64)
	t.Logf("relative L2 after one short stage: %.3g", rel)
	require.Less(t, rel, 1e-2)
	require.NoFileExists(t, filepath.Join(dir, "error.png"), "the 1-D error plot is for one input only")
}

// TestFitFnBadInput: each mistake gets one message naming the flag or file, and nothing is
// written.
func TestFitFnBadInput(t *testing.T) {
	tmp := t.TempDir()
	oneCol := writeFile(t, tmp, "one.csv", []byte("1\n2\n"))
	badNum := writeFile(t, tmp, "bad.csv", []byte("x,u\n1,2\n2,abc\n"))
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{}, "--expr EXPR"},
		{[]string{"--expr", "x", "--csv", oneCol}, "one of the two"},
		{[]string{"--expr", "x^2"}, "pow"},
		{[]string{"--expr", "sin(z)"}, "z"},
		{[]string{"--expr", "x", "--domain", "x=1:0"}, "--domain"},
		{[]string{"--expr", "x", "--domain", "x=0:1,x=1:2"}, "twice"},
		{[]string{"--expr", "log(x)", "--domain", "x=-1:1"}, "finite"},
		{[]string{"--expr", "x", "--stages", "0"}, "--stages"},
		{[]string{"--expr", "x", "--points", "1"}, "--points"},
		{[]string{"--csv", oneCol}, "at least 2 columns"},
		{[]string{"--csv", badNum}, "line 3"},
		{[]string{"--csv", filepath.Join(tmp, "missing.csv")}, "no such file"},
	} {
		dir := filepath.Join(tmp, "out")
		_, _, err := run(context.Background(), append([]string{"fit-fn", "--out", dir, "-q"}, c.args...)...)
		require.Error(t, err, "%v", c.args)
		require.Contains(t, err.Error(), c.want, "%v", c.args)
		require.NoDirExists(t, dir, "%v", c.args)
	}
}
