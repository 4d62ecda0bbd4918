package render

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
)

// Interp selects the resampling filter of Resize.
type Interp int

// Filters: Nearest keeps pixels exact (integer zoom of a reconstruction), Bilinear is fast and
// smooth, CatmullRom is the sharpest for down-sampling.
const (
	Nearest Interp = iota
	Bilinear
	CatmullRom
)

// Resize returns src scaled to w×h pixels with the given filter.
func Resize(src image.Image, w, h int, m Interp) (*image.RGBA, error) {
	if w <= 0 || h <= 0 || w > 1<<15 || h > 1<<15 {
		return nil, fmt.Errorf("resize: target size %d×%d outside 1 … 32768", w, h)
	}
	if src.Bounds().Empty() {
		return nil, fmt.Errorf("resize: source image is empty")
	}
	var s xdraw.Scaler
	switch m {
	case Nearest:
		s = xdraw.NearestNeighbor
	case Bilinear:
		s = xdraw.BiLinear
	case CatmullRom:
		s = xdraw.CatmullRom
	default:
		return nil, fmt.Errorf("resize: unknown filter %d", m)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	s.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return dst, nil
}

// Zoom enlarges src by an integer factor with nearest-neighbour sampling, so every source pixel
// becomes a k×k block: the way to show a small reconstruction without inventing detail.
func Zoom(src image.Image, k int) (*image.RGBA, error) {
	if k < 1 {
		return nil, fmt.Errorf("zoom: factor %d < 1", k)
	}
	b := src.Bounds()
	return Resize(src, b.Dx()*k, b.Dy()*k, Nearest)
}

// Panel is one picture of a Grid with the title written above it.
type Panel struct {
	Title string
	Image image.Image
}

// GridOptions lay out a Grid.
type GridOptions struct {
	Cols       int         // panels per row; 0 puts all panels in one row
	Gap        int         // pixels between and around panels; 0 derives it from the text size
	TextSize   float64     // title size in pixels; 0 means DefaultTextSize
	Title      string      // optional heading over the whole grid
	Background color.Color // nil means white
}

// Grid places the panels row by row in equal cells (as large as the largest panel), each image
// centred in its cell under its title, as the viewer shows target, reconstruction and error side
// by side.
func Grid(panels []Panel, opt GridOptions) (*image.RGBA, error) {
	if len(panels) == 0 {
		return nil, fmt.Errorf("grid: no panels")
	}
	cols := opt.Cols
	if cols <= 0 || cols > len(panels) {
		cols = len(panels)
	}
	rows := (len(panels) + cols - 1) / cols
	size := opt.TextSize
	if size <= 0 {
		size = DefaultTextSize
	}
	gap := opt.Gap
	if gap <= 0 {
		gap = int(math.Round(size * 0.8))
	}
	fs := faces{}
	face := fs.get(size, true)
	cellW, cellH, titleH := 0, 0, 0
	for i, p := range panels {
		if p.Image == nil {
			return nil, fmt.Errorf("grid: panel %d (%q) has no image", i, p.Title)
		}
		b := p.Image.Bounds()
		cellW, cellH = max(cellW, b.Dx()), max(cellH, b.Dy())
		if p.Title != "" {
			tb := measure(face, p.Title)
			cellW = max(cellW, tb.w)
			titleH = tb.h() + gap/2
		}
	}
	headH := 0
	if opt.Title != "" {
		headH = measure(fs.get(math.Round(size*1.2), true), opt.Title).h() + gap/2
	}
	w := gap + cols*(cellW+gap)
	h := gap + headH + rows*(titleH+cellH+gap)
	if w > 1<<15 || h > 1<<15 {
		return nil, fmt.Errorf("grid: result %d×%d too large", w, h)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	var bg color.Color = bgColor
	if opt.Background != nil {
		bg = opt.Background
	}
	draw.Draw(dst, dst.Rect, image.NewUniform(bg), image.Point{}, draw.Src)
	if opt.Title != "" {
		drawString(dst, fs.get(math.Round(size*1.2), true), opt.Title, w/2, gap, textColor, AlignCenter, VAlignTop)
	}
	for i, p := range panels {
		x0 := gap + (i%cols)*(cellW+gap)
		y0 := gap + headH + (i/cols)*(titleH+cellH+gap)
		if p.Title != "" {
			drawString(dst, face, p.Title, x0+cellW/2, y0, textColor, AlignCenter, VAlignTop)
		}
		b := p.Image.Bounds()
		at := image.Pt(x0+(cellW-b.Dx())/2, y0+titleH+(cellH-b.Dy())/2)
		draw.Draw(dst, b.Sub(b.Min).Add(at), p.Image, b.Min, draw.Over)
	}
	return dst, nil
}
