package expr

// The static part of a program: instructions whose operands depend only on variables and
// constants (a source term sin(πx)·sin(πy), the distance function of a hard constraint and its
// derivatives). For a fixed set of points they give the same columns at every evaluation, so a
// solver that evaluates the same points many times (every L-BFGS iteration) computes them once.

// analyse marks the static registers and builds the dynamic code (the instructions that are not
// static, with the adjoints of static operands switched off).
func (p *Program) analyse() {
	if p.static != nil {
		return
	}
	p.static = make([]bool, p.nreg)
	for i, s := range p.inputs {
		p.static[i] = s.Kind == Variable
	}
	for _, c := range p.consts {
		p.static[c.reg] = true
	}
	for _, in := range p.code {
		st := p.static[in.a]
		if in.op >= opAdd && in.op <= opMax {
			st = st && p.static[in.b]
		}
		p.static[in.out] = st
	}
	p.dyn = p.dyn[:0]
	for _, in := range p.code {
		if p.static[in.out] {
			continue
		}
		in.needsA = in.needsA && !p.static[in.a]
		if in.op >= opAdd && in.op <= opMax {
			in.needsB = in.needsB && !p.static[in.b]
		}
		p.dyn = append(p.dyn, in)
	}
}

// StaticInstructions is the number of instructions that depend only on variables and constants.
func (p *Program) StaticInstructions() int {
	p.analyse()
	return len(p.code) - len(p.dyn)
}

// EvalSame is Eval for the same variable columns as the previous evaluation (the same points):
// the static instructions are not run again; their columns still hold the values of the last
// Eval. The caller guarantees that every Variable input holds the same values as then (field
// columns and unknowns may change). Without a previous Eval at n points it is Eval.
func (p *Program) EvalSame(n int, in [][]float64, theta []float64) []float64 {
	if !p.staticReady || p.n != n {
		return p.Eval(n, in, theta)
	}
	p.check(n, in, theta)
	for i, col := range in {
		p.vals[i] = col
	}
	for _, u := range p.unknowns {
		fill(p.vals[u.reg], theta[u.index])
	}
	for i := range p.dyn {
		p.dyn[i].forward(p.vals)
	}
	p.ready = true
	return p.vals[p.root]
}

// FieldGradientsOnly makes Backward skip the static instructions: the adjoints it returns for
// Variable inputs are then zero instead of ∂L/∂variable (which a solver never uses), and a
// backward pass costs only the dynamic part.
func (p *Program) FieldGradientsOnly() {
	p.analyse()
	p.fieldOnly = true
}
