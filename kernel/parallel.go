package kernel

// minParallelWork is the amount of work (roughly multiply-adds or element operations) below
// which splitting across goroutines costs more than it saves.
const minParallelWork = 1 << 16

// RangeRunner is work over a range of elements, for ForRanges. w is the worker running it, in
// [0, Threads()) at the call: per-worker scratch indexed by w is never shared by two ranges at once.
type RangeRunner interface{ RunRange(w, lo, hi int) }

// ForRanges runs r over the elements [0, n) in ranges that start at multiples of align, on the
// implementation's threads: about eight ranges per thread, each worth at least minParallelWork
// at work operations per element; work too small to split is one range on the calling goroutine.
// The ranges cover [0, n) once, so r's results do not depend on the thread count when its work on
// an element does not depend on where the range around it starts (beyond a multiple of align).
func (k *Impl) ForRanges(n, align, work int, r RangeRunner) {
	if n <= 0 {
		return
	}
	align = max(align, 1)
	units, threads := ceilDiv(n, align), k.Threads()
	chunk := splitChunk(units, align*work, threads)
	if chunk == 0 {
		r.RunRange(0, 0, n)
		return
	}
	p := rangeJobs.Get()
	*p = rangeJob{r: r, n: n, span: chunk * align}
	parallelFor(ceilDiv(units, chunk), threads, p)
	*p = rangeJob{}
	rangeJobs.Put(p)
}

// Threads is the number of workers a call of the default implementation uses now.
func Threads() int { return defaultImpl.Threads() }

// ForRanges runs the default implementation; see Impl.ForRanges.
func ForRanges(n, align, work int, r RangeRunner) { defaultImpl.ForRanges(n, align, work, r) }

// rangeJob is one ForRanges call handed to the workers (pooled: a call allocates nothing).
type rangeJob struct {
	r       RangeRunner
	n, span int
}

var rangeJobs = NewFreeList[rangeJob](16)

func (j *rangeJob) run(w, t int) {
	lo := t * j.span
	j.r.RunRange(w, lo, min(lo+j.span, j.n))
}
