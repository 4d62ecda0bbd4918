package render

import (
	"image"
	"image/color"
	"math"
)

// drawSeries strokes one series inside rect and returns the points it drew (after thinning), which
// the legend uses to find an empty corner.
func (c *canvas) drawSeries(s Series, col color.RGBA, ax, ay axis, rect image.Rectangle, defWidth float64) []pt {
	width := s.Width
	if width == 0 {
		width = defWidth
	}
	runs := seriesRuns(s, ax, ay)
	c.beginPath(rect)
	var drawn []pt
	for _, run := range runs {
		thin := thinRun(run)
		drawn = append(drawn, thin...)
		if width > 0 {
			c.strokeRun(thin, width/2, s.Dashed, rect)
		}
	}
	if s.Marker != MarkerNone {
		r := s.MarkerSize
		if r <= 0 {
			r = math.Max(2.5, 1.6*math.Max(width, 1))
		}
		in := image.Rectangle{Min: rect.Min.Sub(image.Pt(int(r)+1, int(r)+1)), Max: rect.Max.Add(image.Pt(int(r)+1, int(r)+1))}
		for _, run := range runs {
			for _, p := range run {
				if !(image.Pt(int(p.x), int(p.y)).In(in)) {
					continue
				}
				if s.Marker == MarkerSquare {
					c.square(p, r*0.85)
				} else {
					c.disc(p, r)
				}
			}
		}
	}
	c.fillPath(col)
	return drawn
}

// seriesRuns converts a series to pixel coordinates, split into runs wherever a point cannot be
// shown (non-finite, or ≤ 0 on a log axis), so the line breaks there instead of jumping over it.
func seriesRuns(s Series, ax, ay axis) [][]pt {
	px, py := ax.mapper(), ay.mapper()
	var runs [][]pt
	var cur []pt
	for j, y := range s.Y {
		x := float64(j)
		if s.X != nil {
			x = s.X[j]
		}
		ok := !math.IsNaN(x) && !math.IsInf(x, 0) && !math.IsNaN(y) && !math.IsInf(y, 0) &&
			!(ax.log && x <= 0) && !(ay.log && y <= 0)
		if !ok {
			if len(cur) > 0 {
				runs = append(runs, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, pt{px(x), py(y)})
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// thinRun reduces a dense polyline to at most four points per pixel column (the first, the lowest,
// the highest and the last of each run of points falling in one column, in their original order).
// The drawn curve is the same to the pixel, and 10⁵ points cost no more to stroke than the plot
// is wide.
func thinRun(p []pt) []pt {
	if len(p) <= 4 {
		return p
	}
	out := make([]pt, 0, min(len(p), 4096))
	for i := 0; i < len(p); {
		col := math.Floor(p[i].x)
		lo, hi, j := i, i, i
		for j+1 < len(p) && math.Floor(p[j+1].x) == col {
			j++
			if p[j].y < p[lo].y {
				lo = j
			}
			if p[j].y > p[hi].y {
				hi = j
			}
		}
		a, b := min(lo, hi), max(lo, hi)
		last := -1
		for _, k := range [4]int{i, a, b, j} {
			if k != last {
				out = append(out, p[k])
				last = k
			}
		}
		i = j + 1
	}
	return out
}

// strokeRun adds a polyline of half-width hw to the path: one quad per segment, clipped to a
// margin around rect, round joins where the line turns sharply, and dashes if asked.
func (c *canvas) strokeRun(p []pt, hw float64, dashed bool, rect image.Rectangle) {
	m := hw + 2
	xmin, ymin := float64(rect.Min.X)-m, float64(rect.Min.Y)-m
	xmax, ymax := float64(rect.Max.X)+m, float64(rect.Max.Y)+m
	if len(p) == 1 {
		if p[0].x >= xmin && p[0].x <= xmax && p[0].y >= ymin && p[0].y <= ymax {
			c.disc(p[0], hw)
		}
		return
	}
	on, off := math.Max(4, 7.4*hw), math.Max(2.5, 3.2*hw)
	phase := 0.0 // distance travelled in the current dash cycle
	for i := 0; i+1 < len(p); i++ {
		a, b, ok := clipSegment(p[i], p[i+1], xmin, ymin, xmax, ymax)
		if !ok {
			continue
		}
		if !dashed {
			c.segment(a, b, hw)
			if i+2 < len(p) && p[i+1] == b {
				c.bevel(p[i], b, p[i+2], hw)
			}
			continue
		}
		l := math.Hypot(b.x-a.x, b.y-a.y)
		for t := 0.0; t < l; {
			var step float64
			if phase < on {
				step = math.Min(on-phase, l-t)
				f0, f1 := t/l, (t+step)/l
				c.segment(pt{a.x + f0*(b.x-a.x), a.y + f0*(b.y-a.y)}, pt{a.x + f1*(b.x-a.x), a.y + f1*(b.y-a.y)}, hw)
			} else {
				step = math.Min(on+off-phase, l-t)
			}
			t += step
			phase = math.Mod(phase+step, on+off)
		}
	}
}

// bevel fills the wedge left open on the outer side of a turn at b between the quads of a–b and
// b–c (a bevel join): one triangle, far cheaper than a round join and indistinguishable from it
// at plot line widths. Turns of less than about 25° leave no visible gap and get nothing.
func (c *canvas) bevel(a, b, d pt, hw float64) {
	ux, uy := b.x-a.x, b.y-a.y
	vx, vy := d.x-b.x, d.y-b.y
	lu, lv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	if lu == 0 || lv == 0 || (ux*vx+uy*vy) > 0.9*lu*lv {
		return
	}
	// The outer side is opposite to the direction of the turn.
	s := hw
	if ux*vy-uy*vx > 0 {
		s = -hw
	}
	c.polygon([]pt{b, {b.x - uy/lu*s, b.y + ux/lu*s}, {b.x - vy/lv*s, b.y + vx/lv*s}})
}
