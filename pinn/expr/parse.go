package expr

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
	"strings"
)

// Expr is a parsed expression: syntax only, not yet tied to an Env. It is immutable and may be
// checked or compiled against any number of environments.
type Expr struct {
	src  string
	root node
}

// node is the expression tree the checker, compiler and differentiator share. It is smaller
// than go/ast: everything the language does not allow is rejected while converting.
type node interface{ offset() int }

type numNode struct {
	off int
	v   float64
}

type identNode struct {
	off  int
	name string
}

// negNode is unary minus (unary plus is dropped while parsing).
type negNode struct {
	off int
	x   node
}

type binaryNode struct {
	off  int
	op   byte // one of + - * /
	x, y node
}

type callNode struct {
	off  int
	fn   string
	args []node
}

func (n *numNode) offset() int    { return n.off }
func (n *identNode) offset() int  { return n.off }
func (n *negNode) offset() int    { return n.off }
func (n *binaryNode) offset() int { return n.off }
func (n *callNode) offset() int   { return n.off }

// Source returns the expression as it was written.
func (e *Expr) Source() string { return e.src }

// Parse reads an expression in Go syntax: numbers, names, + - * /, unary minus, parentheses and
// calls of the built-in functions. It reports every construct the language does not allow (Go's
// `^` is exclusive-or, so powers are written pow(a, b); `**` does not exist in Go).
func Parse(src string) (*Expr, error) {
	sink := &errorSink{src: src}
	if strings.TrimSpace(src) == "" {
		sink.add(0, "empty expression")
		return nil, sink.err()
	}
	fset := token.NewFileSet()
	tree, err := parser.ParseExprFrom(fset, "", src, parser.SkipObjectResolution)
	if err != nil {
		var list scanner.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				sink.add(e.Pos.Offset, "syntax error: %s", e.Msg)
			}
		} else {
			sink.add(0, "syntax error: %v", err)
		}
		return nil, sink.err()
	}
	c := converter{src: src, fset: fset, sink: sink}
	root := c.convert(tree)
	if err := sink.err(); err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root}, nil
}

type converter struct {
	src  string
	fset *token.FileSet
	sink *errorSink
}

func (c *converter) off(p token.Pos) int { return c.fset.Position(p).Offset }

// text is the source fragment of an AST node, for messages.
func (c *converter) text(n ast.Node) string {
	return c.src[c.off(n.Pos()):c.off(n.End())]
}

func (c *converter) fail(n ast.Node, format string, args ...any) node {
	c.sink.add(c.off(n.Pos()), format, args...)
	return &numNode{off: c.off(n.Pos())} // placeholder so that conversion can go on and find more errors
}

const allowed = "expressions use numbers, names, + - * /, parentheses and function calls"

func (c *converter) convert(n ast.Expr) node {
	switch n := n.(type) {
	case *ast.BasicLit:
		return c.literal(n)
	case *ast.Ident:
		return &identNode{off: c.off(n.Pos()), name: n.Name}
	case *ast.ParenExpr:
		return c.convert(n.X)
	case *ast.UnaryExpr:
		return c.unary(n)
	case *ast.BinaryExpr:
		return c.binary(n)
	case *ast.CallExpr:
		return c.call(n)
	case *ast.SelectorExpr:
		if pkg, ok := n.X.(*ast.Ident); ok && pkg.Name == "math" {
			if name := strings.ToLower(n.Sel.Name); funcs[name] != nil || name == "pi" || name == "e" {
				return c.fail(n, "`%s`: selectors are not allowed; write `%s`", c.text(n), name)
			}
		}
		return c.fail(n, "`%s`: selectors (a.b) are not allowed; %s", c.text(n), allowed)
	case *ast.StarExpr:
		return c.fail(n, "`%s`: unexpected `*`", c.text(n))
	case *ast.IndexExpr, *ast.IndexListExpr, *ast.SliceExpr:
		return c.fail(n, "`%s`: indexing is not allowed; %s", c.text(n), allowed)
	case *ast.FuncLit:
		return c.fail(n, "`%s`: function literals are not allowed; %s", c.text(n), allowed)
	default:
		return c.fail(n, "`%s` is not allowed; %s", c.text(n), allowed)
	}
}

func (c *converter) literal(n *ast.BasicLit) node {
	switch n.Kind {
	case token.INT, token.FLOAT:
		v, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
		if err != nil {
			return c.fail(n, "number `%s`: %v", n.Value, errors.Unwrap(err))
		}
		return &numNode{off: c.off(n.Pos()), v: v}
	case token.IMAG:
		return c.fail(n, "`%s`: imaginary numbers are not supported", n.Value)
	default:
		return c.fail(n, "`%s`: strings and characters are not numbers", n.Value)
	}
}

func (c *converter) unary(n *ast.UnaryExpr) node {
	x := c.convert(n.X)
	switch n.Op {
	case token.SUB:
		return &negNode{off: c.off(n.Pos()), x: x}
	case token.ADD:
		return x
	case token.XOR:
		return c.fail(n, "`%s`: unary `^` is bitwise complement in Go syntax, not allowed", c.text(n))
	default:
		return c.fail(n, "`%s`: operator `%s` is not allowed; %s", c.text(n), n.Op, allowed)
	}
}

func (c *converter) binary(n *ast.BinaryExpr) node {
	off := c.off(n.OpPos)
	switch n.Op {
	case token.ADD, token.SUB, token.MUL, token.QUO:
		if star, ok := n.Y.(*ast.StarExpr); ok && n.Op == token.MUL {
			c.convert(n.X)
			c.convert(star.X)
			c.powerError(n.X, star.X, "`**` is not an operator in Go syntax")
			return &numNode{off: off}
		}
		return &binaryNode{off: off, op: n.Op.String()[0], x: c.convert(n.X), y: c.convert(n.Y)}
	case token.XOR:
		c.convert(n.X)
		c.convert(n.Y)
		c.powerError(n.X, n.Y, "`^` is exclusive-or in Go syntax, not a power")
		return &numNode{off: off}
	default:
		c.convert(n.X)
		c.convert(n.Y)
		c.sink.add(off, "`%s`: operator `%s` is not allowed; %s", c.text(n), n.Op, allowed)
		return &numNode{off: off}
	}
}

func (c *converter) call(n *ast.CallExpr) node {
	args := make([]node, len(n.Args))
	for i, a := range n.Args {
		args[i] = c.convert(a)
	}
	id, ok := n.Fun.(*ast.Ident)
	if !ok {
		c.convert(n.Fun)
		return c.fail(n, "`%s`: only built-in functions can be called", c.text(n))
	}
	if n.Ellipsis.IsValid() {
		return c.fail(n, "`%s`: `...` is not allowed", c.text(n))
	}
	f := funcs[id.Name]
	if f == nil {
		return c.fail(n, "`%s`: unknown function `%s`%s (functions: %s)", c.text(n), id.Name,
			suggest(id.Name, funcNames()), strings.Join(funcNames(), ", "))
	}
	if len(args) != f.nargs {
		plural := "s"
		if f.nargs == 1 {
			plural = ""
		}
		return c.fail(n, "`%s`: %s takes %d argument%s, got %d", c.text(n), id.Name, f.nargs, plural, len(args))
	}
	return &callNode{off: c.off(n.Pos()), fn: id.Name, args: args}
}

// powerError reports a power written with `^` or `**`. Go binds these operators differently from
// mathematics (`1 + u^2` parses as (1+u)^2), so the message names the operands a reader means:
// the innermost operand on each side of the operator.
func (c *converter) powerError(x, y ast.Expr, what string) {
	base, exp := innermost(x, true), innermost(y, false)
	start, end := c.off(base.Pos()), c.off(exp.End())
	c.sink.add(start, "`%s`: %s; write pow(%s, %s)", c.src[start:end], what, c.text(base), c.text(exp))
}

// innermost descends to the operand adjacent to an operator: the rightmost one of a left-hand
// side (right = true) or the leftmost one of a right-hand side.
func innermost(e ast.Expr, right bool) ast.Expr {
	for {
		switch n := e.(type) {
		case *ast.BinaryExpr:
			if right {
				e = n.Y
			} else {
				e = n.X
			}
		case *ast.UnaryExpr:
			if !right {
				return e // -2 in u^-2 is the exponent as written
			}
			e = n.X
		case *ast.StarExpr:
			e = n.X
		default:
			return e
		}
	}
}
