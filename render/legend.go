package render

import (
	"image"
	"image/color"
	"math"
)

// legend draws the legend box for the named series; drawn holds each series' plotted points so
// that LegendAuto can choose the corner the data leaves most empty.
func (c *canvas) legend(series []Series, pos LegendPos, rect image.Rectangle, st axisStyle, lineW float64, drawn [][]pt) {
	if pos == LegendNone {
		return
	}
	var idx []int
	nameW := 0
	for i, s := range series {
		if s.Name != "" {
			idx = append(idx, i)
			nameW = max(nameW, c.measure(s.Name, st.tickText, false).w)
		}
	}
	if len(idx) == 0 {
		return
	}
	rowH := int(math.Round(float64(c.measure("0", st.tickText, false).h()) * 1.2))
	sample := int(math.Round(2.2 * st.text))
	pad := st.pad
	bw := pad + sample + pad + nameW + pad
	bh := pad + rowH*len(idx) + pad
	inset := st.pad + 2
	corner := func(p LegendPos) image.Rectangle {
		switch p {
		case LegendTopLeft:
			return image.Rect(rect.Min.X+inset, rect.Min.Y+inset, rect.Min.X+inset+bw, rect.Min.Y+inset+bh)
		case LegendBottomLeft:
			return image.Rect(rect.Min.X+inset, rect.Max.Y-inset-bh, rect.Min.X+inset+bw, rect.Max.Y-inset)
		case LegendBottomRight:
			return image.Rect(rect.Max.X-inset-bw, rect.Max.Y-inset-bh, rect.Max.X-inset, rect.Max.Y-inset)
		}
		return image.Rect(rect.Max.X-inset-bw, rect.Min.Y+inset, rect.Max.X-inset, rect.Min.Y+inset+bh)
	}
	if pos == LegendAuto {
		pos = bestCorner(corner, drawn)
	}
	box := corner(pos)
	for y := box.Min.Y; y < box.Max.Y; y++ {
		for x := box.Min.X; x < box.Max.X; x++ {
			c.blend(x, y, legendFill, uint32(legendFill.A))
		}
	}
	c.frame(box, legendEdge)
	for row, i := range idx {
		s := series[i]
		col := s.Color
		if col == (color.RGBA{}) {
			col = PaletteColor(i)
		}
		// On a pixel centre, so that the thin horizontal sample line stays crisp.
		cy := float64(box.Min.Y+pad+row*rowH+rowH/2) + 0.5
		x0 := float64(box.Min.X + pad)
		x1 := x0 + float64(sample)
		w := s.Width
		if w == 0 {
			w = lineW
		}
		c.beginPath(box)
		if w > 0 {
			c.strokeRun([]pt{{x0, cy}, {x1, cy}}, w/2, s.Dashed, box)
		}
		if s.Marker != MarkerNone {
			r := s.MarkerSize
			if r <= 0 {
				r = math.Max(2.5, 1.6*math.Max(w, 1))
			}
			if s.Marker == MarkerSquare {
				c.square(pt{(x0 + x1) / 2, cy}, r*0.85)
			} else {
				c.disc(pt{(x0 + x1) / 2, cy}, r)
			}
		}
		c.fillPath(col)
		c.text(s.Name, st.tickText, false, int(x1)+pad, int(cy), textColor, AlignLeft, VAlignMiddle)
	}
}

// bestCorner returns the corner whose box covers the fewest sample points of the drawn curves,
// preferring top right, top left, bottom left, bottom right on ties (matplotlib's order).
func bestCorner(corner func(LegendPos) image.Rectangle, drawn [][]pt) LegendPos {
	order := [...]LegendPos{LegendTopRight, LegendTopLeft, LegendBottomLeft, LegendBottomRight}
	var boxes [4]image.Rectangle
	for i, p := range order {
		boxes[i] = corner(p).Inset(-2)
	}
	var hits [4]int
	count := func(x, y float64) {
		q := image.Pt(int(x), int(y))
		for i, b := range boxes {
			if q.In(b) {
				hits[i]++
			}
		}
	}
	for _, run := range drawn {
		for k, p := range run {
			count(p.x, p.y)
			if k+1 < len(run) { // sample long segments too, so a sparse line still counts
				q := run[k+1]
				n := int(math.Min(math.Hypot(q.x-p.x, q.y-p.y)/4, 4096))
				for j := 1; j < n; j++ {
					f := float64(j) / float64(n)
					count(p.x+f*(q.x-p.x), p.y+f*(q.y-p.y))
				}
			}
		}
	}
	best := 0
	for i := range hits {
		if hits[i] < hits[best] {
			best = i
		}
	}
	return order[best]
}
