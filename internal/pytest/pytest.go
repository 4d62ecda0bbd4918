// Package pytest runs Python from the tests that check that the studio's files are readable
// from Python. It looks for a python3 that imports numpy, Debian's /usr/bin/python3 first (a
// python3 earlier on PATH, pyenv's say, may lack numpy); CI installs python3-numpy
// (scripts/deps.sh), so there the tests run, and elsewhere they skip, saying why.
package pytest

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Python returns the path of a python3 that imports numpy, or skips the test.
func Python(t testing.TB) string {
	t.Helper()
	py := find()
	if py == "" {
		t.Skip("no python3 with numpy (Debian: apt-get install python3-numpy): cannot check the file from Python")
	}
	return py
}

// Available reports whether a python3 with numpy is there, for a test that checks Python as
// one step among others (Python would skip the whole test).
func Available() bool { return find() != "" }

func find() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import numpy").Run() == nil {
			return p
		}
	}
	return ""
}

// Torch returns the path of a python3 that imports numpy and torch, or skips the test (CI
// installs Debian's python3-torch, scripts/deps.sh).
func Torch(t testing.TB) string {
	t.Helper()
	py := Python(t)
	if exec.Command(py, "-c", "import torch").Run() != nil {
		t.Skipf("%s cannot import torch (Debian: apt-get install python3-torch): cannot check the PyTorch bridge", py)
	}
	return py
}

// moduleDir is the repository's python/ folder, which holds inrstudio.py.
func moduleDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "python")
}

// Run runs script with inrstudio importable: its standard input is stdin, and args are
// sys.argv[1:]. It returns the standard output; a failure fails the test with Python's
// standard error.
func Run(t testing.TB, script, stdin string, args ...string) []byte {
	t.Helper()
	py := Python(t)
	pre := "import sys\nsys.path.insert(0, " + quote(moduleDir()) + ")\n"
	cmd := exec.Command(py, append([]string{"-c", pre + script}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	return out
}

// Query is a model file and the points (row-major, Cols coordinates per point) to evaluate
// it at.
type Query struct {
	File string
	Data []float64
	Cols int
}

// Predict evaluates every query's model file with inrstudio.load(file).predict at its points,
// in one Python process, and returns the predictions, one matrix (rows of outputs) per query.
func Predict(t testing.TB, qs []Query) [][][]float64 {
	t.Helper()
	out := Run(t, `
import json
import numpy as np
import inrstudio
qs = json.loads(sys.stdin.read())
print(json.dumps([inrstudio.load(q["file"]).predict(np.array(q["points"])).tolist() for q in qs]))
`, queryJSON(t, qs))
	var got [][][]float64
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python printed %q: %v", out, err)
	}
	return got
}

// TorchPredict evaluates every query's model file as a torch module (inrstudio.to_torch) and
// returns, per query, its predictions and the autograd gradient of its first output with
// respect to the inputs (rows of ∂u/∂x_1 … ∂u/∂x_d). It skips the test without torch.
func TorchPredict(t testing.TB, qs []Query) (pred, grad [][][]float64) {
	t.Helper()
	Torch(t)
	out := Run(t, `
import json
import numpy as np, torch
import inrstudio
res = []
for q in json.loads(sys.stdin.read()):
    net = inrstudio.to_torch(q["file"])
    x = torch.tensor(np.array(q["points"]), requires_grad=True)
    y = net.predict(x)
    g, = torch.autograd.grad(y[:, 0].sum(), x)
    res.append([y.detach().tolist(), g.tolist()])
print(json.dumps(res))
`, queryJSON(t, qs))
	var got [][2][][]float64
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python printed %q: %v", out, err)
	}
	for _, r := range got {
		pred, grad = append(pred, r[0]), append(grad, r[1])
	}
	return pred, grad
}

// queryJSON is the queries as the scripts read them: [{file, points}].
func queryJSON(t testing.TB, qs []Query) string {
	type q struct {
		File   string      `json:"file"`
		Points [][]float64 `json:"points"`
	}
	in := make([]q, len(qs))
	for k, c := range qs {
		in[k].File = c.File
		for i := 0; i+c.Cols <= len(c.Data); i += c.Cols {
			in[k].Points = append(in[k].Points, c.Data[i:i+c.Cols])
		}
	}
	j, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(j)
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// AssertClose checks Python's predictions got against Go's want (row-major, cols per row): no
// entry may differ by more than rel times the largest |want| (or rel, when that is below one).
// It logs the largest difference, which `go test -v` shows.
func AssertClose(t testing.TB, name string, got [][]float64, want []float64, cols int, rel float64) {
	t.Helper()
	if len(got)*cols != len(want) {
		t.Errorf("%s: python gave %d rows, want %d", name, len(got), len(want)/cols)
		return
	}
	scale, worst := 0.0, 0.0
	for _, v := range want {
		scale = max(scale, abs(v))
	}
	for i, row := range got {
		if len(row) != cols {
			t.Errorf("%s: python's row %d has %d values, want %d", name, i, len(row), cols)
			return
		}
		for o, v := range row {
			worst = max(worst, abs(v-want[i*cols+o]))
		}
	}
	t.Logf("%-24s Python − Go: %.2g (outputs up to %.3g)", name, worst, scale)
	if !(worst <= rel*max(scale, 1)) {
		t.Errorf("%s: Python and Go differ by %.3g (outputs up to %.3g; allowed %.3g)", name, worst, scale, rel*max(scale, 1))
	}
}

func abs(v float64) float64 {
	if v < 0 {
		return -v
	}
	return v
}
