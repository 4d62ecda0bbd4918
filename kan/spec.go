package kan

import (
	"fmt"

	"github.com/inrstudio/studio/nn"
)

// Spec describes the layer for model-file readers (nn.Spec): its terms in order, each with its
// coefficient parameter's name, its basis and the name of its edge scale when it has one, and
// whether the layer has a bias.
func (e *Expansion) Spec() nn.Spec {
	terms := make([]nn.Spec, len(e.terms))
	for i, t := range e.terms {
		b, ok := basisSpec(t.basis)
		if !ok {
			return nn.Spec{"op": "opaque", "type": fmt.Sprintf("kan expansion with a %T basis", t.basis)}
		}
		s := nn.Spec{"coeffs": t.name, "basis": b}
		if t.scale != nil {
			s["scale"] = t.scaleName
		}
		terms[i] = s
	}
	return nn.Spec{"op": "kan", "in": e.in, "out": e.out, "terms": terms, "bias": e.bias != nil}
}

// basisSpec describes a basis of this package with what its functions need besides the input
// (false for another implementation of Basis).
func basisSpec(b Basis) (nn.Spec, bool) {
	switch b := b.(type) {
	case *Chebyshev:
		return nn.Spec{"name": "chebyshev", "degree": b.degree}, true
	case *Fourier:
		return nn.Spec{"name": "fourier", "frequencies": b.k}, true
	case *BSpline:
		return nn.Spec{"name": "bspline", "grid": b.g, "order": b.k, "lo": b.lo, "hi": b.hi}, true
	case SiLU:
		return nn.Spec{"name": "silu"}, true
	}
	return nil, false
}
