package pinn

import (
	"fmt"
	"math"
	"slices"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/pinn/expr"
)

// group is a batch of points that share one derivative plan and one network replica: the
// interior points with the equations, the points of one condition, a data set. Every replica
// shares the parameters of the model (the same Value and Grad storage), so each group runs its own
// forward and backward on exactly the derivative blocks its terms read, and the gradients add up.
type group struct {
	name string
	net  *nn.Graph
	plan *nn.Plan
	d    int // coordinates per point

	x  kernel.Matrix // n × d coordinates
	n  int
	in nn.Jet
	y  nn.Jet
	dy nn.JetBuffer

	syms  []fieldSym
	cols  [][]float64 // per symbol: its column of the output jet (aliased or gathered)
	gath  [][]float64 // gathered columns when the network has several outputs
	adj   [][]float64 // per symbol: ∂loss/∂column
	coord [][]float64 // per coordinate: its column
	extra [][]float64 // extra columns (normals, observations), per point
	terms []*term
	// causal, when set and on, weights the interior residuals by time (see causal).
	causal *causal
}

// fieldSym is a field symbol a group's terms read: field index and jet block.
type fieldSym struct {
	name  string
	field int
	wrt   []int
	block int
}

// term is one loss term of a group: the mean square of a residual column.
type term struct {
	name   string
	weight float64
	prog   *expr.Program
	inputs []termInput
	// pairs > 0 makes this a periodic term: the residual of symbol s is
	// col[i] − col[i+pairs] for i < pairs, over the symbols in periodic.
	pairs    int
	periodic []int

	value float64
	fresh bool      // the points changed since the last evaluation (static part to recompute)
	r     []float64 // last residual (prog's buffer, or res for periodic terms)
	res   []float64
	adjv  []float64
	cols  [][]float64
}

type inputKind int

const (
	inCoord inputKind = iota
	inExtra
	inSym
)

type termInput struct {
	kind  inputKind
	index int
}

// addSymbol returns the index of the field symbol, adding it when new.
func (g *group) addSymbol(s expr.Symbol) int {
	for i, fs := range g.syms {
		if fs.name == s.Name {
			return i
		}
	}
	g.syms = append(g.syms, fieldSym{name: s.Name, field: s.Index, wrt: slices.Clone(s.Wrt)})
	return len(g.syms) - 1
}

// addProgram adds a residual term computed by prog. Variables of the program's environment past
// the problem's coordinates are the group's extra columns, in order.
func (g *group) addProgram(name string, weight float64, prog *expr.Program) {
	t := &term{name: name, weight: weight, prog: prog, fresh: true}
	// The solver never asks for gradients with respect to the coordinates, so the backward
	// pass skips the part of the residual that depends on them alone (source terms).
	prog.FieldGradientsOnly()
	for _, s := range prog.Inputs() {
		switch {
		case s.Kind == expr.Field:
			t.inputs = append(t.inputs, termInput{kind: inSym, index: g.addSymbol(s)})
		case s.Index < g.d:
			t.inputs = append(t.inputs, termInput{kind: inCoord, index: s.Index})
		default:
			t.inputs = append(t.inputs, termInput{kind: inExtra, index: s.Index - g.d})
		}
	}
	g.terms = append(g.terms, t)
}

// addPeriodic adds a term matching the symbols at point i and i+pairs.
func (g *group) addPeriodic(name string, weight float64, syms []expr.Symbol, pairs int) {
	t := &term{name: name, weight: weight, pairs: pairs}
	for _, s := range syms {
		t.periodic = append(t.periodic, g.addSymbol(s))
	}
	g.terms = append(g.terms, t)
}

// finish builds the derivative plan from the symbols and the replica network.
func (g *group) finish(replica func() (*nn.Graph, error)) error {
	var first []int
	var second []nn.Pair
	for _, s := range g.syms {
		switch len(s.wrt) {
		case 1:
			first = append(first, s.wrt[0])
		case 2:
			second = append(second, nn.Pair{I: s.wrt[0], J: s.wrt[1]})
		}
	}
	plan, err := nn.NewPlan(g.d, first, second)
	if err != nil {
		return fmt.Errorf("%s: %w", g.name, err)
	}
	g.plan = plan
	for i, s := range g.syms {
		b, ok := blockOf(plan, s.wrt)
		if !ok {
			return fmt.Errorf("%s: %s is not carried by the plan %v", g.name, s.name, plan)
		}
		g.syms[i].block = b
	}
	g.net, err = replica()
	return err
}

// setPoints installs the points (n × d row-major) and extra columns (each n long, owned by the
// caller until the next call).
func (g *group) setPoints(pts []float64, extra [][]float64) {
	n := len(pts) / g.d
	if n != g.n || g.x.Data == nil {
		g.n = n
		g.x = kernel.NewMatrix(n, g.d)
		g.in = nn.NewJet(g.plan, n, g.d)
		g.coord = growCols(g.coord, g.d, n)
		g.adj = growCols(g.adj, len(g.syms), n)
		g.cols = make([][]float64, len(g.syms))
		for _, t := range g.terms {
			t.cols = make([][]float64, len(t.inputs))
			t.adjv = make([]float64, n)
			if t.pairs > 0 {
				t.res = make([]float64, t.pairs*len(t.periodic))
			}
		}
	}
	copy(g.x.Data, pts)
	g.in.SetInput(g.x)
	for _, t := range g.terms {
		t.fresh = true
	}
	for k := range g.d {
		col := g.coord[k]
		for i := range col {
			col[i] = pts[i*g.d+k]
		}
	}
	g.extra = extra
	if g.causal != nil {
		g.causal.assign(pts, g.d)
	}
}

// forward evaluates the network and every term; it returns Σ weight·value.
func (g *group) forward(theta []float64) float64 {
	g.y = g.net.Forward(g.in)
	w := g.y.Width()
	for i, s := range g.syms {
		if w == 1 {
			g.cols[i] = g.y.BlockData(s.block)
			continue
		}
		g.gath = growCols(g.gath, len(g.syms), g.n)
		g.cols[i] = column(g.y, s.block, s.field, g.gath[i])
	}
	total := 0.0
	for _, t := range g.terms {
		t.eval(g, theta)
		total += t.weight * t.value
	}
	if g.causal != nil && g.causal.on {
		// The periodic terms (none in an interior group) would keep their plain weight.
		return g.causal.weigh(g)
	}
	return total
}

// backward accumulates the gradient of Σ weight·value into the shared parameter gradients and
// the unknowns' gradient thetaGrad.
func (g *group) backward(thetaGrad []float64) {
	for _, a := range g.adj {
		clear(a)
	}
	for _, t := range g.terms {
		t.backward(g, thetaGrad)
	}
	dy := g.dy.Like(g.y, g.y.Width())
	dy.Zero()
	for i, s := range g.syms {
		addColumn(dy, s.block, s.field, g.adj[i])
	}
	g.net.Backward(dy, false)
}

func (t *term) eval(g *group, theta []float64) {
	n := g.n
	if t.pairs > 0 {
		m := t.pairs
		sum := 0.0
		for k, s := range t.periodic {
			col := g.cols[s]
			r := t.res[k*m : (k+1)*m]
			for i := range m {
				r[i] = col[i] - col[i+m]
				sum += r[i] * r[i]
			}
		}
		t.r = t.res
		t.value = sum / float64(len(t.res))
		return
	}
	for k, in := range t.inputs {
		switch in.kind {
		case inCoord:
			t.cols[k] = g.coord[in.index]
		case inExtra:
			t.cols[k] = g.extra[in.index]
		default:
			t.cols[k] = g.cols[in.index]
		}
	}
	if t.prog.NumUnknowns() == 0 {
		theta = nil
	}
	if t.fresh {
		t.r = t.prog.Eval(n, t.cols, theta)
		t.fresh = false
	} else {
		t.r = t.prog.EvalSame(n, t.cols, theta)
	}
	sum := 0.0
	for _, v := range t.r {
		sum += v * v
	}
	t.value = sum / float64(n)
}

func (t *term) backward(g *group, thetaGrad []float64) {
	if t.weight == 0 {
		return
	}
	if t.pairs > 0 {
		m := t.pairs
		s := 2 * t.weight / float64(len(t.res))
		for k, sym := range t.periodic {
			a := g.adj[sym]
			r := t.res[k*m : (k+1)*m]
			for i, v := range r {
				a[i] += s * v
				a[i+m] -= s * v
			}
		}
		return
	}
	s := 2 * t.weight / float64(g.n)
	if c := g.causal; c != nil && c.on {
		for i, v := range t.r {
			t.adjv[i] = s * v * c.pw[i]
		}
	} else {
		for i, v := range t.r {
			t.adjv[i] = s * v
		}
	}
	if t.prog.NumUnknowns() == 0 {
		thetaGrad = nil
	}
	grads := t.prog.Backward(t.adjv, thetaGrad)
	for k, in := range t.inputs {
		if in.kind == inSym {
			a := g.adj[in.index]
			for i, v := range grads[k] {
				a[i] += v
			}
		}
	}
}

// pointResidual writes the root sum of squares of the group's residuals at each point (the
// equations' combined residual) into out.
func (g *group) pointResidual(out []float64) {
	clear(out)
	for _, t := range g.terms {
		if t.pairs > 0 {
			continue
		}
		for i, v := range t.r {
			out[i] += v * v
		}
	}
	for i, v := range out {
		out[i] = math.Sqrt(v)
	}
}
