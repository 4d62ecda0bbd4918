package kernel

import "math/bits"

// minWorkPerThread is the least work (multiply-adds) worth handing to one more goroutine: about
// 10 µs at this package's speeds, ten times the cost of starting and joining one.
const minWorkPerThread = 1 << 19

// workers limits threads so that each has at least minWorkPerThread of the work: tiny products
// (a 1-D network's layers) run on the caller's goroutine alone.
func workers(work, threads int) int {
	return max(1, min(threads, work/minWorkPerThread))
}

// FreeList recycles objects of one type (the kernels' job structs and scratch, and other packages'
// per-call scratch). Unlike sync.Pool it keeps them across garbage
// collections: a sync.Pool is emptied by every second collection, after which each call of a
// training step would allocate its job structs and scratch buffers again (large packing buffers
// included). It holds at most its capacity; what does not fit is left to the collector.
type FreeList[T any] chan *T

// NewFreeList returns a free list that keeps up to n objects.
func NewFreeList[T any](n int) FreeList[T] { return make(FreeList[T], n) }

// Get returns a recycled object (contents as last put) or a new zero one.
func (f FreeList[T]) Get() *T {
	select {
	case x := <-f:
		return x
	default:
		return new(T)
	}
}

// Put returns x to the list (or to the collector when the list is full).
func (f FreeList[T]) Put(x *T) {
	select {
	case f <- x:
	default:
	}
}

// bufLists recycle the scratch buffers of the kernels by power-of-two size class, so that
// steady-state calls allocate nothing (one list for all sizes would hand a small buffer to a
// large request and drop it). A class keeps as many buffers as were ever in use at once, up
// to 8.
var bufLists = func() (l [48]FreeList[[]float64]) {
	for i := range l {
		l[i] = NewFreeList[[]float64](8)
	}
	return l
}()

// getBuf returns a buffer of at least n float64s (contents undefined); give it back with putBuf.
func getBuf(n int) *[]float64 {
	class := bits.Len(uint(max(n, 1) - 1)) // 2^class ≥ n
	p := bufLists[class].Get()
	if cap(*p) == 0 {
		*p = make([]float64, n, 1<<class)
	}
	*p = (*p)[:n]
	return p
}

func putBuf(p *[]float64) {
	class := bits.Len(uint(cap(*p) - 1))
	if cap(*p) != 1<<class {
		return // not one of ours
	}
	bufLists[class].Put(p)
}

// ReleaseScratch drops the recycled scratch buffers, so that the collector can free them. The
// kernels allocate them again as they need them. It is for measuring memory (inr's
// EstimateMemory measures each fit from an empty set); calling it between training steps costs
// only the reallocation.
func ReleaseScratch() {
	for i := range bufLists {
		for drained := false; !drained; {
			select {
			case <-bufLists[i]:
			default:
				drained = true
			}
		}
	}
}
