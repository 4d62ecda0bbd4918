package pinn

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/inrstudio/studio/pinn/expr"
	"github.com/inrstudio/studio/pinn/sample"
)

var shapes = []string{"interval", "rectangle", "box", "cuboid", "disk"}

// parseDomain reads [domain]: shape, one [lo, hi] per spatial variable for boxes (in file order:
// that is the coordinate order), center/radius/vars for a disk, and an optional time interval.
func (pr *parser) parseDomain() {
	p := pr.p
	d := pr.spec.Domain
	head := pr.lines.Header("domain", 0)
	if d == nil {
		pr.is.addf(0, "[domain] is missing")
		return
	}
	line := func(k string) int { return pr.lines.Line("domain", 0, k) }
	shape, _ := d["shape"].(string)
	if !slices.Contains(shapes, shape) {
		pr.is.addf(line("shape"), "domain: shape %q; want one of %s", d["shape"], strings.Join(shapes, ", "))
		return
	}
	var space sample.Domain
	var err error
	var vars []string
	reserved := map[string]bool{"shape": true, "time": true, "time_var": true}
	if shape == "disk" {
		for _, k := range []string{"center", "radius", "vars"} {
			reserved[k] = true
		}
		center, ok := pr.pair(d["center"], "center")
		if !ok {
			center = [2]float64{0, 0}
			if d["center"] != nil {
				return
			}
		}
		r, ok := number(d["radius"])
		if !ok {
			pr.is.addf(line("radius"), "domain: a disk needs radius = <number>")
			return
		}
		vars = []string{"x", "y"}
		if v, ok := d["vars"]; ok {
			vars = nil
			arr, _ := v.([]any)
			for _, a := range arr {
				if s, ok := a.(string); ok {
					vars = append(vars, s)
				}
			}
			if len(vars) != 2 {
				pr.is.addf(line("vars"), "domain: vars must name the 2 coordinates of a disk, e.g. [\"x\", \"y\"]")
				return
			}
		}
		space, err = sample.NewDisk(center[0], center[1], r)
		if err != nil {
			pr.is.addf(head, "domain: %v", err)
			return
		}
	} else {
		var lo, hi []float64
		for _, k := range pr.orderedKeys("domain") {
			if reserved[k] {
				continue
			}
			b, ok := pr.pair(d[k], k)
			if !ok {
				return
			}
			vars = append(vars, k)
			lo = append(lo, b[0])
			hi = append(hi, b[1])
		}
		want := map[string]int{"interval": 1, "rectangle": 2, "cuboid": 3}[shape]
		switch {
		case len(vars) == 0:
			pr.is.addf(head, "domain: no variables; give each spatial variable its interval, e.g. x = [-1, 1]")
			return
		case want > 0 && len(vars) != want:
			pr.is.addf(head, "domain: a %s has %d variable(s), found %d (%s)", shape, want, len(vars), strings.Join(vars, ", "))
			return
		}
		space, err = sample.NewBox(lo, hi)
		if err != nil {
			pr.is.addf(head, "domain: %v", err)
			return
		}
	}
	for k := range d {
		if shape == "disk" && !reserved[k] {
			pr.is.addf(line(k), "domain: unknown key `%s` for a disk (keys: center, radius, vars, time, time_var)", k)
			return
		}
	}
	dom := space
	if tv, ok := d["time"]; ok {
		b, ok := pr.pair(tv, "time")
		if !ok {
			return
		}
		name := "t"
		if s, ok := d["time_var"].(string); ok {
			name = s
		} else if d["time_var"] != nil {
			pr.is.addf(line("time_var"), "domain: time_var must be a name in quotes")
			return
		}
		ts, err := sample.NewTimeSpace(space, b[0], b[1])
		if err != nil {
			pr.is.addf(line("time"), "domain: %v", err)
			return
		}
		dom = ts
		vars = append(vars, name)
		p.Time = true
	} else if _, ok := d["time_var"]; ok {
		pr.is.addf(line("time_var"), "domain: time_var without time = [t0, t1]")
	}
	for i, v := range vars {
		if slices.Contains(vars[:i], v) {
			pr.is.addf(head, "domain: variable `%s` appears twice", v)
			return
		}
		if slices.Contains(p.Fields, v) {
			pr.is.addf(head, "domain: `%s` is both a variable and a field", v)
			return
		}
	}
	p.Vars = vars
	p.Domain = dom
	p.Lo, p.Hi = dom.Bounds()
}

// pair reads [a, b] with a < b.
func (pr *parser) pair(v any, key string) ([2]float64, bool) {
	line := pr.lines.Line("domain", 0, key)
	arr, ok := v.([]any)
	if !ok || len(arr) != 2 {
		pr.is.addf(line, "domain: %s must be [lo, hi] (two numbers), got %s", key, describe(v))
		return [2]float64{}, false
	}
	var out [2]float64
	for i, a := range arr {
		x, ok := number(a)
		if !ok {
			pr.is.addf(line, "domain: %s must be [lo, hi] (two numbers), got %v", key, a)
			return out, false
		}
		out[i] = x
	}
	if key != "center" && !(out[1] > out[0]) {
		pr.is.addf(line, "domain: %s = [%g, %g]; want lo < hi", key, out[0], out[1])
		return out, false
	}
	return out, true
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, !math.IsNaN(x) && !math.IsInf(x, 0)
	}
	return 0, false
}

// parseConditions checks every [[condition]] against the domain and the fields.
func (pr *parser) parseConditions() {
	p := pr.p
	for i, c := range pr.spec.Conditions {
		ctx := fmt.Sprintf("condition %d", i+1)
		line := func(k string) int { return pr.lines.Line("condition", i, k) }
		kind := ConditionKind(c.Kind)
		if !slices.Contains(conditionKinds, kind) {
			names := make([]string, len(conditionKinds))
			for k, n := range conditionKinds {
				names[k] = string(n)
			}
			pr.is.addf(line("kind"), "%s: kind %q (known: %s)", ctx, c.Kind, strings.Join(names, ", "))
			continue
		}
		ctx += " (" + string(kind) + ")"
		cond := Condition{Kind: kind, Name: c.Name, Points: c.Points, Sampler: c.Sampler, Line: pr.lines.Header("condition", i)}
		if cond.Name == "" {
			cond.Name = fmt.Sprintf("%s %d", kind, i+1)
		}
		cond.Weight = pr.weight(c.Weight, "condition", i, ctx)
		if cond.Points == 0 {
			cond.Points = DefaultConditionPoints
			if kind == Periodic {
				cond.Points = DefaultConditionPoints / 2
			}
		}
		if cond.Points < 1 || cond.Points > MaxPoints {
			pr.is.addf(line("points"), "%s: points = %d; want 1 to %d", ctx, c.Points, MaxPoints)
			continue
		}
		if cond.Sampler != "" && !slices.Contains(samplers, cond.Sampler) {
			pr.is.addf(line("sampler"), "%s: sampler %q (known: %s)", ctx, c.Sampler, strings.Join(samplers, ", "))
			continue
		}
		// The field: required when the problem has several.
		if kind != Operator {
			switch {
			case c.Field == "" && len(p.Fields) == 1:
				cond.Field = p.Fields[0]
			case c.Field == "":
				pr.is.addf(cond.Line, "%s: field = ? (this problem has fields %s)", ctx, strings.Join(p.Fields, ", "))
				continue
			case !slices.Contains(p.Fields, c.Field):
				pr.is.addf(line("field"), "%s: `%s` is not a field (fields: %s)", ctx, c.Field, strings.Join(p.Fields, ", "))
				continue
			default:
				cond.Field = c.Field
			}
		}
		if (kind == Initial || kind == Velocity) && !p.Time {
			pr.is.addf(line("kind"), "%s: needs a time-dependent domain ([domain] time = [t0, t1])", ctx)
			continue
		}
		// Which keys each kind reads; others are mistakes worth naming.
		uses := map[ConditionKind][]string{
			Dirichlet: {"value", "on"}, Neumann: {"value", "on"}, Robin: {"value", "on", "a", "b"},
			Operator: {"residual", "on"}, Periodic: {"axis", "derivatives"}, Initial: {"value"}, Velocity: {"value"},
		}[kind]
		stray := map[string]bool{"value": c.Value != nil, "on": c.On != nil, "a": c.A != nil, "b": c.B != nil,
			"residual": c.Residual != nil, "axis": c.Axis != "", "derivatives": c.Derivatives != nil}
		bad := false
		for _, k := range []string{"value", "on", "a", "b", "residual", "axis", "derivatives"} {
			if stray[k] && !slices.Contains(uses, k) {
				pr.is.addf(line(k), "%s: `%s` does not apply to a %s condition (it reads %s)", ctx, k, kind, strings.Join(uses, ", "))
				bad = true
			}
		}
		if bad {
			continue
		}
		ok := true
		check := func(key string, v any, def string) string {
			src, err := exprText(v, def)
			if err != nil {
				pr.is.addf(line(key), "%s: %s: %v", ctx, key, err)
				ok = false
				return ""
			}
			if _, err := expr.Check(src, pr.env); err != nil {
				pr.is.addExpr(line(key), ctx+": "+key, err)
				ok = false
			}
			return src
		}
		switch kind {
		case Dirichlet, Neumann, Initial, Velocity:
			cond.Value = check("value", c.Value, "0")
		case Robin:
			cond.Value = check("value", c.Value, "0")
			cond.A = check("a", c.A, "")
			cond.B = check("b", c.B, "")
		case Operator:
			cond.Residual = check("residual", c.Residual, "")
		case Periodic:
			ok = pr.parsePeriodic(&cond, c, ctx, line)
		}
		if kind == Dirichlet || kind == Neumann || kind == Robin || kind == Operator {
			parts, good := pr.parseOn(c.On, ctx, line("on"))
			ok = ok && good
			cond.Parts = parts
		}
		if ok {
			p.Conditions = append(p.Conditions, cond)
		}
	}
}

// spaceBox returns the spatial box of the domain, or nil for a disk.
func (p *Problem) spaceBox() *sample.Box {
	d := p.Domain
	if ts, ok := d.(*sample.TimeSpace); ok {
		d = ts.Space
	}
	b, _ := d.(*sample.Box)
	return b
}

// parseOn reads `on`: "all" (the default) or a list of faces "x = -1", "y = 1" of a box.
func (pr *parser) parseOn(v any, ctx string, line int) ([]int, bool) {
	var items []string
	switch x := v.(type) {
	case nil:
		return nil, true
	case string:
		items = []string{x}
	case []any:
		for _, a := range x {
			s, ok := a.(string)
			if !ok {
				pr.is.addf(line, "%s: on: want face names such as \"x = -1\", got %v", ctx, a)
				return nil, false
			}
			items = append(items, s)
		}
	default:
		pr.is.addf(line, "%s: on: want \"all\" or a list of faces such as [\"x = -1\", \"x = 1\"]", ctx)
		return nil, false
	}
	if len(items) == 1 && strings.TrimSpace(items[0]) == "all" {
		return nil, true
	}
	p := pr.p
	box := p.spaceBox()
	if box == nil {
		pr.is.addf(line, "%s: on: a disk has one boundary; use \"all\" or leave `on` out", ctx)
		return nil, false
	}
	parts := box.Parts()
	var out []int
	for _, it := range items {
		name, val, found := strings.Cut(it, "=")
		name = strings.TrimSpace(name)
		axis := slices.Index(p.Vars, name)
		if !found || axis < 0 || (p.Time && axis == len(p.Vars)-1) {
			pr.is.addf(line, "%s: on: %q is not a face; write \"<spatial variable> = <lo or hi>\", e.g. \"%s = %g\"", ctx, it, p.Vars[0], p.Lo[0])
			return nil, false
		}
		x, err := constValue(strings.TrimSpace(val), p.Params)
		if err != nil {
			pr.is.addf(line, "%s: on: %q: %v", ctx, it, err)
			return nil, false
		}
		k := -1
		for j, pt := range parts {
			if pt.Axis == axis && math.Abs(pt.Value-x) <= 1e-12*max(1, math.Abs(x)) {
				k = j
			}
		}
		if k < 0 {
			pr.is.addf(line, "%s: on: %q is not a face of the domain (%s ∈ [%g, %g])", ctx, it, name, p.Lo[axis], p.Hi[axis])
			return nil, false
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out, true
}

// parsePeriodic reads a periodic condition: the axis whose two faces are paired, and the
// quantities matched there (default: the field and its first derivative along the axis).
func (pr *parser) parsePeriodic(cond *Condition, c conditionSpec, ctx string, line func(string) int) bool {
	p := pr.p
	if p.spaceBox() == nil {
		pr.is.addf(line("kind"), "%s: periodic conditions pair the faces of a box; this domain is a disk", ctx)
		return false
	}
	axis := slices.Index(p.Vars, c.Axis)
	if c.Axis == "" && len(p.Vars)-boolInt(p.Time) == 1 {
		axis = 0
	}
	if axis < 0 || (p.Time && axis == len(p.Vars)-1) {
		pr.is.addf(line("axis"), "%s: axis = %q; want a spatial variable (%s)", ctx, c.Axis, strings.Join(p.Vars[:len(p.Vars)-boolInt(p.Time)], ", "))
		return false
	}
	cond.Axis = axis
	derivs := c.Derivatives
	if derivs == nil {
		derivs = []string{cond.Field, cond.Field + "_" + p.Vars[axis]}
	}
	for _, d := range derivs {
		info, err := expr.Check(d, pr.env)
		if err != nil {
			pr.is.addExpr(line("derivatives"), ctx+": derivatives", err)
			return false
		}
		if len(info.Inputs) != 1 || info.Inputs[0].Kind != expr.Field || strings.TrimSpace(d) != d {
			pr.is.addf(line("derivatives"), "%s: derivatives: %q must be one field symbol such as u or u_x", ctx, d)
			return false
		}
		cond.Derivatives = append(cond.Derivatives, info.Inputs[0].Name)
	}
	return true
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
