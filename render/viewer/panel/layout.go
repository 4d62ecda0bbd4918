package panel

import (
	"image"
	"math"
)

// TextSizeFor is the base text size for a window: legible on a laptop screen and growing with
// the window, between 12 and 22 pixels.
func TextSizeFor(size image.Point) float64 {
	return math.Max(12, math.Min(22, math.Round(math.Min(float64(size.X)/80, float64(size.Y)/48))))
}

// Layout is where the parts of a frame go.
type Layout struct {
	Header image.Rectangle   // the title bar
	Cells  []image.Rectangle // one per panel of the page
	Status image.Rectangle   // the status line
}

// LayoutFor places a header, n panel cells and a status line in a frame of the given size. The
// cells form the grid of at most two rows whose cells are closest to square: one panel fills the
// body; two sit side by side on a wide frame and one above the other on a tall one; three and
// four take a 2×2 grid unless the frame is very wide.
func LayoutFor(size image.Point, n int, text float64) Layout {
	bar := int(math.Round(text * 2))
	gap := max(2, int(math.Round(text/3)))
	l := Layout{
		Header: image.Rect(0, 0, size.X, bar),
		Status: image.Rect(0, max(bar, size.Y-bar), size.X, size.Y),
	}
	body := image.Rect(0, l.Header.Max.Y, size.X, l.Status.Min.Y)
	if n <= 0 || body.Dx() <= 2*gap || body.Dy() <= 2*gap {
		return l
	}
	cols, rows := gridShape(body.Dx(), body.Dy(), n)
	cw := (body.Dx() - gap*(cols+1)) / cols
	ch := (body.Dy() - gap*(rows+1)) / rows
	for i := range n {
		c, r := i%cols, i/cols
		x0 := body.Min.X + gap + c*(cw+gap)
		y0 := body.Min.Y + gap + r*(ch+gap)
		l.Cells = append(l.Cells, image.Rect(x0, y0, x0+max(cw, 1), y0+max(ch, 1)))
	}
	return l
}

// gridShape picks columns and rows for n cells in a w×h body: the arrangement that gives each
// panel the largest data area, a plot with a colour bar being about 1.2 times as wide as tall
// (so the score is the smaller of the cell's width and 1.2 times its height). At most two rows
// unless the panels stand in one column.
func gridShape(w, h, n int) (cols, rows int) {
	best := -1.0
	for c := 1; c <= n; c++ {
		r := (n + c - 1) / c
		if r > 2 && c > 1 {
			continue
		}
		score := math.Min(float64(w)/float64(c), 1.2*float64(h)/float64(r))
		if score > best*1.001 { // ties go to fewer columns
			best, cols, rows = score, c, r
		}
	}
	return cols, rows
}
