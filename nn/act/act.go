package act

import (
	"fmt"
	"sort"
	"strings"
)

// Config holds an activation's fixed (non-trainable) constants by name, e.g. {"omega": 30}.
type Config map[string]float64

// Param describes one trainable parameter of an activation and its initial value.
type Param struct {
	Name string
	Init float64
}

// Func is a real activation σ(x; θ) applied elementwise. θ are its trainable parameters (Params
// gives their number, names and initial values); whether one θ is shared by a layer or each unit
// has its own is the layer's choice.
type Func interface {
	// Name is the registry name, e.g. "sine".
	Name() string
	// Config returns the fixed constants the activation was built with (for model files).
	Config() Config
	// Params lists the trainable parameters (nil when there are none).
	Params() []Param
	// Eval writes σ⁽ᵏ⁾(x; θ) into d[k] for k = 0..order (order ≤ 3). len(theta) == len(Params()).
	Eval(x float64, theta []float64, order int, d *[4]float64)
	// EvalParamGrad writes ∂σ⁽ᵏ⁾(x; θ)/∂θ_m into g[m][k] for k = 0..order (order ≤ 2) and every
	// parameter m. It is only called when Params is non-empty.
	EvalParamGrad(x float64, theta []float64, order int, g [][4]float64)
}

// SliceFunc is implemented by activations with a vectorised path for the whole-slice case
// (hot activations such as sine and tanh). d[k] receives σ⁽ᵏ⁾(x[i]) for k = 0..order; a nil d[k]
// is skipped, and d[k] for k > order is ignored. Each non-nil d[k] holds at least len(x)
// elements; the d[k] may be used as scratch, so none of them may overlap x or another d[k].
// theta is shared by every element. Results equal Eval's up to the kernel's elementary
// functions (exp, sin, tanh within 2 ulp of the math package) carried through the same closed
// forms: a few ulp of the derivative's local scale.
type SliceFunc interface {
	Func
	EvalSlice(x []float64, theta []float64, order int, d [4][]float64)
}

// UnitSliceFunc is implemented by activations with a whole-slice path for per-unit parameters
// (XNet's Cauchy activation, whose λ1, λ2, d belong to each unit). x holds rows of width units
// (row-major), and unit j uses theta[j·P : (j+1)·P], P = len(Params()). Results are bit-identical
// to Eval and EvalParamGrad element by element: these paths only remove the interface call and the
// orders that are not needed.
type UnitSliceFunc interface {
	Func
	// EvalUnits writes σ⁽ᵏ⁾(x[i]; θ of i's unit) into d[k][i] for k = 0..order (nil d[k]
	// skipped).
	EvalUnits(x []float64, width int, theta []float64, order int, d [4][]float64)
	// ParamGradUnits adds Σ_i g[i]·∂σ(x[i]; θ_j)/∂θ_jm, over the elements i of unit j, to
	// grad[j·P + m], element by element in order: the parameter gradient of a layer whose jets
	// carry values only.
	ParamGradUnits(x, g []float64, width int, theta, grad []float64)
}

// PairDerivs holds a complex activation's output and its partial derivatives, the complex
// pre-activation being the real pair (a, b) = (Re z, Im z) and the output (Re ψ, Im ψ).
// Index o selects the output part (0 real, 1 imaginary).
type PairDerivs struct {
	V  [2]float64    // ψ_o
	D1 [2][2]float64 // ∂ψ_o/∂a, ∂ψ_o/∂b
	D2 [2][3]float64 // ∂²/∂a², ∂²/∂a∂b, ∂²/∂b²
	D3 [2][4]float64 // ∂³/∂a³, ∂³/∂a²∂b, ∂³/∂a∂b², ∂³/∂b³
}

// PairFunc is a complex activation ψ(z), z = a + ib, not necessarily holomorphic (WIRE's
// Gabor wavelet has |z|²), so it is described by real partial derivatives in a and b.
type PairFunc interface {
	Name() string
	Config() Config
	// EvalPair fills d up to the given order (≤ 3); higher entries are left untouched.
	EvalPair(a, b float64, order int, d *PairDerivs)
}

// Entry is what an activation registers: its name, a one-line description, its default
// constants, and a constructor.
type Entry struct {
	Name        string
	Description string
	Defaults    Config
	// New builds the activation from a complete configuration (defaults merged with the user's).
	New func(cfg Config) (any, error) // returns Func or PairFunc
}

var registry = map[string]Entry{}

// Register adds an activation to the registry. It is called from init functions only.
func Register(e Entry) {
	if _, dup := registry[e.Name]; dup {
		panic("act: duplicate registration of " + e.Name)
	}
	registry[e.Name] = e
}

// Names lists the registered activations, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Lookup returns the registry entry for name.
func Lookup(name string) (Entry, bool) {
	e, ok := registry[name]
	return e, ok
}

// merge returns the defaults overridden by cfg, rejecting unknown keys.
func merge(e Entry, cfg Config) (Config, error) {
	out := Config{}
	for k, v := range e.Defaults {
		out[k] = v
	}
	for k, v := range cfg {
		if _, ok := e.Defaults[k]; !ok {
			keys := make([]string, 0, len(e.Defaults))
			for k := range e.Defaults {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			return nil, fmt.Errorf("activation %s has no setting %q (settings: %s)", e.Name, k, strings.Join(keys, ", "))
		}
		out[k] = v
	}
	return out, nil
}

func build(name string, cfg Config) (any, error) {
	e, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown activation %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	full, err := merge(e, cfg)
	if err != nil {
		return nil, err
	}
	return e.New(full)
}

// New builds the real activation name with cfg (nil: the defaults).
func New(name string, cfg Config) (Func, error) {
	v, err := build(name, cfg)
	if err != nil {
		return nil, err
	}
	f, ok := v.(Func)
	if !ok {
		return nil, fmt.Errorf("activation %s is complex-valued: use NewPair", name)
	}
	return f, nil
}

// NewPair builds the complex activation name with cfg (nil: the defaults).
func NewPair(name string, cfg Config) (PairFunc, error) {
	v, err := build(name, cfg)
	if err != nil {
		return nil, err
	}
	f, ok := v.(PairFunc)
	if !ok {
		return nil, fmt.Errorf("activation %s is real-valued: use New", name)
	}
	return f, nil
}
