package pinn

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
)

// Metrics is what metrics.json holds: the solution's error against the reference (overall and
// per field), the final loss terms, the optimiser's record and the time taken.
type Metrics struct {
	Problem   string   `json:"problem"`
	Title     string   `json:"title,omitempty"`
	Vars      []string `json:"vars"`
	Fields    []string `json:"fields"`
	Reference string   `json:"reference,omitempty"`

	// RelL2 is ‖u − u_ref‖₂/‖u_ref‖₂ over every field and reference point; MaxError the
	// largest |u − u_ref|; MSE the mean of (u − u_ref)². Absent without a reference.
	RelL2          *float64           `json:"rel_l2,omitempty"`
	RelL2Fields    map[string]float64 `json:"rel_l2_fields,omitempty"`
	MaxError       *float64           `json:"max_error,omitempty"`
	MaxErrorFields map[string]float64 `json:"max_error_fields,omitempty"`
	MSE            *float64           `json:"mse,omitempty"`
	MSEFields      map[string]float64 `json:"mse_fields,omitempty"`
	EvalPoints     int                `json:"eval_points"`
	// ResidualRMS is the root mean square of the equations' residual on the evaluation grid.
	ResidualRMS float64 `json:"residual_rms"`

	Loss      float64                  `json:"loss"`
	LossTerms map[string]float64       `json:"loss_terms"`
	Unknowns  map[string]UnknownResult `json:"unknowns,omitempty"`

	Seconds          float64 `json:"seconds"`
	TrainSeconds     float64 `json:"train_seconds"`
	AdamSteps        int     `json:"adam_steps"`
	AdamSeconds      float64 `json:"adam_seconds"`
	LBFGSIterations  int     `json:"lbfgs_iterations"`
	LBFGSEvaluations int     `json:"lbfgs_evaluations"`
	LBFGSStop        string  `json:"lbfgs_stop,omitempty"`
	LBFGSGradNorm    float64 `json:"lbfgs_grad_norm,omitempty"`
	LBFGSSeconds     float64 `json:"lbfgs_seconds"`
	RefineRounds     int     `json:"refine_rounds,omitempty"`
	GridExtension    []int   `json:"grid_extension,omitempty"` // the finer grids a KAN was refined to and trained on
	Stopped          string  `json:"stopped,omitempty"`

	Network    string         `json:"network"`
	Parameters int            `json:"parameters"`
	Points     map[string]int `json:"points"`
	Threads    int            `json:"threads"`
	Seed       uint64         `json:"seed"`
}

// UnknownResult is a recovered unknown of an inverse problem.
type UnknownResult struct {
	Value    float64  `json:"value"`
	Init     float64  `json:"init"`
	True     *float64 `json:"true,omitempty"`
	RelError *float64 `json:"rel_error,omitempty"`
}

// Evaluation is the solution measured at the reference points and drawn on the picture grid.
type Evaluation struct {
	// Points, Pred and Ref: the reference points, the solution and the reference there
	// (len(Fields) values per point; Ref NaN where a field has no reference).
	Points, Pred, Ref []float64
	// Axes span the picture grid (first variable fastest); GridPred, GridRef (NaN where
	// unknown) and GridRes (the equations' residual, root sum of squares) are on it. Points
	// outside the domain are NaN.
	Axes                       [][]float64
	GridPoints                 []float64
	GridPred, GridRef, GridRes []float64
}

const evalChunk = 4096

// predict evaluates the model at points (len(Vars) coordinates each).
func (s *solver) predict(pts []float64) ([]float64, error) {
	d, nf := len(s.p.Vars), len(s.p.Fields)
	n := len(pts) / d
	out := make([]float64, n*nf)
	err := s.model.Predict(kernel.MatrixFrom(n, d, pts), kernel.MatrixFrom(n, nf, out))
	return out, err
}

// residualAt returns the equations' combined residual (root sum of squares) at each point.
func (s *solver) residualAt(pts []float64) ([]float64, error) {
	if s.probe == nil {
		g, err := s.interiorGroup("probe")
		if err != nil {
			return nil, err
		}
		s.probe = g
	}
	d := len(s.p.Vars)
	n := len(pts) / d
	out := make([]float64, n)
	for i0 := 0; i0 < n; i0 += evalChunk {
		i1 := min(i0+evalChunk, n)
		s.probe.setPoints(pts[i0*d:i1*d], nil)
		s.probe.forward(s.theta)
		s.probe.pointResidual(out[i0:i1])
	}
	return out, nil
}

// pictureGrid returns the axes the pictures are drawn on: the reference's grid when it has
// one, else output.grid or the default grid over the domain's bounds.
func (s *solver) pictureGrid() [][]float64 {
	p := s.p
	if p.Reference != nil && p.Reference.Axes != nil {
		return p.Reference.Axes
	}
	grid := p.Output.Grid
	if len(grid) == 0 {
		grid = DefaultGrid(p)
	}
	axes := make([][]float64, len(grid))
	for i, n := range grid {
		axes[i] = linspace(p.Lo[i], p.Hi[i], n)
	}
	return axes
}

// evaluate measures the current solution.
func (s *solver) evaluate() (*Evaluation, error) {
	p := s.p
	d, nf := len(p.Vars), len(p.Fields)
	ev := &Evaluation{Axes: s.pictureGrid()}
	ref := p.Reference
	if ref != nil && ref.Axes != nil {
		ev.GridPoints = ref.Points
	} else {
		ev.GridPoints = gridPoints(ev.Axes)
	}
	var err error
	if ev.GridPred, err = s.predict(ev.GridPoints); err != nil {
		return nil, err
	}
	if ev.GridRes, err = s.residualAt(ev.GridPoints); err != nil {
		return nil, err
	}
	ng := len(ev.GridPoints) / d
	ev.GridRef = make([]float64, ng*nf)
	tol := 1e-9 * boundsScale(p)
	for i := range ng {
		pt := ev.GridPoints[i*d : (i+1)*d]
		row := ev.GridRef[i*nf : (i+1)*nf]
		if !p.Domain.Contains(pt, tol) {
			ev.GridRes[i] = math.NaN()
			for f := range nf {
				ev.GridPred[i*nf+f], row[f] = math.NaN(), math.NaN()
			}
			continue
		}
		switch {
		case ref != nil && ref.Axes != nil:
			copy(row, ref.Values[i*nf:(i+1)*nf])
		case ref != nil && ref.Eval(pt, row):
		default:
			for f := range row {
				row[f] = math.NaN()
			}
		}
	}
	if ref == nil {
		return ev, nil
	}
	if ref.Axes != nil {
		ev.Points, ev.Pred, ev.Ref = ev.GridPoints, ev.GridPred, ev.GridRef
		return ev, nil
	}
	ev.Points, ev.Ref = ref.Points, ref.Values
	if ev.Pred, err = s.predict(ref.Points); err != nil {
		return nil, err
	}
	return ev, nil
}

// quickMetrics measures the error at the reference points only (no residual, no pictures): what
// a progress line shows.
func (s *solver) quickMetrics() (map[string]float64, error) {
	ref := s.p.Reference
	if ref == nil {
		return nil, nil
	}
	pred, err := s.predict(ref.Points)
	if err != nil {
		return nil, err
	}
	ev := &Evaluation{Points: ref.Points, Pred: pred, Ref: ref.Values}
	return ev.metricsMap(s.p), nil
}

// fieldErrors are the error sums of one field.
type fieldErrors struct {
	sse, ssr, maxAbs float64
	count            int
}

func (ev *Evaluation) errors(nf int) []fieldErrors {
	out := make([]fieldErrors, nf)
	for i, r := range ev.Ref {
		if math.IsNaN(r) {
			continue
		}
		e := &out[i%nf]
		d := ev.Pred[i] - r
		e.sse += d * d
		e.ssr += r * r
		e.maxAbs = math.Max(e.maxAbs, math.Abs(d))
		if math.IsNaN(d) {
			e.maxAbs = math.NaN()
		}
		e.count++
	}
	return out
}

// metricsMap gives the error figures as the flat map a snapshot carries.
func (ev *Evaluation) metricsMap(p *Problem) map[string]float64 {
	if ev.Ref == nil {
		return map[string]float64{}
	}
	m := map[string]float64{}
	var sse, ssr float64
	for f, e := range ev.errors(len(p.Fields)) {
		if e.count == 0 {
			continue
		}
		sse += e.sse
		ssr += e.ssr
		m["rel_l2_"+p.Fields[f]] = math.Sqrt(e.sse / e.ssr)
		m["max_error_"+p.Fields[f]] = e.maxAbs
	}
	m["rel_l2"] = math.Sqrt(sse / ssr)
	return m
}

// finishMetrics fills the errors, final loss terms, unknowns and run facts.
func (s *solver) finishMetrics(m *Metrics, res *Result) error {
	p := s.p
	m.Problem, m.Title, m.Vars, m.Fields = p.Path, p.Title, p.Vars, p.Fields
	m.Network = p.Network.Arch
	m.Parameters = s.model.NumParams()
	m.Threads = Threads()
	m.Seed = s.netSeed
	m.Points = map[string]int{}
	for _, g := range s.groups {
		m.Points[g.name] = g.n
	}
	names, vals := s.terms()
	m.LossTerms = map[string]float64{}
	m.Loss = 0
	k := 0
	for _, g := range s.groups {
		for _, t := range g.terms {
			m.LossTerms[names[k]] = vals[k]
			m.Loss += t.weight * t.value
			k++
		}
	}
	if len(p.Unknowns) > 0 {
		m.Unknowns = map[string]UnknownResult{}
		for i, u := range p.Unknowns {
			r := UnknownResult{Value: s.theta[i], Init: u.Init}
			if u.HasTrue {
				t, e := u.True, math.Abs(s.theta[i]-u.True)/math.Max(math.Abs(u.True), math.SmallestNonzeroFloat64)
				r.True, r.RelError = &t, &e
			}
			m.Unknowns[u.Name] = r
		}
	}
	ev, err := s.evaluate()
	if err != nil {
		return err
	}
	res.Eval = ev
	var ss, cnt float64
	for _, r := range ev.GridRes {
		if !math.IsNaN(r) {
			ss += r * r
			cnt++
		}
	}
	if cnt > 0 {
		m.ResidualRMS = math.Sqrt(ss / cnt)
	}
	if p.Reference == nil {
		return nil
	}
	m.Reference = p.Reference.Kind + " " + p.Reference.Name
	m.RelL2Fields, m.MaxErrorFields, m.MSEFields = map[string]float64{}, map[string]float64{}, map[string]float64{}
	var sse, ssr, maxAbs float64
	count := 0
	for f, e := range ev.errors(len(p.Fields)) {
		if e.count == 0 {
			continue
		}
		name := p.Fields[f]
		m.RelL2Fields[name] = math.Sqrt(e.sse / e.ssr)
		m.MaxErrorFields[name] = e.maxAbs
		m.MSEFields[name] = e.sse / float64(e.count)
		sse += e.sse
		ssr += e.ssr
		maxAbs = math.Max(maxAbs, e.maxAbs)
		count += e.count
	}
	if count == 0 {
		return fmt.Errorf("reference: no reference value inside the domain")
	}
	rel, mse := math.Sqrt(sse/ssr), sse/float64(count)
	m.RelL2, m.MaxError, m.MSE = &rel, &maxAbs, &mse
	m.EvalPoints = len(ev.Points) / len(p.Vars)
	if !finite(rel) {
		return fmt.Errorf("relative L2 error is %v: the solution is not finite", rel)
	}
	return nil
}

// fields turns an evaluation into the pictures a snapshot carries: solution, reference, error
// and residual on the picture plane (see view).
func (ev *Evaluation) fields(p *Problem) []inr.Field {
	v := newView(p, ev.Axes)
	var out []inr.Field
	nf := len(p.Fields)
	for f, name := range p.Fields {
		sol := v.plane(ev.GridPred, nf, f)
		out = append(out, v.field("solution", name, inr.FieldScalar, sol))
		ref := v.plane(ev.GridRef, nf, f)
		if hasFinite(ref) {
			out = append(out, v.field("reference", name, inr.FieldScalar, ref))
			errs := make([]float64, len(sol))
			for i := range errs {
				errs[i] = sol[i] - ref[i]
			}
			out = append(out, v.field("error", name+" − "+name+"_ref", inr.FieldSigned, errs))
		}
	}
	out = append(out, v.field("residual", "|r|", inr.FieldScalar, v.plane(ev.GridRes, 1, 0)))
	return out
}

func hasFinite(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) {
			return true
		}
	}
	return false
}
