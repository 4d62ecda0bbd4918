package nn

import "fmt"

// Affine is the fixed per-feature map y = x⊙a + c (c on the value block only): input
// normalisation to [-1, 1] (the multi-stage networks' H0 = 2(x − lb)/(ub − lb) − 1), output
// scaling by a constant, a change of units. Its derivative blocks are scaled by a; it has no
// trainable parameters, and a and c are saved as buffers ("scale", "shift").
type Affine struct {
	A, C  *Param
	w     int
	y, dx JetBuffer
	res   Jet
}

// NewAffine returns the map with the given scale and shift (equal lengths).
func NewAffine(scale, shift []float64) (*Affine, error) {
	if len(scale) == 0 || len(scale) != len(shift) {
		return nil, fmt.Errorf("affine map: %d scales and %d shifts (need the same, ≥ 1)", len(scale), len(shift))
	}
	l := &Affine{A: NewParam("scale", len(scale)), C: NewParam("shift", len(shift)), w: len(scale)}
	copy(l.A.Value, scale)
	copy(l.C.Value, shift)
	return l, nil
}

// NewNormalize maps the box [lo, hi] (per coordinate) onto [-1, 1]: a = 2/(hi − lo),
// c = −(hi + lo)/(hi − lo).
func NewNormalize(lo, hi []float64) (*Affine, error) {
	if len(lo) != len(hi) {
		return nil, fmt.Errorf("normalize: %d lower and %d upper bounds", len(lo), len(hi))
	}
	a, c := make([]float64, len(lo)), make([]float64, len(lo))
	for i := range lo {
		if !(hi[i] > lo[i]) {
			return nil, fmt.Errorf("normalize: coordinate %d has bounds [%v, %v]", i, lo[i], hi[i])
		}
		a[i] = 2 / (hi[i] - lo[i])
		c[i] = -(hi[i] + lo[i]) / (hi[i] - lo[i])
	}
	return NewAffine(a, c)
}

func (l *Affine) InWidth() int      { return l.w }
func (l *Affine) OutWidth() int     { return l.w }
func (l *Affine) Params() []*Param  { return nil }
func (l *Affine) Buffers() []*Param { return []*Param{l.A, l.C} }

func (l *Affine) Forward(in Jet) Jet {
	checkIn("affine", l, in)
	y := l.y.Like(in, l.w)
	a, c := l.A.Value, l.C.Value
	for i := 0; i < in.M.Rows; i++ {
		xr, yr := in.M.Row(i), y.M.Row(i)
		for k, v := range xr {
			yr[k] = v * a[k]
		}
		if i < in.N {
			for k := range yr {
				yr[k] += c[k]
			}
		}
	}
	l.res = y
	return y
}

func (l *Affine) Backward(g Jet, needIn bool) Jet {
	checkGrad("affine", l.res, g)
	if !needIn {
		return Jet{}
	}
	dx := l.dx.Like(g, l.w)
	a := l.A.Value
	for i := 0; i < g.M.Rows; i++ {
		gr, dr := g.M.Row(i), dx.M.Row(i)
		for k, v := range gr {
			dr[k] = v * a[k]
		}
	}
	return dx
}
