package nn

import (
	"fmt"
	"sort"

	"github.com/inrstudio/studio/nn/act"
)

// Spec describes what a layer computes, for programs that read a model file without this
// package: the operation ("op") and its fixed settings, JSON-ready. The layer's parameters and
// buffers are not in it; they are the file's tensors, named "<node name>.<parameter>" as in
// the Graph. A Graph's Spec lists its nodes in order, so the whole network is one JSON value
// (the model file's "graph" metadata; python/inrstudio.py evaluates it with numpy).
type Spec map[string]any

// Specifier is implemented by layers and merges that describe themselves. Every layer of this
// package does; a Graph holding a layer that does not describes it as {"op": "opaque"} with its
// Go type, and a reader must refuse to evaluate it.
type Specifier interface {
	Spec() Spec
}

// ActivationSpec describes an activation function: its registry name and constants.
func ActivationSpec(name string, cfg act.Config) Spec {
	c := map[string]float64{}
	for k, v := range cfg {
		c[k] = v
	}
	return Spec{"name": name, "config": c}
}

// Spec lists the graph's nodes in construction order (a topological order): node 0 is the
// input, and every later node names its inputs by index and gives its layer's or merge's Spec
// with the node's name and width. "output" is the index of the output node.
func (g *Graph) Spec() Spec {
	nodes := make([]Spec, len(g.nodes))
	for i, n := range g.nodes {
		var s Spec
		switch {
		case i == 0:
			s = Spec{"op": "input"}
		case n.layer != nil:
			s = describe(n.layer)
		default:
			s = describe(n.merge)
		}
		out := Spec{"name": n.name, "width": n.width}
		if len(n.inputs) > 0 {
			ins := make([]int, len(n.inputs))
			for k, in := range n.inputs {
				ins[k] = int(in)
			}
			out["inputs"] = ins
		}
		for k, v := range s {
			out[k] = v
		}
		nodes[i] = out
	}
	return Spec{"op": "graph", "in": g.InWidth(), "out": g.OutWidth(), "nodes": nodes, "output": int(g.out)}
}

// describe returns v's Spec, or an opaque description naming its Go type.
func describe(v any) Spec {
	if s, ok := v.(Specifier); ok {
		return s.Spec()
	}
	return Spec{"op": "opaque", "type": fmt.Sprintf("%T", v)}
}

// Opaque reports the Go types of the layers and merges in s (a Graph's Spec, with every Spec
// nested in it: inner graphs, wrapped networks) that do not describe themselves: a model whose
// file a reader cannot evaluate.
func Opaque(s Spec) []string {
	var out []string
	if s["op"] == "opaque" {
		out = append(out, fmt.Sprint(s["type"]))
	}
	for _, v := range s {
		switch v := v.(type) {
		case Spec:
			out = append(out, Opaque(v)...)
		case []Spec:
			for _, n := range v {
				out = append(out, Opaque(n)...)
			}
		}
	}
	sort.Strings(out)
	return out
}

func (d *Dense) Spec() Spec {
	return Spec{"op": "dense", "in": d.in, "out": d.out, "scale": d.Scale, "bias": d.B != nil}
}

func (l *DenseAct) Spec() Spec {
	s := l.Dense.Spec()
	s["op"] = "dense_act"
	for k, v := range l.Act.Spec() {
		if k != "op" {
			s[k] = v
		}
	}
	return s
}

func (a *Activation) Spec() Spec {
	return Spec{"op": "activation", "activation": ActivationSpec(a.f.Name(), a.f.Config()), "per_unit": a.perUnit}
}

func (l *Affine) Spec() Spec { return Spec{"op": "affine"} }

func (l *LowRank) Spec() Spec {
	return Spec{"op": "low_rank", "in": l.in, "out": l.out, "rank": l.rnk}
}

func (l *LayerNorm) Spec() Spec { return Spec{"op": "layer_norm", "eps": l.Eps} }

func (e *Encoding) Spec() Spec {
	s := Spec{"op": "encoding", "kind": e.kind, "dim": e.dim, "identity": e.identity}
	if e.B != nil {
		s["features"], s["affine"] = e.m, e.affine
	} else {
		s["levels"] = e.levels
	}
	return s
}

func (l *ComplexDense) Spec() Spec {
	mode := map[ComplexMode]string{ComplexToComplex: "complex_to_complex", RealToComplex: "real_to_complex",
		ComplexToReal: "complex_to_real"}[l.Mode]
	return Spec{"op": "complex_dense", "in": l.in, "out": l.out, "mode": mode}
}

func (r *RealPart) Spec() Spec { return Spec{"op": "real_part"} }

func (c *ComplexActivation) Spec() Spec {
	return Spec{"op": "complex_activation", "activation": ActivationSpec(c.f.Name(), c.f.Config()),
		"units": c.w, "real_input": c.realInput}
}

func (s *Sum) Spec() Spec     { return Spec{"op": "sum"} }
func (p *Product) Spec() Spec { return Spec{"op": "product"} }
func (c *Concat) Spec() Spec  { return Spec{"op": "concat"} }
