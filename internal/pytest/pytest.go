// Package pytest finds the Python with numpy that tests use to check that the studio's files
// are readable from Python. Debian's /usr/bin/python3 comes first: a python3 earlier on PATH
// (pyenv, say) may lack numpy. CI installs python3-numpy (scripts/deps.sh), so there the
// tests run; elsewhere they skip, saying why.
package pytest

import (
	"os/exec"
	"testing"
)

// Python returns the path of a python3 that imports numpy, or skips the test.
func Python(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import numpy").Run() == nil {
			return p
		}
	}
	t.Skip("no python3 with numpy (Debian: apt-get install python3-numpy): cannot check the file from Python")
	return ""
}
