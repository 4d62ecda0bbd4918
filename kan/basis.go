package kan

import "github.com/inrstudio/studio/kernel"

// MaxOrder is the highest derivative a Basis must provide: a second-order jet needs φ″ in the
// forward pass and φ‴ in the backward pass.
const MaxOrder = 3

// Basis is a family of Size() univariate functions φ_0 … φ_{B−1} that a KAN layer applies to every
// input feature (each input i gets the same family; the layer's coefficients make the edge
// functions differ). Implementations evaluate many points per call so that they can share work
// between the functions of one point (recurrences) and between points (instruction-level
// parallelism), and provide their derivatives in closed form.
//
// A Basis is immutable after construction and safe for concurrent use.
type Basis interface {
	// Name identifies the family in messages and model configs, e.g. "chebyshev".
	Name() string
	// Size is the number B of functions.
	Size() int
	// Eval sets dst[r].At(p, k) = φ_k⁽ʳ⁾(x[p]) for every point p < len(x), function k < Size()
	// and derivative order r ≤ order (order ≤ MaxOrder). dst[r] has len(x) rows and Size()
	// columns and may be a strided view; entries of dst beyond order are not touched. The values
	// written for a given r must not depend on order, so that re-evaluating at a higher order
	// reproduces the lower-order results bit for bit.
	Eval(x []float64, order int, dst []kernel.Matrix)
}
