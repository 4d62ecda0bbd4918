package sample

import "fmt"

// Points is a set of points of dimension D stored row-major: point i is X[i*D : (i+1)*D]. The
// layout is the N×D matrix the network's input jet is built from.
type Points struct {
	D int
	X []float64
}

// NewPoints returns n zeroed points of dimension d.
func NewPoints(n, d int) Points {
	if n < 0 || d < 1 {
		panic(fmt.Sprintf("sample: %d points of dimension %d", n, d))
	}
	return Points{D: d, X: make([]float64, n*d)}
}

// Len is the number of points.
func (p Points) Len() int {
	if p.D == 0 {
		return 0
	}
	return len(p.X) / p.D
}

// At returns point i, sharing storage.
func (p Points) At(i int) []float64 { return p.X[i*p.D : (i+1)*p.D : (i+1)*p.D] }

// Column copies coordinate j of every point into dst (allocated when nil or short) and returns it.
func (p Points) Column(j int, dst []float64) []float64 {
	n := p.Len()
	if cap(dst) < n {
		dst = make([]float64, n)
	}
	dst = dst[:n]
	for i := range dst {
		dst[i] = p.X[i*p.D+j]
	}
	return dst
}

// Select returns the points with the given indices, in that order, as a new set.
func (p Points) Select(idx []int) Points {
	out := NewPoints(len(idx), p.D)
	for k, i := range idx {
		copy(out.At(k), p.At(i))
	}
	return out
}

// Append returns p followed by q as a new set (both must have the same dimension).
func (p Points) Append(q Points) Points {
	if p.D != q.D && p.Len() > 0 && q.Len() > 0 {
		panic(fmt.Sprintf("sample: append points of dimension %d to %d", q.D, p.D))
	}
	d := max(p.D, q.D)
	out := Points{D: d, X: make([]float64, 0, len(p.X)+len(q.X))}
	out.X = append(append(out.X, p.X...), q.X...)
	return out
}
