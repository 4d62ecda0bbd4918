package expr

import (
	"fmt"
	"slices"
	"strings"
)

// Info is what an expression needs from the solver.
type Info struct {
	// Inputs are the variable and field columns the expression reads, deduplicated, in a stable
	// order (variables, then fields by index and derivative order). The solver's derivative
	// plan is the union of the field symbols over all expressions.
	Inputs []Symbol
	// Unknowns are the indices (into Env.Unknowns) of the trainable parameters it uses.
	Unknowns []int
}

// Derivatives returns the field symbols of order ≥ 1 among the inputs.
func (in *Info) Derivatives() []Symbol {
	var out []Symbol
	for _, s := range in.Inputs {
		if s.Kind == Field && s.Order() > 0 {
			out = append(out, s)
		}
	}
	return out
}

// Check parses src and resolves it against env; see Expr.Check.
func Check(src string, env *Env) (*Info, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e.Check(env)
}

// Check resolves every name against env and reports all unknown symbols, derivatives beyond
// env.MaxOrder and misuse of functions, each with its column.
func (e *Expr) Check(env *Env) (*Info, error) {
	if err := env.Validate(); err != nil {
		return nil, err
	}
	t := newTable(env)
	sink := &errorSink{src: e.src}
	syms := map[string]Symbol{}
	unknowns := map[int]bool{}
	walk(e.root, func(n node) {
		id, ok := n.(*identNode)
		if !ok {
			return
		}
		r, msg := t.resolve(id.name)
		if msg != "" {
			sink.add(id.off, "%s", msg)
			return
		}
		switch r.kind {
		case resSymbol:
			syms[r.sym.Name] = r.sym
		case resUnknown:
			unknowns[r.index] = true
		}
	})
	if err := sink.err(); err != nil {
		return nil, err
	}
	info := &Info{}
	for _, s := range syms {
		info.Inputs = append(info.Inputs, s)
	}
	slices.SortFunc(info.Inputs, func(a, b Symbol) int {
		if a.less(b) {
			return -1
		}
		if b.less(a) {
			return 1
		}
		return 0
	})
	for u := range unknowns {
		info.Unknowns = append(info.Unknowns, u)
	}
	slices.Sort(info.Unknowns)
	return info, nil
}

// walk visits every node of the tree, parents before children.
func walk(n node, visit func(node)) {
	visit(n)
	switch n := n.(type) {
	case *negNode:
		walk(n.x, visit)
	case *binaryNode:
		walk(n.x, visit)
		walk(n.y, visit)
	case *callNode:
		for _, a := range n.args {
			walk(a, visit)
		}
	}
}

type resKind int

const (
	resSymbol  resKind = iota // a column: variable or field symbol
	resConst                  // a parameter or built-in constant, folded
	resUnknown                // a trainable parameter
)

type resolved struct {
	kind  resKind
	sym   Symbol
	value float64
	index int // into Env.Unknowns
}

// table indexes an Env's names for resolution.
type table struct {
	env      *Env
	vars     map[string]int
	fields   map[string]int
	unknowns map[string]int
}

func newTable(env *Env) *table {
	t := &table{env: env, vars: map[string]int{}, fields: map[string]int{}, unknowns: map[string]int{}}
	for i, v := range env.Vars {
		t.vars[v] = i
	}
	for i, f := range env.Fields {
		t.fields[f] = i
	}
	for i, u := range env.Unknowns {
		t.unknowns[u] = i
	}
	return t
}

// resolve says what a name means, or returns a message naming it and saying why it is wrong.
func (t *table) resolve(name string) (resolved, string) {
	if i, ok := t.vars[name]; ok {
		return resolved{kind: resSymbol, sym: Symbol{Kind: Variable, Name: name, Index: i}}, ""
	}
	if i, ok := t.fields[name]; ok {
		return resolved{kind: resSymbol, sym: Symbol{Kind: Field, Name: name, Index: i}}, ""
	}
	if v, ok := t.env.Params[name]; ok {
		return resolved{kind: resConst, value: v}, ""
	}
	if i, ok := t.unknowns[name]; ok {
		return resolved{kind: resUnknown, index: i}, ""
	}
	if v, ok := builtinConsts[name]; ok {
		return resolved{kind: resConst, value: v}, ""
	}
	if funcs[name] != nil {
		return resolved{}, fmt.Sprintf("`%s` is a function: call it as %s(…)", name, name)
	}
	base, suffix, isDeriv := strings.Cut(name, "_")
	if !isDeriv || base == "" {
		return resolved{}, fmt.Sprintf("unknown symbol `%s`: not a variable, field or parameter of this problem%s",
			name, suggest(name, t.names()))
	}
	if suffix == "" {
		return resolved{}, fmt.Sprintf("unknown symbol `%s`: nothing follows `_`; write the derivative variables, as in `%s_%s`",
			name, base, t.env.Vars[0])
	}
	fi, isField := t.fields[base]
	if !isField {
		if _, isVar := t.vars[base]; isVar {
			return resolved{}, fmt.Sprintf("unknown symbol `%s`: `%s` is a variable; only fields (%s) have derivatives",
				name, base, strings.Join(t.env.Fields, ", "))
		}
		return resolved{}, fmt.Sprintf("unknown symbol `%s`: `%s` is not a field of this problem (fields: %s)",
			name, base, strings.Join(t.env.Fields, ", "))
	}
	readings := splitSuffix(suffix, t.env.Vars)
	switch {
	case len(readings) == 0:
		return resolved{}, fmt.Sprintf("unknown symbol `%s`: `%s` is not a sequence of variables (variables: %s)",
			name, suffix, strings.Join(t.env.Vars, ", "))
	case len(readings) > 1:
		return resolved{}, fmt.Sprintf("unknown symbol `%s`: `%s` can be read as more than one sequence of variables (variables: %s)",
			name, suffix, strings.Join(t.env.Vars, ", "))
	}
	wrt := readings[0]
	if len(wrt) > t.env.MaxOrder {
		if t.env.MaxOrder == 0 {
			return resolved{}, fmt.Sprintf("unknown symbol `%s`: this problem asks no derivatives", name)
		}
		return resolved{}, fmt.Sprintf("unknown symbol `%s`: this problem asks derivatives up to order %d", name, t.env.MaxOrder)
	}
	return resolved{kind: resSymbol, sym: Symbol{
		Kind: Field, Name: DerivName(base, wrt, t.env.Vars), Index: fi, Wrt: wrt,
	}}, ""
}

func (t *table) names() []string {
	out := slices.Concat(t.env.Vars, t.env.Fields, t.env.Unknowns, sortedKeys(t.env.Params))
	for c := range builtinConsts {
		out = append(out, c)
	}
	return out
}
