package nn

import (
	"errors"
	"fmt"
	"strconv"
)

// Node is a value in a Graph under construction: the graph's input or the output of a layer or a
// merge applied to earlier nodes.
type Node int

// Merge combines several jets of the same points into one (sum, elementwise product,
// concatenation). Like a Layer it owns its buffers.
type Merge interface {
	// OutWidth returns the output width for the given input widths, or an error.
	OutWidth(in []int) (int, error)
	// Forward combines the inputs; the result is valid until the next Forward.
	Forward(in []Jet) Jet
	// Backward returns the gradient for every input (nil entries where need[k] is false). dOut may
	// be used as scratch; distinct inputs receive distinct jets, because each may be overwritten.
	Backward(dOut Jet, need []bool) []Jet
}

type node struct {
	name   string
	layer  Layer
	merge  Merge
	inputs []Node
	width  int

	uses      int  // how many inputs of later nodes refer to this node
	upParams  bool // whether a parameter lies upstream (or in) this node, so it needs a gradient
	fromInput bool // whether the graph input lies upstream
	val       Jet
	grad      Jet
	hasGrad   bool
	acc       JetBuffer // gradient accumulator for nodes used more than once
	ins       []Jet
	need      []bool
}

// Graph is a network as a directed acyclic graph of layers and merges, built by applying them to
// nodes in order (so the order of construction is a topological order). A built Graph is itself a
// Layer: graphs nest, and a whole model is one Layer.
//
//	g := nn.NewGraph(2)
//	h := g.Apply(dense1, g.Input())
//	h = g.Apply(nn.NewActivation(tanh, 64, false), h)
//	y := g.Add(h, g.Apply(block, h)) // residual
//	net, err := g.Build(g.Apply(out, y))
//
// Construction errors (a width mismatch, a layer used twice) are kept and returned by Build.
// A node used by several later nodes (fan-out) has its gradients summed in the backward pass.
// Parameters are named "<node name>.<parameter>", node names defaulting to the index of the layer
// among the graph's layers ("0.weight", "1.bias", …).
type Graph struct {
	nodes  []*node
	out    Node
	err    error
	built  bool
	layers int
	used   map[any]bool
	params []*Param
	bufs   []*Param
}

// Bufferer is implemented by layers with fixed, non-trainable tensors that a model file must keep
// (like PyTorch's registered buffers), e.g. the random matrix of Fourier features.
type Bufferer interface {
	Buffers() []*Param
}

// NewGraph starts a graph whose input jets have the given width.
func NewGraph(inWidth int) *Graph {
	g := &Graph{used: map[any]bool{}}
	g.nodes = append(g.nodes, &node{name: "input", width: inWidth, fromInput: true})
	if inWidth < 1 {
		g.fail(fmt.Errorf("graph input width %d < 1", inWidth))
	}
	return g
}

// Input is the graph's input node.
func (g *Graph) Input() Node { return 0 }

// Width returns the width of node n.
func (g *Graph) Width(n Node) int {
	if int(n) < 0 || int(n) >= len(g.nodes) {
		return 0
	}
	return g.nodes[n].width
}

func (g *Graph) fail(err error) {
	if g.err == nil {
		g.err = err
	}
}

func (g *Graph) valid(n Node) bool {
	if g.built {
		g.fail(errors.New("graph: node added after Build"))
		return false
	}
	if int(n) < 0 || int(n) >= len(g.nodes) {
		g.fail(fmt.Errorf("graph: unknown node %d", n))
		return false
	}
	return true
}

// Apply adds layer l applied to node in, named by its index among the graph's layers.
func (g *Graph) Apply(l Layer, in Node) Node {
	return g.ApplyNamed(strconv.Itoa(g.layers), l, in)
}

// ApplyNamed adds layer l applied to node in, with the given name (the prefix of its parameters).
func (g *Graph) ApplyNamed(name string, l Layer, in Node) Node {
	g.layers++
	if !g.valid(in) {
		return in
	}
	if g.used[l] {
		g.fail(fmt.Errorf("graph: layer %s is used twice (a layer owns its buffers: make a second one)", name))
		return in
	}
	if w := g.nodes[in].width; w != l.InWidth() {
		g.fail(fmt.Errorf("graph: layer %s expects width %d, its input has width %d", name, l.InWidth(), w))
		return in
	}
	g.used[l] = true
	return g.push(&node{name: name, layer: l, inputs: []Node{in}, width: l.OutWidth()})
}

// Combine adds merge m applied to the inputs.
func (g *Graph) Combine(m Merge, inputs ...Node) Node {
	if len(inputs) == 0 {
		g.fail(errors.New("graph: merge without inputs"))
		return 0
	}
	widths := make([]int, len(inputs))
	for k, in := range inputs {
		if !g.valid(in) {
			return in
		}
		widths[k] = g.nodes[in].width
	}
	if g.used[m] {
		g.fail(errors.New("graph: a merge is used twice (make a second one)"))
		return inputs[0]
	}
	w, err := m.OutWidth(widths)
	if err != nil {
		g.fail(fmt.Errorf("graph: %w", err))
		return inputs[0]
	}
	g.used[m] = true
	return g.push(&node{name: "merge" + strconv.Itoa(len(g.nodes)), merge: m, inputs: append([]Node(nil), inputs...), width: w})
}

// Add adds the elementwise sum of the inputs (all of one width); Add(x, f(x)) is a residual block.
func (g *Graph) Add(inputs ...Node) Node { return g.Combine(NewSum(), inputs...) }

// Mul adds the elementwise product a⊙b (Leibniz rule on the derivative blocks).
func (g *Graph) Mul(a, b Node) Node { return g.Combine(NewProduct(), a, b) }

// Concat adds the concatenation of the inputs along the width.
func (g *Graph) Concat(inputs ...Node) Node { return g.Combine(NewConcat(), inputs...) }

func (g *Graph) push(n *node) Node {
	g.nodes = append(g.nodes, n)
	return Node(len(g.nodes) - 1)
}

// Build fixes out as the graph's output, names the parameters and returns the graph as a Layer,
// or the first construction error.
func (g *Graph) Build(out Node) (*Graph, error) {
	if g.built {
		return nil, errors.New("graph: Build called twice")
	}
	if g.err != nil {
		return nil, g.err
	}
	if int(out) < 0 || int(out) >= len(g.nodes) {
		return nil, fmt.Errorf("graph: unknown output node %d", out)
	}
	g.out = out
	g.built = true
	for _, n := range g.nodes {
		for _, in := range n.inputs {
			g.nodes[in].uses++
			n.upParams = n.upParams || g.nodes[in].upParams
			n.fromInput = n.fromInput || g.nodes[in].fromInput
		}
		if n.layer != nil {
			ps := n.layer.Params()
			prefixNames(n.name+".", ps)
			g.params = append(g.params, ps...)
			n.upParams = n.upParams || len(ps) > 0
			if b, ok := n.layer.(Bufferer); ok {
				bs := b.Buffers()
				prefixNames(n.name+".", bs)
				g.bufs = append(g.bufs, bs...)
			}
		}
		n.ins = make([]Jet, len(n.inputs))
		n.need = make([]bool, len(n.inputs))
	}
	return g, nil
}

// Chain builds the sequential network l[0] → l[1] → … .
func Chain(layers ...Layer) (*Graph, error) {
	if len(layers) == 0 {
		return nil, errors.New("chain of no layers")
	}
	g := NewGraph(layers[0].InWidth())
	n := g.Input()
	for _, l := range layers {
		n = g.Apply(l, n)
	}
	return g.Build(n)
}

// Residual builds y = x + f(x); f must keep the width.
func Residual(f Layer) (*Graph, error) {
	g := NewGraph(f.InWidth())
	x := g.Input()
	return g.Build(g.Add(x, g.Apply(f, x)))
}

func (g *Graph) InWidth() int  { return g.nodes[0].width }
func (g *Graph) OutWidth() int { return g.nodes[g.out].width }

// Params lists every parameter of the graph's layers, in construction order.
func (g *Graph) Params() []*Param { return g.params }

// Buffers lists the fixed tensors of the graph's layers (saved in model files with the parameters).
func (g *Graph) Buffers() []*Param { return g.bufs }

// State lists the parameters and then the buffers: everything a model file stores.
func (g *Graph) State() []*Param { return append(append([]*Param(nil), g.params...), g.bufs...) }

// ParamSet packs the graph's parameters into contiguous storage for an optimiser. Call it once,
// on the outermost graph of a model.
func (g *Graph) ParamSet() (*ParamSet, error) { return NewParamSet(g.params) }

func (g *Graph) Forward(in Jet) Jet {
	if !g.built {
		panic("nn: graph used before Build")
	}
	checkIn("graph", g, in)
	g.nodes[0].val = in
	for _, n := range g.nodes[1:] {
		if n.layer != nil {
			n.val = n.layer.Forward(g.nodes[n.inputs[0]].val)
			continue
		}
		for k, in := range n.inputs {
			n.ins[k] = g.nodes[in].val
		}
		n.val = n.merge.Forward(n.ins)
	}
	return g.nodes[g.out].val
}

func (g *Graph) Backward(dOut Jet, needIn bool) Jet {
	for _, n := range g.nodes {
		n.hasGrad = false
	}
	g.nodes[g.out].grad, g.nodes[g.out].hasGrad = dOut, true
	needs := func(m Node) bool {
		nd := g.nodes[m]
		return nd.upParams || (needIn && nd.fromInput)
	}
	for i := len(g.nodes) - 1; i >= 1; i-- {
		n := g.nodes[i]
		if !n.hasGrad {
			continue // the output does not depend on this node
		}
		if n.layer != nil {
			need := needs(n.inputs[0])
			d := n.layer.Backward(n.grad, need)
			if need {
				g.accumulate(n.inputs[0], d)
			}
			continue
		}
		any := false
		for k, in := range n.inputs {
			n.need[k] = needs(in)
			any = any || n.need[k]
		}
		if !any {
			continue
		}
		ds := n.merge.Backward(n.grad, n.need)
		for k, in := range n.inputs {
			if n.need[k] {
				g.accumulate(in, ds[k])
			}
		}
	}
	if !needIn {
		return Jet{}
	}
	in := g.nodes[0]
	if !in.hasGrad {
		// The output does not depend on the input: its gradient is zero.
		z := in.acc.Like(dOut, in.width)
		z.Zero()
		return z
	}
	return in.grad
}

// accumulate adds gradient d into node m's gradient. A node used once takes d as it is; a node
// used several times sums into its own buffer, because each contribution belongs to a consumer
// that may overwrite it.
func (g *Graph) accumulate(m Node, d Jet) {
	n := g.nodes[m]
	if n.uses == 1 {
		n.grad, n.hasGrad = d, true
		return
	}
	if !n.hasGrad {
		n.grad = n.acc.Like(d, n.width)
		n.grad.M.CopyFrom(d.M)
		n.hasGrad = true
		return
	}
	addTo(n.grad.Data(), d.Data())
}

func addTo(dst, src []float64) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += v
	}
}
