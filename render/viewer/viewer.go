//go:build !noviewer

package viewer

import (
	"errors"
	"fmt"
	"image"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render"
	"github.com/inrstudio/studio/render/viewer/panel"
)

// Source gives the newest state of a run; live.Reader is one.
type Source interface {
	Poll() (bool, error)
	State() *live.State
}

// Commander takes pause, resume and stop requests; live.Reader (through the run folder) and
// live.Control (in-process) are both.
type Commander interface {
	Command(cmd live.Command) error
}

// Options configure Run.
type Options struct {
	Source  Source
	Control Commander // nil: the run cannot be paused or stopped from the window
	Title   string    // window title (the run's own title when empty)
	Size    image.Point
	// SnapshotDir receives the PNGs the S key saves (default: the run folder).
	SnapshotDir string
	// Quit runs when Q is pressed, before the window closes: it stops the run and waits until
	// the run folder is complete. Nil means: send a stop request through Control (when the run
	// is live) and wait until the run says it is done.
	Quit func() error
	// Detach, when set, makes closing the window leave the run going (a viewer attached to
	// another process); otherwise closing the window is Q.
	Detach bool
	// Close, when closed, ends the viewer through the same path as Q (Ctrl-C in the terminal).
	Close <-chan struct{}
	// Poll is the interval between two polls of the source (0 means 50 ms).
	Poll time.Duration
	// Script, when set, runs in its own goroutine once the window is up, with a Handle that
	// drives the viewer and captures frames (tests, screenshots). The window closes when it
	// returns, through the same path as Q.
	Script func(h *Handle) error
}

// Run opens the window and returns when it is closed. It must run on the main goroutine and
// only once per process (see the package comment).
func Run(opt Options) error {
	if opt.Source == nil {
		return errors.New("viewer: no source")
	}
	if opt.Size == (image.Point{}) {
		opt.Size = image.Pt(1280, 800)
	}
	if opt.Poll <= 0 {
		opt.Poll = 50 * time.Millisecond
	}
	g := newGame(opt)
	defer g.stop()
	ebiten.SetWindowSize(opt.Size.X, opt.Size.Y)
	ebiten.SetWindowSizeLimits(480, 320, -1, -1)
	ebiten.SetWindowResizingMode(ebiten.WindowResizingModeEnabled)
	ebiten.SetWindowTitle(g.windowTitle())
	ebiten.SetWindowClosingHandled(true)
	ebiten.SetRunnableOnUnfocused(true)
	// The picture changes a few times a second at most: draw only when asked (ScheduleFrame)
	// or on input, so the window costs the training next to nothing while it waits.
	ebiten.SetFPSMode(ebiten.FPSModeVsyncOffMinimum) //nolint:staticcheck // the deprecation's replacement still draws every vsync
	// The screen keeps its pixels between frames: a frame redraws only what changed.
	ebiten.SetScreenClearedEveryFrame(false)
	yieldCPU()
	go g.pollLoop()
	go g.renderLoop()
	go g.nudgeLoop()
	if opt.Script != nil {
		go g.runScript()
	}
	if err := ebiten.RunGame(g); err != nil {
		return fmt.Errorf("viewer: %w", err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	return errors.Join(g.scriptErr, g.quitErr)
}

// Game is the ebiten game. Its fields are shared between ebiten's goroutine (Update, Draw,
// Layout), the poller, the renderer and a script, under mu unless noted.
type Game struct {
	opt Options

	state atomic.Pointer[live.State]

	mu       sync.Mutex
	view     *panel.View
	viewVer  int64 // counts view changes
	frameVer int64 // the view version the newest frame was composed from
	size     image.Point
	frame    *panel.Frame // newest composed frame
	frameSeq int64
	// composeSeq counts the compositions started (frameSeq is the number of the latest one
	// finished); captures wait for a composition started after them.
	composeSeq int64
	flash      string
	flashEnd   time.Time
	quitting   bool
	quitMsg    string
	captures   []*captureReq

	wake    chan struct{} // something to render
	done    chan struct{} // closed when the window goes
	sampler *panel.Sampler

	// ebiten goroutine only
	screenImg  *ebiten.Image
	drawnSeq   int64
	drawn      atomic.Int64 // drawnSeq, for other goroutines
	screenSize image.Point
	scratch    []byte
	drag       string // region being dragged ("slider", "pan")
	dragFrom   image.Point
	title      string

	quit      atomic.Bool // set when Update should end the game
	quitErr   error       // written before quit is set
	scriptErr error       // under mu
}

func newGame(opt Options) *Game {
	g := &Game{opt: opt, view: panel.NewView(), size: opt.Size, wake: make(chan struct{}, 1), done: make(chan struct{})}
	g.state.Store(opt.Source.State())
	g.sampler = panel.NewSampler(g.kick)
	return g
}

func (g *Game) stop() {
	select {
	case <-g.done:
	default:
		close(g.done)
	}
	g.sampler.Close()
}

// kick asks the renderer for a new frame.
func (g *Game) kick() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

func (g *Game) windowTitle() string {
	t := g.opt.Title
	if t == "" {
		if s := g.state.Load(); s != nil && s.Title != "" {
			t = s.Title
		}
	}
	if t == "" {
		return "INR Studio"
	}
	return "INR Studio · " + t
}

// pollLoop polls the source and wakes the renderer on every new state.
func (g *Game) pollLoop() {
	t := time.NewTicker(g.opt.Poll)
	defer t.Stop()
	closeReq := g.opt.Close
	for {
		select {
		case <-g.done:
			return
		case <-closeReq:
			closeReq = nil
			g.beginQuit()
			continue
		case <-t.C:
		}
		changed, err := g.opt.Source.Poll()
		if err != nil {
			g.setFlash("reading the run: "+err.Error(), 3*time.Second)
		}
		if changed {
			g.state.Store(g.opt.Source.State())
			g.kick()
		}
	}
}

// minFrameGap throttles frames that only follow the run (not the user): a new loss value every
// step need not cost more than three frames a second. Under a software renderer (Mesa's
// llvmpipe, Xvfb) most of a frame's cost is the rasteriser's, on the CPU the training runs on.
const minFrameGap = 333 * time.Millisecond

// renderLoop composes frames when woken, off ebiten's goroutine.
func (g *Game) renderLoop() {
	comp := panel.NewComposer()
	var last time.Time
	var lastView panel.View
	var lastSize image.Point
	for {
		select {
		case <-g.done:
			return
		case <-g.wake:
		case <-time.After(time.Second):
			// Nothing new: only a message that has just expired needs a frame.
			g.mu.Lock()
			expired := g.flash != "" && !time.Now().Before(g.flashEnd)
			if expired {
				g.flash = ""
			}
			g.mu.Unlock()
			if !expired {
				continue
			}
		}
		g.mu.Lock()
		view, size, ver := *g.view, g.size, g.viewVer
		g.mu.Unlock()
		if view == lastView && size == lastSize {
			if wait := minFrameGap - time.Since(last); wait > 0 {
				select {
				case <-g.done:
					return
				case <-time.After(wait):
				}
			}
		}
		// The frame's number is taken before it reads the state, so a capture asked for after a
		// state change (Handle.Capture) is never served a frame composed from an older state.
		g.mu.Lock()
		g.composeSeq++
		seq := g.composeSeq
		g.mu.Unlock()
		st := g.state.Load()
		ctx := &panel.Context{State: st, View: &view, Sampler: g.sampler}
		f, err := comp.Compose(ctx, size, g.chrome(st))
		last, lastView, lastSize = time.Now(), view, size
		if err != nil {
			continue
		}
		g.mu.Lock()
		g.frame = f
		g.frameSeq = seq
		g.frameVer = ver
		if g.viewVer == ver {
			g.view.Page = view.Page // the composer clamps the page to those that exist
		}
		g.mu.Unlock()
		ebiten.ScheduleFrame() //nolint:staticcheck // see Run
	}
}

// nudgeLoop asks ebiten again for a frame while one is owed: a composed frame not yet drawn, a
// capture waiting, or a quit to finish. ScheduleFrame can be lost when it comes before the
// window's loop runs (the first frame) or between two of its waits.
func (g *Game) nudgeLoop() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-g.done:
			return
		case <-t.C:
		}
		g.mu.Lock()
		owed := g.frameSeq != g.drawn.Load() || len(g.captures) > 0
		g.mu.Unlock()
		if owed || g.quit.Load() {
			ebiten.ScheduleFrame() //nolint:staticcheck // see Run
		}
	}
}

func (g *Game) chrome(st *live.State) panel.Chrome {
	status, state, warn := panel.StatusText(st, panel.Speed(&st.History))
	title := "INR Studio"
	if t := g.opt.Title; t != "" {
		title += " · " + t
	} else if st.Title != "" {
		title += " · " + st.Title
	} else if st.Dir != "" {
		title += " · " + filepath.Base(st.Dir)
	}
	hints := "space pause · S save · 1–4 pages · Q quit"
	if g.opt.Control == nil || !st.Controllable && st.Source == live.SourceLive || st.Done {
		hints = "S save · 1–4 pages · Q quit"
	}
	g.mu.Lock()
	ch := panel.Chrome{Title: title, Status: status, State: state, Warn: warn, Hints: hints}
	if g.quitting {
		ch.Flash, ch.State, ch.Warn = g.quitMsg, "stopping", true
	} else if g.flash != "" && time.Now().Before(g.flashEnd) {
		ch.Flash = g.flash
	}
	g.mu.Unlock()
	return ch
}

func (g *Game) setFlash(msg string, d time.Duration) {
	g.mu.Lock()
	g.flash, g.flashEnd = msg, time.Now().Add(d)
	g.mu.Unlock()
	g.kick()
}

// Layout makes one frame pixel one screen pixel, whatever the window's size.
func (g *Game) Layout(w, h int) (int, int) {
	g.mu.Lock()
	changed := g.size != image.Pt(w, h)
	g.size = image.Pt(w, h)
	g.mu.Unlock()
	if changed {
		g.kick()
	}
	return w, h
}

// Draw shows the newest composed frame and serves frame captures.
func (g *Game) Draw(screen *ebiten.Image) {
	g.mu.Lock()
	f, seq, ver := g.frame, g.frameSeq, g.frameVer
	g.mu.Unlock()
	if f == nil {
		return
	}
	sb := screen.Bounds()
	if f.Image.Rect.Size() != sb.Size() {
		g.kick() // a frame for the new size is on its way; keep showing the old one meanwhile
	}
	// A new screen (first frame, resized window) or frames skipped: everything is redrawn.
	full := g.screenImg == nil || g.screenImg.Bounds().Size() != f.Image.Rect.Size() || seq != g.drawnSeq+1 ||
		sb.Size() != g.screenSize
	if seq != g.drawnSeq || full {
		if g.screenImg == nil || g.screenImg.Bounds().Size() != f.Image.Rect.Size() {
			if g.screenImg != nil {
				g.screenImg.Deallocate()
			}
			g.screenImg = ebiten.NewImage(f.Image.Rect.Dx(), f.Image.Rect.Dy())
		}
		if full {
			g.screenImg.WritePixels(f.Image.Pix)
			screen.Clear()
			screen.DrawImage(g.screenImg, nil)
		} else {
			g.upload(f, screen)
		}
		g.drawnSeq, g.screenSize = seq, sb.Size()
		g.drawn.Store(seq)
	}
	g.serveCaptures(screen, f, seq, ver)
}

// upload writes the parts of frame f that changed since the frame before it (the status line,
// the panels drawn anew) into the window's image and draws them on the screen, which keeps the
// rest from the frames before.
func (g *Game) upload(f *panel.Frame, screen *ebiten.Image) {
	for _, r := range f.Dirty {
		r = r.Intersect(f.Image.Rect)
		if r.Empty() {
			continue
		}
		n := 4 * r.Dx()
		if cap(g.scratch) < n*r.Dy() {
			g.scratch = make([]byte, n*r.Dy())
		}
		buf := g.scratch[:n*r.Dy()]
		for y := 0; y < r.Dy(); y++ {
			o := f.Image.PixOffset(r.Min.X, r.Min.Y+y)
			copy(buf[y*n:(y+1)*n], f.Image.Pix[o:o+n])
		}
		sub := g.screenImg.SubImage(r).(*ebiten.Image)
		sub.WritePixels(buf)
		op := &ebiten.DrawImageOptions{Blend: ebiten.BlendCopy}
		op.GeoM.Translate(float64(r.Min.X), float64(r.Min.Y))
		screen.DrawImage(sub, op)
	}
}

// savePNG writes the frame on screen as a PNG into the snapshot folder.
func (g *Game) savePNG() {
	g.mu.Lock()
	f := g.frame
	g.mu.Unlock()
	st := g.state.Load()
	if f == nil {
		return
	}
	dir := g.opt.SnapshotDir
	if dir == "" {
		dir = st.Dir
	}
	if dir == "" {
		dir = "."
	}
	name := fmt.Sprintf("view-%s-step%d.png", pageSlug(f.Pages[f.Page]), st.Step)
	path := filepath.Join(dir, name)
	if err := render.WritePNG(path, f.Image); err != nil {
		g.setFlash("could not save: "+err.Error(), 5*time.Second)
		return
	}
	g.setFlash("saved "+path, 4*time.Second)
}

func pageSlug(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}
