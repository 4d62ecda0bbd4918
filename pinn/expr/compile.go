package expr

import "math"

// Compile parses src and compiles it against env; see Expr.Compile.
func Compile(src string, env *Env) (*Program, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e.Compile(env)
}

// Compile checks the expression against env and lowers it to a flat column program. Parameters
// and built-in constants are folded: `2*pi*nu` costs nothing at evaluation time, and an operation
// with one constant operand becomes a single immediate instruction (`nu*u_xx` is one multiply by
// a number).
func (e *Expr) Compile(env *Env) (*Program, error) {
	info, err := e.Check(env)
	if err != nil {
		return nil, err
	}
	c := &compiler{table: newTable(env), inputReg: map[string]int{}, unknownReg: map[int]int{}}
	p := &Program{src: e.src, inputs: info.Inputs, nUnknown: len(env.Unknowns)}
	for i, s := range info.Inputs {
		c.inputReg[s.Name] = i
	}
	c.nreg = len(info.Inputs)
	for _, u := range info.Unknowns {
		c.unknownReg[u] = c.nreg
		p.unknowns = append(p.unknowns, regValue{reg: c.nreg, index: u})
		c.nreg++
	}
	root := c.lower(e.root)
	if root.isConst || !c.isOutput(root.reg) {
		// The result must be a column the program owns, never a caller's input or a broadcast.
		r := c.reg(root)
		root = c.emit(instr{op: opCopy, a: r, needsA: !root.isConst})
	}
	p.consts = c.consts
	p.code = c.code
	p.nreg = c.nreg
	p.root = root.reg
	return p, nil
}

// operand is a compile-time value: a folded constant or a register.
type operand struct {
	isConst bool
	v       float64
	reg     int
}

type compiler struct {
	table      *table
	inputReg   map[string]int
	unknownReg map[int]int
	consts     []regValue // constants materialised as columns (rare: min/max/pow operands)
	code       []instr
	nreg       int
}

// regValue pairs a register with a constant value or an unknown's index.
type regValue struct {
	reg   int
	v     float64
	index int
}

func (c *compiler) isOutput(reg int) bool {
	for _, in := range c.code {
		if in.out == reg {
			return true
		}
	}
	return false
}

func konst(v float64) operand { return operand{isConst: true, v: v} }

func (c *compiler) emit(in instr) operand {
	in.out = c.nreg
	c.nreg++
	c.code = append(c.code, in)
	return operand{reg: in.out}
}

// reg turns an operand into a register, materialising a constant as a broadcast column.
func (c *compiler) reg(o operand) int {
	if !o.isConst {
		return o.reg
	}
	r := c.nreg
	c.nreg++
	c.consts = append(c.consts, regValue{reg: r, v: o.v})
	return r
}

func (c *compiler) lower(n node) operand {
	switch n := n.(type) {
	case *numNode:
		return konst(n.v)
	case *identNode:
		r, _ := c.table.resolve(n.name) // Check has already accepted every name
		switch r.kind {
		case resConst:
			return konst(r.value)
		case resUnknown:
			return operand{reg: c.unknownReg[r.index]}
		default:
			return operand{reg: c.inputReg[r.sym.Name]}
		}
	case *negNode:
		x := c.lower(n.x)
		if x.isConst {
			return konst(-x.v)
		}
		return c.emit(instr{op: opNeg, a: x.reg, needsA: true})
	case *binaryNode:
		return c.binary(n.op, c.lower(n.x), c.lower(n.y))
	case *callNode:
		f := funcs[n.fn]
		if f.nargs == 1 {
			x := c.lower(n.args[0])
			if x.isConst {
				return konst(f.f1(x.v))
			}
			return c.emit(instr{op: f.op, a: x.reg, needsA: true})
		}
		x, y := c.lower(n.args[0]), c.lower(n.args[1])
		if x.isConst && y.isConst {
			return konst(f.f2(x.v, y.v))
		}
		if f.op == opPow && y.isConst {
			switch y.v {
			case 1:
				return x
			case -1:
				return c.emit(instr{op: opRDivK, a: x.reg, k: 1, needsA: true})
			}
			return c.emit(instr{op: opPowK, a: x.reg, k: y.v, needsA: true})
		}
		return c.emit(instr{op: f.op, a: c.reg(x), b: c.reg(y), needsA: !x.isConst, needsB: !y.isConst})
	}
	panic("expr: unknown node type")
}

func (c *compiler) binary(op byte, x, y operand) operand {
	if x.isConst && y.isConst {
		switch op {
		case '+':
			return konst(x.v + y.v)
		case '-':
			return konst(x.v - y.v)
		case '*':
			return konst(x.v * y.v)
		default:
			return konst(x.v / y.v)
		}
	}
	if y.isConst {
		switch {
		case op == '+' && y.v == 0, op == '-' && y.v == 0, op == '*' && y.v == 1, op == '/' && y.v == 1:
			return x
		case op == '+':
			return c.emit(instr{op: opAddK, a: x.reg, k: y.v, needsA: true})
		case op == '-':
			return c.emit(instr{op: opAddK, a: x.reg, k: -y.v, needsA: true})
		case op == '*':
			return c.emit(instr{op: opMulK, a: x.reg, k: y.v, needsA: true})
		default:
			return c.emit(instr{op: opDivK, a: x.reg, k: y.v, needsA: true})
		}
	}
	if x.isConst {
		switch {
		case op == '+' && x.v == 0, op == '*' && x.v == 1:
			return y
		case op == '+':
			return c.emit(instr{op: opAddK, a: y.reg, k: x.v, needsA: true})
		case op == '-' && x.v == 0 && !math.Signbit(x.v):
			return c.emit(instr{op: opNeg, a: y.reg, needsA: true})
		case op == '-':
			return c.emit(instr{op: opRSubK, a: y.reg, k: x.v, needsA: true})
		case op == '*':
			return c.emit(instr{op: opMulK, a: y.reg, k: x.v, needsA: true})
		default:
			return c.emit(instr{op: opRDivK, a: y.reg, k: x.v, needsA: true})
		}
	}
	code := map[byte]opcode{'+': opAdd, '-': opSub, '*': opMul, '/': opDiv}[op]
	return c.emit(instr{op: code, a: x.reg, b: y.reg, needsA: true, needsB: true})
}
