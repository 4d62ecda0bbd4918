package kernel

import (
	"sync"
	"sync/atomic"
)

// parallelTasks runs fn(w, t) for every task t in [0, n) on up to threads goroutines; w in
// [0, threads) names the worker so it can use its own scratch. Tasks are taken one at a time
// from a shared counter: a worker whose CPU is busy with another process takes fewer of them,
// and nothing ever spins. The caller's goroutine is worker 0.
func parallelTasks(n, threads int, fn func(w, t int)) {
	workers := min(threads, n)
	if workers <= 1 {
		for t := 0; t < n; t++ {
			fn(0, t)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	work := func(w int) {
		for {
			t := int(next.Add(1) - 1)
			if t >= n {
				return
			}
			fn(w, t)
		}
	}
	wg.Add(workers - 1)
	for w := 1; w < workers; w++ {
		go func() { defer wg.Done(); work(w) }()
	}
	work(0)
	wg.Wait()
}

// minWorkPerThread is the least work (multiply-adds) worth handing to one more goroutine: about
// 10 µs at this package's speeds, ten times the cost of starting and joining one.
const minWorkPerThread = 1 << 19

// workers limits threads so that each has at least minWorkPerThread of the work: tiny products
// (a 1-D network's layers) run on the caller's goroutine alone.
func workers(work, threads int) int {
	return max(1, min(threads, work/minWorkPerThread))
}

// bufPool recycles the packing buffers of GEMM calls, so that steady-state calls allocate no
// large memory.
var bufPool sync.Pool

// getBuf returns a buffer of at least n float64s (contents undefined); give it back with putBuf.
func getBuf(n int) *[]float64 {
	if p, ok := bufPool.Get().(*[]float64); ok {
		if cap(*p) >= n {
			*p = (*p)[:n]
			return p
		}
	}
	// 64 spare values let the caller align the start to a cache line.
	s := make([]float64, n, n+64)
	return &s
}

func putBuf(p *[]float64) { bufPool.Put(p) }
