package pinn

import (
	"math"

	"github.com/inrstudio/studio/inr"
)

// view chooses the plane of the picture grid that pictures show: x against y for spatial
// problems (3-D: the middle z slice), t (horizontal) against x for one space dimension in time,
// the last time for several space dimensions in time; a 1-D problem is a line (v = −1).
type view struct {
	axes    [][]float64
	h, v    int
	fixed   []int // grid index of every axis that is neither h nor v
	strides []int
}

func newView(p *Problem, axes [][]float64) *view {
	d := len(axes)
	vw := &view{axes: axes, h: 0, v: 1, fixed: make([]int, d), strides: make([]int, d)}
	stride := 1
	for k, a := range axes {
		vw.strides[k] = stride
		stride *= len(a)
		vw.fixed[k] = len(a) / 2
	}
	switch {
	case d == 1:
		vw.v = -1
	case p.Time && d == 2:
		vw.h, vw.v = 1, 0
	}
	if p.Time && d > 2 {
		vw.fixed[d-1] = len(axes[d-1]) - 1
	}
	return vw
}

// size returns the plane's width and height (height 1 for a line).
func (vw *view) size() (w, h int) {
	w, h = len(vw.axes[vw.h]), 1
	if vw.v >= 0 {
		h = len(vw.axes[vw.v])
	}
	return w, h
}

// index is the grid point at column i and row j of the plane.
func (vw *view) index(i, j int) int {
	idx := 0
	for k := range vw.axes {
		switch k {
		case vw.h:
			idx += i * vw.strides[k]
		case vw.v:
			idx += j * vw.strides[k]
		default:
			idx += vw.fixed[k] * vw.strides[k]
		}
	}
	return idx
}

// plane extracts component f of values (nf per grid point) on the plane, row-major from the
// first row.
func (vw *view) plane(values []float64, nf, f int) []float64 {
	w, h := vw.size()
	out := make([]float64, w*h)
	for j := range h {
		for i := range w {
			out[j*w+i] = values[vw.index(i, j)*nf+f]
		}
	}
	return out
}

// extent returns the domain covered by the plane's cells, centred on the grid points.
func extent(a []float64) (lo, hi float64) {
	if len(a) < 2 {
		return a[0] - 0.5, a[0] + 0.5
	}
	h0, h1 := (a[1]-a[0])/2, (a[len(a)-1]-a[len(a)-2])/2
	return a[0] - h0, a[len(a)-1] + h1
}

func (vw *view) field(name, label string, kind inr.FieldKind, data []float64) inr.Field {
	w, h := vw.size()
	f := inr.Field{Name: name, Kind: kind, W: w, H: h, C: 1, Data: data, Label: label, T: math.NaN()}
	f.X0, f.X1 = extent(vw.axes[vw.h])
	f.Y0, f.Y1 = 0, 1
	if vw.v >= 0 {
		f.Y0, f.Y1 = extent(vw.axes[vw.v])
	}
	return f
}
