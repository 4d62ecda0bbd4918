package nn

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/nn/act"
)

// TestGraphSpec: a graph's description lists its nodes in order with their inputs, widths and
// names (the prefixes of their tensors), nests inner graphs, and is valid JSON; a layer that
// does not describe itself is opaque, wherever it is nested, and Opaque names it.
func TestGraphSpec(t *testing.T) {
	sine, err := act.New("sine", act.Config{"omega": 7})
	require.NoError(t, err)
	inner, err := Residual(NewActivation(sine, 3, false))
	require.NoError(t, err)
	g := NewGraph(2)
	h := g.ApplyNamed("first", NewDense(2, 3, true), g.Input())
	h = g.Mul(h, g.Apply(inner, h))
	net, err := g.Build(g.Apply(NewDense(3, 1, false), h))
	require.NoError(t, err)

	raw, err := json.Marshal(net.Spec())
	require.NoError(t, err)
	var got struct {
		In, Out, Output int
		Nodes           []map[string]any
	}
	require.NoError(t, json.Unmarshal(raw, &got))
	assert.Equal(t, 2, got.In)
	assert.Equal(t, 1, got.Out)
	require.Len(t, got.Nodes, 5)
	assert.Equal(t, 4, got.Output)
	ops := []string{}
	for _, n := range got.Nodes {
		ops = append(ops, n["op"].(string))
	}
	assert.Equal(t, []string{"input", "dense", "graph", "product", "dense"}, ops)
	assert.Equal(t, "first", got.Nodes[1]["name"])
	assert.Equal(t, []any{1.0, 2.0}, got.Nodes[3]["inputs"])
	assert.Equal(t, 3.0, got.Nodes[3]["width"])
	assert.Equal(t, false, got.Nodes[4]["bias"])
	nested := got.Nodes[2]["nodes"].([]any)
	require.Len(t, nested, 3) // input, activation, the residual's sum
	assert.Equal(t, "sum", nested[2].(map[string]any)["op"])
	act0 := nested[1].(map[string]any)
	assert.Equal(t, "activation", act0["op"])
	assert.Equal(t, map[string]any{"name": "sine", "config": map[string]any{"omega": 7.0}}, act0["activation"])
	assert.Empty(t, Opaque(net.Spec()))

	hidden, err := Chain(NewDense(2, 2, true), plainLayer{NewDense(2, 2, true)})
	require.NoError(t, err)
	outer, err := Chain(hidden, NewDense(2, 1, true))
	require.NoError(t, err)
	assert.Equal(t, []string{"nn.plainLayer"}, Opaque(outer.Spec()))
}

// plainLayer is a layer without a Spec.
type plainLayer struct{ *Dense }

func (plainLayer) Spec() {} // not Specifier's: hides the embedded Dense's
