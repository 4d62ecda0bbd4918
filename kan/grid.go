package kan

import (
	"fmt"
	"strings"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// Grid extension (pykan's refine, Liu et al. 2024 §2.5): a B-spline KAN trained on a coarse grid
// continues on a finer one, its splines carried over by least squares, so that the loss picks up
// where it was and falls further in a staircase as the grid grows.

// RefitMatrix returns the B′×B matrix M that carries spline coefficients on the basis from to
// coefficients on the basis to (same order and range, any grid): c′ = M·c is the least-squares
// fit of Σ c_m·B_m at 8 points per interval of the finer grid over the range [lo, hi]. On [lo, hi]
// the fit is exact when to's grid is a multiple of from's (a refined spline space contains the
// coarse one); outside it, in the k knots of each extension, the new spline follows its own
// shorter extension.
func RefitMatrix(from, to *BSpline) (kernel.Matrix, error) {
	if from.k != to.k || from.lo != to.lo || from.hi != to.hi {
		return kernel.Matrix{}, fmt.Errorf("grid refit: bases differ in order or range (k %d→%d, [%v, %v]→[%v, %v])",
			from.k, to.k, from.lo, from.hi, to.lo, to.hi)
	}
	n := 8*max(from.g, to.g) + 1
	x := make([]float64, n)
	for j := range x {
		x[j] = from.lo + (from.hi-from.lo)*float64(j)/float64(n-1)
	}
	a := kernel.NewMatrix(n, from.Size())
	from.Eval(x, 0, []kernel.Matrix{a})
	b := kernel.NewMatrix(n, to.Size())
	to.Eval(x, 0, []kernel.Matrix{b})
	g := gram(b, true) // BᵀB: every spline of to has an interval of [lo, hi] in its support
	if err := cholesky(g); err != nil {
		return kernel.Matrix{}, fmt.Errorf("grid refit: %w", err)
	}
	rhs := kernel.NewMatrix(to.Size(), from.Size()) // Bᵀ·A, then solved column by column
	kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, b, a, 0, rhs)
	cholSolveColumns(g, rhs, func(c int, z []float64) {
		for r, v := range z {
			rhs.Set(r, c, v)
		}
	})
	return rhs, nil
}

// RefitCoefficients carries a B-spline KAN layer's spline coefficients, laid out [in, B, out] as
// "spline_weight" is, from the basis from to the basis to (RefitMatrix): the result is
// [in, B′, out]. An edge scale multiplies the whole spline, so it is kept as it is.
func RefitCoefficients(c []float64, in, out int, from, to *BSpline) ([]float64, error) {
	if len(c) != in*from.Size()*out {
		return nil, fmt.Errorf("grid refit: %d coefficients for [%d, %d, %d]", len(c), in, from.Size(), out)
	}
	m, err := RefitMatrix(from, to)
	if err != nil {
		return nil, err
	}
	nb, nb2 := from.Size(), to.Size()
	dst := make([]float64, in*nb2*out)
	for i := range in {
		// [B′, out] block of input i = M · [B, out] block.
		src := kernel.MatrixFrom(nb, out, c[i*nb*out:(i+1)*nb*out])
		kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, m, src, 0, kernel.MatrixFrom(nb2, out, dst[i*nb2*out:(i+1)*nb2*out]))
	}
	return dst, nil
}

// CarryToGrid copies the parameters of a network of B-spline KAN layers (NewBSplineKANConfig) on
// the grid of from into fresh, the same network built on the grid of to: tensors of equal size
// are copied (base weights, scalers, other layers), each "spline_weight" is refitted
// (RefitCoefficients). The two lists are in the same order, as Params gives them.
func CarryToGrid(old, fresh []*nn.Param, from, to *BSpline) error {
	if len(old) != len(fresh) {
		return fmt.Errorf("grid extension: the network on grid %d has %d parameters, the one on grid %d %d", from.g, len(old), to.g, len(fresh))
	}
	for i, p := range fresh {
		o := old[i]
		switch {
		case o.Name != p.Name:
			return fmt.Errorf("grid extension: parameter %s is %s in the network on grid %d", p.Name, o.Name, from.g)
		case len(o.Value) == len(p.Value):
			copy(p.Value, o.Value)
		case strings.HasSuffix(p.Name, "spline_weight") && len(p.Shape) == 3:
			c, err := RefitCoefficients(o.Value, p.Shape[0], p.Shape[2], from, to)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Name, err)
			}
			copy(p.Value, c)
		default:
			return fmt.Errorf("grid extension: parameter %s changes shape %v → %v", p.Name, o.Shape, p.Shape)
		}
	}
	return nil
}

// ExtendGrid returns a copy of e, a layer from NewBSplineKANConfig, on g grid intervals
// (CarryToGrid): the layer computes the same function on its grid range, exactly when g is a
// multiple of the old grid.
func ExtendGrid(e *Expansion, g int) (*Expansion, error) {
	terms := make([]Term, len(e.terms))
	var from, to *BSpline
	for i, t := range e.terms {
		terms[i] = Term{Name: t.name, Basis: t.basis, ScaleName: t.scaleName}
		if b, ok := t.basis.(*BSpline); ok {
			if from != nil {
				return nil, fmt.Errorf("grid extension: the layer has two B-spline terms")
			}
			nb, err := NewBSpline(g, b.k, b.lo, b.hi)
			if err != nil {
				return nil, fmt.Errorf("grid extension: %w", err)
			}
			terms[i].Basis, from, to = nb, b, nb
		}
	}
	if from == nil {
		return nil, fmt.Errorf("grid extension: the layer has no B-spline term")
	}
	ne, err := NewExpansion(e.in, e.out, e.bias != nil, terms...)
	if err != nil {
		return nil, err
	}
	if err := CarryToGrid(e.Params(), ne.Params(), from, to); err != nil {
		return nil, err
	}
	return ne, nil
}
