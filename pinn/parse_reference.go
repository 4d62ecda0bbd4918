package pinn

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/inrstudio/studio/pinn/expr"
	"github.com/inrstudio/studio/pinn/reference"
	"github.com/inrstudio/studio/pinn/sample"
)

// Reference is what a solution is measured against: reference values of the fields at a set of
// points, from a registered solution, analytic expressions or a data file.
type Reference struct {
	Kind string // "solution", "expr" or "file"
	Name string // the solution's name, or the file
	// Points are the evaluation points (len(Vars) coordinates each, in the problem's variable
	// order) and Values the reference fields there (len(Fields) each, in the problem's field
	// order); NaN marks a field the reference lacks or a grid point outside the domain.
	Points []float64
	Values []float64
	// Axes are the grid coordinates per variable when Points is a tensor grid, the first
	// variable varying fastest; nil for scattered points.
	Axes [][]float64
	// Unknowns are the true values of an inverse problem's unknowns, when known.
	Unknowns map[string]float64
	// D and F are the numbers of coordinates and fields per point.
	D, F int

	eval func(pt, out []float64) // evaluates every field anywhere in the domain (nil for files)
}

// Len is the number of evaluation points.
func (r *Reference) Len() int { return len(r.Values) / max(1, r.F) }

// Eval writes the reference fields at pt into out when the reference can be evaluated anywhere
// (a solution or expressions), and reports whether it could.
func (r *Reference) Eval(pt, out []float64) bool {
	if r.eval == nil {
		return false
	}
	r.eval(pt, out)
	return true
}

// parseData reads every [[data]] set: a CSV, .npy or .npz file of observations.
func (pr *parser) parseData() {
	p := pr.p
	for i, d := range pr.spec.Data {
		ctx := fmt.Sprintf("data %d", i+1)
		line := pr.lines.Header("data", i)
		if d.File == "" {
			pr.is.addf(line, "%s: file = ? (a CSV, .npy or .npz file of coordinates and observed fields)", ctx)
			continue
		}
		path := pr.resolve(d.File)
		pts, vals, _, err := readTable(path, p.Vars, p.Fields, d.Fields, d.Arrays)
		if err != nil {
			pr.is.addf(pr.lines.Line("data", i, "file"), "%s: %v", ctx, err)
			continue
		}
		n := len(pts) / len(p.Vars)
		for j := range n {
			if !p.Domain.Contains(pts[j*len(p.Vars):(j+1)*len(p.Vars)], 1e-9*boundsScale(p)) {
				pr.is.addf(pr.lines.Line("data", i, "file"), "%s: point %d of %s lies outside the domain", ctx, j+1, d.File)
				break
			}
		}
		name := d.Name
		if name == "" {
			name = ctx
		}
		w := pr.weight(d.Weight, "data", i, ctx)
		p.Data = append(p.Data, Data{Name: name, File: d.File, Points: sample.Points{D: len(p.Vars), X: pts}, Values: vals, Weight: w, Line: line})
	}
}

func boundsScale(p *Problem) float64 {
	s := 1.0
	for i := range p.Lo {
		s = max(s, math.Abs(p.Lo[i]), math.Abs(p.Hi[i]))
	}
	return s
}

func (pr *parser) resolve(file string) string {
	if filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(pr.dir, file)
}

// parseReference reads [reference]: exactly one of solution, expr or file, the evaluation grid
// and the true values of unknowns.
func (pr *parser) parseReference() {
	rs := pr.spec.Reference
	p := pr.p
	if rs == nil {
		return
	}
	head := pr.lines.Header("reference", 0)
	line := func(k string) int { return pr.lines.Line("reference", 0, k) }
	count := 0
	for _, set := range []bool{rs.Solution != "", len(rs.Expr) > 0, rs.File != ""} {
		if set {
			count++
		}
	}
	if count != 1 {
		pr.is.addf(head, "reference: give exactly one of solution, expr or file (found %d)", count)
		return
	}
	ref := &Reference{Unknowns: map[string]float64{}, D: len(p.Vars), F: len(p.Fields)}
	for k, v := range rs.Unknowns {
		if !slices.Contains(unknownNames(p.Unknowns), k) {
			pr.is.addf(line("unknowns"), "reference: unknowns: `%s` is not an unknown of this problem", k)
			continue
		}
		ref.Unknowns[k] = v
		for i := range p.Unknowns {
			if p.Unknowns[i].Name == k {
				p.Unknowns[i].True, p.Unknowns[i].HasTrue = v, true
			}
		}
	}
	if len(rs.Grid) > 0 && (len(rs.Grid) != len(p.Vars) || slices.Min(rs.Grid) < 2 || gridSize(rs.Grid) > MaxGridPoints) {
		pr.is.addf(line("grid"), "reference: grid %v; want %d counts ≥ 2 (one per variable: %s), at most %d points in all",
			rs.Grid, len(p.Vars), strings.Join(p.Vars, ", "), MaxGridPoints)
		return
	}
	nf := len(p.Fields)
	switch {
	case rs.Solution != "":
		ref.Kind, ref.Name = "solution", rs.Solution
		sol, err := reference.Lookup(rs.Solution, rs.Params)
		if err != nil {
			pr.is.addf(line("solution"), "reference: %v", err)
			return
		}
		perm, fmap, err := matchNames(p, sol.Vars(), sol.Fields())
		if err != nil {
			pr.is.addf(line("solution"), "reference: solution %q: %v", rs.Solution, err)
			return
		}
		// Scratch per call: a Problem may be read by several goroutines (solves, viewers).
		ref.eval = func(pt, out []float64) {
			buf, tmp := make([]float64, len(sol.Vars())), make([]float64, len(sol.Fields()))
			for i, j := range perm {
				buf[j] = pt[i]
			}
			sol.Eval(buf, tmp)
			for f := range out {
				out[f] = math.NaN()
				if fmap[f] >= 0 {
					out[f] = tmp[fmap[f]]
				}
			}
		}
		if len(rs.Grid) == 0 && pr.solutionGrid(ref, sol, perm, fmap) {
			break
		}
		pr.gridReference(ref, rs.Grid)
	case len(rs.Expr) > 0:
		ref.Kind, ref.Name = "expr", "expressions"
		env := &expr.Env{Vars: p.Vars, Params: p.Params}
		progs := make([]*expr.Program, nf)
		for f, src := range rs.Expr {
			l := pr.lines.Line("reference", 0, "expr."+f)
			k := slices.Index(p.Fields, f)
			if k < 0 {
				pr.is.addf(l, "reference: expr: `%s` is not a field (fields: %s)", f, strings.Join(p.Fields, ", "))
				return
			}
			s, err := exprText(src, "")
			if err == nil {
				progs[k], err = expr.Compile(s, env)
			}
			if err != nil {
				pr.is.addExpr(l, "reference: expr "+f, err)
				return
			}
		}
		var mu sync.Mutex // programs keep their buffers; a Problem may be read concurrently
		cols := make([][]float64, len(p.Vars))
		ref.eval = func(pt, out []float64) {
			mu.Lock()
			defer mu.Unlock()
			for f, prog := range progs {
				out[f] = math.NaN()
				if prog == nil {
					continue
				}
				in := cols[:0]
				for _, s := range prog.Inputs() {
					in = append(in, pt[s.Index:s.Index+1])
				}
				out[f] = prog.Eval(1, in, nil)[0]
			}
		}
		pr.gridReference(ref, rs.Grid)
	default:
		ref.Kind, ref.Name = "file", rs.File
		pts, vals, axes, err := readTable(pr.resolve(rs.File), p.Vars, p.Fields, nil, rs.Arrays)
		if err != nil {
			pr.is.addf(line("file"), "reference: %v", err)
			return
		}
		ref.Points, ref.Axes = pts, axes
		n := len(pts) / len(p.Vars)
		ref.Values = make([]float64, n*nf)
		for f, name := range p.Fields {
			col, ok := vals[name]
			for i := range n {
				ref.Values[i*nf+f] = math.NaN()
				if ok {
					ref.Values[i*nf+f] = col[i]
				}
			}
		}
	}
	ref.mask(p)
	p.Reference = ref
}

// matchNames maps the problem's variables and fields onto a solution's: perm[i] is the solution
// coordinate of problem variable i, fmap[f] the solution field of problem field f (−1: absent).
func matchNames(p *Problem, vars, fields []string) (perm, fmap []int, err error) {
	if len(vars) != len(p.Vars) {
		return nil, nil, fmt.Errorf("its variables are %s, the problem's %s", strings.Join(vars, ", "), strings.Join(p.Vars, ", "))
	}
	perm = make([]int, len(p.Vars))
	for i, v := range p.Vars {
		perm[i] = slices.Index(vars, v)
		if perm[i] < 0 {
			return nil, nil, fmt.Errorf("its variables are %s, the problem's %s", strings.Join(vars, ", "), strings.Join(p.Vars, ", "))
		}
	}
	fmap = make([]int, len(p.Fields))
	any := false
	for f, name := range p.Fields {
		fmap[f] = slices.Index(fields, name)
		any = any || fmap[f] >= 0
	}
	if !any {
		return nil, nil, fmt.Errorf("its fields are %s, the problem's %s", strings.Join(fields, ", "), strings.Join(p.Fields, ", "))
	}
	return perm, fmap, nil
}

// solutionGrid uses a solution's own benchmark grid (Burgers: Raissi's 256×100; Allen–Cahn: 512
// points × its 201 snapshots) when it has one and the problem is (x, t).
func (pr *parser) solutionGrid(ref *Reference, sol reference.Solution, perm, fmap []int) bool {
	var g *reference.Grid
	switch s := sol.(type) {
	case interface{ Grid() *reference.Grid }:
		g = s.Grid()
	case interface{ Grid(int) *reference.Grid }:
		g = s.Grid(512)
	default:
		return false
	}
	p := pr.p
	if len(p.Vars) != 2 || !p.Time || len(p.Fields) != 1 || perm[0] != 0 || fmap[0] != 0 {
		return false
	}
	nx, nt := len(g.X), len(g.T)
	ref.Axes = [][]float64{g.X, g.T}
	ref.Points = make([]float64, 0, 2*nx*nt)
	ref.Values = make([]float64, 0, nx*nt)
	for j := range nt {
		for i := range nx {
			ref.Points = append(ref.Points, g.X[i], g.T[j])
			ref.Values = append(ref.Values, g.At(i, j))
		}
	}
	return true
}

// MaxGridPoints bounds an evaluation or picture grid.
const MaxGridPoints = 1 << 22

// gridSize is the number of points of a grid, saturating at MaxGridPoints+1.
func gridSize(g []int) int {
	n := 1
	for _, c := range g {
		if c <= 0 {
			return 0
		}
		n *= c
		if n > MaxGridPoints {
			return MaxGridPoints + 1
		}
	}
	return n
}

// DefaultGrid is the evaluation grid (points per variable) for a problem without one.
func DefaultGrid(p *Problem) []int {
	sp := len(p.Vars) - boolInt(p.Time)
	per := map[int]int{1: 1001, 2: 201, 3: 41}[sp]
	if per == 0 {
		per = max(2, int(math.Pow(1e6, 1/float64(len(p.Vars)))))
	}
	if p.Time {
		per = map[int]int{1: 201, 2: 101, 3: 31}[sp]
		if per == 0 {
			per = 9
		}
	}
	g := make([]int, len(p.Vars))
	for i := range g {
		g[i] = per
	}
	if p.Time {
		g[len(g)-1] = 101
	}
	return g
}

// gridReference evaluates the reference on a tensor grid over the domain's bounding box.
func (pr *parser) gridReference(ref *Reference, grid []int) {
	p := pr.p
	if len(grid) == 0 {
		grid = DefaultGrid(p)
	}
	ref.Axes = make([][]float64, len(p.Vars))
	total := 1
	for i, n := range grid {
		ref.Axes[i] = linspace(p.Lo[i], p.Hi[i], n)
		total *= n
	}
	d, nf := len(p.Vars), len(p.Fields)
	ref.Points = gridPoints(ref.Axes)
	ref.Values = make([]float64, total*nf)
	for i := range total {
		pt := ref.Points[i*d : (i+1)*d]
		if !p.Domain.Contains(pt, 1e-12*boundsScale(p)) {
			for f := range nf {
				ref.Values[i*nf+f] = math.NaN()
			}
			continue
		}
		ref.eval(pt, ref.Values[i*nf:(i+1)*nf])
	}
}

// mask marks points outside the domain as NaN, so that they count in no metric.
func (ref *Reference) mask(p *Problem) {
	d, nf := len(p.Vars), len(p.Fields)
	for i := range len(ref.Points) / d {
		if !p.Domain.Contains(ref.Points[i*d:(i+1)*d], 1e-9*boundsScale(p)) {
			for f := range nf {
				ref.Values[i*nf+f] = math.NaN()
			}
		}
	}
}

// gridPoints lists the points of the tensor grid of axes, the first axis varying fastest.
func gridPoints(axes [][]float64) []float64 {
	d := len(axes)
	total := 1
	for _, a := range axes {
		total *= len(a)
	}
	pts := make([]float64, 0, total*d)
	idx := make([]int, d)
	for range total {
		for k := range d {
			pts = append(pts, axes[k][idx[k]])
		}
		for k := range d {
			idx[k]++
			if idx[k] < len(axes[k]) {
				break
			}
			idx[k] = 0
		}
	}
	return pts
}

func linspace(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	out[n-1] = b
	return out
}
