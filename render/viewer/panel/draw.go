package panel

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/inrstudio/studio/render"
)

// The viewer's colours: white panels on a light grey ground, dark title and status bars.
var (
	groundColor = color.RGBA{232, 234, 238, 255}
	panelColor  = color.RGBA{255, 255, 255, 255}
	barColor    = color.RGBA{36, 41, 51, 255}
	barText     = color.RGBA{236, 239, 244, 255}
	barDim      = color.RGBA{150, 158, 172, 255}
	accentColor = color.RGBA{255, 176, 59, 255}
	warnColor   = color.RGBA{235, 87, 87, 255}
	textColor   = color.RGBA{25, 25, 25, 255}
	noteColor   = color.RGBA{110, 110, 110, 255}
	markColor   = color.RGBA{214, 39, 40, 255}
)

func fill(dst *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// canvas returns a w×h white picture.
func canvas(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, max(w, 1), max(h, 1)))
	fill(img, img.Rect, panelColor)
	return img
}

// text draws one line and returns its rectangle.
func text(dst draw.Image, s string, x, y int, size float64, col color.Color, bold bool, h render.Align, v render.VAlign) image.Rectangle {
	return render.DrawText(dst, s, x, y, render.TextOptions{Size: size, Color: col, Bold: bold, HAlign: h, VAlign: v})
}

// titled draws a panel title at the top of dst and returns the area left below it.
func titled(dst *image.RGBA, title string, size float64) image.Rectangle {
	pad := int(math.Round(size * 0.5))
	r := text(dst, title, dst.Rect.Dx()/2, pad, math.Round(size*1.15), textColor, true, render.AlignCenter, render.VAlignTop)
	return image.Rect(pad, r.Max.Y+pad/2, dst.Rect.Dx()-pad, dst.Rect.Dy()-pad)
}

// footnote draws a note at the bottom of area and returns the area left above it.
func footnote(dst *image.RGBA, area image.Rectangle, note string, size float64) image.Rectangle {
	if note == "" {
		return area
	}
	s := math.Round(size * 0.9)
	h := render.MeasureText(note, render.TextOptions{Size: s}).Y
	text(dst, note, (area.Min.X+area.Max.X)/2, area.Max.Y, s, noteColor, false, render.AlignCenter, render.VAlignBottom)
	return image.Rect(area.Min.X, area.Min.Y, area.Max.X, area.Max.Y-h-int(size/3))
}

// fitRect returns the largest rectangle of aspect w:h centred in area.
func fitRect(area image.Rectangle, w, h int) image.Rectangle {
	if w <= 0 || h <= 0 || area.Empty() {
		return image.Rectangle{}
	}
	s := math.Min(float64(area.Dx())/float64(w), float64(area.Dy())/float64(h))
	dw, dh := max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	x0 := area.Min.X + (area.Dx()-dw)/2
	y0 := area.Min.Y + (area.Dy()-dh)/2
	return image.Rect(x0, y0, x0+dw, y0+dh)
}

// ScaleFilter is how the viewer scales a picture of pixels into a panel: nearest neighbour when
// enlarging (a pixel stays a crisp block: nothing is invented), Catmull–Rom when shrinking.
func ScaleFilter(src, dst image.Point) render.Interp {
	if dst.X >= src.X && dst.Y >= src.Y {
		return render.Nearest
	}
	return render.CatmullRom
}

// drawScaled draws src into r of dst, scaled with ScaleFilter.
func drawScaled(dst *image.RGBA, r image.Rectangle, src image.Image) error {
	b := src.Bounds()
	if b.Dx() == r.Dx() && b.Dy() == r.Dy() {
		draw.Draw(dst, r, src, b.Min, draw.Src)
		return nil
	}
	img, err := render.Resize(src, r.Dx(), r.Dy(), ScaleFilter(b.Size(), r.Size()))
	if err != nil {
		return err
	}
	draw.Draw(dst, r, img, image.Point{}, draw.Src)
	return nil
}

// frameRect draws a one-pixel frame just outside r.
func frameRect(dst *image.RGBA, r image.Rectangle, c color.Color) {
	r = r.Inset(-1)
	fill(dst, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), c)
	fill(dst, image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c)
	fill(dst, image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), c)
	fill(dst, image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y), c)
}

// message is a panel that only says something (waiting for data, an error).
type message struct{ text string }

func (m message) ID() string         { return "message" }
func (m message) Key(c *Context) any { return m.text }
func (m message) Draw(c *Context, w, h int) (*Picture, error) {
	img := canvas(w, h)
	text(img, m.text, w/2, h/2, c.TextSize*1.2, noteColor, false, render.AlignCenter, render.VAlignMiddle)
	return &Picture{Image: img}, nil
}

// placeholder draws a titled panel with a note in the middle (no data yet).
func placeholder(c *Context, w, h int, title, note string) *Picture {
	img := canvas(w, h)
	area := titled(img, title, c.TextSize)
	text(img, note, (area.Min.X+area.Max.X)/2, (area.Min.Y+area.Max.Y)/2, c.TextSize, noteColor, false, render.AlignCenter, render.VAlignMiddle)
	return &Picture{Image: img}
}

// color8 is an opaque grey.
func color8(v uint8) color.RGBA { return color.RGBA{v, v, v, 255} }

// fillCircle paints a disc of radius r centred on (cx, cy), its edge anti-aliased.
func fillCircle(dst *image.RGBA, cx, cy, r int, c color.RGBA) {
	for y := cy - r - 1; y <= cy+r+1; y++ {
		for x := cx - r - 1; x <= cx+r+1; x++ {
			if !(image.Point{x, y}.In(dst.Rect)) {
				continue
			}
			d := math.Hypot(float64(x-cx), float64(y-cy))
			a := math.Min(1, math.Max(0, float64(r)+0.5-d))
			if a <= 0 {
				continue
			}
			o := dst.PixOffset(x, y)
			p := dst.Pix[o : o+4 : o+4]
			p[0] = uint8(float64(c.R)*a + float64(p[0])*(1-a) + 0.5)
			p[1] = uint8(float64(c.G)*a + float64(p[1])*(1-a) + 0.5)
			p[2] = uint8(float64(c.B)*a + float64(p[2])*(1-a) + 0.5)
			p[3] = 255
		}
	}
}
