package pinn

import (
	"fmt"

	"github.com/inrstudio/studio/nn"
)

// symmetric makes a network even or odd under the reflection R of some input axes (x̂ → −x̂ on
// the coordinates normalised to [−1, 1], that is about the centre of the domain):
//
//	u(x̂) = (N(x̂) ± N(Rx̂)) / 2
//
// so that u(Rx̂) = ±u(x̂) exactly, whatever the weights. A solution with that symmetry (Burgers
// from −sin πx is odd in x) then cannot drift out of it: an odd u is zero on the mirror plane,
// so a shock there stays there. N is evaluated twice per point, by two copies of the network
// that share one set of parameters: the second copy's parameters and buffers are re-pointed at
// the first's before every pass (an optimiser's ParamSet moves the first's storage), and both
// backward passes add into the same gradients.
type symmetric struct {
	a, b *nn.Graph // N on x̂ and on Rx̂ (b's parameters alias a's)
	refl *nn.Affine
	sign float64 // +1 even, −1 odd

	y, da, db nn.JetBuffer
	dx        nn.JetBuffer
}

// newSymmetric wraps a (and its structural twin b, built from the same configuration) with the
// reflection of the listed axes; odd selects the sign.
func newSymmetric(a, b *nn.Graph, axes []int, odd bool) (*symmetric, error) {
	in := a.InWidth()
	if b.InWidth() != in || b.OutWidth() != a.OutWidth() || len(a.Params()) != len(b.Params()) || len(a.Buffers()) != len(b.Buffers()) {
		return nil, fmt.Errorf("symmetric: the two copies of the network differ")
	}
	scale := make([]float64, in)
	for i := range scale {
		scale[i] = 1
	}
	for _, j := range axes {
		if j < 0 || j >= in {
			return nil, fmt.Errorf("symmetric: axis %d of %d inputs", j, in)
		}
		scale[j] = -1
	}
	refl, err := nn.NewAffine(scale, make([]float64, in))
	if err != nil {
		return nil, err
	}
	s := &symmetric{a: a, b: b, refl: refl, sign: 1}
	if odd {
		s.sign = -1
	}
	return s, nil
}

func (s *symmetric) InWidth() int         { return s.a.InWidth() }
func (s *symmetric) OutWidth() int        { return s.a.OutWidth() }
func (s *symmetric) Params() []*nn.Param  { return s.a.Params() }
func (s *symmetric) Buffers() []*nn.Param { return s.a.Buffers() }

// alias points the twin's parameters and buffers at the first copy's current storage.
func (s *symmetric) alias() {
	for i, p := range s.a.Params() {
		q := s.b.Params()[i]
		q.Value, q.Grad = p.Value, p.Grad
	}
	for i, p := range s.a.Buffers() {
		q := s.b.Buffers()[i]
		q.Value, q.Grad = p.Value, p.Grad
	}
}

func (s *symmetric) Forward(in nn.Jet) nn.Jet {
	s.alias()
	ya := s.a.Forward(in)
	yb := s.b.Forward(s.refl.Forward(in))
	y := s.y.Like(ya, ya.Width())
	out, da, db := y.Data(), ya.Data(), yb.Data()
	for i := range out {
		out[i] = 0.5 * (da[i] + s.sign*db[i])
	}
	return y
}

func (s *symmetric) Backward(d nn.Jet, needIn bool) nn.Jet {
	ga := s.da.Like(d, d.Width())
	gb := s.db.Like(d, d.Width())
	src, a, b := d.Data(), ga.Data(), gb.Data()
	for i, v := range src {
		a[i] = 0.5 * v
		b[i] = 0.5 * s.sign * v
	}
	dxa := s.a.Backward(ga, needIn)
	dxb := s.b.Backward(gb, needIn)
	if !needIn {
		return nn.Jet{}
	}
	dxb = s.refl.Backward(dxb, true)
	dx := s.dx.Like(dxa, dxa.Width())
	out, xa, xb := dx.Data(), dxa.Data(), dxb.Data()
	for i := range out {
		out[i] = xa[i] + xb[i]
	}
	return dx
}
