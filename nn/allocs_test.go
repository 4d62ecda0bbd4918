package nn

import (
	"fmt"
	"runtime"
	"strings"
)

// allocSites runs f n times with every allocation sampled and returns the number of objects
// allocated per run, split into those with a kernel package frame on their stack and the others,
// plus a description of the non-kernel sites. The split lets the nn test hold nn to zero even
// while the kernel (owned elsewhere) still allocates; once the kernel allocates nothing either,
// the caller also asserts the total.
//
// Only allocations with a frame whose function name contains marker (the code under test) are
// counted, which leaves out the runtime's and the profiler's own.
func allocSites(n int, marker string, f func()) (kernelPerRun, otherPerRun float64, sites []string) {
	old := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = old }()
	snapshot := func() map[[32]uintptr]int64 {
		runtime.GC()
		runtime.GC()
		var recs []runtime.MemProfileRecord
		k, _ := runtime.MemProfile(nil, true)
		for {
			recs = make([]runtime.MemProfileRecord, k+50)
			var ok bool
			if k, ok = runtime.MemProfile(recs, true); ok {
				recs = recs[:k]
				break
			}
		}
		m := map[[32]uintptr]int64{}
		for _, r := range recs {
			m[r.Stack0] += r.AllocObjects
		}
		return m
	}
	before := snapshot()
	for range n {
		f()
	}
	after := snapshot()
	var kern, other int64
	for stack, c := range after {
		d := c - before[stack]
		if d <= 0 {
			continue
		}
		inKernel, marked := false, false
		var desc []string
		frames := runtime.CallersFrames(trimStack(stack[:]))
		for {
			fr, more := frames.Next()
			if strings.Contains(fr.Function, "/kernel.") || strings.Contains(fr.Function, "/kernel/") {
				inKernel = true
			}
			if strings.Contains(fr.Function, marker) {
				marked = true
			}
			if len(desc) < 4 {
				desc = append(desc, fmt.Sprintf("%s:%d", fr.Function, fr.Line))
			}
			if !more {
				break
			}
		}
		if !marked {
			continue
		}
		if inKernel {
			kern += d
		} else {
			other += d
			sites = append(sites, fmt.Sprintf("%d× %s", d, strings.Join(desc, " ← ")))
		}
	}
	return float64(kern) / float64(n), float64(other) / float64(n), sites
}

func trimStack(s []uintptr) []uintptr {
	for i, pc := range s {
		if pc == 0 {
			return s[:i]
		}
	}
	return s
}
