package kernel

import (
	"math/bits"
	"sync"
)

// minWorkPerThread is the least work (multiply-adds) worth handing to one more goroutine: about
// 10 µs at this package's speeds, ten times the cost of starting and joining one.
const minWorkPerThread = 1 << 19

// workers limits threads so that each has at least minWorkPerThread of the work: tiny products
// (a 1-D network's layers) run on the caller's goroutine alone.
func workers(work, threads int) int {
	return max(1, min(threads, work/minWorkPerThread))
}

// bufPools recycle the packing buffers of the kernels by power-of-two size class, so that
// steady-state calls allocate nothing (one pool for all sizes would hand a small buffer to a
// large request and drop it).
var bufPools [48]sync.Pool

// getBuf returns a buffer of at least n float64s (contents undefined); give it back with putBuf.
func getBuf(n int) *[]float64 {
	class := bits.Len(uint(max(n, 1) - 1)) // 2^class ≥ n
	if p, ok := bufPools[class].Get().(*[]float64); ok {
		*p = (*p)[:n]
		return p
	}
	s := make([]float64, n, 1<<class)
	return &s
}

func putBuf(p *[]float64) {
	class := bits.Len(uint(cap(*p) - 1))
	if cap(*p) != 1<<class {
		return // not one of ours
	}
	bufPools[class].Put(p)
}
