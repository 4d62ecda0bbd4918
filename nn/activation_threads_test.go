package nn

import (
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/nn/act"
)

// TestActivationThreadsBitIdentical: the slice paths run over ranges of elements on the kernel's
// threads; every element gets the same value and derivative whichever range holds it, so a
// layer's forward pass is bit for bit the same on one thread and on four (shared parameters in
// ranges of 256 elements, Cauchy's per-unit parameters in whole rows), and allocates nothing
// once its buffers exist.
func TestActivationThreadsBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	const rows, width = 97, 256 // 24832 elements: split into ranges at four threads, not a multiple of 256
	r := rand.New(rand.NewPCG(21, 22))
	in := NewJet(ValuePlan(2), rows, width)
	for i := range in.Data() {
		in.Data()[i] = 2*r.Float64() - 1
	}
	in.Data()[7], in.Data()[300] = 0, math.Copysign(0, -1)
	for _, c := range []struct {
		name    string
		perUnit bool
	}{
		{"spder", false}, {"fkan", false}, {"gauss", false}, {"finer", false}, {"sine", false},
		{"tanh", false}, {"sigmoid", false}, {"silu", false}, {"relu", false}, {"cauchy", true},
	} {
		f, err := act.New(c.name, nil)
		require.NoError(t, err)
		a := NewActivation(f, width, c.perUnit)
		if a.theta != nil {
			for i := range a.theta.Value {
				a.theta.Value[i] *= 1 + 0.01*float64(i%7) // units that differ
			}
		}
		forward := func(threads int) (y, d1 []float64) {
			runtime.GOMAXPROCS(threads)
			out := a.Forward(in)
			return append([]float64(nil), out.Data()...), append([]float64(nil), a.d[0]...)
		}
		y1, d1 := forward(1)
		y4, d4 := forward(4)
		require.Equal(t, math.Float64bits(y1[5]), math.Float64bits(y4[5]))
		for i := range y1 {
			if math.Float64bits(y1[i]) != math.Float64bits(y4[i]) || math.Float64bits(d1[i]) != math.Float64bits(d4[i]) {
				t.Fatalf("%s: element %d differs between 1 and 4 threads: %v, %v against %v, %v", c.name, i, y1[i], d1[i], y4[i], d4[i])
			}
		}
		require.Zero(t, testing.AllocsPerRun(5, func() { a.Forward(in) }), "%s: allocations per forward pass at 4 threads", c.name)
	}
}

// TestLayerNormThreadsBitIdentical: a layer norm's per-point loops run over ranges of points on
// the kernel's threads; forward and backward (values, and a Laplacian jet's blocks) are the same
// bits on one thread and on four, γ's and β's gradients included, with no allocation per pass.
func TestLayerNormThreadsBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	const n, width = 1500, 64
	for _, plan := range []*Plan{ValuePlan(2), LaplacianPlan(2)} {
		r := rand.New(rand.NewPCG(23, 24))
		in := NewJet(plan, n, width)
		for i := range in.Data() {
			in.Data()[i] = 2*r.Float64() - 1
		}
		g := NewJet(plan, n, width)
		for i := range g.Data() {
			g.Data()[i] = 2*r.Float64() - 1
		}
		l := NewLayerNorm(width)
		for i := range l.Gamma.Value {
			l.Gamma.Value[i], l.Beta.Value[i] = 1+0.1*r.Float64(), 0.1*r.Float64()
		}
		pass := func(threads int) (y, dx, dg, db []float64) {
			runtime.GOMAXPROCS(threads)
			clear(l.Gamma.Grad)
			clear(l.Beta.Grad)
			y = append([]float64(nil), l.Forward(in).Data()...)
			gc := NewJet(plan, n, width)
			copy(gc.Data(), g.Data())
			dx = append([]float64(nil), l.Backward(gc, true).Data()...)
			return y, dx, append([]float64(nil), l.Gamma.Grad...), append([]float64(nil), l.Beta.Grad...)
		}
		y1, dx1, dg1, db1 := pass(1)
		y4, dx4, dg4, db4 := pass(4)
		require.Equal(t, y1, y4, "blocks %d: forward", plan.Blocks())
		require.Equal(t, dx1, dx4, "blocks %d: input gradient", plan.Blocks())
		require.Equal(t, dg1, dg4, "blocks %d: γ gradient", plan.Blocks())
		require.Equal(t, db1, db4, "blocks %d: β gradient", plan.Blocks())
		gc := NewJet(plan, n, width)
		require.Zero(t, testing.AllocsPerRun(5, func() {
			l.Forward(in)
			copy(gc.Data(), g.Data())
			l.Backward(gc, true)
		}), "blocks %d: allocations per pass at 4 threads", plan.Blocks())
	}
}
