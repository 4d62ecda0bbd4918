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
//
// A group evaluates its points in chunks (nn.Chunked): forward, the terms' residuals and their
// reverse mode, and the backward pass run chunk by chunk so that the jets stay in cache. Every
// chunk keeps its own copies of the term programs, whose coordinate-only columns (source terms)
// are computed once per set of points.
type group struct {
	name string
	net  *nn.Graph
	plan *nn.Plan
	d    int // coordinates per point
	// whole keeps all points in one chunk: periodic terms pair point i with point i + n/2.
	whole bool
	// chunkSize is the requested points per chunk (0: nn.DefaultChunkRows rows).
	chunkSize int

	x      kernel.Matrix // n × d coordinates
	n      int
	ch     *nn.Chunked
	chunks []*chunkState

	syms  []fieldSym
	coord [][]float64 // per coordinate: its column (all points)
	extra [][]float64 // extra columns (normals, observations), per point
	terms []*term
	// causal, when set and on, weights the interior residuals by time (see causal).
	causal *causal
	// noFold keeps every second derivative in its own block (see fold; tests compare both).
	noFold bool
}

// chunkState is what a group keeps per chunk of its points.
type chunkState struct {
	lo, hi int
	cols   [][]float64 // per symbol: its column of the output jet (aliased or gathered)
	gath   [][]float64 // gathered columns when the network has several outputs
	adj    [][]float64 // per symbol: ∂loss/∂column
	terms  []termChunk // per term of the group
	zero   []float64   // a zero column, for program inputs folded into a combination
}

// termChunk is one term's program and columns on one chunk.
type termChunk struct {
	prog  *expr.Program
	fresh bool      // the points changed since the last evaluation (static part to recompute)
	r     []float64 // last residual (prog's buffer, or res for periodic terms)
	sum   float64   // Σ r² over the chunk
	adjv  []float64
	cols  [][]float64
}

// fieldSym is a field symbol a group's terms read: field index and jet block. A symbol with sum
// set is a combination Σ C·∂ᵢ∂ⱼ of the field's second derivatives carried as one block (see fold)
// and wrt is nil.
type fieldSym struct {
	name  string
	field int
	wrt   []int
	sum   []nn.Term
	block int
}

// term is one loss term of a group: the mean square of a residual column.
type term struct {
	name   string
	weight float64
	prog   *expr.Program // the compiled program; each chunk runs its own clone
	inputs []termInput
	// pairs > 0 makes this a periodic term: the residual of symbol s is
	// col[i] − col[i+pairs] for i < pairs, over the symbols in periodic.
	pairs    int
	periodic []int

	value float64
	res   []float64
}

type inputKind int

const (
	inCoord inputKind = iota
	inExtra
	inSym
	inZero // a second derivative folded into a combination input of the same program (see fold)
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
	t := &term{name: name, weight: weight, prog: prog}
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

// addPeriodic adds a term matching the symbols at point i and i+pairs. Its group keeps all
// points in one chunk.
func (g *group) addPeriodic(name string, weight float64, syms []expr.Symbol, pairs int) {
	t := &term{name: name, weight: weight, pairs: pairs}
	for _, s := range syms {
		t.periodic = append(t.periodic, g.addSymbol(s))
	}
	g.terms = append(g.terms, t)
	g.whole = true
}

// finish builds the derivative plan from the symbols and the replica network.
func (g *group) finish(replica func() (*nn.Graph, error)) error {
	g.fold()
	var first []int
	var second [][]nn.Term
	for _, s := range g.syms {
		switch {
		case s.sum != nil:
			second = append(second, s.sum)
		case len(s.wrt) == 1:
			first = append(first, s.wrt[0])
		case len(s.wrt) == 2:
			second = append(second, []nn.Term{{I: s.wrt[0], J: s.wrt[1], C: 1}})
		}
	}
	plan, err := nn.NewSumPlan(g.d, first, second)
	if err != nil {
		return fmt.Errorf("%s: %w", g.name, err)
	}
	g.plan = plan
	for i, s := range g.syms {
		b, ok := blockOf(plan, s.wrt)
		if s.sum != nil {
			b, ok = plan.SumBlock(s.sum)
		}
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
	if n != g.n || g.ch == nil {
		g.n = n
		g.x = kernel.NewMatrix(n, g.d)
		g.coord = growCols(g.coord, g.d, n)
		size := g.chunkSize
		if g.whole {
			size = max(n, 1)
		}
		g.ch = nn.NewChunked(g.net, g.plan, size)
		copy(g.x.Data, pts)
		g.ch.SetInput(g.x)
		g.chunks = g.chunks[:0]
		for k := range g.ch.Chunks() {
			lo, hi := g.ch.Bounds(k)
			m := hi - lo
			c := &chunkState{lo: lo, hi: hi, cols: make([][]float64, len(g.syms)), adj: growCols(nil, len(g.syms), m),
				zero: make([]float64, m)}
			c.terms = make([]termChunk, len(g.terms))
			for i, t := range g.terms {
				tc := &c.terms[i]
				if t.pairs > 0 {
					t.res = make([]float64, t.pairs*len(t.periodic))
					continue
				}
				tc.prog = t.prog.Clone()
				tc.cols = make([][]float64, len(t.inputs))
				tc.adjv = make([]float64, m)
			}
			g.chunks = append(g.chunks, c)
		}
	} else {
		copy(g.x.Data, pts)
		g.ch.SetInput(g.x)
	}
	for _, c := range g.chunks {
		for i := range c.terms {
			c.terms[i].fresh = true
		}
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

// eval evaluates every term on every chunk and returns Σ weight·value; with grad it also
// accumulates the gradient of that sum into the shared parameter gradients and the unknowns'
// gradient thetaGrad (nil: none).
func (g *group) eval(theta, thetaGrad []float64, grad bool) float64 {
	for _, t := range g.terms {
		t.value = 0
	}
	if c := g.causal; c != nil && c.on {
		// The causal weights need the residuals of every chunk before any gradient: a first
		// pass computes them, the second recomputes each chunk's forward pass for its backward.
		for k := range g.chunks {
			g.chunkForward(k, g.ch.Forward(k), theta)
		}
		g.termValues()
		total := c.weigh(g)
		if grad {
			for k := range g.chunks {
				y := g.ch.Forward(k)
				g.chunkForward(k, y, theta)
				dy := g.ch.Grad(y)
				g.chunkBackward(k, dy, thetaGrad)
				g.ch.Backward(dy)
			}
		}
		return total
	}
	for k := range g.chunks {
		y := g.ch.Forward(k)
		g.chunkForward(k, y, theta)
		if grad {
			dy := g.ch.Grad(y)
			g.chunkBackward(k, dy, thetaGrad)
			g.ch.Backward(dy)
		}
	}
	g.termValues()
	total := 0.0
	for _, t := range g.terms {
		total += t.weight * t.value
	}
	return total
}

// forward evaluates the terms without gradients and returns Σ weight·value.
func (g *group) forward(theta []float64) float64 { return g.eval(theta, nil, false) }

// termValues sets every term's value (mean square) from the chunks' sums.
func (g *group) termValues() {
	for i, t := range g.terms {
		if t.pairs > 0 {
			t.value = g.chunks[0].terms[i].sum / float64(len(t.res))
			continue
		}
		sum := 0.0
		for _, c := range g.chunks {
			sum += c.terms[i].sum
		}
		t.value = sum / float64(max(g.n, 1))
	}
}

// chunkForward takes chunk k's output jet and evaluates every term on it.
func (g *group) chunkForward(k int, y nn.Jet, theta []float64) {
	c := g.chunks[k]
	w := y.Width()
	m := c.hi - c.lo
	if w > 1 && c.gath == nil {
		c.gath = growCols(nil, len(g.syms), m)
	}
	for i, s := range g.syms {
		if w == 1 {
			c.cols[i] = y.BlockData(s.block)
			continue
		}
		c.cols[i] = column(y, s.block, s.field, c.gath[i])
	}
	for i, t := range g.terms {
		t.eval(g, c, &c.terms[i], theta)
	}
}

// chunkBackward writes the gradient of the group's loss with respect to chunk k's output jet
// into dy (zeroed) and adds the unknowns' gradient into thetaGrad.
func (g *group) chunkBackward(k int, dy nn.Jet, thetaGrad []float64) {
	c := g.chunks[k]
	for _, a := range c.adj {
		clear(a)
	}
	for i, t := range g.terms {
		t.backward(g, c, &c.terms[i], thetaGrad)
	}
	for i, s := range g.syms {
		addColumn(dy, s.block, s.field, c.adj[i])
	}
}

func (t *term) eval(g *group, c *chunkState, tc *termChunk, theta []float64) {
	n := c.hi - c.lo
	if t.pairs > 0 {
		m := t.pairs
		sum := 0.0
		for k, s := range t.periodic {
			col := c.cols[s]
			r := t.res[k*m : (k+1)*m]
			for i := range m {
				r[i] = col[i] - col[i+m]
				sum += r[i] * r[i]
			}
		}
		tc.r = t.res
		tc.sum = sum
		return
	}
	for k, in := range t.inputs {
		switch in.kind {
		case inCoord:
			tc.cols[k] = g.coord[in.index][c.lo:c.hi]
		case inExtra:
			tc.cols[k] = g.extra[in.index][c.lo:c.hi]
		case inZero:
			tc.cols[k] = c.zero
		default:
			tc.cols[k] = c.cols[in.index]
		}
	}
	if tc.prog.NumUnknowns() == 0 {
		theta = nil
	}
	if tc.fresh {
		tc.r = tc.prog.Eval(n, tc.cols, theta)
		tc.fresh = false
	} else {
		tc.r = tc.prog.EvalSame(n, tc.cols, theta)
	}
	sum := 0.0
	for _, v := range tc.r {
		sum += v * v
	}
	tc.sum = sum
}

func (t *term) backward(g *group, c *chunkState, tc *termChunk, thetaGrad []float64) {
	if t.weight == 0 {
		return
	}
	if t.pairs > 0 {
		m := t.pairs
		s := 2 * t.weight / float64(len(t.res))
		for k, sym := range t.periodic {
			a := c.adj[sym]
			r := t.res[k*m : (k+1)*m]
			for i, v := range r {
				a[i] += s * v
				a[i+m] -= s * v
			}
		}
		return
	}
	s := 2 * t.weight / float64(g.n)
	if cs := g.causal; cs != nil && cs.on {
		pw := cs.pw[c.lo:c.hi]
		for i, v := range tc.r {
			tc.adjv[i] = s * v * pw[i]
		}
	} else {
		for i, v := range tc.r {
			tc.adjv[i] = s * v
		}
	}
	if tc.prog.NumUnknowns() == 0 {
		thetaGrad = nil
	}
	grads := tc.prog.Backward(tc.adjv, thetaGrad)
	for k, in := range t.inputs {
		if in.kind == inSym {
			a := c.adj[in.index]
			for i, v := range grads[k] {
				a[i] += v
			}
		}
	}
}

// pointResidual writes the root sum of squares of the group's residuals at each point (the
// equations' combined residual) into out, from the last evaluation.
func (g *group) pointResidual(out []float64) {
	clear(out)
	for _, c := range g.chunks {
		o := out[c.lo:c.hi]
		for i, t := range g.terms {
			if t.pairs > 0 {
				continue
			}
			for j, v := range c.terms[i].r {
				o[j] += v * v
			}
		}
	}
	for i, v := range out {
		out[i] = math.Sqrt(v)
	}
}
