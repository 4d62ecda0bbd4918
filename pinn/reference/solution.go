package reference

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Solution is a reference solution the solver compares against: it names its coordinates and
// fields and evaluates all fields at a point.
type Solution interface {
	// Vars are the coordinate names in point order (time last for evolution problems).
	Vars() []string
	// Fields are the solution's field names, in the order Eval writes them.
	Fields() []string
	// Bounds is the box on which the solution is defined or was computed. Analytic solutions
	// are valid everywhere and report their benchmark's domain; numerical ones give NaN outside.
	Bounds() (lo, hi []float64)
	// Eval writes the fields at pt (len(Vars())) into out (len(Fields())).
	Eval(pt, out []float64)
}

// EvalPoints evaluates s at n points stored row-major in pts (n·len(Vars()) values) and returns
// the fields row-major (n·len(Fields()) values). Points outside Bounds (beyond a relative
// tolerance of 1e-12) are an error, so a mistaken coordinate order is caught rather than compared
// against NaN.
func EvalPoints(s Solution, pts []float64) ([]float64, error) {
	d, f := len(s.Vars()), len(s.Fields())
	if len(pts)%d != 0 {
		return nil, fmt.Errorf("reference: %d coordinates is not a whole number of %d-D points", len(pts), d)
	}
	lo, hi := s.Bounds()
	n := len(pts) / d
	out := make([]float64, n*f)
	for i := range n {
		p := pts[i*d : (i+1)*d]
		for j, v := range p {
			tol := 1e-12 * max(1, math.Abs(lo[j]), math.Abs(hi[j]))
			if !(v >= lo[j]-tol && v <= hi[j]+tol) {
				return nil, fmt.Errorf("reference: point %d has %s = %g outside [%g, %g]", i, s.Vars()[j], v, lo[j], hi[j])
			}
		}
		s.Eval(p, out[i*f:(i+1)*f])
	}
	return out, nil
}

// Grid holds one field on a tensor grid of space and time: U[i*len(T)+j] = u(X[i], T[j]), the
// x-major layout of the benchmark files (usol is 256×100 for Burgers).
type Grid struct {
	X, T []float64
	U    []float64
}

// At is u(X[i], T[j]).
func (g *Grid) At(i, j int) float64 { return g.U[i*len(g.T)+j] }

// Maker builds a named reference solution from problem-file parameters (missing parameters take
// the benchmark's defaults).
type Maker func(params map[string]float64) (Solution, error)

// registry maps names to makers; it is filled at init and read-only afterwards.
var registry = map[string]struct {
	make   Maker
	params []string
	doc    string
}{}

func register(name, doc string, params []string, m Maker) {
	registry[name] = struct {
		make   Maker
		params []string
		doc    string
	}{m, params, doc}
}

// Names lists the registered reference solutions.
func Names() []string { return slices.Sorted(maps.Keys(registry)) }

// Describe returns the one-line description of a registered solution and its parameter names.
func Describe(name string) (doc string, params []string, ok bool) {
	r, ok := registry[name]
	return r.doc, slices.Clone(r.params), ok
}

// Lookup builds the named reference solution. Unknown names and unknown parameters are errors
// that list what is available.
func Lookup(name string, params map[string]float64) (Solution, error) {
	r, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("reference solution %q: unknown (available: %s)", name, strings.Join(Names(), ", "))
	}
	for p := range params {
		if !slices.Contains(r.params, p) {
			return nil, fmt.Errorf("reference solution %q: unknown parameter %q (parameters: %s)", name, p, strings.Join(r.params, ", "))
		}
	}
	s, err := r.make(params)
	if err != nil {
		return nil, fmt.Errorf("reference solution %q: %w", name, err)
	}
	return s, nil
}

// param returns params[name] or def.
func param(params map[string]float64, name string, def float64) float64 {
	if v, ok := params[name]; ok {
		return v
	}
	return def
}
