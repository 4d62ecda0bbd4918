package render

import "image"

// Placement says where a picture put its plot area and how data maps onto it, so a caller can
// draw over the picture in data coordinates (the viewer's time marker and slider) or find the
// curves in it (the viewer's tests).
type Placement struct {
	Plot image.Rectangle // the data area, inside the frame
	Bar  image.Rectangle // a heatmap's colour bar (empty for line plots)
	x, y axis
}

// Pixel returns the pixel position of the data point (x, y); a value a log axis cannot show
// maps to ±Inf.
func (p Placement) Pixel(x, y float64) (px, py float64) { return p.x.pix(x), p.y.pix(y) }

// XRange and YRange are the data ranges the axes show.
func (p Placement) XRange() (lo, hi float64) { return p.x.lo, p.x.hi }

// YRange is the data range of the y axis.
func (p Placement) YRange() (lo, hi float64) { return p.y.lo, p.y.hi }

// HeatmapPlaced is Heatmap that also returns the placement of the plot area in domain
// coordinates, on the axes the heatmap draws (x grows to the right, y upwards).
func HeatmapPlaced(f Field, opt HeatmapOptions) (*image.RGBA, Placement, error) {
	img, parts, err := heatmap(f, opt)
	if err != nil {
		return nil, Placement{}, err
	}
	r := parts.plot
	x := axis{lo: min(f.X0, f.X1), hi: max(f.X0, f.X1), p0: float64(r.Min.X), p1: float64(r.Max.X)}
	y := axis{lo: min(f.Y0, f.Y1), hi: max(f.Y0, f.Y1), p0: float64(r.Max.Y), p1: float64(r.Min.Y)}
	return img, Placement{Plot: r, Bar: parts.bar, x: x, y: y}, nil
}

// LinePlotPlaced is LinePlot that also returns the placement of the plot area.
func LinePlotPlaced(series []Series, opt PlotOptions) (*image.RGBA, Placement, error) {
	img, parts, err := linePlot(series, opt)
	if err != nil {
		return nil, Placement{}, err
	}
	return img, Placement{Plot: parts.rect, x: parts.x, y: parts.y}, nil
}
