package sample

import (
	"errors"
	"fmt"
)

// Region says which part of a domain a Set samples.
type Region int

const (
	// Interior points, where the equation residuals are enforced.
	Interior Region = iota
	// Boundary points with outward normals (for a TimeSpace: the spatial boundary × time).
	Boundary
	// Initial points: the slice t = T0 of a TimeSpace.
	Initial
)

func (r Region) String() string {
	switch r {
	case Interior:
		return "interior"
	case Boundary:
		return "boundary"
	case Initial:
		return "initial"
	}
	return fmt.Sprintf("region(%d)", int(r))
}

// Set is a batch of collocation points of one region of a domain, drawn by one sampler. Resample
// refills it in place with the sampler's next points, allocating nothing, so the solver can
// redraw its collocation points every few steps.
type Set struct {
	Domain  Domain
	Region  Region
	Sampler Sampler

	// Points are the collocation points (Domain.Dim() coordinates each).
	Points Points
	// Normals are the outward unit normals of boundary points (nil for other regions).
	Normals Points
	// Parts[i] is the index into Domain.Parts() of boundary point i (nil for other regions).
	Parts []int

	u []float64 // unit-cube samples, reused
	k int       // unit-cube dimension
}

// NewSet draws about n points of the region; the exact count is Sampler.Count(n, ·), which is n
// except for Grid.
func NewSet(d Domain, r Region, s Sampler, n int) (*Set, error) {
	if d == nil || s == nil {
		return nil, errors.New("sample set: nil domain or sampler")
	}
	if n < 1 {
		return nil, fmt.Errorf("sample set: %d %s points; want at least 1", n, r)
	}
	var k int
	switch r {
	case Interior:
		k = d.InteriorDim()
	case Boundary:
		k = d.BoundaryDim()
	case Initial:
		ts, ok := d.(*TimeSpace)
		if !ok {
			return nil, errors.New("sample set: initial points need a time × space domain")
		}
		k = ts.InitialDim()
	default:
		return nil, fmt.Errorf("sample set: unknown region %d", int(r))
	}
	if m := s.MaxDim(); m > 0 && k > m {
		return nil, fmt.Errorf("sample set: %s points need %d unit coordinates; the sampler supports %d", r, k, m)
	}
	count := s.Count(n, k)
	set := &Set{Domain: d, Region: r, Sampler: s, Points: NewPoints(count, d.Dim()),
		u: make([]float64, count*k), k: k}
	if r == Boundary {
		set.Normals = NewPoints(count, d.Dim())
		set.Parts = make([]int, count)
	}
	set.Resample()
	return set, nil
}

// Len is the number of points.
func (s *Set) Len() int { return s.Points.Len() }

// Resample replaces the points with the sampler's next ones.
func (s *Set) Resample() {
	s.Sampler.Fill(s.u, s.k)
	n := s.Points.Len()
	for i := range n {
		u := s.u[i*s.k : (i+1)*s.k]
		x := s.Points.At(i)
		switch s.Region {
		case Interior:
			s.Domain.MapInterior(x, u)
		case Boundary:
			s.Parts[i] = s.Domain.MapBoundary(x, s.Normals.At(i), u)
		case Initial:
			s.Domain.(*TimeSpace).MapInitial(x, u)
		}
	}
}

// Draw is the one-shot form of NewSet for when only the points matter (use NewSet for the
// normals and parts of boundary points).
func Draw(d Domain, r Region, s Sampler, n int) (Points, error) {
	set, err := NewSet(d, r, s, n)
	if err != nil {
		return Points{}, err
	}
	return set.Points, nil
}
