package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
)

// Walk calls fn on l and on every layer inside it (the layers of a Graph, the dense part and the
// activation of a DenseAct), in forward order.
func Walk(l Layer, fn func(Layer)) {
	fn(l)
	switch v := l.(type) {
	case *Graph:
		for _, n := range v.nodes {
			if n.layer != nil {
				Walk(n.layer, fn)
			}
		}
	case *DenseAct:
		Walk(v.Dense, fn)
		Walk(v.Act, fn)
	}
}

// LSUV initialises every Dense layer of net by layer-sequential unit variance (Mishkin & Matas,
// "All you need is a good init", 2016): each weight matrix is first made orthonormal (biases
// zero), then, from the first layer to the last, the weights are rescaled until the variance of
// the layer's output (its pre-activation) over the batch x is 1 within tol, at most maxIter
// rescalings per layer. x is a value jet of the network's input. A layer whose output variance is
// zero or not finite is an error (the batch cannot calibrate it).
func LSUV(net Layer, x Jet, tol float64, maxIter int, rng *rand.Rand) error {
	var dense []*Dense
	Walk(net, func(l Layer) {
		if d, ok := l.(*Dense); ok {
			dense = append(dense, d)
		}
	})
	if len(dense) == 0 {
		return fmt.Errorf("lsuv: the network has no dense layer")
	}
	for _, d := range dense {
		orthogonal(d.W.Value, d.in, d.out, 1, rng)
		if d.B != nil {
			clear(d.B.Value)
		}
	}
	var z kernel.Matrix
	for k, d := range dense {
		for it := 0; it < maxIter; it++ {
			net.Forward(x)
			xv := d.x.Value()
			if z.Rows != xv.Rows || z.Cols != d.out {
				z = kernel.NewMatrix(xv.Rows, d.out)
			}
			kernel.Gemm(kernel.NoTrans, kernel.NoTrans, d.Scale, xv, d.W.Matrix(), 0, z)
			if d.B != nil {
				kernel.AddBias(z, d.B.Value)
			}
			v := variance(z.Data[:z.Rows*z.Cols])
			if !(v > 0) || math.IsInf(v, 0) {
				return fmt.Errorf("lsuv: dense layer %d (%d→%d): output variance %v on the batch", k, d.in, d.out, v)
			}
			if math.Abs(v-1) < tol {
				break
			}
			kernel.Scale(1/math.Sqrt(v), d.W.Value)
		}
	}
	return nil
}

func variance(v []float64) float64 {
	m := mean(v)
	var s float64
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return s / float64(len(v))
}
