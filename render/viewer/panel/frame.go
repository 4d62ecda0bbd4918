package panel

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"strings"

	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render"
)

// Chrome is the text around the panels: the window's heading and the status line.
type Chrome struct {
	Title  string // left of the header
	Status string // left of the status line (step, loss, …)
	State  string // right of the status line (running, PAUSED, …)
	Hints  string // key hints, after the state
	Flash  string // a passing message (saved a snapshot, …), shown instead of the hints
	Warn   bool   // draw State in the warning colour
}

// Frame is one composed picture of the window.
type Frame struct {
	Image *image.RGBA
	// Regions are named places in the frame: "<panel>" for a panel's cell and
	// "<panel>/<region>" for the regions a panel reported (its data area, a slider, …).
	Regions map[string]image.Rectangle
	Pages   []string // the names of the pages, for the number keys
	Page    int      // the page shown
	Redrawn int      // panels drawn anew (the others came from the cache)
	// Dirty lists the parts that differ from the composer's previous frame (all of it when the
	// size or the page changed), so a window uploads only those.
	Dirty []image.Rectangle
}

// Composer composes frames, keeping each panel's last picture until its key or size changes.
// It is used from one goroutine at a time.
type Composer struct {
	cache    map[string]*cached
	prevPage string
	prevSize image.Point
}

type cached struct {
	key any
	w   int
	h   int
	pic *Picture
}

// NewComposer returns an empty composer.
func NewComposer() *Composer { return &Composer{cache: map[string]*cached{}} }

// Compose draws the frame of the given size: header with the page tabs, the current page's
// panels in a grid, status line.
func (c *Composer) Compose(ctx *Context, size image.Point, ch Chrome) (*Frame, error) {
	if size.X < 64 || size.Y < 48 {
		return nil, fmt.Errorf("frame: size %v too small", size)
	}
	if ctx.TextSize <= 0 {
		ctx.TextSize = TextSizeFor(size)
	}
	pages := PagesFor(ctx.State)
	v := ctx.View
	v.Page = min(max(v.Page, 0), len(pages)-1)
	page := pages[v.Page]
	lay := LayoutFor(size, len(page.Panels), ctx.TextSize)
	f := &Frame{Image: image.NewRGBA(image.Rect(0, 0, size.X, size.Y)), Regions: map[string]image.Rectangle{}, Page: v.Page}
	for _, p := range pages {
		f.Pages = append(f.Pages, p.Name)
	}
	fill(f.Image, f.Image.Rect, groundColor)
	c.header(f, lay.Header, ch.Title, pages, v.Page, ctx.TextSize)
	full := page.Name != c.prevPage || size != c.prevSize
	c.prevPage, c.prevSize = page.Name, size
	if full {
		f.Dirty = []image.Rectangle{f.Image.Rect}
	} else {
		f.Dirty = []image.Rectangle{lay.Header, lay.Status}
	}
	for i, p := range page.Panels {
		cell := lay.Cells[i]
		id := page.Name + "/" + p.ID()
		key := p.Key(ctx)
		e := c.cache[id]
		if e == nil || e.key != key || e.w != cell.Dx() || e.h != cell.Dy() {
			pic, err := p.Draw(ctx, cell.Dx(), cell.Dy())
			if err != nil {
				pic = placeholder(ctx, cell.Dx(), cell.Dy(), p.ID(), "cannot draw: "+err.Error())
			}
			e = &cached{key: key, w: cell.Dx(), h: cell.Dy(), pic: pic}
			c.cache[id] = e
			f.Redrawn++
			if !full {
				f.Dirty = append(f.Dirty, cell)
			}
		}
		draw.Draw(f.Image, cell, e.pic.Image, e.pic.Image.Rect.Min, draw.Src)
		f.Regions[p.ID()] = cell
		for name, r := range e.pic.Regions {
			f.Regions[p.ID()+"/"+name] = r.Add(cell.Min)
		}
	}
	c.status(f, lay.Status, ch, ctx.TextSize)
	return f, nil
}

func (c *Composer) header(f *Frame, r image.Rectangle, title string, pages []Page, cur int, size float64) {
	fill(f.Image, r, barColor)
	pad := int(math.Round(size * 0.7))
	mid := (r.Min.Y + r.Max.Y) / 2
	tr := text(f.Image, title, r.Min.X+pad, mid, size*1.05, barText, true, render.AlignLeft, render.VAlignMiddle)
	// Page tabs from the right: "1 overview  2 reconstruction …", the current one highlighted.
	x := r.Max.X - pad
	for i := len(pages) - 1; i >= 0; i-- {
		label := fmt.Sprintf("%d %s", i+1, pages[i].Name)
		col := barDim
		if i == cur {
			col = accentColor
		}
		w := render.MeasureText(label, render.TextOptions{Size: size, Bold: i == cur}).X
		if x-w < tr.Max.X+pad {
			break // no room left: the title wins
		}
		text(f.Image, label, x, mid, size, col, i == cur, render.AlignRight, render.VAlignMiddle)
		if i == cur {
			y := r.Max.Y - max(2, int(size/6))
			fill(f.Image, image.Rect(x-w, y, x, r.Max.Y), accentColor)
		}
		x -= w + pad
	}
}

func (c *Composer) status(f *Frame, r image.Rectangle, ch Chrome, size float64) {
	fill(f.Image, r, barColor)
	pad := int(math.Round(size * 0.7))
	mid := (r.Min.Y + r.Max.Y) / 2
	text(f.Image, ch.Status, r.Min.X+pad, mid, size, barText, false, render.AlignLeft, render.VAlignMiddle)
	right := ch.Hints
	if ch.Flash != "" {
		right = ch.Flash
	}
	x := r.Max.X - pad
	if right != "" {
		rr := text(f.Image, right, x, mid, size*0.95, barDim, false, render.AlignRight, render.VAlignMiddle)
		x = rr.Min.X - pad
	}
	if ch.State != "" {
		col := accentColor
		if ch.Warn {
			col = warnColor
		}
		text(f.Image, ch.State, x, mid, size, col, true, render.AlignRight, render.VAlignMiddle)
	}
}

// StatusText describes a state in the status line: step, loss, the headline metric and the
// speed, and the run's condition (training, paused, finished, …) with whether to warn.
func StatusText(s *live.State, itPerSec float64) (status, state string, warn bool) {
	var parts []string
	if s.Source == live.SourceNone {
		return "no data yet", "waiting", false
	}
	parts = append(parts, fmt.Sprintf("step %s", groupDigits(s.Step)))
	if !math.IsNaN(s.Loss) {
		parts = append(parts, fmt.Sprintf("loss %.3e", s.Loss))
	}
	if v, ok := s.Metrics["psnr"]; ok {
		parts = append(parts, fmt.Sprintf("PSNR %.2f dB", v))
	}
	if v, ok := s.Metrics["rel_l2"]; ok {
		parts = append(parts, fmt.Sprintf("rel. L2 %.2e", v))
	}
	if s.Phase != "" && s.Signal == "pde" {
		parts = append(parts, s.Phase)
	}
	if itPerSec > 0 && !s.Done && !s.Paused {
		parts = append(parts, fmt.Sprintf("%.1f it/s", itPerSec))
	}
	switch {
	case s.Stale:
		state, warn = "writer gone", true
	case s.Source == live.SourceFinal:
		state = "finished (saved run)"
	case s.Done:
		state = "finished"
	case s.Paused:
		state, warn = "PAUSED", true
	default:
		state = "training"
	}
	return strings.Join(parts, "  ·  "), state, warn
}

// groupDigits writes n with thin groups of three digits (12 345).
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	if n < 0 || len(s) <= 4 {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteRune(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Speed estimates steps per second from the history's last seconds of training time.
func Speed(h *live.History) float64 {
	n := h.Len()
	if n < 2 {
		return 0
	}
	last := h.Seconds[n-1]
	i := n - 1
	for i > 0 && last-h.Seconds[i-1] < 2 {
		i--
	}
	if i == n-1 {
		i = n - 2
	}
	dt := last - h.Seconds[i]
	if !(dt > 0) {
		return 0
	}
	return (h.Step[n-1] - h.Step[i]) / dt
}
