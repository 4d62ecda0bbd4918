package expr

import (
	"fmt"
	"go/token"
	"slices"
	"strings"
)

// Env says what the names in an expression mean for one problem. The solver builds one Env per
// problem file and compiles every equation and condition against it.
type Env struct {
	// Vars are the independent variables in coordinate order (e.g. x, y, t). Derivative
	// suffixes are written with these names, so they must not contain an underscore.
	Vars []string
	// Fields are the unknown functions the network outputs (e.g. u, v, p). A field name must not
	// contain an underscore: `u_xy` is read as field u differentiated by x and y.
	Fields []string
	// Params are named constants with their values (nu, k, Re, …); they are folded into the
	// program at compile time.
	Params map[string]float64
	// Unknowns are trainable scalar parameters of an inverse problem. Their values are passed to
	// Program.Eval in this order and Program.Backward returns their gradients in the same order.
	Unknowns []string
	// MaxOrder is the highest derivative order an expression may ask for; the network carries
	// derivatives up to this order (0 allows plain field values only).
	MaxOrder int
}

// builtinConsts are the constants every expression may use without declaring them.
var builtinConsts = map[string]float64{
	"pi": 3.141592653589793238462643383279502884197,
	"e":  2.718281828459045235360287471352662497757,
}

func isBuiltinConst(name string) bool {
	_, ok := builtinConsts[name]
	return ok
}

// Validate reports names that cannot work: not identifiers, duplicated, taken by a built-in
// function or constant, or (for variables and fields) containing the derivative separator.
func (env *Env) Validate() error {
	seen := map[string]string{}
	var errs []string
	check := func(kind, name string, noUnderscore bool) {
		switch {
		case !token.IsIdentifier(name):
			errs = append(errs, fmt.Sprintf("%s name %q is not an identifier", kind, name))
		case name == "_":
			errs = append(errs, fmt.Sprintf("%s name `_` is reserved", kind))
		case noUnderscore && strings.Contains(name, "_"):
			errs = append(errs, fmt.Sprintf("%s name `%s` contains `_`, which separates a field from its derivative variables", kind, name))
		case funcs[name] != nil:
			errs = append(errs, fmt.Sprintf("%s name `%s` is a built-in function", kind, name))
		case isBuiltinConst(name):
			errs = append(errs, fmt.Sprintf("%s name `%s` is a built-in constant", kind, name))
		case seen[name] != "":
			errs = append(errs, fmt.Sprintf("%s name `%s` is already a %s", kind, name, seen[name]))
		default:
			seen[name] = kind
		}
	}
	for _, v := range env.Vars {
		check("variable", v, true)
	}
	for _, f := range env.Fields {
		check("field", f, true)
	}
	for _, p := range sortedKeys(env.Params) {
		check("parameter", p, false)
	}
	for _, u := range env.Unknowns {
		check("unknown parameter", u, false)
	}
	if env.MaxOrder < 0 {
		errs = append(errs, fmt.Sprintf("maximum derivative order %d < 0", env.MaxOrder))
	}
	if len(errs) > 0 {
		return fmt.Errorf("expression symbols: %s", strings.Join(errs, "; "))
	}
	return nil
}

// Kind says what an input symbol of a program is.
type Kind int

const (
	// Variable is an independent coordinate (x, t, …).
	Variable Kind = iota
	// Field is a field value or one of its partial derivatives (u, u_x, u_xt, …).
	Field
)

func (k Kind) String() string {
	if k == Variable {
		return "variable"
	}
	return "field"
}

// Symbol is a column a program reads: one value per collocation point.
type Symbol struct {
	Kind Kind
	// Name is the canonical spelling: derivative variables in Env.Vars order, so `u_yx` with
	// Vars = [x y] is named `u_xy`.
	Name string
	// Index is the position in Env.Vars (Variable) or Env.Fields (Field).
	Index int
	// Wrt lists the derivative variables of a Field symbol as indices into Env.Vars, ascending,
	// one entry per differentiation (`u_xx` has Wrt = [0 0]). Empty for a plain value.
	Wrt []int
}

// Order is the derivative order of a field symbol (0 for a value or a variable).
func (s Symbol) Order() int { return len(s.Wrt) }

// less orders symbols for stable program inputs: variables first, then fields by index, order
// and derivative variables.
func (s Symbol) less(t Symbol) bool {
	if s.Kind != t.Kind {
		return s.Kind < t.Kind
	}
	if s.Index != t.Index {
		return s.Index < t.Index
	}
	if len(s.Wrt) != len(t.Wrt) {
		return len(s.Wrt) < len(t.Wrt)
	}
	return slices.Compare(s.Wrt, t.Wrt) < 0
}

// DerivName spells the canonical name of field differentiated by the variables wrt (indices
// into Vars, any order): DerivName("u", [1 0], [x y]) is "u_xy".
func DerivName(field string, wrt []int, vars []string) string {
	if len(wrt) == 0 {
		return field
	}
	w := slices.Clone(wrt)
	slices.Sort(w)
	var b strings.Builder
	b.WriteString(field)
	b.WriteByte('_')
	for _, i := range w {
		b.WriteString(vars[i])
	}
	return b.String()
}

// splitSuffix reads a derivative suffix such as "xy" or "x1x2" as a sequence of variable names.
// It returns every distinct reading (as sorted index lists); more than one means the suffix is
// ambiguous for these names.
func splitSuffix(suffix string, vars []string) [][]int {
	var out [][]int
	var cur []int
	var walk func(rest string)
	walk = func(rest string) {
		if len(out) > 1 {
			return
		}
		if rest == "" {
			w := slices.Clone(cur)
			slices.Sort(w)
			for _, o := range out {
				if slices.Equal(o, w) {
					return
				}
			}
			out = append(out, w)
			return
		}
		for i, v := range vars {
			if strings.HasPrefix(rest, v) {
				cur = append(cur, i)
				walk(rest[len(v):])
				cur = cur[:len(cur)-1]
			}
		}
	}
	walk(suffix)
	return out
}

func sortedKeys(m map[string]float64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
