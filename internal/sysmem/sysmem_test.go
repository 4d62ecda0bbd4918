package sysmem

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// fakeRoot writes files (path → content) under a temporary root and points the package at it.
func fakeRoot(t *testing.T, files map[string]string) {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(c), 0o644))
	}
	old := root
	root = dir
	t.Cleanup(func() { root = old })
}

const meminfo = "MemTotal:       24000000 kB\nMemFree:        17000000 kB\nMemAvailable:   19000000 kB\n"

func TestAvailable(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string
		want  int64
		ok    bool
	}{
		{"meminfo only", map[string]string{"proc/meminfo": meminfo}, 19000000 * 1024, true},
		{"nothing", map[string]string{}, 0, false},
		{"v2 limit below", map[string]string{
			"proc/meminfo":                       meminfo,
			"proc/self/cgroup":                   "0::/job\n",
			"sys/fs/cgroup/job/memory.max":       "4294967296\n",
			"sys/fs/cgroup/job/memory.current":   "1073741824\n",
			"sys/fs/cgroup/job/memory.stat":      "anon 900000000\ninactive_file 73741824\n",
			"sys/fs/cgroup/memory.max":           "max\n", // the root: never consulted, the group has a limit
			"sys/fs/cgroup/unrelated/memory.max": "1\n",
		}, 4294967296 - 1073741824 + 73741824, true},
		{"v2 unlimited", map[string]string{
			"proc/meminfo":                 meminfo,
			"proc/self/cgroup":             "0::/\n",
			"sys/fs/cgroup/memory.max":     "max\n",
			"sys/fs/cgroup/memory.current": "5\n",
		}, 19000000 * 1024, true},
		{"v1 group", map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "5:cpu:/\n4:memory:/api/x\n0::/\n",
			"sys/fs/cgroup/memory/api/x/memory.limit_in_bytes": "2147483648\n",
			"sys/fs/cgroup/memory/api/x/memory.usage_in_bytes": "1147483648\n",
			"sys/fs/cgroup/memory/api/x/memory.stat":           "cache 5\ntotal_inactive_file 47483648\n",
		}, 2147483648 - 1147483648 + 47483648, true},
		{"v1 unlimited (2^63 - 4096)", map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "4:memory:/\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "9223372036854771712\n",
			"sys/fs/cgroup/memory/memory.usage_in_bytes": "6007848960\n",
		}, 19000000 * 1024, true},
		{"v1 limit exceeded", map[string]string{
			"proc/meminfo":     meminfo,
			"proc/self/cgroup": "4:memory:/\n",
			"sys/fs/cgroup/memory/memory.limit_in_bytes": "1000\n",
			"sys/fs/cgroup/memory/memory.usage_in_bytes": "5000\n",
		}, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fakeRoot(t, c.files)
			got, ok := Available()
			require.Equal(t, c.ok, ok)
			require.Equal(t, c.want, got)
		})
	}
}

// TestAvailableHere reads this machine: on Linux a positive figure no larger than MemTotal.
func TestAvailableHere(t *testing.T) {
	got, ok := Available()
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc: Linux only")
	}
	require.True(t, ok)
	require.Positive(t, got)
	data, err := os.ReadFile("/proc/meminfo")
	require.NoError(t, err)
	var total int64
	for line := range strings.SplitSeq(string(data), "\n") {
		if _, err := fmt.Sscanf(line, "MemTotal: %d kB", &total); err == nil {
			break
		}
	}
	require.Positive(t, total)
	require.LessOrEqual(t, got, total*1024)
}
