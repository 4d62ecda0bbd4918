package expr

import "math"

// opcode is one column operation of a compiled program.
type opcode uint8

const (
	opCopy opcode = iota // out = a
	opNeg                // out = -a
	opAdd                // out = a + b
	opSub                // out = a - b
	opMul                // out = a * b
	opDiv                // out = a / b
	opPow                // out = a ** b
	opMin
	opMax
	opAddK  // out = a + k
	opRSubK // out = k - a
	opMulK  // out = a * k
	opDivK  // out = a / k
	opRDivK // out = k / a
	opPowK  // out = a ** k
	opSin
	opCos
	opTan
	opExp
	opLog
	opSqrt
	opTanh
	opSinh
	opCosh
	opAbs
	opAtan
	opSign
)

// instr writes register out from registers a (and b) and the immediate k.
type instr struct {
	op     opcode
	a, b   int
	out    int
	k      float64
	needsA bool // a's adjoint is wanted (false for materialised constants)
	needsB bool
}

// forward evaluates one instruction over whole columns. Each case is a single loop so that the
// interpretation cost is one switch per instruction, not per point.
func (in *instr) forward(v [][]float64) {
	out, a := v[in.out], v[in.a]
	a = a[:len(out)]
	k := in.k
	switch in.op {
	case opCopy:
		copy(out, a)
	case opNeg:
		for i, x := range a {
			out[i] = -x
		}
	case opAdd:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = x + b[i]
		}
	case opSub:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = x - b[i]
		}
	case opMul:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = x * b[i]
		}
	case opDiv:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = x / b[i]
		}
	case opPow:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = math.Pow(x, b[i])
		}
	case opMin:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = math.Min(x, b[i])
		}
	case opMax:
		b := v[in.b][:len(out)]
		for i, x := range a {
			out[i] = math.Max(x, b[i])
		}
	case opAddK:
		for i, x := range a {
			out[i] = x + k
		}
	case opRSubK:
		for i, x := range a {
			out[i] = k - x
		}
	case opMulK:
		for i, x := range a {
			out[i] = x * k
		}
	case opDivK:
		for i, x := range a {
			out[i] = x / k
		}
	case opRDivK:
		for i, x := range a {
			out[i] = k / x
		}
	case opPowK:
		switch k {
		case 2:
			for i, x := range a {
				out[i] = x * x
			}
		case 3:
			for i, x := range a {
				out[i] = x * x * x
			}
		default:
			for i, x := range a {
				out[i] = math.Pow(x, k)
			}
		}
	default:
		f := unaryFunc[in.op]
		for i, x := range a {
			out[i] = f(x)
		}
	}
}

var unaryFunc = [...]func(float64) float64{
	opSin: math.Sin, opCos: math.Cos, opTan: math.Tan, opExp: math.Exp, opLog: math.Log,
	opSqrt: math.Sqrt, opTanh: math.Tanh, opSinh: math.Sinh, opCosh: math.Cosh, opAbs: math.Abs,
	opAtan: math.Atan, opSign: sign,
}

// backward adds the instruction's contribution to the adjoints of its operands, given the
// adjoint g of its output. Values of the forward pass are still in v.
func (in *instr) backward(v, adj [][]float64) {
	g, out, a := adj[in.out], v[in.out], v[in.a]
	a = a[:len(g)]
	var ga, b, gb []float64
	if in.needsA {
		ga = adj[in.a][:len(g)]
	}
	if in.op <= opMax && in.op >= opAdd {
		b = v[in.b][:len(g)]
		if in.needsB {
			gb = adj[in.b][:len(g)]
		}
	}
	k := in.k
	switch in.op {
	case opCopy, opAddK:
		accumulate(ga, g, 1)
	case opNeg, opRSubK:
		accumulate(ga, g, -1)
	case opAdd:
		accumulate(ga, g, 1)
		accumulate(gb, g, 1)
	case opSub:
		accumulate(ga, g, 1)
		accumulate(gb, g, -1)
	case opMul:
		if ga != nil {
			for i, gi := range g {
				ga[i] += gi * b[i]
			}
		}
		if gb != nil {
			for i, gi := range g {
				gb[i] += gi * a[i]
			}
		}
	case opDiv:
		if ga != nil {
			for i, gi := range g {
				ga[i] += gi / b[i]
			}
		}
		if gb != nil {
			for i, gi := range g {
				gb[i] -= gi * out[i] / b[i]
			}
		}
	case opPow:
		if ga != nil {
			for i, gi := range g {
				ga[i] += gi * b[i] * math.Pow(a[i], b[i]-1)
			}
		}
		if gb != nil {
			for i, gi := range g {
				// d(a^b)/db = a^b ln a; where a^b is 0 (a = 0, b > 0) the limit is 0.
				if out[i] != 0 {
					gb[i] += gi * out[i] * math.Log(a[i])
				}
			}
		}
	case opMin, opMax:
		// The subgradient goes to a on ties, matching math.Min/Max returning a then.
		for i, gi := range g {
			takeA := a[i] <= b[i]
			if in.op == opMax {
				takeA = a[i] >= b[i]
			}
			if takeA {
				if ga != nil {
					ga[i] += gi
				}
			} else if gb != nil {
				gb[i] += gi
			}
		}
	case opMulK:
		accumulate(ga, g, k)
	case opDivK:
		for i, gi := range g {
			ga[i] += gi / k
		}
	case opRDivK:
		for i, gi := range g {
			ga[i] -= gi * out[i] / a[i]
		}
	case opPowK:
		switch k {
		case 2:
			for i, gi := range g {
				ga[i] += 2 * gi * a[i]
			}
		case 3:
			for i, gi := range g {
				ga[i] += 3 * gi * a[i] * a[i]
			}
		default:
			for i, gi := range g {
				ga[i] += gi * k * math.Pow(a[i], k-1)
			}
		}
	case opSin:
		for i, gi := range g {
			ga[i] += gi * math.Cos(a[i])
		}
	case opCos:
		for i, gi := range g {
			ga[i] -= gi * math.Sin(a[i])
		}
	case opTan:
		for i, gi := range g {
			ga[i] += gi * (1 + out[i]*out[i])
		}
	case opExp:
		for i, gi := range g {
			ga[i] += gi * out[i]
		}
	case opLog:
		for i, gi := range g {
			ga[i] += gi / a[i]
		}
	case opSqrt:
		for i, gi := range g {
			ga[i] += 0.5 * gi / out[i]
		}
	case opTanh:
		for i, gi := range g {
			ga[i] += gi * (1 - out[i]*out[i])
		}
	case opSinh:
		for i, gi := range g {
			ga[i] += gi * math.Cosh(a[i])
		}
	case opCosh:
		for i, gi := range g {
			ga[i] += gi * math.Sinh(a[i])
		}
	case opAbs:
		for i, gi := range g {
			switch {
			case a[i] > 0:
				ga[i] += gi
			case a[i] < 0:
				ga[i] -= gi
			}
		}
	case opAtan:
		for i, gi := range g {
			ga[i] += gi / (1 + a[i]*a[i])
		}
	case opSign:
		// piecewise constant: no contribution
	}
}

// accumulate adds s·g to dst; a nil dst (operand without adjoint) is skipped.
func accumulate(dst, g []float64, s float64) {
	if dst == nil {
		return
	}
	switch s {
	case 1:
		for i, gi := range g {
			dst[i] += gi
		}
	case -1:
		for i, gi := range g {
			dst[i] -= gi
		}
	default:
		for i, gi := range g {
			dst[i] += gi * s
		}
	}
}
