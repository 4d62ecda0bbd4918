package expr

// AffineIn reports whether the program's result is affine in the given inputs (indices into
// Inputs()) with constant coefficients — r = r₀(the other inputs, unknowns) + Σₖ coef[k]·in[idx[k]]
// — and returns the coefficients (0 for an input that cancels or is multiplied by zero).
//
// It is a structural analysis of the compiled code, not a numerical test: an input may pass only
// through negation, sums, differences and products or quotients by folded constants; any
// nonlinear function of it, a product with anything that is not a constant (a variable, another
// field, an unknown), or a division by it makes the answer false. The PINN solver uses it to carry
// u_xx + u_yy as one jet block (the forward Laplacian) when an equation reads the second
// derivatives only through such a combination.
func (p *Program) AffineIn(idx []int) ([]float64, bool) {
	// Per register: nil when it does not depend on the inputs in idx, else its coefficients.
	// constant marks materialised constants (the only registers a coefficient may be scaled by).
	coef := make([][]float64, p.nreg)
	constant := make([]bool, p.nreg)
	constVal := make([]float64, p.nreg)
	for k, i := range idx {
		if i < 0 || i >= len(p.inputs) {
			return nil, false
		}
		if coef[i] != nil {
			return nil, false // the same input twice
		}
		coef[i] = make([]float64, len(idx))
		coef[i][k] = 1
	}
	for _, c := range p.consts {
		constant[c.reg] = true
		constVal[c.reg] = c.v
	}
	scaled := func(c []float64, s float64) []float64 {
		out := make([]float64, len(c))
		for k, v := range c {
			out[k] = s * v
		}
		return out
	}
	sum := func(a, b []float64, sb float64) []float64 {
		out := make([]float64, len(idx))
		for k := range out {
			if a != nil {
				out[k] = a[k]
			}
			if b != nil {
				out[k] += sb * b[k]
			}
		}
		return out
	}
	binary := func(op opcode) bool { return op >= opAdd && op <= opMax }
	for _, in := range p.code {
		a := coef[in.a]
		var b []float64
		if binary(in.op) {
			b = coef[in.b]
		}
		if a == nil && b == nil {
			continue // independent of the inputs: stays nil
		}
		var out []float64
		switch in.op {
		case opCopy, opAddK:
			out = a
		case opNeg, opRSubK:
			out = scaled(a, -1)
		case opMulK:
			out = scaled(a, in.k)
		case opDivK:
			out = scaled(a, 1/in.k)
		case opAdd:
			out = sum(a, b, 1)
		case opSub:
			out = sum(a, b, -1)
		case opMul:
			switch {
			case a != nil && b == nil && constant[in.b]:
				out = scaled(a, constVal[in.b])
			case b != nil && a == nil && constant[in.a]:
				out = scaled(b, constVal[in.a])
			default:
				return nil, false
			}
		case opDiv:
			if b != nil || !constant[in.b] {
				return nil, false
			}
			out = scaled(a, 1/constVal[in.b])
		default:
			return nil, false // a nonlinear function of an input
		}
		coef[in.out] = out
	}
	if coef[p.root] == nil {
		return make([]float64, len(idx)), true
	}
	return coef[p.root], true
}
