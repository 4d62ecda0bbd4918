package nn

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

// Param is one trainable tensor: its name (dotted path, e.g. "2.weight", set when the layer is
// placed in a Graph), its shape, and its values and gradient as flat row-major slices of equal
// length. Layers read Value and accumulate into Grad at every call, never caching them, so a
// ParamSet may move both into contiguous storage.
type Param struct {
	Name  string
	Shape []int
	Value []float64
	Grad  []float64
}

// NewParam returns a zeroed parameter of the given shape.
func NewParam(name string, shape ...int) *Param {
	n := 1
	for _, s := range shape {
		if s < 0 {
			panic(fmt.Sprintf("nn: parameter %s: negative dimension in %v", name, shape))
		}
		n *= s
	}
	return &Param{Name: name, Shape: append(make([]int, 0, len(shape)), shape...), Value: make([]float64, n), Grad: make([]float64, n)}
}

// Size is the number of elements.
func (p *Param) Size() int { return len(p.Value) }

// CountParams is the number of scalars in ps.
func CountParams(ps []*Param) int {
	n := 0
	for _, p := range ps {
		n += p.Size()
	}
	return n
}

// Matrix views a 2-D parameter's values as a kernel matrix.
func (p *Param) Matrix() kernel.Matrix { return kernel.MatrixFrom(p.Shape[0], p.Shape[1], p.Value) }

// GradMatrix views a 2-D parameter's gradient as a kernel matrix.
func (p *Param) GradMatrix() kernel.Matrix { return kernel.MatrixFrom(p.Shape[0], p.Shape[1], p.Grad) }

// ParamSet is the flat view of a model's parameters that optimisers work on: every parameter's
// Value and Grad are windows into the two contiguous slices Value and Grad, in list order.
type ParamSet struct {
	List  []*Param
	Value []float64
	Grad  []float64
}

// NewParamSet moves the parameters into contiguous storage (copying their current values and
// gradients) and returns the set. Names must be unique.
func NewParamSet(params []*Param) (*ParamSet, error) {
	seen := map[string]bool{}
	total := 0
	for _, p := range params {
		if seen[p.Name] {
			return nil, fmt.Errorf("parameter name %q is used twice", p.Name)
		}
		seen[p.Name] = true
		total += p.Size()
	}
	s := &ParamSet{List: params, Value: make([]float64, total), Grad: make([]float64, total)}
	off := 0
	for _, p := range params {
		n := p.Size()
		copy(s.Value[off:off+n], p.Value)
		copy(s.Grad[off:off+n], p.Grad)
		p.Value = s.Value[off : off+n : off+n]
		p.Grad = s.Grad[off : off+n : off+n]
		off += n
	}
	return s, nil
}

// Len is the total number of scalar parameters.
func (s *ParamSet) Len() int { return len(s.Value) }

// ZeroGrad clears every gradient; layers accumulate into Grad, so a training step starts here.
func (s *ParamSet) ZeroGrad() { clear(s.Grad) }

// Lookup returns the parameter with the given name, or nil.
func (s *ParamSet) Lookup(name string) *Param {
	for _, p := range s.List {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Names lists the parameter names in order.
func (s *ParamSet) Names() []string {
	names := make([]string, len(s.List))
	for i, p := range s.List {
		names[i] = p.Name
	}
	return names
}

// GradNorm is the Euclidean norm of the whole gradient.
func (s *ParamSet) GradNorm() float64 { return math.Sqrt(kernel.SumSq(s.Grad)) }

// ClipGradNorm scales the gradient so that its global norm is at most maxNorm (maxNorm ≤ 0: no
// clipping) and returns the norm before clipping. A non-finite norm is returned unchanged for the
// caller to report: scaling NaNs would only hide them.
func (s *ParamSet) ClipGradNorm(maxNorm float64) float64 {
	norm := s.GradNorm()
	if maxNorm > 0 && norm > maxNorm && !math.IsInf(norm, 0) {
		kernel.Scale(maxNorm/(norm+1e-12), s.Grad)
	}
	return norm
}

// prefixNames prepends prefix to every parameter's name.
func prefixNames(prefix string, ps []*Param) {
	for _, p := range ps {
		p.Name = prefix + p.Name
	}
}
