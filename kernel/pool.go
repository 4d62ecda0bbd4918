package kernel

import (
	"sync"
	"sync/atomic"
)

// runner is a set of independent tasks: run(w, t) does task t on worker w, where w in
// [0, workers) lets a task use per-worker scratch.
type runner interface{ run(w, t int) }

// parallelFor runs r's tasks [0, n) on up to threads workers: the calling goroutine (worker 0)
// and helpers from a pool of parked goroutines. Tasks are taken one at a time from a shared
// counter, so a worker whose CPU is busy with another process takes fewer of them; nothing ever
// spins. The call returns when every task is done, without waiting for helpers that found no
// task left (one that woke up late, its CPU being busy elsewhere). In steady state it allocates
// nothing.
func parallelFor(n, threads int, r runner) {
	w := min(threads, n)
	if w <= 1 {
		for t := 0; t < n; t++ {
			r.run(0, t)
		}
		return
	}
	var ts *taskSet
	select {
	case ts = <-freeTaskSets:
	default:
		ts = new(taskSet)
	}
	ts.r, ts.n = r, n
	ts.next.Store(0)
	ts.wid.Store(0)
	ts.refs.Store(int64(w))
	ts.done.Add(n)
	ensureHelpers(w - 1)
	for i := 1; i < w; i++ {
		select {
		case helperQueue <- ts:
		default: // the queue is full (many concurrent calls): one more goroutine
			go ts.help()
		}
	}
	ts.claim(0)
	ts.done.Wait()
	ts.release()
}

// taskSet is one parallelFor call, shared by its workers. It returns to its pool when the
// caller and every helper it was handed to have let go of it.
type taskSet struct {
	r    runner
	n    int
	next atomic.Int64   // next unclaimed task
	wid  atomic.Int64   // worker numbers given to helpers so far
	refs atomic.Int64   // holders: the caller and the helpers it was sent to
	done sync.WaitGroup // one count per task
}

// freeTaskSets recycles task sets. A channel rather than a sync.Pool: the last holder, often a
// helper on another P, puts the set back, and sync.Pool would keep it in that P's private slot
// where the next caller cannot find it.
var freeTaskSets = make(chan *taskSet, 64)

func (ts *taskSet) claim(w int) {
	for {
		t := int(ts.next.Add(1) - 1)
		if t >= ts.n {
			return
		}
		ts.r.run(w, t)
		ts.done.Done()
	}
}

func (ts *taskSet) help() {
	ts.claim(int(ts.wid.Add(1)))
	ts.release()
}

func (ts *taskSet) release() {
	if ts.refs.Add(-1) == 0 {
		ts.r = nil
		select {
		case freeTaskSets <- ts:
		default:
		}
	}
}

// The helper goroutines park on helperQueue between calls; there are as many as the most
// workers any call has asked for, less one (the caller works too). The queue is buffered so
// that a call made while the helpers finish the previous one still hands them its set (they may
// then find every task done, which costs nothing).
var (
	helperQueue   = make(chan *taskSet, 64)
	helperMu      sync.Mutex
	helperStarted int
)

func ensureHelpers(k int) {
	helperMu.Lock()
	if helperStarted == 0 {
		// A set handed to a helper returns only when that helper has run, which on a busy
		// machine can be several calls later; a full free list from the start means that such
		// late helpers cost no allocations (each set is ~100 bytes).
		for len(freeTaskSets) < cap(freeTaskSets)/2 {
			freeTaskSets <- new(taskSet)
		}
	}
	for ; helperStarted < k; helperStarted++ {
		go func() {
			for ts := range helperQueue {
				ts.help()
			}
		}()
	}
	helperMu.Unlock()
}
