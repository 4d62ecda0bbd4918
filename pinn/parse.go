package pinn

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/pinn/expr"
)

// MaxOrder is the highest derivative order an expression may use: the network carries value,
// first and second derivative blocks.
const MaxOrder = 2

// Defaults of a problem file's optional keys.
const (
	DefaultInterior        = 2000
	DefaultConditionPoints = 256
	DefaultAdamSteps       = 1000
	DefaultLBFGSIterations = 2000
	DefaultLBFGSTolerance  = 1e-14
	DefaultLBFGSHistory    = 50
	// MaxKANGrid bounds train.grid_extension's grids.
	MaxKANGrid      = 1000
	DefaultLogEvery = 100
)

// MaxPoints bounds every point count of a problem file (interior, condition, candidates).
const MaxPoints = 1 << 24

// Load reads and checks a problem file; data files it names are read relative to its directory.
func Load(path string) (*Problem, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("problem file: %w", err)
	}
	return Parse(path, src, filepath.Dir(path))
}

// Parse checks a problem file's contents. name is used in messages; dir resolves relative data
// file names. Every error found is reported, each with its line (see ProblemError).
func Parse(name string, src []byte, dir string) (*Problem, error) {
	var spec fileSpec
	md, err := toml.Decode(string(src), &spec)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ProblemError{Messages: []string{fmt.Sprintf("%s:%d: %s", name, pe.Position.Line, pe.Message)}}
		}
		return nil, &ProblemError{Messages: []string{fmt.Sprintf("%s: %v", name, err)}}
	}
	lines := newLineIndex(string(src))
	is := &issues{name: name}
	for _, k := range md.Undecoded() {
		ks := k.String()
		// Free-form tables: the network's keys go to the architecture, whose decoder names any
		// unknown one; nested inline tables under them are its business too.
		if len(k) >= 2 && k[0] == "network" {
			continue
		}
		is.addf(lines.Find(ks), "unknown key `%s`%s", ks, suggestKey(k))
	}
	p := &Problem{Path: name, Title: spec.Title, Description: spec.Description, lines: lines}
	pr := &parser{p: p, spec: &spec, md: md, lines: lines, is: is, dir: dir}
	pr.parse()
	if err := is.err(); err != nil {
		return nil, err
	}
	return p, nil
}

// knownKeys lists the keys of each table, for suggestions on unknown keys.
var knownKeys = map[string][]string{
	"":                  {"title", "description", "fields", "domain", "params", "unknowns", "equation", "condition", "data", "transform", "sampling", "network", "train", "reference", "output"},
	"equation":          {"name", "residual", "weight"},
	"condition":         {"kind", "name", "field", "value", "on", "points", "weight", "a", "b", "residual", "axis", "derivatives", "sampler"},
	"data":              {"name", "file", "fields", "arrays", "weight"},
	"sampling":          {"method", "interior", "seed", "resample_every", "resample_boundary", "adaptive"},
	"sampling.adaptive": {"method", "every", "lbfgs_every", "candidates", "points", "rounds", "k", "c"},
	"train":             {"adam_steps", "lr", "schedule", "lbfgs_iterations", "lbfgs_tolerance", "lbfgs_history", "log_every", "time_limit", "causal_bins", "causal_epsilon", "grid_extension"},
	"reference":         {"solution", "params", "expr", "file", "arrays", "grid", "unknowns"},
	"output":            {"times", "grid"},
}

func suggestKey(k toml.Key) string {
	table := strings.Join(k[:len(k)-1], ".")
	keys, ok := knownKeys[table]
	if !ok {
		return ""
	}
	last := k[len(k)-1]
	best, bestD := "", 3
	for _, c := range keys {
		if d := editDistance(last, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		return fmt.Sprintf(" (did you mean `%s`?)", best)
	}
	where := "at the top level"
	if table != "" {
		where = "in [" + table + "]"
	}
	return fmt.Sprintf(" (keys %s: %s)", where, strings.Join(keys, ", "))
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

type parser struct {
	p     *Problem
	spec  *fileSpec
	md    toml.MetaData
	lines *lineIndex
	is    *issues
	dir   string
	env   *expr.Env // equations and conditions
}

func (pr *parser) parse() {
	p, spec := pr.p, pr.spec
	pr.parseFields()
	pr.parseDomain()
	pr.parseParams()
	pr.parseUnknowns()
	if len(p.Vars) == 0 || len(p.Fields) == 0 {
		return // nothing below can be checked without variables and fields
	}
	pr.env = &expr.Env{Vars: p.Vars, Fields: p.Fields, Params: p.Params, Unknowns: unknownNames(p.Unknowns), MaxOrder: MaxOrder}
	if err := pr.env.Validate(); err != nil {
		pr.is.addf(0, "%v", err)
		return
	}
	pr.parseEquations()
	pr.parseConditions()
	pr.parseTransform()
	pr.parseSampling()
	pr.parseNetwork()
	pr.parseTrain()
	pr.parseData()
	pr.parseReference()
	pr.parseOutput()
	if len(spec.Equations) == 0 {
		pr.is.addf(0, "no [[equation]]: a problem needs at least one residual")
	}
	pr.checkUnknownsUsed()
}

func (pr *parser) parseFields() {
	line := pr.lines.Line("", 0, "fields")
	if len(pr.spec.Fields) == 0 {
		pr.is.addf(line, "fields: missing; name the network outputs, e.g. fields = [\"u\"]")
		return
	}
	for _, f := range pr.spec.Fields {
		if slices.Contains(pr.p.Fields, f) {
			pr.is.addf(line, "fields: `%s` appears twice", f)
			continue
		}
		pr.p.Fields = append(pr.p.Fields, f)
	}
}

// parseParams evaluates the parameters in file order; a parameter may be a number or a constant
// expression of pi, e and the parameters before it (nu = "0.01/pi").
func (pr *parser) parseParams() {
	pr.p.Params = map[string]float64{}
	for _, k := range pr.orderedKeys("params") {
		v := pr.spec.Params[k]
		line := pr.lines.Line("params", 0, k)
		val, err := constValue(v, pr.p.Params)
		if err != nil {
			pr.is.addExpr(line, "parameter "+k, err)
			continue
		}
		pr.p.Params[k] = val
	}
}

func (pr *parser) parseUnknowns() {
	for _, k := range pr.orderedKeys("unknowns") {
		line := pr.lines.Line("unknowns", 0, k)
		val, err := constValue(pr.spec.Unknowns[k], pr.p.Params)
		if err != nil {
			pr.is.addExpr(line, "unknown "+k, err)
			continue
		}
		pr.p.Unknowns = append(pr.p.Unknowns, Unknown{Name: k, Init: val})
	}
}

func unknownNames(us []Unknown) []string {
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.Name
	}
	return out
}

// orderedKeys lists the keys of a top-level table in file order.
func (pr *parser) orderedKeys(table string) []string {
	var out []string
	for _, k := range pr.md.Keys() {
		if len(k) == 2 && k[0] == table {
			out = append(out, k[1])
		}
	}
	return out
}

// constValue evaluates a number or a constant expression.
func constValue(v any, params map[string]float64) (float64, error) {
	switch x := v.(type) {
	case int64:
		return float64(x), nil
	case float64:
		return x, nil
	case string:
		prog, err := expr.Compile(x, &expr.Env{Params: params})
		if err != nil {
			return 0, err
		}
		val := prog.Eval(1, nil, nil)[0]
		if math.IsNaN(val) || math.IsInf(val, 0) {
			return 0, fmt.Errorf("`%s` evaluates to %v", x, val)
		}
		return val, nil
	}
	return 0, fmt.Errorf("want a number or an expression in quotes, got %v", describe(v))
}

// exprText returns an expression given as a string or a number; def when absent.
func exprText(v any, def string) (string, error) {
	switch x := v.(type) {
	case nil:
		if def == "" {
			return "", errors.New("missing")
		}
		return def, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return "", errors.New("empty expression")
		}
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	}
	return "", fmt.Errorf("want an expression in quotes or a number, got %v", describe(v))
}

func describe(v any) string {
	switch v.(type) {
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	case bool:
		return "a boolean"
	}
	return fmt.Sprintf("%v", v)
}

func (pr *parser) parseEquations() {
	for i, e := range pr.spec.Equations {
		ctx := fmt.Sprintf("equation %d", i+1)
		line := pr.lines.Line("equation", i, "residual")
		src, err := exprText(e.Residual, "")
		if err != nil {
			pr.is.addf(line, "%s: residual: %v", ctx, err)
			continue
		}
		if _, err := expr.Check(src, pr.env); err != nil {
			pr.is.addExpr(line, ctx, err)
			continue
		}
		name := e.Name
		if name == "" {
			name = ctx
		}
		w := pr.weight(e.Weight, "equation", i, ctx)
		pr.p.Equations = append(pr.p.Equations, Equation{Name: name, Residual: src, Weight: w, Line: line})
	}
}

// weight returns a term weight (default 1), reporting negative or non-finite values.
func (pr *parser) weight(w *float64, table string, i int, ctx string) float64 {
	if w == nil {
		return 1
	}
	if !(*w >= 0) || math.IsInf(*w, 0) {
		pr.is.addf(pr.lines.Line(table, i, "weight"), "%s: weight %g; want a finite value ≥ 0", ctx, *w)
		return 1
	}
	return *w
}

// parseTransform checks the hard constraints: for each field an expression of the variables, the
// parameters and N, the network's raw output for that field.
func (pr *parser) parseTransform() {
	if len(pr.spec.Transform) == 0 {
		return
	}
	p := pr.p
	p.Transform = map[string]string{}
	env := &expr.Env{Vars: p.Vars, Fields: []string{"N"}, Params: p.Params, MaxOrder: 0}
	if err := env.Validate(); err != nil {
		pr.is.addf(pr.lines.Header("transform", 0), "transform: %v (N is the network's raw output)", err)
		return
	}
	for _, f := range pr.orderedKeys("transform") {
		line := pr.lines.Line("transform", 0, f)
		ctx := "transform " + f
		if !slices.Contains(p.Fields, f) {
			pr.is.addf(line, "%s: `%s` is not a field (fields: %s)", ctx, f, strings.Join(p.Fields, ", "))
			continue
		}
		src, err := exprText(pr.spec.Transform[f], "")
		if err != nil {
			pr.is.addf(line, "%s: %v", ctx, err)
			continue
		}
		if _, err := expr.Check(src, env); err != nil {
			pr.is.addExpr(line, ctx, err)
			continue
		}
		p.Transform[f] = src
	}
}

var samplers = []string{"uniform", "lhs", "sobol", "halton", "grid"}

func (pr *parser) parseSampling() {
	s := pr.spec.Sampling
	p := pr.p
	p.Sampling = Sampling{Method: s.Method, Interior: s.Interior, Seed: 1, ResampleEvery: s.ResampleEvery, ResampleBoundary: s.ResampleBoundary}
	if p.Sampling.Method == "" {
		p.Sampling.Method = "sobol"
	}
	if !slices.Contains(samplers, p.Sampling.Method) {
		pr.is.addf(pr.lines.Line("sampling", 0, "method"), "sampling: method %q (known: %s)", s.Method, strings.Join(samplers, ", "))
	}
	if p.Sampling.Interior == 0 {
		p.Sampling.Interior = DefaultInterior
	}
	if p.Sampling.Interior < 1 || p.Sampling.Interior > MaxPoints {
		pr.is.addf(pr.lines.Line("sampling", 0, "interior"), "sampling: interior = %d; want 1 to %d", s.Interior, MaxPoints)
	}
	if s.Seed != nil {
		if *s.Seed < 0 {
			pr.is.addf(pr.lines.Line("sampling", 0, "seed"), "sampling: seed %d; want ≥ 0", *s.Seed)
		}
		p.Sampling.Seed = uint64(*s.Seed)
	}
	if s.ResampleEvery < 0 {
		pr.is.addf(pr.lines.Line("sampling", 0, "resample_every"), "sampling: resample_every = %d; want ≥ 0", s.ResampleEvery)
	}
	if a := s.Adaptive; a != nil {
		ad := &Adaptive{Method: a.Method, Every: 1000, LBFGSEvery: a.LBFGSEvery, Candidates: a.Candidates, Points: a.Points, Rounds: a.Rounds, K: 1, C: 1}
		if a.Every != nil {
			ad.Every = *a.Every
		}
		line := func(k string) int { return pr.lines.Line("sampling.adaptive", 0, k) }
		if ad.Method != "rar" && ad.Method != "rad" {
			pr.is.addf(line("method"), "sampling.adaptive: method %q; want rar or rad", a.Method)
		}
		if ad.Candidates == 0 {
			ad.Candidates = 10 * p.Sampling.Interior
		}
		if ad.Points == 0 {
			ad.Points = max(p.Sampling.Interior/10, 1)
			if ad.Method == "rad" {
				ad.Points = p.Sampling.Interior
			}
		}
		if a.K != nil {
			ad.K = *a.K
		}
		if a.C != nil {
			ad.C = *a.C
		}
		switch {
		case ad.Every < 0 || ad.LBFGSEvery < 0 || ad.Candidates < 1 || ad.Points < 1 || ad.Rounds < 0 || ad.Candidates > MaxPoints:
			pr.is.addf(line("method"), "sampling.adaptive: candidates and points must be ≥ 1; every, lbfgs_every and rounds ≥ 0")
		case ad.Method == "rad" && ad.Points != p.Sampling.Interior:
			pr.is.addf(line("points"), "sampling.adaptive: RAD redraws the whole interior set: points = %d must equal sampling.interior = %d (or be left out)", ad.Points, p.Sampling.Interior)
		case ad.Points > ad.Candidates:
			pr.is.addf(line("points"), "sampling.adaptive: %d points from %d candidates", ad.Points, ad.Candidates)
		case !(ad.K >= 0) || !(ad.C >= 0):
			pr.is.addf(line("k"), "sampling.adaptive: k = %g, c = %g; want ≥ 0", ad.K, ad.C)
		}
		p.Sampling.Adaptive = ad
	}
}

// parseNetwork resolves the architecture and its configuration ([network] keys other than arch
// and seed are the architecture's own, checked by its decoder), and builds it once to surface
// configuration errors before any training.
func (pr *parser) parseNetwork() {
	p := pr.p
	line := pr.lines.Header("network", 0)
	p.Network = Network{Arch: "mlp", Seed: 1}
	overrides := map[string]any{}
	for k, v := range pr.spec.Network {
		switch k {
		case "arch":
			s, ok := v.(string)
			if !ok {
				pr.is.addf(pr.lines.Line("network", 0, "arch"), "network: arch must be a name in quotes")
				return
			}
			p.Network.Arch = s
		case "seed":
			s, ok := v.(int64)
			if !ok || s < 0 {
				pr.is.addf(pr.lines.Line("network", 0, "seed"), "network: seed must be an integer ≥ 0")
				return
			}
			p.Network.Seed = uint64(s)
		default:
			overrides[k] = v
		}
	}
	if p.Network.Arch == ModelArch {
		pr.is.addf(pr.lines.Line("network", 0, "arch"), "network: arch %q is the solver's own wrapper; name the network inside it (mlp, siren, …)", ModelArch)
		return
	}
	raw, err := json.Marshal(overrides)
	if err != nil {
		pr.is.addf(line, "network: %v", err)
		return
	}
	cfg, err := inr.ConfigFor(p.Network.Arch, raw)
	if err != nil {
		l := line
		for k := range overrides {
			if strings.Contains(err.Error(), `"`+k+`"`) {
				l = pr.lines.Line("network", 0, k)
			}
		}
		if strings.Contains(err.Error(), "unknown model") {
			l = pr.lines.Line("network", 0, "arch")
		}
		pr.is.addf(l, "network: %v", err)
		return
	}
	p.Network.Config = cfg
	mc, err := newModelConfig(p)
	if err == nil {
		_, err = mc.Build(len(p.Vars), len(p.Fields), nn.NewRNG(p.Network.Seed))
	}
	if err != nil {
		pr.is.addf(line, "network: %v", err)
	}
}

var schedules = []string{"constant", "step", "exponential", "cosine", "wire"}

func (pr *parser) parseTrain() {
	t := pr.spec.Train
	p := pr.p
	line := func(k string) int { return pr.lines.Line("train", 0, k) }
	tr := Train{AdamSteps: DefaultAdamSteps, LR: 1e-3, Schedule: t.Schedule, LBFGSIterations: DefaultLBFGSIterations,
		LBFGSTolerance: DefaultLBFGSTolerance, LBFGSHistory: DefaultLBFGSHistory, LogEvery: DefaultLogEvery}
	if p.Network.Config != nil {
		if lr := p.Network.Config.Training().LR; lr > 0 {
			tr.LR = lr
		}
	}
	setInt := func(dst *int, v *int, key string, least int) {
		if v == nil {
			return
		}
		if *v < least {
			pr.is.addf(line(key), "train: %s = %d; want ≥ %d", key, *v, least)
			return
		}
		*dst = *v
	}
	setInt(&tr.AdamSteps, t.AdamSteps, "adam_steps", 0)
	setInt(&tr.LBFGSIterations, t.LBFGSIterations, "lbfgs_iterations", 0)
	setInt(&tr.LBFGSHistory, t.LBFGSHistory, "lbfgs_history", 1)
	setInt(&tr.LogEvery, t.LogEvery, "log_every", 1)
	setPos := func(dst *float64, v *float64, key string, allowZero bool) {
		if v == nil {
			return
		}
		if !(*v > 0 || (allowZero && *v == 0)) || math.IsInf(*v, 0) {
			pr.is.addf(line(key), "train: %s = %g; want a finite value > 0", key, *v)
			return
		}
		*dst = *v
	}
	setPos(&tr.LR, t.LR, "lr", false)
	setPos(&tr.LBFGSTolerance, t.LBFGSTolerance, "lbfgs_tolerance", true)
	setPos(&tr.TimeLimit, t.TimeLimit, "time_limit", true)
	if tr.Schedule == "" {
		tr.Schedule = "constant"
	}
	if t.CausalBins != 0 || t.CausalEpsilon != nil {
		tr.CausalBins, tr.CausalEpsilon = t.CausalBins, 1
		if t.CausalEpsilon != nil {
			tr.CausalEpsilon = *t.CausalEpsilon
		}
		switch {
		case !p.Time:
			pr.is.addf(line("causal_bins"), "train: causal weighting needs a time-dependent domain")
		case tr.CausalBins < 2 || tr.CausalBins > 1024:
			pr.is.addf(line("causal_bins"), "train: causal_bins = %d; want 2 to 1024", t.CausalBins)
		case !(tr.CausalEpsilon > 0) || math.IsInf(tr.CausalEpsilon, 0):
			pr.is.addf(line("causal_epsilon"), "train: causal_epsilon = %g; want a finite value > 0", tr.CausalEpsilon)
		}
	}
	if len(t.GridExtension) > 0 {
		kc, ok := p.Network.Config.(*inr.KANConfig)
		switch {
		case !ok:
			pr.is.addf(line("grid_extension"), "train: grid_extension refines a B-spline KAN's grid; the network is %s (give [network] arch = \"kan\")", p.Network.Arch)
		default:
			prev := kc.Grid
			for _, g := range t.GridExtension {
				if g <= prev || g > MaxKANGrid {
					pr.is.addf(line("grid_extension"), "train: grid_extension %s; want grids increasing from the network's %d, at most %d",
						strings.ReplaceAll(fmt.Sprint(t.GridExtension), " ", ", "), kc.Grid, MaxKANGrid)
					break
				}
				prev = g
			}
			tr.GridExtension = slices.Clone(t.GridExtension)
		}
	}
	if !slices.Contains(schedules, tr.Schedule) {
		pr.is.addf(line("schedule"), "train: schedule %q (known: %s)", tr.Schedule, strings.Join(schedules, ", "))
	}
	p.Train = tr
}

func (pr *parser) parseOutput() {
	o := pr.spec.Output
	p := pr.p
	p.Output = Output{Times: o.Times, Grid: o.Grid}
	if len(o.Grid) > 0 {
		if len(o.Grid) != len(p.Vars) || slices.Min(o.Grid) < 2 || gridSize(o.Grid) > MaxGridPoints {
			pr.is.addf(pr.lines.Line("output", 0, "grid"), "output: grid %v; want %d counts ≥ 2 (one per variable: %s)",
				o.Grid, len(p.Vars), strings.Join(p.Vars, ", "))
			p.Output.Grid = nil
		}
	}
	if len(o.Times) > 0 && !p.Time {
		pr.is.addf(pr.lines.Line("output", 0, "times"), "output: times are for time-dependent problems (give [domain] a time interval)")
	}
	if p.Time && p.Domain != nil {
		t0, t1 := p.Lo[len(p.Lo)-1], p.Hi[len(p.Hi)-1]
		for _, t := range o.Times {
			if t < t0 || t > t1 {
				pr.is.addf(pr.lines.Line("output", 0, "times"), "output: time %g outside [%g, %g]", t, t0, t1)
			}
		}
		if len(p.Output.Times) == 0 {
			for k := range 5 {
				p.Output.Times = append(p.Output.Times, t0+float64(k)/4*(t1-t0))
			}
		}
	}
}

// checkUnknownsUsed reports unknowns no equation, condition or data term uses: they would never
// receive a gradient.
func (pr *parser) checkUnknownsUsed() {
	for i, u := range pr.p.Unknowns {
		used := false
		for _, e := range pr.p.Equations {
			if info, err := expr.Check(e.Residual, pr.env); err == nil && slices.Contains(info.Unknowns, i) {
				used = true
			}
		}
		for _, c := range pr.p.Conditions {
			for _, s := range []string{c.Value, c.A, c.B, c.Residual} {
				if s == "" {
					continue
				}
				if info, err := expr.Check(s, pr.env); err == nil && slices.Contains(info.Unknowns, i) {
					used = true
				}
			}
		}
		if !used {
			pr.is.addf(pr.lines.Line("unknowns", 0, u.Name), "unknown %s: no equation or condition uses it", u.Name)
		}
	}
}
