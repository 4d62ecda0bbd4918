//go:build !noviewer

package viewer

import (
	"fmt"
	"image"
	"math"
	"strings"
	"time"

	"github.com/hajimehoshi/ebiten/v2"
	"github.com/hajimehoshi/ebiten/v2/inpututil"

	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render/viewer/panel"
)

// Update handles input and ends the game once a quit has finished.
func (g *Game) Update() error {
	if g.quit.Load() {
		return ebiten.Termination
	}
	if ebiten.IsWindowBeingClosed() {
		if g.opt.Detach {
			return ebiten.Termination
		}
		g.beginQuit()
	}
	if t := g.windowTitle(); t != g.title { // a run attached before it started names itself later
		ebiten.SetWindowTitle(t)
		g.title = t
	}
	g.keys()
	g.mouse()
	return nil
}

func (g *Game) keys() {
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyQ):
		g.beginQuit()
	case inpututil.IsKeyJustPressed(ebiten.KeySpace):
		g.togglePause()
	case inpututil.IsKeyJustPressed(ebiten.KeyS):
		go g.savePNG()
	}
	for k := ebiten.Key1; k <= ebiten.Key9; k++ {
		if inpututil.IsKeyJustPressed(k) {
			g.changeView(func(v *panel.View) { v.Page = int(k - ebiten.Key1) })
		}
	}
	step := 0.1
	if ebiten.IsKeyPressed(ebiten.KeyShift) {
		step = 0.3
	}
	for _, a := range []struct {
		key    ebiten.Key
		dx, dy float64
	}{{ebiten.KeyArrowLeft, -1, 0}, {ebiten.KeyArrowRight, 1, 0}, {ebiten.KeyArrowUp, 0, -1}, {ebiten.KeyArrowDown, 0, 1}} {
		if inpututil.IsKeyJustPressed(a.key) {
			g.arrow(a.dx, a.dy, step)
		}
	}
	switch {
	case inpututil.IsKeyJustPressed(ebiten.KeyEqual) || inpututil.IsKeyJustPressed(ebiten.KeyKPAdd):
		g.changeView(func(v *panel.View) { v.ZoomBy(1.5, v.CX, v.CY) })
	case inpututil.IsKeyJustPressed(ebiten.KeyMinus) || inpututil.IsKeyJustPressed(ebiten.KeyKPSubtract):
		g.changeView(func(v *panel.View) { v.ZoomBy(1/1.5, v.CX, v.CY) })
	case inpututil.IsKeyJustPressed(ebiten.Key0) || inpututil.IsKeyJustPressed(ebiten.KeyKP0):
		g.changeView(func(v *panel.View) { v.Reset() })
	}
}

// arrow pans the reconstruction, or moves the slider by one column when the page has one.
func (g *Game) arrow(dx, dy, step float64) {
	f := g.currentFrame()
	if f == nil {
		return
	}
	if _, ok := sliderRegion(f); ok {
		if dx == 0 {
			return
		}
		cols := 100.0
		if sol := g.state.Load().Field("solution"); sol != nil && sol.W > 1 {
			cols = float64(sol.W - 1)
		}
		n := 1.0
		if step > 0.1 {
			n = 10
		}
		g.changeView(func(v *panel.View) { v.SetSlider(v.Slider + dx*n/cols) })
		return
	}
	g.changeView(func(v *panel.View) { v.Pan(dx*step, dy*step) })
}

func (g *Game) mouse() {
	f := g.currentFrame()
	if f == nil {
		return
	}
	mx, my := ebiten.CursorPosition()
	p := image.Pt(mx, my)
	if _, wy := ebiten.Wheel(); wy != 0 {
		if r, ok := f.Regions["reconstruction/content"]; ok && p.In(r) {
			g.changeView(func(v *panel.View) {
				x, y := viewPoint(v, r, p)
				v.ZoomBy(math.Pow(1.25, wy), x, y)
			})
		}
	}
	if inpututil.IsMouseButtonJustPressed(ebiten.MouseButtonLeft) {
		if r, ok := sliderRegion(f); ok && p.In(r) {
			g.drag = "slider"
		} else if r, ok := f.Regions["reconstruction/content"]; ok && p.In(r) {
			g.drag, g.dragFrom = "pan", p
		}
	}
	if !ebiten.IsMouseButtonPressed(ebiten.MouseButtonLeft) {
		g.drag = ""
		return
	}
	switch g.drag {
	case "slider":
		if r, ok := sliderRegion(f); ok {
			t := (float64(mx) - float64(r.Min.X)) / float64(max(1, r.Dx()-1))
			g.changeView(func(v *panel.View) { v.SetSlider(t) })
		}
	case "pan":
		if r, ok := f.Regions["reconstruction/content"]; ok && p != g.dragFrom {
			d := p.Sub(g.dragFrom)
			g.dragFrom = p
			g.changeView(func(v *panel.View) { v.Pan(-float64(d.X)/float64(r.Dx()), -float64(d.Y)/float64(r.Dy())) })
		}
	}
}

// viewPoint is the point of the image (view coordinates) under screen point p of region r.
func viewPoint(v *panel.View, r image.Rectangle, p image.Point) (x, y float64) {
	u := (float64(p.X-r.Min.X) + 0.5) / float64(r.Dx())
	w := (float64(p.Y-r.Min.Y) + 0.5) / float64(r.Dy())
	return v.CX + (2*u-1)/v.Zoom, v.CY + (2*w-1)/v.Zoom
}

func sliderRegion(f *panel.Frame) (image.Rectangle, bool) {
	for name, r := range f.Regions {
		if strings.HasSuffix(name, "/slider") {
			return r, true
		}
	}
	return image.Rectangle{}, false
}

func (g *Game) currentFrame() *panel.Frame {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.frame
}

// changeView applies a change to the view and asks for a new frame.
func (g *Game) changeView(change func(v *panel.View)) {
	g.mu.Lock()
	change(g.view)
	g.viewVer++
	g.mu.Unlock()
	g.kick()
}

func (g *Game) togglePause() {
	st := g.state.Load()
	switch {
	case g.opt.Control == nil || (st.Source == live.SourceLive && !st.Controllable):
		g.setFlash("this run was started without a control: it cannot be paused from here", 4*time.Second)
		return
	case st.Done || st.Source != live.SourceLive:
		g.setFlash("the run has finished", 3*time.Second)
		return
	}
	cmd := live.CommandPause
	if st.Paused {
		cmd = live.CommandRun
	}
	if err := g.opt.Control.Command(cmd); err != nil {
		g.setFlash(err.Error(), 4*time.Second)
		return
	}
	if cmd == live.CommandPause {
		g.setFlash("pausing…", time.Second)
	} else {
		g.setFlash("resuming…", time.Second)
	}
}

// beginQuit stops the run (Options.Quit, or a stop request) in the background and ends the
// game once the run folder is complete.
func (g *Game) beginQuit() {
	g.mu.Lock()
	if g.quitting {
		g.mu.Unlock()
		return
	}
	g.quitting = true
	g.quitMsg = "stopping the run: waiting for it to write its outputs…"
	g.mu.Unlock()
	g.kick()
	go func() {
		quit := g.opt.Quit
		if quit == nil {
			quit = g.stopAndWait
		}
		g.quitErr = quit()
		g.quit.Store(true)
		ebiten.ScheduleFrame() //nolint:staticcheck // see Run
	}()
}

// stopAndWait asks a live run to stop and waits until it says it is done (or its process goes).
func (g *Game) stopAndWait() error {
	st := g.state.Load()
	if st.Source != live.SourceLive || st.Done || st.Stale {
		return nil
	}
	if g.opt.Control == nil || !st.Controllable {
		return nil // nothing to stop from here: the run goes on by itself
	}
	if err := g.opt.Control.Command(live.CommandStop); err != nil {
		return fmt.Errorf("stop the run: %w", err)
	}
	deadline := time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		if s := g.state.Load(); s.Done || s.Stale {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the run did not finish writing within 10 minutes of the stop request")
}
