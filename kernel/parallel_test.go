package kernel

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

type rangeLog struct {
	mu     sync.Mutex
	ranges [][2]int
	hits   []int
}

func (l *rangeLog) RunRange(w, lo, hi int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w < 0 || w >= 4 {
		panic("worker index out of range")
	}
	l.ranges = append(l.ranges, [2]int{lo, hi})
	for i := lo; i < hi; i++ {
		l.hits[i]++
	}
}

// ForRanges covers every element once, in ranges that start at multiples of align: one range on
// the caller for small work, several on four threads for large work; it allocates nothing.
func TestForRanges(t *testing.T) {
	k := defaultImpl.WithThreads(4)
	for _, c := range []struct {
		n, align, work int
		split          bool
	}{{0, 256, 16, false}, {1000, 256, 16, false}, {100_003, 256, 16, true}, {97 * 300, 300, 16, true}, {50_000, 1, 1000, true}} {
		l := &rangeLog{hits: make([]int, c.n)}
		k.ForRanges(c.n, c.align, c.work, l)
		for i, h := range l.hits {
			require.Equal(t, 1, h, "n %d: element %d ran %d times", c.n, i, h)
		}
		if c.n == 0 {
			require.Empty(t, l.ranges)
			continue
		}
		for _, r := range l.ranges {
			require.Zero(t, r[0]%c.align, "n %d: a range starts at %d", c.n, r[0])
		}
		if c.split {
			require.Greater(t, len(l.ranges), 4, "n %d: split across the threads", c.n)
		} else {
			require.Equal(t, [][2]int{{0, c.n}}, l.ranges, "n %d: one range on the caller", c.n)
		}
	}
	var sink nopRanges
	require.Zero(t, testing.AllocsPerRun(10, func() { k.ForRanges(100_000, 256, 16, &sink) }))
}

type nopRanges struct{}

func (*nopRanges) RunRange(w, lo, hi int) {}
