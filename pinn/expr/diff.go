package expr

import (
	"fmt"
	"slices"
)

// Derivative returns the partial derivative of e with respect to the variable v of env, as a new
// expression. Fields are functions of all variables, so a field symbol gains v in its suffix
// (u → u_x, u_t → u_xt); parameters, unknowns and constants have zero derivative. This is how a
// hard-constraint output transform such as `x*(1-x)*N + sin(pi*x)` yields the derivatives of the
// constrained field from those of the raw network output N.
//
// The result is simplified only by folding numbers and the identities 0+a, 1*a and 0*a, so it
// stays readable (0*a is dropped even where a would be infinite: a term whose derivative is zero
// contributes nothing). Derivatives of
// abs, min and max use sign, whose derivative is taken as 0; these functions have a kink and
// their derivative there is a subgradient. The derivative order is not checked here: compiling
// the result against env does that.
func (e *Expr) Derivative(env *Env, v string) (*Expr, error) {
	if err := env.Validate(); err != nil {
		return nil, err
	}
	vi := slices.Index(env.Vars, v)
	if vi < 0 {
		return nil, fmt.Errorf("derivative of `%s`: `%s` is not a variable (variables: %v)", e.src, v, env.Vars)
	}
	if _, err := e.Check(&Env{Vars: env.Vars, Fields: env.Fields, Params: env.Params,
		Unknowns: env.Unknowns, MaxOrder: 1 << 20}); err != nil {
		return nil, err
	}
	d := &differ{t: newTable(env), v: vi}
	out := d.diff(e.root)
	src := (&Expr{root: out}).String()
	return Parse(src)
}

type differ struct {
	t *table
	v int
}

func num(v float64) node { return &numNode{v: v} }

func isNum(n node, v float64) bool {
	k, ok := n.(*numNode)
	return ok && k.v == v
}

// bothNum returns the values of a and b when both are numbers.
func bothNum(a, b node) (float64, float64, bool) {
	x, ok1 := a.(*numNode)
	y, ok2 := b.(*numNode)
	if !ok1 || !ok2 {
		return 0, 0, false
	}
	return x.v, y.v, true
}

func add(a, b node) node {
	if x, y, ok := bothNum(a, b); ok {
		return num(x + y)
	}
	switch {
	case isNum(a, 0):
		return b
	case isNum(b, 0):
		return a
	}
	return &binaryNode{op: '+', x: a, y: b}
}

func sub(a, b node) node {
	if x, y, ok := bothNum(a, b); ok {
		return num(x - y)
	}
	switch {
	case isNum(b, 0):
		return a
	case isNum(a, 0):
		return neg(b)
	}
	return &binaryNode{op: '-', x: a, y: b}
}

func mul(a, b node) node {
	if x, y, ok := bothNum(a, b); ok {
		return num(x * y)
	}
	switch {
	case isNum(a, 0), isNum(b, 0):
		return num(0)
	case isNum(a, 1):
		return b
	case isNum(b, 1):
		return a
	}
	return &binaryNode{op: '*', x: a, y: b}
}

func div(a, b node) node {
	if isNum(a, 0) {
		return num(0)
	}
	if isNum(b, 1) {
		return a
	}
	return &binaryNode{op: '/', x: a, y: b}
}

func neg(a node) node {
	if k, ok := a.(*numNode); ok {
		return num(-k.v)
	}
	if n, ok := a.(*negNode); ok {
		return n.x
	}
	return &negNode{x: a}
}

func call(fn string, args ...node) node { return &callNode{fn: fn, args: args} }

func (d *differ) diff(n node) node {
	switch n := n.(type) {
	case *numNode:
		return num(0)
	case *identNode:
		r, _ := d.t.resolve(n.name)
		if r.kind != resSymbol {
			return num(0)
		}
		if r.sym.Kind == Variable {
			if r.sym.Index == d.v {
				return num(1)
			}
			return num(0)
		}
		name := DerivName(d.t.env.Fields[r.sym.Index], append(slices.Clone(r.sym.Wrt), d.v), d.t.env.Vars)
		return &identNode{name: name}
	case *negNode:
		return neg(d.diff(n.x))
	case *binaryNode:
		dx, dy := d.diff(n.x), d.diff(n.y)
		switch n.op {
		case '+':
			return add(dx, dy)
		case '-':
			return sub(dx, dy)
		case '*':
			return add(mul(dx, n.y), mul(n.x, dy))
		default: // (x/y)' = x'/y - x*y'/(y*y)
			return sub(div(dx, n.y), div(mul(n.x, dy), mul(n.y, n.y)))
		}
	case *callNode:
		return d.call(n)
	}
	panic("expr: unknown node type")
}

func (d *differ) call(n *callNode) node {
	x := n.args[0]
	if n.fn == "pow" {
		y := n.args[1]
		dx, dy := d.diff(x), d.diff(y)
		if k, ok := y.(*numNode); ok { // (x^k)' = k x^(k-1) x'
			return mul(mul(num(k.v), call("pow", x, num(k.v-1))), dx)
		}
		// (x^y)' = x^y (y' log x + y x'/x)
		return mul(n, add(mul(dy, call("log", x)), div(mul(y, dx), x)))
	}
	if n.fn == "min" || n.fn == "max" {
		// min(a,b) = (a+b-|a-b|)/2, max(a,b) = (a+b+|a-b|)/2
		y := n.args[1]
		dx, dy := d.diff(x), d.diff(y)
		jump := mul(call("sign", sub(x, y)), sub(dx, dy))
		if n.fn == "min" {
			return div(sub(add(dx, dy), jump), num(2))
		}
		return div(add(add(dx, dy), jump), num(2))
	}
	dx := d.diff(x)
	if isNum(dx, 0) {
		return num(0)
	}
	var f node // f'(x)
	switch n.fn {
	case "sin":
		f = call("cos", x)
	case "cos":
		f = neg(call("sin", x))
	case "tan":
		f = div(num(1), mul(call("cos", x), call("cos", x)))
	case "exp":
		f = n
	case "log":
		return div(dx, x)
	case "sqrt":
		return div(dx, mul(num(2), n))
	case "tanh":
		f = sub(num(1), mul(n, n))
	case "sinh":
		f = call("cosh", x)
	case "cosh":
		f = call("sinh", x)
	case "abs":
		f = call("sign", x)
	case "atan":
		return div(dx, add(num(1), mul(x, x)))
	case "sign":
		return num(0)
	default:
		panic("expr: no derivative rule for " + n.fn)
	}
	return mul(f, dx)
}
