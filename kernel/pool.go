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
// task left, and a helper that wakes up after the call has finished (its CPU being busy
// elsewhere) drops the stale invitation without touching the call's task set. Nothing is
// allocated in steady state, however late the helpers are.
func parallelFor(n, threads int, r runner) {
	w := min(threads, n)
	if w <= 1 {
		for t := 0; t < n; t++ {
			r.run(0, t)
		}
		return
	}
	ensureHelpers(w - 1)
	var ts *taskSet
	select {
	case ts = <-freeTaskSets:
	default:
		ts = new(taskSet)
	}
	ts.r, ts.n = r, n
	ts.next.Store(0)
	ts.wid.Store(0)
	ts.done.Add(n)
	gen := ts.open()
	for i := 1; i < w; i++ {
		select {
		case helperQueue <- invitation{ts, gen}:
		default: // the helpers are far behind: the caller and those already invited do the work
		}
	}
	ts.claim(0)
	ts.done.Wait()
	ts.close()
}

// taskSet is one parallelFor call, shared by its workers. Between calls it is reused: state
// holds the call's generation (high 32 bits), whether helpers may still join (bit 31), and how
// many helpers are inside (low 31 bits). It returns to the free list when the call is over and
// the last helper inside has left.
type taskSet struct {
	r     runner
	n     int
	next  atomic.Int64   // next unclaimed task
	wid   atomic.Int64   // worker numbers given to helpers so far
	state atomic.Uint64  // generation, open bit, helpers inside
	done  sync.WaitGroup // one count per task
}

const (
	setOpen    = 1 << 31
	setInsides = setOpen - 1
)

// invitation asks a helper to join generation gen of a task set; a stale one is dropped.
type invitation struct {
	ts  *taskSet
	gen uint64
}

// freeTaskSets recycles task sets. A channel rather than a sync.Pool: the last one out, often a
// helper on another P, puts the set back, and sync.Pool would keep it in that P's private slot
// where the next caller cannot find it (and would drop it at garbage collections).
var freeTaskSets = make(chan *taskSet, 64)

// open starts a new generation that helpers may join and returns it. No helper is inside.
func (ts *taskSet) open() uint64 {
	gen := ts.state.Load()>>32 + 1
	ts.state.Store(gen<<32 | setOpen)
	return gen
}

// join lets a helper in if generation gen is still open.
func (ts *taskSet) join(gen uint64) bool {
	for {
		s := ts.state.Load()
		if s>>32 != gen || s&setOpen == 0 {
			return false
		}
		if ts.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

// leave lets a helper out; the last one out of a closed set recycles it.
func (ts *taskSet) leave() {
	if s := ts.state.Add(^uint64(0)); s&(setOpen|setInsides) == 0 {
		ts.recycle()
	}
}

// close ends the call: no helper may join any more; the set is recycled now if none is inside,
// else by the last one to leave.
func (ts *taskSet) close() {
	if s := ts.state.And(^uint64(setOpen)); s&setInsides == 0 {
		ts.recycle()
	}
}

func (ts *taskSet) recycle() {
	ts.r = nil
	select {
	case freeTaskSets <- ts:
	default:
	}
}

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

// The helper goroutines park on helperQueue between calls; there are as many as the most
// workers any call has asked for, less one (the caller works too). The queue is buffered so
// that a call made while the helpers finish the previous one still reaches them.
var (
	helperQueue   = make(chan invitation, 64)
	helperMu      sync.Mutex
	helperStarted int
)

func ensureHelpers(k int) {
	helperMu.Lock()
	if helperStarted == 0 {
		// A set stays out of the free list while a helper that joined it is still inside; a
		// few spare sets from the start mean that such helpers cost no allocation.
		for len(freeTaskSets) < 8 {
			freeTaskSets <- new(taskSet)
		}
	}
	for ; helperStarted < k; helperStarted++ {
		go func() {
			for inv := range helperQueue {
				if inv.ts.join(inv.gen) {
					inv.ts.claim(int(inv.ts.wid.Add(1)))
					inv.ts.leave()
				}
			}
		}()
	}
	helperMu.Unlock()
}
