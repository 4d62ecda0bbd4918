package live

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/inrstudio/studio/inr"
)

// Command is what a viewer asks of a training loop.
type Command string

// Commands.
const (
	CommandRun   Command = "run"   // resume after a pause
	CommandPause Command = "pause" // hold before the next step
	CommandStop  Command = "stop"  // end the run early; it still writes all its outputs
)

// Control carries pause and stop requests to a training loop. The loop's side costs one atomic
// load per snapshot: Observe (the Control is an inr.Observer, attached last) returns at once
// unless a pause was requested, and then holds the training goroutine until resume or stop.
// Stop cancels the context made by WithContext, which the loop checks each step.
//
// A Control is fed in-process (Command) or by a viewer in another process through the control
// file of the run folder (WatchControl).
type Control struct {
	paused  atomic.Bool
	stopped atomic.Bool
	held    atomic.Bool // the loop is waiting in Observe

	mu      sync.Mutex
	resume  chan struct{} // closed when the current pause ends
	cancels []context.CancelFunc
	subs    []chan struct{}
	ctxDone <-chan struct{}

	file string // "" for an in-process control
	quit chan struct{}
	done chan struct{}
	err  error
}

// NewControl returns a Control driven in-process through Command.
func NewControl() *Control {
	return &Control{}
}

// WatchControl returns a Control that also obeys the control file of the run folder dir,
// reading it every interval (0 means 50 ms). A control file left by an
// earlier run is removed first. Close stops the watching.
func WatchControl(dir string, interval time.Duration) (*Control, error) {
	if interval <= 0 {
		interval = 50 * time.Millisecond
	}
	liveDir := filepath.Join(dir, LiveDir)
	if err := os.MkdirAll(liveDir, 0o755); err != nil {
		return nil, fmt.Errorf("control: %w", err)
	}
	c := &Control{file: filepath.Join(liveDir, controlFile), quit: make(chan struct{}), done: make(chan struct{})}
	if err := os.Remove(c.file); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("control: %w", err)
	}
	go c.watch(interval)
	return c, nil
}

// controlDoc is the control file.
type controlDoc struct {
	Command Command `json:"command"`
	// ID distinguishes two requests of the same command (pause, resume, pause).
	ID int64 `json:"id"`
}

// SendCommand asks the trainer writing the run folder dir to run, pause or stop, through the
// control file a WatchControl of that folder obeys.
func SendCommand(dir string, cmd Command) error {
	if err := checkCommand(cmd); err != nil {
		return err
	}
	b, err := json.Marshal(controlDoc{Command: cmd, ID: time.Now().UnixNano()})
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, LiveDir, controlFile), b)
}

func checkCommand(cmd Command) error {
	switch cmd {
	case CommandRun, CommandPause, CommandStop:
		return nil
	}
	return fmt.Errorf("control: unknown command %q (run, pause or stop)", cmd)
}

func (c *Control) watch(interval time.Duration) {
	defer close(c.done)
	t := time.NewTicker(interval)
	defer t.Stop()
	var last []byte
	var lastID int64
	for {
		select {
		case <-c.quit:
			return
		case <-t.C:
		}
		// Reading the few bytes each time is as cheap as a stat and, unlike the modification
		// time, never misses two requests within one tick of the file system's clock.
		b, err := os.ReadFile(c.file)
		if err != nil || bytes.Equal(b, last) {
			continue
		}
		last = b
		var d controlDoc
		if err := json.Unmarshal(b, &d); err != nil || checkCommand(d.Command) != nil {
			c.mu.Lock()
			c.err = fmt.Errorf("control %s: unreadable request %q", c.file, b)
			c.mu.Unlock()
			continue
		}
		if d.ID == lastID {
			continue
		}
		lastID = d.ID
		c.Command(d.Command)
	}
}

// Command applies a request. Stopping is final: later requests are ignored.
func (c *Control) Command(cmd Command) error {
	if err := checkCommand(cmd); err != nil {
		return err
	}
	c.mu.Lock()
	if c.stopped.Load() {
		c.mu.Unlock()
		return nil
	}
	switch cmd {
	case CommandPause:
		if !c.paused.Load() {
			c.resume = make(chan struct{})
			c.paused.Store(true)
		}
	case CommandRun:
		c.endPause()
	case CommandStop:
		c.stopped.Store(true)
		c.endPause()
		for _, cancel := range c.cancels {
			cancel()
		}
	}
	c.mu.Unlock()
	c.notify()
	return nil
}

// endPause releases a held loop; c.mu is held.
func (c *Control) endPause() {
	if c.paused.Load() {
		c.paused.Store(false)
		close(c.resume)
	}
}

// Paused reports whether a pause is requested (the loop holds at its next snapshot).
func (c *Control) Paused() bool { return c.paused.Load() }

// Held reports whether the loop is holding at a pause right now (a pause requested during a
// long step takes effect at the step's end).
func (c *Control) Held() bool { return c.held.Load() }

// Stopped reports whether a stop was requested.
func (c *Control) Stopped() bool { return c.stopped.Load() }

// WithContext returns a context that is cancelled when a stop is requested (or parent ends). A
// paused loop also resumes when that context ends, so Ctrl-C is never held up by a pause.
func (c *Control) WithContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	c.mu.Lock()
	c.cancels = append(c.cancels, cancel)
	c.ctxDone = ctx.Done()
	stopped := c.stopped.Load()
	c.mu.Unlock()
	if stopped {
		cancel()
	}
	return ctx, cancel
}

// Observe is the loop's side: it returns at once unless a pause is requested, and then waits
// until the pause ends, a stop is requested or the WithContext context ends. The last snapshot
// (Done) never waits.
func (c *Control) Observe(s *inr.Snapshot) {
	if !c.paused.Load() || s.Done {
		return
	}
	c.mu.Lock()
	resume, ctxDone := c.resume, c.ctxDone
	c.mu.Unlock()
	if resume == nil {
		return
	}
	c.held.Store(true)
	c.notify()
	select {
	case <-resume:
	case <-ctxDone: // nil when there is no context: waits for resume alone
	}
	c.held.Store(false)
	c.notify()
}

// notify wakes the subscribers (coalescing).
func (c *Control) notify() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.subs {
		select {
		case s <- struct{}{}:
		default:
		}
	}
}

// subscribe returns a channel that receives a value after every change of the pause or stop
// state (changes may be coalesced), for the Writer to publish the paused flag.
func (c *Control) subscribe() <-chan struct{} {
	ch := make(chan struct{}, 1)
	c.mu.Lock()
	c.subs = append(c.subs, ch)
	c.mu.Unlock()
	return ch
}

// Err returns the last unreadable request found in the control file, if any.
func (c *Control) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Close stops watching the control file. It does not change the pause or stop state.
func (c *Control) Close() error {
	if c.quit == nil {
		return nil
	}
	select {
	case <-c.quit:
	default:
		close(c.quit)
	}
	<-c.done
	return nil
}
