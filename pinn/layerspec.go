package pinn

import "github.com/inrstudio/studio/nn"

// The PDE layers describe themselves for model-file readers (nn.Spec, python/inrstudio.py).

// Spec: [x_keep | sin z | cos z] with z = x·A + c, A and c the buffers "A" and "c".
func (e *embedding) Spec() nn.Spec {
	keep := append([]int{}, e.keep...)
	return nn.Spec{"op": "embedding", "dim": e.dim, "keep": keep, "frequencies": e.m}
}

// Spec: u(x) = (N(x) + sign·N(Rx))/2, R negating the listed axes, N the nested graph "net"
// (its parameters are the layer's own, named as in the graph).
func (s *symmetric) Spec() nn.Spec {
	var axes []int
	for j, v := range s.refl.A.Value {
		if v < 0 {
			axes = append(axes, j)
		}
	}
	return nn.Spec{"op": "symmetric", "axes": axes, "sign": s.sign, "net": s.a.Spec()}
}

// Spec: a merge of the coordinates and the raw outputs N; field f is its expression of the
// variables, N (field f's raw output) and the parameters, or N itself without one. The
// expressions are in the problem file's language: numbers, names, + − * /, parentheses and
// the functions sin cos tan exp log sqrt tanh sinh cosh atan abs sign pow min max, with pi and e.
func (t *transform) Spec() nn.Spec {
	exprs := map[string]string{}
	for f, name := range t.fields {
		if t.src[f] != "" {
			exprs[name] = t.src[f]
		}
	}
	params := map[string]float64{}
	for k, v := range t.env.Params {
		params[k] = v
	}
	return nn.Spec{"op": "transform", "vars": append([]string{}, t.vars...), "fields": append([]string{}, t.fields...),
		"expressions": exprs, "params": params}
}
