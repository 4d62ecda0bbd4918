package expr

import (
	"strconv"
	"strings"
)

// String prints the expression in the syntax Parse reads, with the minimum of parentheses.
func (e *Expr) String() string {
	var b strings.Builder
	printNode(&b, e.root, 0)
	return b.String()
}

// Precedence levels: sums < products < unary minus < atoms.
const (
	precSum = iota + 1
	precProduct
	precUnary
	precAtom
)

func precedence(n node) int {
	switch n := n.(type) {
	case *binaryNode:
		if n.op == '+' || n.op == '-' {
			return precSum
		}
		return precProduct
	case *negNode:
		return precUnary
	case *numNode:
		if n.v < 0 {
			return precUnary
		}
	}
	return precAtom
}

// printNode writes n, parenthesised when its precedence is below min.
func printNode(b *strings.Builder, n node, min int) {
	p := precedence(n)
	if p < min {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch n := n.(type) {
	case *numNode:
		b.WriteString(strconv.FormatFloat(n.v, 'g', -1, 64))
	case *identNode:
		b.WriteString(n.name)
	case *negNode:
		b.WriteByte('-')
		printNode(b, n.x, precUnary)
	case *binaryNode:
		printNode(b, n.x, p)
		b.WriteByte(' ')
		b.WriteByte(n.op)
		b.WriteByte(' ')
		// a - (b - c) and a / (b * c) need the parentheses; a + (b + c) does not.
		right := p
		if n.op == '-' || n.op == '/' {
			right = p + 1
		}
		printNode(b, n.y, right)
	case *callNode:
		b.WriteString(n.fn)
		b.WriteByte('(')
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			printNode(b, a, 0)
		}
		b.WriteByte(')')
	}
}
