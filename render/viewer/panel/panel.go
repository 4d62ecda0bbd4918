package panel

import (
	"fmt"
	"image"
	"sort"
	"sync"

	"github.com/inrstudio/studio/internal/live"
)

// Panel is one picture of a run: the reconstruction, an error map, a loss curve, … A panel is
// drawn from the run's State and the viewer's View into a picture of a given size; Key says what
// the picture depends on, so the viewer redraws a panel only when its key changes.
type Panel interface {
	// ID names the panel in regions ("reconstruction", "loss", …); unique within a page.
	ID() string
	// Key is a comparable value that changes whenever Draw would draw something else for the
	// same size (for example the fields sequence number and the zoom).
	Key(c *Context) any
	// Draw draws the panel into a w×h picture.
	Draw(c *Context, w, h int) (*Picture, error)
}

// Picture is a drawn panel with the named places in it (relative to its top-left corner) that
// the viewer and tests need: "content" for the data area, "slider" for a slider track, ….
type Picture struct {
	Image   *image.RGBA
	Regions map[string]image.Rectangle
}

// Page is what one number key shows: panels laid out in a grid.
type Page struct {
	Name   string // shown in the header, e.g. "overview"
	Panels []Panel
}

// Pages returns the pages for a state. A kind of signal registers its own (image and pde here;
// audio or SDF add a file with their panels and one Register call).
type Pages func(s *live.State) []Page

var (
	regMu   sync.RWMutex
	signals = map[string]Pages{}
)

// Register makes pages the layout of runs whose State.Signal is signal. Called from init.
func Register(signal string, pages Pages) {
	regMu.Lock()
	defer regMu.Unlock()
	if _, dup := signals[signal]; dup {
		panic("panel: duplicate signal " + signal)
	}
	signals[signal] = pages
}

// Signals lists the registered signals.
func Signals() []string {
	regMu.RLock()
	defer regMu.RUnlock()
	out := make([]string, 0, len(signals))
	for k := range signals {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// PagesFor returns the pages of the state's signal, or a single waiting page when the signal is
// unknown or the run has not said what it is yet.
func PagesFor(s *live.State) []Page {
	regMu.RLock()
	p, ok := signals[s.Signal]
	regMu.RUnlock()
	if !ok {
		msg := "waiting for the run to start writing"
		if s.Signal != "" {
			msg = fmt.Sprintf("no panels for signal %q (known: %v)", s.Signal, Signals())
		} else if s.Source != live.SourceNone {
			msg = "this run has no pictures yet"
		}
		return []Page{{Name: "waiting", Panels: []Panel{message{msg}}}}
	}
	return p(s)
}

// Context is what panels draw from.
type Context struct {
	State    *live.State
	View     *View
	Sampler  *Sampler // re-renders the network at other resolutions; nil when there is none
	TextSize float64  // base text size in pixels
}

// View is the viewer's interactive state.
type View struct {
	Page int // index into the pages
	// Zoom (≥ 1) and centre (in the network's coordinates, [−1, 1]²) of the reconstruction.
	Zoom   float64
	CX, CY float64
	// Slider is the position of the PDE slider on [0, 1] (time, or the cut's position).
	Slider float64
}

// NewView returns the default view: first page, whole image, slider at the end.
func NewView() *View { return &View{Zoom: 1, Slider: 1} }

// Zoomed reports whether the view shows less than the whole image.
func (v *View) Zoomed() bool { return v.Zoom > 1.0001 || v.CX != 0 || v.CY != 0 }

// ZoomBy multiplies the zoom by f about the point (x, y) in network coordinates, which stays
// where it is on the screen; the zoom stays within [1, 256] and the view inside the image.
func (v *View) ZoomBy(f, x, y float64) {
	z := min(max(v.Zoom*f, 1), 256)
	k := v.Zoom / z
	v.CX = x + (v.CX-x)*k
	v.CY = y + (v.CY-y)*k
	v.Zoom = z
	v.clamp()
}

// Pan moves the centre by (dx, dy) screen widths of the reconstruction.
func (v *View) Pan(dx, dy float64) {
	v.CX += 2 * dx / v.Zoom
	v.CY += 2 * dy / v.Zoom
	v.clamp()
}

// Reset shows the whole image again.
func (v *View) Reset() { v.Zoom, v.CX, v.CY = 1, 0, 0 }

func (v *View) clamp() {
	lim := 1 - 1/v.Zoom
	v.CX = min(max(v.CX, -lim), lim)
	v.CY = min(max(v.CY, -lim), lim)
}

// SetSlider moves the slider, keeping it on [0, 1].
func (v *View) SetSlider(t float64) { v.Slider = min(max(t, 0), 1) }
