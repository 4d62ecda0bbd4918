//go:build !noviewer

package viewer

import (
	"errors"
	"fmt"
	"image"
	"time"

	"github.com/hajimehoshi/ebiten/v2"

	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render/viewer/panel"
)

// Handle drives a running viewer from a script (Options.Script): it waits for states, changes
// the view as keys would, and captures what the window shows.
type Handle struct{ g *Game }

// Capture is one frame as the window showed it: the screen's pixels read back from the GPU, and
// the composed frame (with its regions) they came from.
type Capture struct {
	Screen *image.RGBA
	Frame  *panel.Frame
}

type captureReq struct {
	after   int64 // a frame composed after this one
	viewVer int64 // from this view version or a later one
	reply   chan Capture
}

func (g *Game) runScript() {
	err := g.opt.Script(&Handle{g: g})
	g.mu.Lock()
	if err != nil {
		g.scriptErr = fmt.Errorf("viewer script: %w", err)
	}
	g.mu.Unlock()
	g.beginQuit()
}

// State returns the newest state the viewer has.
func (h *Handle) State() *live.State { return h.g.state.Load() }

// WaitState waits until cond holds for the viewer's state.
func (h *Handle) WaitState(timeout time.Duration, cond func(*live.State) bool) (*live.State, error) {
	deadline := time.Now().Add(timeout)
	for {
		s := h.g.state.Load()
		if cond(s) {
			return s, nil
		}
		if time.Now().After(deadline) {
			return s, fmt.Errorf("state not reached within %v (step %d, done %v)", timeout, s.Step, s.Done)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// View changes the view as the keys and the mouse do.
func (h *Handle) View(change func(v *panel.View)) { h.g.changeView(change) }

// Command sends a request as the space key does (pause, run) or Q (stop).
func (h *Handle) Command(cmd live.Command) error {
	if h.g.opt.Control == nil {
		return errors.New("viewer has no control")
	}
	return h.g.opt.Control.Command(cmd)
}

// SavePNG saves the window as the S key does.
func (h *Handle) SavePNG() { h.g.savePNG() }

// Settle waits until the background rendering of a zoomed view has finished and the window
// has composed a frame with it, then captures that frame.
func (h *Handle) Settle(timeout time.Duration) (Capture, error) {
	deadline := time.Now().Add(timeout)
	// A first frame makes the panels ask for the renderings they need.
	if _, err := h.Capture(timeout); err != nil {
		return Capture{}, err
	}
	for !h.g.sampler.Idle() {
		if time.Now().After(deadline) {
			return Capture{}, fmt.Errorf("the network rendering did not finish within %v", timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return h.Capture(time.Until(deadline))
}

// Capture returns the first frame whose composition started after the call (so it shows the
// state the viewer had at the call, or a newer one), once the window has drawn it.
func (h *Handle) Capture(timeout time.Duration) (Capture, error) {
	g := h.g
	g.mu.Lock()
	req := &captureReq{after: g.composeSeq, viewVer: g.viewVer, reply: make(chan Capture, 1)}
	g.captures = append(g.captures, req)
	g.mu.Unlock()
	g.kick()
	select {
	case c := <-req.reply:
		return c, nil
	case <-time.After(timeout):
		return Capture{}, fmt.Errorf("no frame drawn within %v", timeout)
	}
}

// serveCaptures reads the screen back for the captures waiting for frame seq (composed from view
// version ver) or an earlier one.
func (g *Game) serveCaptures(screen *ebiten.Image, f *panel.Frame, seq, ver int64) {
	g.mu.Lock()
	var keep []*captureReq
	var serve []*captureReq
	for _, c := range g.captures {
		if seq > c.after && ver >= c.viewVer {
			serve = append(serve, c)
		} else {
			keep = append(keep, c)
		}
	}
	g.captures = keep
	g.mu.Unlock()
	if len(serve) == 0 {
		if len(keep) > 0 {
			ebiten.ScheduleFrame() //nolint:staticcheck // see Run
		}
		return
	}
	b := screen.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	screen.ReadPixels(img.Pix)
	for _, c := range serve {
		c.reply <- Capture{Screen: img, Frame: f}
	}
}
