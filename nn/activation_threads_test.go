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
