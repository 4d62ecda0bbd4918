package inr

import (
	"fmt"
	"runtime"
	"strings"
)

// allocSites runs f n times with every allocation recorded by the memory profiler and returns the
// objects allocated per run whose stack passes through a function containing marker, split into
// those made inside the packages this one builds on (nn, kernel and the rest, owned elsewhere:
// reported, not asserted) and those made by this package's own code, with a short description of
// each of ours. An allocation belongs to the first frame outside the Go runtime.
func allocSites(n int, marker string, f func()) (depsPerRun, ownPerRun float64, sites []string) {
	old := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = old }()
	profile := func() map[[32]uintptr]int64 {
		runtime.GC()
		runtime.GC()
		k, _ := runtime.MemProfile(nil, true)
		for {
			recs := make([]runtime.MemProfileRecord, k+64)
			var ok bool
			if k, ok = runtime.MemProfile(recs, true); ok {
				m := map[[32]uintptr]int64{}
				for _, r := range recs[:k] {
					m[r.Stack0] += r.AllocObjects
				}
				return m
			}
		}
	}
	before := profile()
	for range n {
		f()
	}
	after := profile()
	var kern, other int64
	for stack, count := range after {
		d := count - before[stack]
		if d <= 0 {
			continue
		}
		pcs := stack[:]
		for i, pc := range pcs {
			if pc == 0 {
				pcs = pcs[:i]
				break
			}
		}
		owner, marked := "", false
		var desc []string
		frames := runtime.CallersFrames(pcs)
		for {
			fr, more := frames.Next()
			if owner == "" && !strings.HasPrefix(fr.Function, "runtime.") {
				owner = fr.Function
			}
			marked = marked || strings.Contains(fr.Function, marker)
			if len(desc) < 5 {
				desc = append(desc, fmt.Sprintf("%s:%d", fr.Function, fr.Line))
			}
			if !more {
				break
			}
		}
		switch {
		case !marked:
		case !strings.Contains(owner, "/studio/inr."):
			kern += d
		default:
			other += d
			sites = append(sites, fmt.Sprintf("%d× %s", d, strings.Join(desc, " ← ")))
		}
	}
	return float64(kern) / float64(n), float64(other) / float64(n), sites
}
