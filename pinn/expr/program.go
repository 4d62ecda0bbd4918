package expr

import (
	"fmt"
	"slices"
)

// Program is a compiled expression: a flat list of column instructions in SSA form. Every input
// symbol is a column of N values (one per collocation point); constants are folded or broadcast.
// Eval runs the instructions forward, one loop over the points per instruction, and keeps every
// intermediate column; Backward runs them in reverse (reverse-mode differentiation) to give the
// adjoint of every input column and the gradient of every trainable parameter.
//
// Buffers belong to the program and are reused: after the first Eval with a given N, Eval and
// Backward allocate nothing. A Program is therefore not safe for concurrent use; give each
// goroutine its own Clone.
//
// Domain errors are not reported: log or sqrt of a negative number, division by zero and the
// like give NaN or ±Inf in the result column (and in the adjoints), exactly as the math package
// does. The solver checks its loss for NaN/Inf and names the equation.
type Program struct {
	src      string
	inputs   []Symbol
	nUnknown int
	unknowns []regValue // broadcast registers of the unknowns used, with their Env index
	consts   []regValue // broadcast registers of materialised constants
	code     []instr
	nreg     int
	root     int

	n     int         // column length of the current buffers; -1 before the first Eval
	vals  [][]float64 // per register; input registers alias the caller's columns
	adj   [][]float64 // per register
	store []float64
	ready bool // Eval has run since the last resize, so Backward may run

	static      []bool  // per register: depends only on variables and constants (see static.go)
	dyn         []instr // the instructions that are not static
	staticReady bool    // the static registers hold the values of the current variable columns
	fieldOnly   bool    // Backward skips static instructions (FieldGradientsOnly)
}

// Source returns the expression the program was compiled from.
func (p *Program) Source() string { return p.src }

// Inputs lists the columns Eval expects, in order. The slice must not be modified.
func (p *Program) Inputs() []Symbol { return p.inputs }

// NumUnknowns is the length of the theta vector Eval expects (len(Env.Unknowns)).
func (p *Program) NumUnknowns() int { return p.nUnknown }

// NumInstructions is the number of column operations per evaluation, a measure of its cost.
func (p *Program) NumInstructions() int { return len(p.code) }

// Clone returns a program with the same code and its own buffers.
func (p *Program) Clone() *Program {
	return &Program{src: p.src, inputs: p.inputs, nUnknown: p.nUnknown, unknowns: p.unknowns,
		consts: p.consts, code: p.code, nreg: p.nreg, root: p.root,
		static: p.static, dyn: p.dyn, fieldOnly: p.fieldOnly} // static and dyn are read-only
}

// Eval evaluates the expression at n points. in[i] is the column of Inputs()[i] (length n) and
// theta holds the values of Env.Unknowns (nil when there are none). The returned column is owned
// by the program and overwritten by the next Eval; the input columns are read again by Backward,
// so they must not change in between. Wrong lengths are programmer errors and panic.
func (p *Program) Eval(n int, in [][]float64, theta []float64) []float64 {
	p.check(n, in, theta)
	p.resize(n)
	for i, col := range in {
		p.vals[i] = col
	}
	for _, u := range p.unknowns {
		fill(p.vals[u.reg], theta[u.index])
	}
	for i := range p.code {
		p.code[i].forward(p.vals)
	}
	p.ready = true
	p.staticReady = true
	return p.vals[p.root]
}

// check panics on wrongly shaped arguments (programmer errors).
func (p *Program) check(n int, in [][]float64, theta []float64) {
	if len(in) != len(p.inputs) {
		panic(fmt.Sprintf("expr: %q expects %d input columns, got %d", p.src, len(p.inputs), len(in)))
	}
	for i, col := range in {
		if len(col) != n {
			panic(fmt.Sprintf("expr: %q: column %s has %d values, want %d", p.src, p.inputs[i].Name, len(col), n))
		}
	}
	if len(theta) != p.nUnknown && !(p.nUnknown == 0 && theta == nil) {
		panic(fmt.Sprintf("expr: %q expects %d unknown parameters, got %d", p.src, p.nUnknown, len(theta)))
	}
}

// Backward propagates adjoint (∂L/∂r for each point of the last Eval's result r) back through the
// program. It returns, for each input column i, ∂L/∂in[i] = adjoint · ∂r/∂in[i] pointwise, and
// adds ∂L/∂θ_j = Σ_points adjoint · ∂r/∂θ_j to thetaGrad[j] (thetaGrad may be nil when no
// gradient for unknowns is wanted). The returned columns are owned by the program and
// overwritten by the next Backward.
func (p *Program) Backward(adjoint []float64, thetaGrad []float64) [][]float64 {
	if !p.ready {
		panic(fmt.Sprintf("expr: %q: Backward before Eval", p.src))
	}
	if len(adjoint) != p.n {
		panic(fmt.Sprintf("expr: %q: adjoint has %d values, the last Eval had %d", p.src, len(adjoint), p.n))
	}
	if thetaGrad != nil && len(thetaGrad) != p.nUnknown {
		panic(fmt.Sprintf("expr: %q: theta gradient has %d entries, want %d", p.src, len(thetaGrad), p.nUnknown))
	}
	if p.fieldOnly {
		// Only registers that are not static receive adjoints (static operands have theirs
		// switched off in the dynamic code); the static inputs' columns stay zero.
		for r, a := range p.adj {
			if !p.static[r] || r < len(p.inputs) {
				clear(a)
			}
		}
		copy(p.adj[p.root], adjoint)
		for i := len(p.dyn) - 1; i >= 0; i-- {
			p.dyn[i].backward(p.vals, p.adj)
		}
	} else {
		for _, a := range p.adj {
			clear(a)
		}
		copy(p.adj[p.root], adjoint)
		for i := len(p.code) - 1; i >= 0; i-- {
			p.code[i].backward(p.vals, p.adj)
		}
	}
	if thetaGrad != nil {
		for _, u := range p.unknowns {
			s := 0.0
			for _, g := range p.adj[u.reg] {
				s += g
			}
			thetaGrad[u.index] += s
		}
	}
	return p.adj[:len(p.inputs)]
}

// resize lays the register columns out in one backing array for n points, reusing it when it is
// large enough, and refills the constant columns.
func (p *Program) resize(n int) {
	if p.vals != nil && p.n == n {
		return
	}
	nIn := len(p.inputs)
	need := (2*p.nreg - nIn) * n
	if cap(p.store) < need {
		p.store = make([]float64, need)
	}
	store := p.store[:need]
	if p.vals == nil {
		p.vals = make([][]float64, p.nreg)
		p.adj = make([][]float64, p.nreg)
	}
	take := func() []float64 {
		col := store[:n:n]
		store = store[n:]
		return col
	}
	for r := range p.nreg {
		if r >= nIn {
			p.vals[r] = take()
		}
		p.adj[r] = take()
	}
	for _, c := range p.consts {
		fill(p.vals[c.reg], c.v)
	}
	p.n = n
	p.ready = false
	p.staticReady = false
}

func fill(col []float64, v float64) {
	for i := range col {
		col[i] = v
	}
}

// InputNames returns the canonical names of the inputs, for messages and tests.
func (p *Program) InputNames() []string {
	out := make([]string, len(p.inputs))
	for i, s := range p.inputs {
		out[i] = s.Name
	}
	return slices.Clip(out)
}
