package pinn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/pinn/expr"
	"github.com/inrstudio/studio/pinn/sample"
)

// source refills a group's points: from a sampler set (redrawn on resampling), or fixed data.
type source struct {
	g    *group
	set  *sample.Set
	fill func() // copies the set's points (and extras) into the group
	// resample says whether this source is redrawn with the interior (boundary sets only when
	// sampling.resample_boundary is set).
	resample bool
}

// solver holds everything one solve needs: the model and its parameters, the point groups and
// their sources.
type solver struct {
	p     *Problem
	mcfg  *ModelConfig
	model *inr.Model
	ps    *nn.ParamSet
	unk   *nn.Param // trainable unknowns (nil when none)
	theta []float64

	groups   []*group
	sources  []*source
	interior *group
	set      *sample.Set // interior collocation points
	anchors  []float64   // RAR points added to the interior set
	probe    *group      // the equations on evaluation points (residual maps, refinement)
	seed     uint64
	netSeed  uint64
	noFold   bool // never fold second derivatives into combination blocks (group.fold)
}

func newSampler(method string, seed uint64) sample.Sampler {
	switch method {
	case "uniform":
		return sample.NewUniform(seed)
	case "lhs":
		return sample.NewLHS(seed)
	case "halton":
		return sample.NewHalton(sample.DefaultHaltonSkip + int(seed%1000)*64)
	case "grid":
		return sample.NewGrid()
	}
	return sample.NewSobol(seed, true)
}

// newSolver builds the model, the parameter set (network weights and unknowns) and every group.
func newSolver(p *Problem, sampleSeed, netSeed uint64) (*solver, error) {
	return buildSolver(p, sampleSeed, netSeed, true)
}

// buildSolver is newSolver; fold false keeps every second derivative in its own block (the
// reference the folded plans are tested against).
func buildSolver(p *Problem, sampleSeed, netSeed uint64, fold bool) (*solver, error) {
	mcfg, err := newModelConfig(p)
	if err != nil {
		return nil, err
	}
	model, err := inr.NewModel(ModelArch, mcfg, len(p.Vars), len(p.Fields), netSeed)
	if err != nil {
		return nil, err
	}
	s := &solver{p: p, mcfg: mcfg, model: model, seed: sampleSeed, netSeed: netSeed, noFold: !fold}
	params := slices.Clone(model.Net.Params())
	if len(p.Unknowns) > 0 {
		s.unk = nn.NewParam("unknowns", len(p.Unknowns))
		for i, u := range p.Unknowns {
			s.unk.Value[i] = u.Init
		}
		params = append(params, s.unk)
	}
	if s.ps, err = nn.NewParamSet(params); err != nil {
		return nil, err
	}
	if s.unk != nil {
		s.theta = s.unk.Value
	}
	if err := s.buildGroups(); err != nil {
		return nil, err
	}
	return s, nil
}

// replica builds another copy of the network whose parameters are the model's (same storage), so
// that a group can carry its own derivative plan and buffers.
func (s *solver) replica() (*nn.Graph, error) {
	net, err := s.mcfg.Build(len(s.p.Vars), len(s.p.Fields), nn.NewRNG(s.netSeed))
	if err != nil {
		return nil, err
	}
	mine, master := net.Params(), s.model.Net.Params()
	if len(mine) != len(master) {
		return nil, fmt.Errorf("replica has %d parameters, the model %d", len(mine), len(master))
	}
	for i, q := range mine {
		m := master[i]
		if q.Name != m.Name || len(q.Value) != len(m.Value) {
			return nil, fmt.Errorf("replica parameter %s does not match %s", q.Name, m.Name)
		}
		q.Value, q.Grad = m.Value, m.Grad
	}
	return net, nil
}

// env returns the expression environment with extra per-point variables appended.
func (s *solver) env(extra []string) *expr.Env {
	p := s.p
	return &expr.Env{Vars: append(slices.Clone(p.Vars), extra...), Fields: p.Fields, Params: p.Params,
		Unknowns: unknownNames(p.Unknowns), MaxOrder: MaxOrder}
}

// freshNames returns k variable names (prefix + index) that no name of the problem uses.
func (s *solver) freshNames(prefix string, k int) []string {
	p := s.p
	taken := func(n string) bool {
		if slices.Contains(p.Vars, n) || slices.Contains(p.Fields, n) || slices.Contains(unknownNames(p.Unknowns), n) || n == "pi" || n == "e" {
			return true
		}
		_, ok := p.Params[n]
		return ok
	}
	for {
		out := make([]string, k)
		ok := true
		for i := range out {
			out[i] = fmt.Sprintf("%s%d", prefix, i)
			ok = ok && !taken(out[i])
		}
		if ok {
			return out
		}
		prefix += "q"
	}
}

func (s *solver) compile(src string, extra []string, what string) (*expr.Program, error) {
	prog, err := expr.Compile(src, s.env(extra))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return prog, nil
}

func (s *solver) newGroup(name string) *group {
	return &group{name: name, d: len(s.p.Vars), noFold: s.noFold}
}

// interiorGroup makes a group carrying the equations (used for training and, with other points,
// for residual maps and adaptive refinement).
func (s *solver) interiorGroup(name string) (*group, error) {
	g := s.newGroup(name)
	for _, e := range s.p.Equations {
		prog, err := s.compile(e.Residual, nil, e.Name)
		if err != nil {
			return nil, err
		}
		g.addProgram(e.Name, e.Weight, prog)
	}
	return g, g.finish(s.replica)
}

func (s *solver) buildGroups() error {
	p := s.p
	var err error
	if s.interior, err = s.interiorGroup("interior"); err != nil {
		return err
	}
	if p.Train.CausalBins > 0 {
		s.interior.causal = &causal{bins: p.Train.CausalBins, eps: p.Train.CausalEpsilon, t0: p.Lo[len(p.Lo)-1], t1: p.Hi[len(p.Hi)-1]}
	}
	s.set, err = sample.NewSet(p.Domain, sample.Interior, newSampler(p.Sampling.Method, s.seed), p.Sampling.Interior)
	if err != nil {
		return fmt.Errorf("interior points: %w", err)
	}
	s.groups = append(s.groups, s.interior)
	s.sources = append(s.sources, &source{g: s.interior, set: s.set, resample: true, fill: s.fillInterior})
	for i, c := range p.Conditions {
		if err := s.conditionGroup(i, c); err != nil {
			return fmt.Errorf("%s: %w", c.Name, err)
		}
	}
	for _, d := range p.Data {
		if err := s.dataGroup(d); err != nil {
			return fmt.Errorf("%s: %w", d.Name, err)
		}
	}
	for _, src := range s.sources {
		src.fill()
	}
	return nil
}

func (s *solver) fillInterior() {
	pts := s.set.Points.X
	if len(s.anchors) > 0 {
		pts = append(slices.Clone(pts), s.anchors...)
	}
	s.interior.setPoints(pts, nil)
}

// conditionGroup builds the group of one boundary or initial condition.
func (s *solver) conditionGroup(i int, c Condition) error {
	p := s.p
	g := s.newGroup(c.Name)
	method := c.Sampler
	if method == "" {
		method = p.Sampling.Method
	}
	smp := newSampler(method, s.seed+uint64(1000*(i+1)))
	dom := p.Domain
	if c.Parts != nil {
		var err error
		if dom, err = sample.OnParts(dom, c.Parts); err != nil {
			return err
		}
	}
	region := sample.Boundary
	if c.Kind == Initial || c.Kind == Velocity {
		region = sample.Initial
	}
	var extraNames []string
	sp := len(p.Vars) - boolInt(p.Time) // spatial dimension
	field := c.Field
	var src string
	switch c.Kind {
	case Dirichlet, Initial:
		src = fmt.Sprintf("(%s) - (%s)", field, c.Value)
	case Velocity:
		src = fmt.Sprintf("(%s) - (%s)", expr.DerivName(field, []int{len(p.Vars) - 1}, p.Vars), c.Value)
	case Neumann, Robin:
		extraNames = s.freshNames("normal", sp)
		terms := make([]string, sp)
		for k := range sp {
			terms[k] = fmt.Sprintf("%s*%s", extraNames[k], expr.DerivName(field, []int{k}, p.Vars))
		}
		dn := "(" + strings.Join(terms, " + ") + ")"
		if c.Kind == Neumann {
			src = fmt.Sprintf("%s - (%s)", dn, c.Value)
		} else {
			src = fmt.Sprintf("(%s)*(%s) + (%s)*%s - (%s)", c.A, field, c.B, dn, c.Value)
		}
	case Operator:
		src = c.Residual
	case Periodic:
		return s.periodicGroup(g, c, smp)
	}
	prog, err := s.compile(src, extraNames, c.Name)
	if err != nil {
		return err
	}
	g.addProgram(c.Name, c.Weight, prog)
	if err := g.finish(s.replica); err != nil {
		return err
	}
	set, err := sample.NewSet(dom, region, smp, c.Points)
	if err != nil {
		return err
	}
	normals := make([][]float64, len(extraNames))
	s.groups = append(s.groups, g)
	s.sources = append(s.sources, &source{g: g, set: set, resample: p.Sampling.ResampleBoundary, fill: func() {
		for k := range normals {
			normals[k] = set.Normals.Column(k, normals[k])
		}
		g.setPoints(set.Points.X, normals)
	}})
	return nil
}

// periodicGroup pairs points of the lower face of the axis with their images on the upper face:
// the group's first half are the lower points, the second half the same points moved to the upper
// face, and its term matches the listed derivatives between the halves.
func (s *solver) periodicGroup(g *group, c Condition, smp sample.Sampler) error {
	p := s.p
	box := p.spaceBox()
	lower := -1
	for k, part := range box.Parts() {
		if part.Axis == c.Axis && part.Side < 0 {
			lower = k
		}
	}
	dom, err := sample.OnParts(p.Domain, []int{lower})
	if err != nil {
		return err
	}
	env := s.env(nil)
	var syms []expr.Symbol
	for _, d := range c.Derivatives {
		info, err := expr.Check(d, env)
		if err != nil {
			return err
		}
		syms = append(syms, info.Inputs[0])
	}
	set, err := sample.NewSet(dom, sample.Boundary, smp, c.Points)
	if err != nil {
		return err
	}
	m := set.Len()
	g.addPeriodic(c.Name, c.Weight, syms, m)
	if err := g.finish(s.replica); err != nil {
		return err
	}
	hi := p.Hi[c.Axis]
	pts := make([]float64, 2*m*g.d)
	s.groups = append(s.groups, g)
	s.sources = append(s.sources, &source{g: g, set: set, resample: p.Sampling.ResampleBoundary, fill: func() {
		copy(pts, set.Points.X)
		copy(pts[m*g.d:], set.Points.X)
		for i := range m {
			pts[(m+i)*g.d+c.Axis] = hi
		}
		g.setPoints(pts, nil)
	}})
	return nil
}

// dataGroup matches observed fields at fixed points.
func (s *solver) dataGroup(d Data) error {
	p := s.p
	g := s.newGroup(d.Name)
	var fields []string
	for _, f := range p.Fields {
		if _, ok := d.Values[f]; ok {
			fields = append(fields, f)
		}
	}
	names := s.freshNames("observed", len(fields))
	extra := make([][]float64, len(fields))
	for k, f := range fields {
		// The observation column is extra variable k: the names before it are in the
		// environment (unused) so that its index is the same in every term.
		prog, err := s.compile(fmt.Sprintf("%s - %s", f, names[k]), names[:k+1], d.Name)
		if err != nil {
			return err
		}
		g.addProgram(fmt.Sprintf("%s (%s)", d.Name, f), d.Weight, prog)
		extra[k] = d.Values[f]
	}
	if err := g.finish(s.replica); err != nil {
		return err
	}
	s.groups = append(s.groups, g)
	s.sources = append(s.sources, &source{g: g, fill: func() { g.setPoints(d.Points.X, extra) }})
	return nil
}

// eval computes the total loss at the current parameters and accumulates its gradient (the
// caller zeroes the gradient first). It is the function L-BFGS minimises.
func (s *solver) eval() (float64, error) {
	total := 0.0
	var grad []float64
	if s.unk != nil {
		grad = s.unk.Grad
	}
	for _, g := range s.groups {
		total += g.eval(s.theta, grad, true)
	}
	return total, nn.CheckFinite("loss", total)
}

// terms lists every term's name and last value.
func (s *solver) terms() ([]string, []float64) {
	var names []string
	var vals []float64
	for _, g := range s.groups {
		for _, t := range g.terms {
			names = append(names, t.name)
			vals = append(vals, t.value)
		}
	}
	return names, vals
}
