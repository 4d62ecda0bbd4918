package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// canvas is the drawing surface shared by the plots: an RGBA image, the faces of one call, and a
// rasterizer plus mask reused for every anti-aliased path.
type canvas struct {
	img  *image.RGBA
	fs   faces
	rast vector.Rasterizer
	mask *image.Alpha
	clip image.Rectangle // the region the current path is rasterized in
}

func newCanvas(w, h int, bg color.RGBA) *canvas {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), fs: faces{}}
	c.fill(c.img.Rect, bg)
	return c
}

// fill paints r (clipped to the image) with an opaque colour.
func (c *canvas) fill(r image.Rectangle, col color.RGBA) {
	r = r.Intersect(c.img.Rect)
	if r.Empty() {
		return
	}
	row := c.img.Pix[c.img.PixOffset(r.Min.X, r.Min.Y) : c.img.PixOffset(r.Max.X-1, r.Min.Y)+4]
	for i := 0; i < len(row); i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = col.R, col.G, col.B, col.A
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		copy(c.img.Pix[c.img.PixOffset(r.Min.X, y):], row)
	}
}

// blend composites the opaque colour col with coverage a ∈ [0, 255] over the pixel at (x, y).
func (c *canvas) blend(x, y int, col color.RGBA, a uint32) {
	if !(image.Point{x, y}.In(c.img.Rect)) || a == 0 {
		return
	}
	i := c.img.PixOffset(x, y)
	p := c.img.Pix[i : i+4 : i+4]
	if a >= 255 {
		p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
		return
	}
	inv := 255 - a
	p[0] = uint8((uint32(col.R)*a + uint32(p[0])*inv + 127) / 255)
	p[1] = uint8((uint32(col.G)*a + uint32(p[1])*inv + 127) / 255)
	p[2] = uint8((uint32(col.B)*a + uint32(p[2])*inv + 127) / 255)
	p[3] = uint8((255*a + uint32(p[3])*inv + 127) / 255)
}

// hline draws a crisp one-pixel horizontal line from x0 to x1 inclusive; col.A is its opacity.
func (c *canvas) hline(x0, x1, y int, col color.RGBA) {
	for x := min(x0, x1); x <= max(x0, x1); x++ {
		c.blend(x, y, col, uint32(col.A))
	}
}

// vline draws a crisp one-pixel vertical line from y0 to y1 inclusive; col.A is its opacity.
func (c *canvas) vline(x, y0, y1 int, col color.RGBA) {
	for y := min(y0, y1); y <= max(y0, y1); y++ {
		c.blend(x, y, col, uint32(col.A))
	}
}

// frame draws the one-pixel outline just inside r.
func (c *canvas) frame(r image.Rectangle, col color.RGBA) {
	c.hline(r.Min.X, r.Max.X-1, r.Min.Y, col)
	c.hline(r.Min.X, r.Max.X-1, r.Max.Y-1, col)
	c.vline(r.Min.X, r.Min.Y, r.Max.Y-1, col)
	c.vline(r.Max.X-1, r.Min.Y, r.Max.Y-1, col)
}

// text draws a label; see drawString.
func (c *canvas) text(s string, size float64, bold bool, x, y int, col color.Color, ha Align, va VAlign) image.Rectangle {
	return drawString(c.img, c.fs.get(size, bold), s, x, y, col, ha, va)
}

// textUp draws a label rotated to read bottom to top, centred on (cx, cy).
func (c *canvas) textUp(s string, size float64, cx, cy int, col color.Color) image.Rectangle {
	return drawStringUp(c.img, c.fs.get(size, false), s, cx, cy, col)
}

// measure returns the extent of a label at the given size.
func (c *canvas) measure(s string, size float64, bold bool) textBox {
	return measure(c.fs.get(size, bold), s)
}

// pt is a point in canvas pixel coordinates (y down, pixel centres at +0.5).
type pt struct{ x, y float64 }

// beginPath starts an anti-aliased path that will be rasterized inside clip only.
func (c *canvas) beginPath(clip image.Rectangle) {
	c.clip = clip.Intersect(c.img.Rect)
	c.rast.Reset(c.clip.Dx(), c.clip.Dy())
}

// polygon adds a closed polygon to the path. Every polygon is added with the same orientation:
// the rasterizer sums signed coverage, so overlapping pieces of one stroke (segment quads, joins,
// markers) merge instead of cancelling.
func (c *canvas) polygon(p []pt) {
	if len(p) < 3 {
		return
	}
	area := 0.0
	for i := range p {
		j := (i + 1) % len(p)
		area += p[i].x*p[j].y - p[j].x*p[i].y
	}
	ox, oy := float64(c.clip.Min.X), float64(c.clip.Min.Y)
	at := func(i int) (float32, float32) {
		if area > 0 {
			i = len(p) - 1 - i
		}
		return float32(p[i].x - ox), float32(p[i].y - oy)
	}
	c.rast.MoveTo(at(0))
	for i := 1; i < len(p); i++ {
		c.rast.LineTo(at(i))
	}
	c.rast.ClosePath()
}

// segment adds the quad covering a line of half-width hw from a to b.
func (c *canvas) segment(a, b pt, hw float64) {
	dx, dy := b.x-a.x, b.y-a.y
	l := math.Hypot(dx, dy)
	if l == 0 {
		return
	}
	nx, ny := -dy/l*hw, dx/l*hw
	c.polygon([]pt{{a.x + nx, a.y + ny}, {b.x + nx, b.y + ny}, {b.x - nx, b.y - ny}, {a.x - nx, a.y - ny}})
}

// disc adds a regular 16-gon of radius r around p (round joins and circle markers).
func (c *canvas) disc(p pt, r float64) {
	var q [16]pt
	for i := range q {
		s, co := math.Sincos(2 * math.Pi * float64(i) / float64(len(q)))
		q[i] = pt{p.x + r*co, p.y + r*s}
	}
	c.polygon(q[:])
}

// square adds an axis-aligned square of half-side r around p.
func (c *canvas) square(p pt, r float64) {
	c.polygon([]pt{{p.x - r, p.y - r}, {p.x + r, p.y - r}, {p.x + r, p.y + r}, {p.x - r, p.y + r}})
}

// fillPath rasterizes the path and composites col over the canvas with the path's coverage.
// The coverage goes to an Alpha mask first (the rasterizer's fastest path) and only covered
// pixels are blended, so a thin curve costs little more than its own pixels.
func (c *canvas) fillPath(col color.RGBA) {
	r := c.clip
	if r.Empty() {
		return
	}
	if c.mask == nil || c.mask.Rect.Dx() != r.Dx() || c.mask.Rect.Dy() != r.Dy() {
		c.mask = image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	}
	c.rast.DrawOp = draw.Src
	c.rast.Draw(c.mask, c.mask.Rect, image.Opaque, image.Point{})
	op := uint32(col.A)
	for y := 0; y < r.Dy(); y++ {
		row := c.mask.Pix[y*c.mask.Stride : y*c.mask.Stride+r.Dx()]
		for x, m := range row {
			if m != 0 {
				c.blend(r.Min.X+x, r.Min.Y+y, col, (uint32(m)*op+127)/255)
			}
		}
	}
}

// clipSegment clips the segment a–b to r (Liang–Barsky) and reports whether anything is left.
func clipSegment(a, b pt, xmin, ymin, xmax, ymax float64) (pt, pt, bool) {
	t0, t1 := 0.0, 1.0
	dx, dy := b.x-a.x, b.y-a.y
	for _, e := range [4][2]float64{{-dx, a.x - xmin}, {dx, xmax - a.x}, {-dy, a.y - ymin}, {dy, ymax - a.y}} {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return a, b, false
			}
			continue
		}
		t := q / p
		if p < 0 {
			if t > t1 {
				return a, b, false
			}
			t0 = math.Max(t0, t)
		} else {
			if t < t0 {
				return a, b, false
			}
			t1 = math.Min(t1, t)
		}
	}
	return pt{a.x + t0*dx, a.y + t0*dy}, pt{a.x + t1*dx, a.y + t1*dy}, true
}
