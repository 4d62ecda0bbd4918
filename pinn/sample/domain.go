package sample

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Domain is a region of space (or space-time) that collocation points are drawn from. A domain
// does not draw random numbers itself: it maps points of the unit cube, produced by any Sampler,
// onto its interior and onto its boundary with measure-preserving maps, so uniform samples stay
// uniform and low-discrepancy samples stay evenly spread.
type Domain interface {
	// Dim is the number of coordinates of a point.
	Dim() int
	// Bounds is the bounding box.
	Bounds() (lo, hi []float64)
	// Contains reports whether x is in the closed domain, up to tol.
	Contains(x []float64, tol float64) bool

	// InteriorDim is the number of unit-cube coordinates one interior point consumes.
	InteriorDim() int
	// MapInterior maps u ∈ [0,1)^InteriorDim to a point x (len Dim), uniformly in volume.
	MapInterior(x, u []float64)

	// BoundaryDim is the number of unit-cube coordinates one boundary point consumes.
	BoundaryDim() int
	// MapBoundary maps u ∈ [0,1)^BoundaryDim to a boundary point x, uniformly in surface
	// measure, and writes its outward unit normal. It returns the boundary part the point lies
	// on (see Parts).
	MapBoundary(x, normal, u []float64) int
	// Parts names the pieces of the boundary that MapBoundary reports, so that conditions can
	// be applied to one side only.
	Parts() []Part
}

// Part is one piece of a domain's boundary: a face of a box (Axis, Side = −1 for the lower face
// at Lo[Axis], +1 for the upper face) or a curved boundary (Axis = −1, Side = 0).
type Part struct {
	Axis int
	Side int
	// Value is the coordinate of a box face; zero for curved parts.
	Value float64
}

func (p Part) String() string {
	if p.Axis < 0 {
		return "curved boundary"
	}
	side := "lower"
	if p.Side > 0 {
		side = "upper"
	}
	return fmt.Sprintf("%s face x%d = %g", side, p.Axis, p.Value)
}

// Box is an axis-aligned box [Lo, Hi] in any dimension: an interval, a rectangle or a cuboid.
type Box struct {
	lo, hi []float64
	// faceCum[k] is the cumulative measure of faces 0..k-1, faces ordered as Parts.
	faceCum []float64
	parts   []Part
}

// NewBox returns the box [lo, hi]; every hi[i] must exceed lo[i] and both be finite.
func NewBox(lo, hi []float64) (*Box, error) {
	if len(lo) == 0 || len(lo) != len(hi) {
		return nil, fmt.Errorf("box: corners of dimension %d and %d", len(lo), len(hi))
	}
	for i := range lo {
		if !(hi[i] > lo[i]) || math.IsInf(lo[i], 0) || math.IsInf(hi[i], 0) {
			return nil, fmt.Errorf("box: side %d is [%g, %g]; want finite lo < hi", i, lo[i], hi[i])
		}
	}
	b := &Box{lo: slices.Clone(lo), hi: slices.Clone(hi)}
	d := len(lo)
	b.faceCum = make([]float64, 2*d+1)
	for f := range 2 * d {
		axis, upper := f/2, f%2 == 1
		area := 1.0
		for j := range d {
			if j != axis {
				area *= hi[j] - lo[j]
			}
		}
		b.faceCum[f+1] = b.faceCum[f] + area
		p := Part{Axis: axis, Side: -1, Value: lo[axis]}
		if upper {
			p.Side, p.Value = 1, hi[axis]
		}
		b.parts = append(b.parts, p)
	}
	return b, nil
}

// Interval returns [a, b].
func Interval(a, b float64) (*Box, error) { return NewBox([]float64{a}, []float64{b}) }

// Rectangle returns [x0, x1] × [y0, y1].
func Rectangle(x0, y0, x1, y1 float64) (*Box, error) {
	return NewBox([]float64{x0, y0}, []float64{x1, y1})
}

// Cuboid returns [x0, x1] × [y0, y1] × [z0, z1].
func Cuboid(x0, y0, z0, x1, y1, z1 float64) (*Box, error) {
	return NewBox([]float64{x0, y0, z0}, []float64{x1, y1, z1})
}

func (b *Box) Dim() int                   { return len(b.lo) }
func (b *Box) Bounds() (lo, hi []float64) { return slices.Clone(b.lo), slices.Clone(b.hi) }
func (b *Box) InteriorDim() int           { return len(b.lo) }
func (b *Box) Parts() []Part              { return slices.Clone(b.parts) }

// BoundaryDim is one less than the dimension, except for an interval: its two end points are
// chosen by one coordinate.
func (b *Box) BoundaryDim() int { return max(len(b.lo)-1, 1) }

func (b *Box) Contains(x []float64, tol float64) bool {
	for i, v := range x {
		if v < b.lo[i]-tol || v > b.hi[i]+tol {
			return false
		}
	}
	return true
}

func (b *Box) MapInterior(x, u []float64) {
	for i := range b.lo {
		x[i] = b.lo[i] + u[i]*(b.hi[i]-b.lo[i])
	}
}

// MapBoundary spends u[0] on choosing a face with probability proportional to its measure
// (edge length in 2-D, area in 3-D) and reuses what is left of u[0] within that face's share as
// the first coordinate on the face, so the map is measure-preserving and one unit coordinate is
// not wasted on the choice.
func (b *Box) MapBoundary(x, normal, u []float64) int {
	d := len(b.lo)
	total := b.faceCum[2*d]
	s := u[0] * total
	f := min(max(0, faceIndex(b.faceCum, s)), 2*d-1)
	rest := (s - b.faceCum[f]) / (b.faceCum[f+1] - b.faceCum[f])
	b.mapFace(x, normal, u, f, rest)
	return f
}

// mapFace maps a point onto face f: rest ∈ [0, 1) is its first coordinate on the face and
// u[1:] the others.
func (b *Box) mapFace(x, normal, u []float64, f int, rest float64) {
	d := len(b.lo)
	rest = min(max(rest, 0), math.Nextafter(1, 0))
	axis := f / 2
	k := 0
	for j := range d {
		normal[j] = 0
		if j == axis {
			continue
		}
		t := rest
		if k > 0 {
			t = u[k]
		}
		x[j] = b.lo[j] + t*(b.hi[j]-b.lo[j])
		k++
	}
	if f%2 == 0 {
		x[axis], normal[axis] = b.lo[axis], -1
	} else {
		x[axis], normal[axis] = b.hi[axis], 1
	}
}

// faceIndex returns the index f with cum[f] ≤ s < cum[f+1].
func faceIndex(cum []float64, s float64) int {
	i, _ := slices.BinarySearch(cum, s)
	if i < len(cum) && cum[i] == s {
		return i
	}
	return i - 1
}

// Disk is the disk of the given centre and radius.
type Disk struct {
	cx, cy, r float64
}

// NewDisk returns the disk |x − (cx, cy)| ≤ r.
func NewDisk(cx, cy, r float64) (*Disk, error) {
	if !(r > 0) || math.IsInf(r, 0) || math.IsNaN(cx) || math.IsNaN(cy) {
		return nil, fmt.Errorf("disk: centre (%g, %g), radius %g; want a finite radius > 0", cx, cy, r)
	}
	return &Disk{cx: cx, cy: cy, r: r}, nil
}

func (d *Disk) Dim() int { return 2 }
func (d *Disk) Bounds() (lo, hi []float64) {
	return []float64{d.cx - d.r, d.cy - d.r}, []float64{d.cx + d.r, d.cy + d.r}
}
func (d *Disk) InteriorDim() int { return 2 }
func (d *Disk) BoundaryDim() int { return 1 }
func (d *Disk) Parts() []Part    { return []Part{{Axis: -1}} }

func (d *Disk) Contains(x []float64, tol float64) bool {
	return math.Hypot(x[0]-d.cx, x[1]-d.cy) <= d.r+tol
}

// MapInterior uses the Shirley–Chiu concentric map: area-preserving like the polar map
// (r = R√u, θ = 2πv) but with far less distortion, so stratified and low-discrepancy samples
// keep their spacing and no rejection is needed.
func (d *Disk) MapInterior(x, u []float64) {
	a, b := 2*u[0]-1, 2*u[1]-1
	var r, phi float64
	switch {
	case a == 0 && b == 0:
		r, phi = 0, 0
	case math.Abs(a) > math.Abs(b):
		r, phi = a, math.Pi/4*(b/a)
	default:
		r, phi = b, math.Pi/2-math.Pi/4*(a/b)
	}
	s, c := math.Sincos(phi)
	x[0] = d.cx + d.r*r*c
	x[1] = d.cy + d.r*r*s
}

func (d *Disk) MapBoundary(x, normal, u []float64) int {
	s, c := math.Sincos(2 * math.Pi * u[0])
	normal[0], normal[1] = c, s
	x[0], x[1] = d.cx+d.r*c, d.cy+d.r*s
	return 0
}

// TimeSpace is the product [T0, T1] × Space; a point is the spatial coordinates followed by the
// time. Its boundary (for boundary conditions) is the spatial boundary × [T0, T1]; the initial
// slice t = T0 is sampled separately by MapInitial.
type TimeSpace struct {
	Space  Domain
	T0, T1 float64
}

// NewTimeSpace returns [t0, t1] × space.
func NewTimeSpace(space Domain, t0, t1 float64) (*TimeSpace, error) {
	if space == nil {
		return nil, errors.New("time × space: no spatial domain")
	}
	if !(t1 > t0) || math.IsInf(t0, 0) || math.IsInf(t1, 0) {
		return nil, fmt.Errorf("time × space: time interval [%g, %g]; want finite t0 < t1", t0, t1)
	}
	return &TimeSpace{Space: space, T0: t0, T1: t1}, nil
}

func (ts *TimeSpace) Dim() int { return ts.Space.Dim() + 1 }
func (ts *TimeSpace) Bounds() (lo, hi []float64) {
	lo, hi = ts.Space.Bounds()
	return append(lo, ts.T0), append(hi, ts.T1)
}
func (ts *TimeSpace) Contains(x []float64, tol float64) bool {
	t := x[len(x)-1]
	return t >= ts.T0-tol && t <= ts.T1+tol && ts.Space.Contains(x[:len(x)-1], tol)
}
func (ts *TimeSpace) InteriorDim() int { return ts.Space.InteriorDim() + 1 }
func (ts *TimeSpace) BoundaryDim() int { return ts.Space.BoundaryDim() + 1 }
func (ts *TimeSpace) Parts() []Part    { return ts.Space.Parts() }

func (ts *TimeSpace) MapInterior(x, u []float64) {
	k := ts.Space.InteriorDim()
	ts.Space.MapInterior(x[:len(x)-1], u[:k])
	x[len(x)-1] = ts.T0 + u[k]*(ts.T1-ts.T0)
}

// MapBoundary maps to the lateral boundary: a spatial boundary point at a time in [T0, T1]. The
// normal has no time component.
func (ts *TimeSpace) MapBoundary(x, normal, u []float64) int {
	k := ts.Space.BoundaryDim()
	n := len(x) - 1
	part := ts.Space.MapBoundary(x[:n], normal[:n], u[:k])
	x[n] = ts.T0 + u[k]*(ts.T1-ts.T0)
	normal[n] = 0
	return part
}

// InitialDim is the number of unit-cube coordinates one initial point consumes.
func (ts *TimeSpace) InitialDim() int { return ts.Space.InteriorDim() }

// MapInitial maps u to a point of the initial slice: a spatial interior point at t = T0.
func (ts *TimeSpace) MapInitial(x, u []float64) {
	ts.Space.MapInterior(x[:len(x)-1], u)
	x[len(x)-1] = ts.T0
}
