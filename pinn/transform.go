package pinn

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/pinn/expr"
)

// transform is the hard-constraint layer: a graph merge taking the coordinates x and the raw
// network output N and returning, for every field with a transform, u = T(x, N) (e.g.
// x(1−x)·N + g), and N itself for the others — on every block of the jet.
//
// The derivative blocks come from symbolic differentiation: for the block ∂^α the program of
// ∂^α T (Expr.Derivative, with N's derivatives as symbols N_x, N_xy, …) is compiled once per plan
// and evaluated on the columns of x and of N's blocks; its reverse mode gives the gradient of
// every N block. This is exact for any transform the expression language can write, and costs a
// few column passes per block, against the GEMMs of the network.
type transform struct {
	vars   []string
	fields []string
	src    []string // per field; "" keeps N
	exprs  []*expr.Expr
	env    *expr.Env

	plans []*transformPlan
	xcols [][]float64
	y, dn nn.JetBuffer
	dx    nn.JetBuffer
	out   [2]nn.Jet
	cur   *transformPlan
	nbuf  [][]float64 // gathered N block columns, per field·block, when there are several fields
	zero  []float64   // a zero column, for N's second derivatives folded into combinations
	abuf  []float64
	cols  [][]float64 // program inputs, reused
}

// transformPlan holds the programs for one derivative plan: progs[f][b] computes block b of field
// f; inputs[f][b][k] says where its k-th input column comes from.
type transformPlan struct {
	plan   *nn.Plan
	progs  [][]*expr.Program
	inputs [][][]transformInput
	same   bool // the coordinates are those of this plan's previous evaluation
}

type transformInput struct {
	variable bool
	zero     bool // a second derivative of N folded into a combination block (see blockSource)
	index    int  // variable index, or N block index
}

func newTransform(vars, fields []string, params map[string]float64, srcs map[string]string) (*transform, error) {
	t := &transform{vars: vars, fields: fields, src: make([]string, len(fields)), exprs: make([]*expr.Expr, len(fields)),
		env: &expr.Env{Vars: vars, Fields: []string{"N"}, Params: params, MaxOrder: MaxOrder}}
	for f, name := range fields {
		s, ok := srcs[name]
		if !ok {
			continue
		}
		e, err := expr.Parse(s)
		if err == nil {
			_, err = e.Check(&expr.Env{Vars: vars, Fields: []string{"N"}, Params: params})
		}
		if err != nil {
			return nil, fmt.Errorf("transform %s: %w", name, err)
		}
		t.src[f], t.exprs[f] = s, e
	}
	for name := range srcs {
		if !slices.Contains(fields, name) {
			return nil, fmt.Errorf("transform %s: not a field (fields %v)", name, fields)
		}
	}
	return t, nil
}

func (t *transform) OutWidth(in []int) (int, error) {
	if len(in) != 2 || in[0] != len(t.vars) || in[1] != len(t.fields) {
		return 0, fmt.Errorf("transform: inputs of widths %v; want coordinates (%d) and raw outputs (%d)", in, len(t.vars), len(t.fields))
	}
	return len(t.fields), nil
}

// blockTerms lists, for each block of plan, the derivatives it carries as terms C·∂^wrt: one
// term of weight 1 for the values and each first derivative or pair, several for a combination
// block (nn.NewSumPlan).
func blockTerms(plan *nn.Plan) [][]wrtTerm {
	out := [][]wrtTerm{{{c: 1}}}
	for _, c := range plan.First() {
		out = append(out, []wrtTerm{{wrt: []int{c}, c: 1}})
	}
	for k := range plan.NumSecond() {
		var blk []wrtTerm
		for _, t := range plan.SecondTerms(k) {
			blk = append(blk, wrtTerm{wrt: []int{t.I, t.J}, c: t.C})
		}
		out = append(out, blk)
	}
	return out
}

type wrtTerm struct {
	wrt []int
	c   float64
}

// blockExpr returns the expression of a block of T: Σ C·∂^wrt T over its terms. For a
// combination block Σ C·∂ᵢ∂ⱼ the result reads N's second derivatives only through
// T_N·Σ C·N_ij (the chain rule: ∂ᵢ∂ⱼT(x, N) = T_N·N_ij + terms of N, N_i, N_j and x), so with
// the first term of weight 1 its program gives the block when fed N's combination block for
// the first pair and zero for the others (the inputs marked zero).
func (t *transform) blockExpr(e *expr.Expr, terms []wrtTerm) (*expr.Expr, error) {
	var parts []string
	for _, tm := range terms {
		d := e
		var err error
		for _, v := range tm.wrt {
			if d, err = d.Derivative(t.env, t.vars[v]); err != nil {
				return nil, err
			}
		}
		if len(terms) == 1 && tm.c == 1 {
			return d, nil
		}
		parts = append(parts, fmt.Sprintf("(%s)*(%s)", strconv.FormatFloat(tm.c, 'g', -1, 64), d))
	}
	return expr.Parse(strings.Join(parts, " + "))
}

// blockOf returns the block of plan holding the derivative wrt (sorted variable indices).
func blockOf(plan *nn.Plan, wrt []int) (int, bool) {
	switch len(wrt) {
	case 0:
		return 0, true
	case 1:
		return plan.FirstBlock(wrt[0])
	case 2:
		return plan.SecondBlock(wrt[0], wrt[1])
	}
	return 0, false
}

func (t *transform) programs(plan *nn.Plan) (*transformPlan, error) {
	for _, tp := range t.plans {
		if tp.plan == plan || tp.plan.Equal(plan) {
			return tp, nil
		}
	}
	tp := &transformPlan{plan: plan}
	blocks := blockTerms(plan)
	for f := range t.fields {
		var progs []*expr.Program
		var ins [][]transformInput
		if t.exprs[f] != nil {
			for b, terms := range blocks {
				combo := len(terms) > 1 || terms[0].c != 1
				if combo && terms[0].c != 1 {
					return nil, fmt.Errorf("transform %s: block %d of plan %v: a combination block must start with a term of weight 1", t.fields[f], b, plan)
				}
				e, err := t.blockExpr(t.exprs[f], terms)
				if err != nil {
					return nil, fmt.Errorf("transform %s: %w", t.fields[f], err)
				}
				prog, err := e.Compile(t.env)
				if err != nil {
					return nil, fmt.Errorf("transform %s: block %d of plan %v: %w", t.fields[f], b, plan, err)
				}
				// The distance function and boundary data of a transform depend on the
				// coordinates only: computed once per set of points, never differentiated.
				prog.FieldGradientsOnly()
				var in []transformInput
				for _, s := range prog.Inputs() {
					if s.Kind == expr.Variable {
						in = append(in, transformInput{variable: true, index: s.Index})
						continue
					}
					if combo && len(s.Wrt) == 2 {
						first := terms[0].wrt
						if min(first[0], first[1]) == s.Wrt[0] && max(first[0], first[1]) == s.Wrt[1] {
							in = append(in, transformInput{index: b})
						} else {
							in = append(in, transformInput{zero: true})
						}
						continue
					}
					b, ok := blockOf(plan, s.Wrt)
					if !ok {
						return nil, fmt.Errorf("transform %s: %s is not carried by the plan (%v)", t.fields[f], s.Name, plan)
					}
					in = append(in, transformInput{index: b})
				}
				progs = append(progs, prog)
				ins = append(ins, in)
			}
		}
		tp.progs = append(tp.progs, progs)
		tp.inputs = append(tp.inputs, ins)
	}
	t.plans = append(t.plans, tp)
	return tp, nil
}

// column returns column f of block b of j as a contiguous slice: the block itself for one field,
// else a copy in buf.
func column(j nn.Jet, b, f int, buf []float64) []float64 {
	data := j.BlockData(b)
	w := j.Width()
	if w == 1 {
		return data
	}
	for i := range buf {
		buf[i] = data[i*w+f]
	}
	return buf
}

func setColumn(j nn.Jet, b, f int, col []float64) {
	data := j.BlockData(b)
	w := j.Width()
	for i, v := range col {
		data[i*w+f] = v
	}
}

func addColumn(j nn.Jet, b, f int, col []float64) {
	data := j.BlockData(b)
	w := j.Width()
	for i, v := range col {
		data[i*w+f] += v
	}
}

func growCols(cols [][]float64, k, n int) [][]float64 {
	for len(cols) < k {
		cols = append(cols, nil)
	}
	for i := range cols[:k] {
		if cap(cols[i]) < n {
			cols[i] = make([]float64, n)
		}
		cols[i] = cols[i][:n]
	}
	return cols
}

func (t *transform) Forward(in []nn.Jet) nn.Jet {
	x, raw := in[0], in[1]
	plan, n, w := raw.Plan, raw.N, raw.Width()
	tp, err := t.programs(plan)
	if err != nil {
		// The expressions were checked when the model was configured; failing here is a bug.
		panic(err)
	}
	// The coordinates change only when the points do: then the programs' static parts are
	// recomputed (Eval), else reused (EvalSame).
	same := t.cur == tp && len(t.xcols) == len(t.vars) && len(t.xcols[0]) == n
	t.cur = tp
	xv := x.Value()
	t.xcols = growCols(t.xcols, len(t.vars), n)
	for k := range t.vars {
		col := t.xcols[k]
		for i := range col {
			v := xv.At(i, k)
			same = same && col[i] == v
			col[i] = v
		}
	}
	same = same && tp.same
	tp.same = true
	nb := plan.Blocks()
	if w > 1 {
		t.nbuf = growCols(t.nbuf, w*nb, n)
	}
	y := t.y.Like(raw, w)
	cols := t.cols[:0]
	defer func() { t.cols = cols[:0] }()
	for f := range t.fields {
		for b := range nb {
			var buf []float64
			if w > 1 {
				buf = t.nbuf[f*nb+b]
			}
			c := column(raw, b, f, buf)
			if tp.progs[f] == nil {
				setColumn(y, b, f, c)
			}
		}
		if tp.progs[f] == nil {
			continue
		}
		for b, prog := range tp.progs[f] {
			cols = cols[:0]
			for _, src := range tp.inputs[f][b] {
				if src.variable {
					cols = append(cols, t.xcols[src.index])
					continue
				}
				if src.zero {
					if cap(t.zero) < n {
						t.zero = make([]float64, n)
					}
					cols = append(cols, t.zero[:n])
					continue
				}
				if w == 1 {
					cols = append(cols, raw.BlockData(src.index))
				} else {
					cols = append(cols, t.nbuf[f*nb+src.index])
				}
			}
			if same {
				setColumn(y, b, f, prog.EvalSame(n, cols, nil))
			} else {
				setColumn(y, b, f, prog.Eval(n, cols, nil))
			}
		}
	}
	return y
}

func (t *transform) Backward(d nn.Jet, need []bool) []nn.Jet {
	tp := t.cur
	w, n, nb := d.Width(), d.N, d.Plan.Blocks()
	t.out = [2]nn.Jet{}
	if need[0] {
		dx := t.dx.Get(d.Plan, n, len(t.vars))
		dx.Zero()
		t.out[0] = dx
	}
	if !need[1] {
		return t.out[:]
	}
	dn := t.dn.Like(d, w)
	dn.Zero()
	if cap(t.abuf) < n {
		t.abuf = make([]float64, n)
	}
	buf := t.abuf[:n]
	for f := range t.fields {
		if tp.progs[f] == nil {
			for b := range nb {
				setColumn(dn, b, f, column(d, b, f, buf))
			}
			continue
		}
		for b, prog := range tp.progs[f] {
			adj := column(d, b, f, buf)
			grads := prog.Backward(adj, nil)
			for k, src := range tp.inputs[f][b] {
				if !src.variable && !src.zero {
					addColumn(dn, src.index, f, grads[k])
				}
			}
		}
	}
	t.out[1] = dn
	return t.out[:]
}
