package sample

import (
	"fmt"
	"slices"
)

// OnParts returns d with its boundary restricted to the given parts (indices into d.Parts()):
// boundary points fall only on those faces, still uniformly in surface measure, and keep their
// original part index. The interior and the initial slice are d's. It is how a condition holds on
// some faces of a box only ("x = 0" and "x = 1"); a TimeSpace restricts its spatial domain. A
// domain with a single boundary part (a disk) accepts only that part.
func OnParts(d Domain, parts []int) (Domain, error) {
	all := d.Parts()
	if len(parts) == 0 {
		return nil, fmt.Errorf("boundary parts: none selected")
	}
	for _, p := range parts {
		if p < 0 || p >= len(all) {
			return nil, fmt.Errorf("boundary parts: %d outside [0, %d)", p, len(all))
		}
	}
	switch v := d.(type) {
	case *TimeSpace:
		space, err := OnParts(v.Space, parts)
		if err != nil {
			return nil, err
		}
		return &TimeSpace{Space: space, T0: v.T0, T1: v.T1}, nil
	case *Box:
		faces := slices.Clone(parts)
		slices.Sort(faces)
		faces = slices.Compact(faces)
		fb := &faceBox{Box: v, faces: faces, cum: make([]float64, len(faces)+1)}
		for k, f := range faces {
			fb.cum[k+1] = fb.cum[k] + v.faceCum[f+1] - v.faceCum[f]
		}
		return fb, nil
	}
	if len(all) == 1 {
		return d, nil
	}
	return nil, fmt.Errorf("boundary parts: cannot restrict a %T", d)
}

// faceBox is a box whose boundary is a subset of its faces.
type faceBox struct {
	*Box
	faces []int
	cum   []float64 // cumulative measure of the selected faces
}

// MapBoundary chooses one of the selected faces in proportion to its measure with u[0] and
// reuses the rest of u[0] on it, as Box.MapBoundary does over all faces.
func (fb *faceBox) MapBoundary(x, normal, u []float64) int {
	total := fb.cum[len(fb.faces)]
	s := u[0] * total
	k := min(max(0, faceIndex(fb.cum, s)), len(fb.faces)-1)
	rest := (s - fb.cum[k]) / (fb.cum[k+1] - fb.cum[k])
	f := fb.faces[k]
	fb.mapFace(x, normal, u, f, rest)
	return f
}
