// Package sysmem reports the memory a new allocation can use without swapping or being killed:
// the kernel's estimate of available memory, bounded by the process's control-group limit.
package sysmem

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// unlimited is the threshold above which a cgroup limit means "none" (v1 writes 2⁶³ − 4096).
const unlimited = 1 << 60

// root is where /proc and /sys are (tests point it at a fake tree).
var root = "/"

// Available returns the bytes that the process can still allocate: MemAvailable of
// /proc/meminfo, or less when the process's control group (v2, else v1) has a lower limit than its
// usage plus that (file pages the kernel can drop count as free). ok is false when the system
// says nothing (not Linux).
func Available() (bytes int64, ok bool) {
	bytes, ok = memAvailable()
	if cg, cgOK := cgroupAvailable(); cgOK && (!ok || cg < bytes) {
		bytes, ok = cg, true
	}
	return max(bytes, 0), ok
}

func memAvailable() (int64, bool) {
	f, err := os.Open(filepath.Join(root, "proc/meminfo"))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// "MemAvailable:   19788592 kB"
		if rest, found := strings.CutPrefix(sc.Text(), "MemAvailable:"); found {
			fields := strings.Fields(rest)
			if len(fields) == 2 && fields[1] == "kB" {
				if kb, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
					return kb * 1024, true
				}
			}
		}
	}
	return 0, false
}

// cgroupAvailable is limit − (usage − inactive file pages) of the process's memory cgroup.
func cgroupAvailable() (int64, bool) {
	v2, v1 := cgroupPaths()
	type files struct{ dir, limit, usage, inactive string }
	var cands []files
	for _, p := range v2 {
		cands = append(cands, files{filepath.Join(root, "sys/fs/cgroup", p), "memory.max", "memory.current", "inactive_file"})
	}
	for _, p := range v1 {
		cands = append(cands, files{filepath.Join(root, "sys/fs/cgroup/memory", p), "memory.limit_in_bytes", "memory.usage_in_bytes", "total_inactive_file"})
	}
	for _, c := range cands {
		limit, ok := readInt(filepath.Join(c.dir, c.limit))
		if !ok {
			continue
		}
		if limit >= unlimited {
			return 0, false
		}
		usage, ok := readInt(filepath.Join(c.dir, c.usage))
		if !ok {
			continue
		}
		usage -= statValue(filepath.Join(c.dir, "memory.stat"), c.inactive)
		return limit - max(usage, 0), true
	}
	return 0, false
}

// cgroupPaths returns the directories to look in for the v2 and the v1 memory controller: the
// process's own group (from /proc/self/cgroup), then the mount's root (inside a container the
// group is often mounted there).
func cgroupPaths() (v2, v1 []string) {
	data, _ := os.ReadFile(filepath.Join(root, "proc/self/cgroup"))
	for line := range strings.SplitSeq(string(data), "\n") {
		// "0::/path" (v2) or "4:memory:/path" (v1)
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		switch {
		case parts[0] == "0" && parts[1] == "":
			v2 = append(v2, parts[2])
		case strings.Contains(","+parts[1]+",", ",memory,"):
			v1 = append(v1, parts[2])
		}
	}
	return append(v2, "/"), append(v1, "/")
}

func readInt(path string) (int64, bool) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	s := string(bytes.TrimSpace(data))
	if s == "max" {
		return unlimited, true
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// statValue is the value of key in a memory.stat file (0 when absent).
func statValue(path, key string) int64 {
	data, _ := os.ReadFile(path)
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(line, " "); ok && k == key {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}
