package kernel

import (
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// funcRunner adapts a closure for the tests (the package's calls use pooled job structs: a
// closure costs an allocation per call).
type funcRunner func(w, t int)

func (f funcRunner) run(w, t int) { f(w, t) }

// parallelTasks runs fn(w, t) for every task t in [0, n) on up to threads workers.
func parallelTasks(n, threads int, fn func(w, t int)) {
	parallelFor(n, threads, funcRunner(fn))
}

// TestParallelForNested: a task may itself call parallelFor (helpers busy with the outer call
// must not be waited for), every task runs exactly once, and worker numbers stay below threads.
func TestParallelForNested(t *testing.T) {
	const outer, inner = 12, 40
	var counts [outer][inner]atomic.Int32
	var badWorker atomic.Bool
	parallelTasks(outer, 3, func(w, o int) {
		if w >= 3 {
			badWorker.Store(true)
		}
		parallelTasks(inner, 2, func(w2, i int) {
			if w2 >= 2 {
				badWorker.Store(true)
			}
			counts[o][i].Add(1)
		})
	})
	require.False(t, badWorker.Load(), "worker number out of range")
	for o := range counts {
		for i := range counts[o] {
			require.EqualValues(t, 1, counts[o][i].Load(), "task %d/%d", o, i)
		}
	}
}

// TestGemmConcurrentCallers: several goroutines sharing the helper pool get the same bits as a
// lone single-threaded call.
func TestGemmConcurrentCallers(t *testing.T) {
	for _, impl := range implsUnderTest(t) {
		r := rand.New(rand.NewPCG(21, 22))
		a, b := randMatrix(r, 300, 200), randMatrix(r, 200, 130)
		want := NewMatrix(300, 130)
		impl.WithThreads(1).Gemm(NoTrans, NoTrans, 1, a, b, 0, want)
		var wg sync.WaitGroup
		outs := make([]Matrix, 6)
		for g := range outs {
			outs[g] = NewMatrix(300, 130)
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 5 {
					impl.WithThreads(2).Gemm(NoTrans, NoTrans, 1, a, b, 0, outs[g])
				}
			}()
		}
		wg.Wait()
		for g, o := range outs {
			for i := range o.Data {
				require.Equal(t, math.Float64bits(want.Data[i]), math.Float64bits(o.Data[i]), "%s caller %d element %d", impl.Name(), g, i)
			}
		}
	}
}

// TestNoAllocations: after a warm-up call, GEMM in every path and LinearSin allocate nothing
// (the packing buffers and job descriptions are pooled). One worker, because AllocsPerRun runs
// with GOMAXPROCS=1, where helpers could not run anyway.
func TestNoAllocations(t *testing.T) {
	for _, impl := range implsUnderTest(t) {
		if impl.Name() == "generic" {
			continue // the portable reference implementation is not tuned for this
		}
		one := impl.WithThreads(1)
		for _, f := range benchForms {
			for _, s := range [][3]int{{500, 70, 40}, {300, 2, 64}, {400, 64, 3}} {
				tA, tB, x, y, z := layerOperands(f, s[0], s[1], s[2])
				allocs := testing.AllocsPerRun(10, func() { one.Gemm(tA, tB, 1, x, y, 0, z) })
				require.Zero(t, allocs, "%s %s %v", impl.Name(), f, s)
			}
		}
		x, w, out, bias := NewMatrix(300, 2), NewMatrix(2, 64), NewMatrix(300, 64), make([]float64, 64)
		allocs := testing.AllocsPerRun(10, func() { one.LinearSin(out, Matrix{}, x, w, bias, 30) })
		require.Zero(t, allocs, "%s LinearSin", impl.Name())
	}
}

// TestParallelForManyCallers: goroutines that each make thousands of small parallel calls
// (helpers then often arrive after a call is over, and task sets are reused at once) see every
// task run exactly once, with worker numbers below their thread count.
func TestParallelForManyCallers(t *testing.T) {
	calls := 2000
	if testing.Short() {
		calls = 200
	}
	var bad atomic.Int64
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			threads := 2 + g%3
			for c := range calls {
				n := 1 + (c+g)%9
				var runs [9]atomic.Int32
				parallelTasks(n, threads, func(w, i int) {
					if w >= threads {
						bad.Add(1)
					}
					runs[i].Add(1)
				})
				for i := range n {
					if runs[i].Load() != 1 {
						bad.Add(1)
					}
				}
			}
		}()
	}
	wg.Wait()
	require.Zero(t, bad.Load(), "tasks run other than once, or worker numbers out of range")
}
