package panel

import (
	"image"
	"image/color"
)

// CurveRows finds a curve of colour col in region r of img: for every column holding pixels
// within a small distance of the colour (anti-aliasing blends the edges), the mean row of those
// pixels. Tests use it to check that a drawn loss curve falls.
func CurveRows(img *image.RGBA, r image.Rectangle, col color.Color) map[int]float64 {
	cr, cg, cb, _ := col.RGBA()
	want := [3]int{int(cr >> 8), int(cg >> 8), int(cb >> 8)}
	out := map[int]float64{}
	r = r.Intersect(img.Rect)
	for x := r.Min.X; x < r.Max.X; x++ {
		var sum, n int
		for y := r.Min.Y; y < r.Max.Y; y++ {
			p := img.RGBAAt(x, y)
			d := abs(int(p.R)-want[0]) + abs(int(p.G)-want[1]) + abs(int(p.B)-want[2])
			if d <= 24 {
				sum += y
				n++
			}
		}
		if n > 0 {
			out[x] = float64(sum) / float64(n)
		}
	}
	return out
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
