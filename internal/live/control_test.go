package live

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

// loop imitates a training loop: it counts steps, publishing a snapshot to the control each step,
// until its context ends.
func loop(ctx context.Context, c inr.Observer, steps *atomic.Int64) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			steps.Add(1)
			c.Observe(&inr.Snapshot{Step: int(steps.Load())})
			time.Sleep(100 * time.Microsecond)
		}
	}()
	return done
}

// holds reports whether the loop makes no progress for a while.
func holds(steps *atomic.Int64) bool {
	a := steps.Load()
	time.Sleep(50 * time.Millisecond)
	return steps.Load() == a
}

func TestControlPauseResumeStop(t *testing.T) {
	c := NewControl()
	ctx, cancel := c.WithContext(context.Background())
	defer cancel()
	var steps atomic.Int64
	done := loop(ctx, c, &steps)

	require.Eventually(t, func() bool { return steps.Load() > 10 }, 5*time.Second, time.Millisecond)
	require.NoError(t, c.Command(CommandPause))
	assert.True(t, c.Paused())
	require.Eventually(t, func() bool { return holds(&steps) }, 5*time.Second, time.Millisecond, "a paused loop holds")
	require.Eventually(t, c.Held, 5*time.Second, time.Millisecond, "and says so")
	held := steps.Load()
	require.NoError(t, c.Command(CommandPause), "pausing twice is harmless")
	require.NoError(t, c.Command(CommandRun))
	assert.False(t, c.Paused())
	require.Eventually(t, func() bool { return steps.Load() > held+10 }, 5*time.Second, time.Millisecond, "it runs again")
	assert.False(t, c.Held())

	require.NoError(t, c.Command(CommandPause))
	require.Eventually(t, func() bool { return holds(&steps) }, 5*time.Second, time.Millisecond)
	require.NoError(t, c.Command(CommandStop)) // stop releases a paused loop and ends its context
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stop did not end the loop")
	}
	assert.True(t, c.Stopped())
	assert.False(t, c.Paused())
	require.NoError(t, c.Command(CommandPause), "requests after a stop are ignored")
	assert.False(t, c.Paused())
	ctx2, cancel2 := c.WithContext(context.Background())
	defer cancel2()
	assert.Error(t, ctx2.Err(), "a context made after the stop is already cancelled")
	assert.Error(t, c.Command("faster"))
}

func TestControlPauseEndsWithContext(t *testing.T) {
	c := NewControl()
	parent, interrupt := context.WithCancel(context.Background())
	ctx, cancel := c.WithContext(parent)
	defer cancel()
	var steps atomic.Int64
	require.NoError(t, c.Command(CommandPause))
	done := loop(ctx, c, &steps)
	require.Eventually(t, func() bool { return holds(&steps) }, 5*time.Second, time.Millisecond)
	interrupt() // Ctrl-C while paused
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a paused loop ignored its context")
	}
	c.Observe(&inr.Snapshot{Done: true}) // the last snapshot never waits, even while paused
}

func TestControlThroughRunFolder(t *testing.T) {
	dir := t.TempDir()
	// A control file left by an earlier run must not pause the new one.
	require.NoError(t, os.MkdirAll(filepath.Join(dir, LiveDir), 0o755))
	require.NoError(t, SendCommand(dir, CommandPause))
	c, err := WatchControl(dir, time.Millisecond)
	require.NoError(t, err)
	defer c.Close()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond, Control: c})
	require.NoError(t, err)
	defer w.Close()
	time.Sleep(20 * time.Millisecond)
	assert.False(t, c.Paused(), "stale control file ignored")

	r, err := NewReader(dir)
	require.NoError(t, err)
	ctx, cancel := c.WithContext(context.Background())
	defer cancel()
	var steps atomic.Int64
	both := inr.ObserverFunc(func(s *inr.Snapshot) {
		s.Loss = 1 / float64(s.Step)
		w.Observe(s)
		c.Observe(s)
	})
	done := loop(ctx, both, &steps)
	s := pollUntil(t, r, func(s *State) bool { return s.Step > 5 })
	assert.True(t, s.Controllable)
	assert.False(t, s.Paused)

	require.NoError(t, r.Command(CommandPause))
	pollUntil(t, r, func(s *State) bool { return s.Paused })
	require.True(t, holds(&steps) || holds(&steps), "the trainer holds")
	require.NoError(t, r.Command(CommandRun))
	s = pollUntil(t, r, func(s *State) bool { return !s.Paused })
	pollUntil(t, r, func(x *State) bool { return x.Step > s.Step+5 })
	require.NoError(t, r.Command(CommandStop))
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stop through the run folder did not end the loop")
	}
	assert.True(t, c.Stopped())

	require.NoError(t, os.WriteFile(filepath.Join(dir, LiveDir, controlFile), []byte("garbage"), 0o644))
	require.Eventually(t, func() bool { return c.Err() != nil }, 5*time.Second, time.Millisecond)
	assert.Error(t, SendCommand(dir, "explode"))
}
