package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts are embedded in x/image and parsed once at init; a parsed sfnt.Font is read-only
// and safe to share, unlike the faces made from it, which every drawing call makes for itself.
var (
	regularFont = mustParseFont(goregular.TTF)
	boldFont    = mustParseFont(gobold.TTF)
)

func mustParseFont(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic("render: embedded Go font does not parse: " + err.Error())
	}
	return f
}

// DefaultTextSize is the text size in pixels used when an option leaves it at zero and the
// picture has no size of its own to derive one from.
const DefaultTextSize = 13

// Align places text horizontally relative to the anchor point.
type Align int

// Horizontal alignments.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// VAlign places text vertically relative to the anchor point.
type VAlign int

// Vertical alignments: Top puts the font's ascent at y, Middle centres the ascent–descent box on
// y, Baseline puts the baseline on y, Bottom puts the descent on y.
const (
	VAlignTop VAlign = iota
	VAlignMiddle
	VAlignBaseline
	VAlignBottom
)

// TextOptions describe how DrawText renders a single line of text.
type TextOptions struct {
	Size   float64     // pixel size (em height); 0 means DefaultTextSize
	Color  color.Color // nil means the near-black used for all labels
	Bold   bool
	HAlign Align
	VAlign VAlign
}

var textColor = color.RGBA{25, 25, 25, 255}

// faceKey identifies a face within one drawing call.
type faceKey struct {
	size float64
	bold bool
}

// faces caches font faces for one drawing call. opentype faces carry scratch buffers, so a face
// must not be shared between goroutines; a per-call cache keeps concurrent renders independent.
type faces map[faceKey]font.Face

func (fs faces) get(size float64, bold bool) font.Face {
	size = math.Max(size, 4)
	k := faceKey{size, bold}
	if f, ok := fs[k]; ok {
		return f
	}
	fnt := regularFont
	if bold {
		fnt = boldFont
	}
	// Full hinting rounds advances to whole pixels, which keeps small labels crisp.
	f, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		panic("render: opentype.NewFace: " + err.Error()) // only fails for a nil font
	}
	fs[k] = f
	return f
}

// textBox is the measured extent of a line of text: its advance width and the font's ascent and
// descent (per face, not per string, so that labels on one axis share a baseline).
type textBox struct {
	w, ascent, descent int
}

func (b textBox) h() int { return b.ascent + b.descent }

func measure(f font.Face, s string) textBox {
	m := f.Metrics()
	return textBox{
		w:       font.MeasureString(f, s).Ceil(),
		ascent:  m.Ascent.Ceil(),
		descent: m.Descent.Ceil(),
	}
}

// origin converts an anchor and alignment into the baseline start of the text.
func origin(b textBox, x, y int, ha Align, va VAlign) (int, int) {
	switch ha {
	case AlignCenter:
		x -= b.w / 2
	case AlignRight:
		x -= b.w
	}
	switch va {
	case VAlignTop:
		y += b.ascent
	case VAlignMiddle:
		y += b.ascent - b.h()/2
	case VAlignBottom:
		y -= b.descent
	}
	return x, y
}

// drawString draws s with its anchor at (x, y) and returns the rectangle it occupies.
func drawString(dst draw.Image, f font.Face, s string, x, y int, col color.Color, ha Align, va VAlign) image.Rectangle {
	b := measure(f, s)
	ox, oy := origin(b, x, y, ha, va)
	d := font.Drawer{Dst: dst, Src: image.NewUniform(col), Face: f, Dot: fixed.P(ox, oy)}
	d.DrawString(s)
	return image.Rect(ox, oy-b.ascent, ox+b.w, oy+b.descent)
}

// drawStringUp draws s rotated a quarter turn counter-clockwise (reading bottom to top, as y-axis
// labels do), centred on (cx, cy). It renders into a small mask and copies it transposed.
func drawStringUp(dst draw.Image, f font.Face, s string, cx, cy int, col color.Color) image.Rectangle {
	b := measure(f, s)
	if b.w == 0 {
		return image.Rectangle{}
	}
	mask := image.NewAlpha(image.Rect(0, 0, b.w, b.h()))
	d := font.Drawer{Dst: mask, Src: image.Opaque, Face: f, Dot: fixed.P(0, b.ascent)}
	d.DrawString(s)
	rot := image.NewAlpha(image.Rect(0, 0, b.h(), b.w))
	for y := 0; y < b.h(); y++ {
		for x := 0; x < b.w; x++ {
			// (x, y) in the text goes to (y, w-1-x): the text's left end ends up at the bottom.
			rot.Pix[(b.w-1-x)*rot.Stride+y] = mask.Pix[y*mask.Stride+x]
		}
	}
	r := image.Rect(0, 0, b.h(), b.w).Add(image.Pt(cx-b.h()/2, cy-b.w/2))
	draw.DrawMask(dst, r, image.NewUniform(col), image.Point{}, rot, image.Point{}, draw.Over)
	return r
}

// DrawText draws one line of text on dst with its anchor at (x, y), using the Go font, and returns
// the rectangle the text occupies.
func DrawText(dst draw.Image, s string, x, y int, opt TextOptions) image.Rectangle {
	size := opt.Size
	if size <= 0 {
		size = DefaultTextSize
	}
	col := opt.Color
	if col == nil {
		col = textColor
	}
	fs := faces{}
	return drawString(dst, fs.get(size, opt.Bold), s, x, y, col, opt.HAlign, opt.VAlign)
}

// MeasureText returns the width and line height in pixels that DrawText would use for s.
func MeasureText(s string, opt TextOptions) image.Point {
	size := opt.Size
	if size <= 0 {
		size = DefaultTextSize
	}
	b := measure(faces{}.get(size, opt.Bold), s)
	return image.Pt(b.w, b.h())
}
