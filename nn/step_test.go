package nn

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// stepper is one full training step of a network on a fixed batch: forward, MSE over every block
// of the output jet against a target jet, backward, Adam. It is what the benchmarks time and the
// allocation and reproducibility tests run.
type stepper struct {
	net    *Graph
	ps     *ParamSet
	opt    *Adam
	in     Jet
	target kernel.Matrix
	grad   JetBuffer
}

func (s *stepper) step() (float64, error) {
	s.ps.ZeroGrad()
	y := s.net.Forward(s.in)
	dy := s.grad.Like(y, y.Width())
	loss := MSE{}.Eval(y.M, s.target, dy.M, 1, false)
	s.net.Backward(dy, false)
	return loss, s.opt.Step()
}

// sirenNet is SIREN 2→256→256→256→1 with ω0 = 30 and the paper's initialisation.
func sirenNet(t testing.TB, width, hidden int, seed uint64) *Graph {
	sine, err := act.New("sine", act.Config{"omega": 30})
	require.NoError(t, err)
	widths := []int{2}
	for range hidden {
		widths = append(widths, width)
	}
	widths = append(widths, 1)
	net, err := NewMLP(MLPConfig{
		Widths:    widths,
		Act:       sine,
		Init:      Init{Weight: "siren_hidden", Omega: 30},
		FirstInit: &Init{Weight: "siren_first"},
	}, NewRNG(seed))
	require.NoError(t, err)
	return net
}

func tanhNet(t testing.TB, in, width, hidden int, seed uint64) *Graph {
	tanh, err := act.New("tanh", nil)
	require.NoError(t, err)
	widths := []int{in}
	for range hidden {
		widths = append(widths, width)
	}
	widths = append(widths, 1)
	net, err := NewMLP(MLPConfig{Widths: widths, Act: tanh, Init: Init{Weight: "glorot_normal", Bias: "zero"}}, NewRNG(seed))
	require.NoError(t, err)
	return net
}

// gridInput returns n points on a square grid in [-1,1]² (n a square) as an input jet.
func gridInput(plan *Plan, n int) Jet {
	side := int(math.Sqrt(float64(n)))
	x := kernel.NewMatrix(n, 2)
	for p := range n {
		i, j := p/side, p%side
		x.Set(p, 0, -1+2*float64(i)/float64(side-1))
		x.Set(p, 1, -1+2*float64(j)/float64(side-1))
	}
	return NewInputJet(plan, x)
}

func newStepper(t testing.TB, net *Graph, plan *Plan, n int, lr float64) *stepper {
	ps, err := net.ParamSet()
	require.NoError(t, err)
	in := gridInput(plan, n)
	target := kernel.NewMatrix(plan.Blocks()*n, 1)
	for p := range n {
		x, y := in.Value().At(p, 0), in.Value().At(p, 1)
		target.Set(p, 0, math.Sin(3*x)*math.Cos(2*y))
	}
	return &stepper{net: net, ps: ps, opt: NewAdam(ps, lr), in: in, target: target}
}

func TestStepAllocatesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		net  func() *Graph
		plan *Plan
	}{
		{"siren/order0", func() *Graph { return sirenNet(t, 32, 3, 1) }, ValuePlan(2)},
		{"tanh/order1", func() *Graph { return tanhNet(t, 2, 16, 3, 1) }, GradientPlan(2)},
		{"tanh/order2", func() *Graph { return tanhNet(t, 2, 16, 3, 1) }, LaplacianPlan(2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStepper(t, tc.net(), tc.plan, 400, 1e-3)
			_, err := s.step() // the first step sizes every buffer
			require.NoError(t, err)
			step := func() {
				if _, err := s.step(); err != nil {
					t.Fatal(err)
				}
			}
			require.Zero(t, testing.AllocsPerRun(5, step), "allocations per training step after the first")
		})
	}
}

func TestSameSeedBitIdentical(t *testing.T) {
	run := func(seed uint64) ([]float64, []float64) {
		s := newStepper(t, sirenNet(t, 24, 2, seed), ValuePlan(2), 256, 1e-3)
		var losses []float64
		for range 20 {
			l, err := s.step()
			require.NoError(t, err)
			losses = append(losses, l)
		}
		return append([]float64(nil), s.ps.Value...), losses
	}
	w1, l1 := run(7)
	w2, l2 := run(7)
	w3, _ := run(8)
	require.Equal(t, w1, w2, "same seed must give bit-identical weights after training")
	require.Equal(t, l1, l2)
	require.NotEqual(t, w1, w3, "a different seed must give different weights")
	require.Less(t, l1[len(l1)-1], l1[0], "training must reduce the loss")
}

// BenchmarkStep times full training steps (forward, MSE, backward, Adam) and reports ms/step.
func BenchmarkStep(b *testing.B) {
	type bc struct {
		arch string
		net  func() *Graph
		n    int
		plan *Plan
	}
	cases := []bc{
		{"siren3x256", func() *Graph { return sirenNet(b, 256, 3, 1) }, 4096, ValuePlan(2)},
		{"siren3x256", func() *Graph { return sirenNet(b, 256, 3, 1) }, 65536, ValuePlan(2)},
		{"tanh3x64", func() *Graph { return tanhNet(b, 2, 64, 3, 1) }, 10000, ValuePlan(2)},
		{"tanh3x64", func() *Graph { return tanhNet(b, 2, 64, 3, 1) }, 10000, GradientPlan(2)},
		{"tanh3x64", func() *Graph { return tanhNet(b, 2, 64, 3, 1) }, 10000, LaplacianPlan(2)},
	}
	name, why := kernel.Selection()
	b.Logf("kernel %s (%s), GOMAXPROCS %d", name, why, runtime.GOMAXPROCS(0))
	for _, c := range cases {
		b.Run(fmt.Sprintf("%s/%dpts/order=%d", c.arch, c.n, c.plan.Order()), func(b *testing.B) {
			s := newStepper(b, c.net(), c.plan, c.n, 1e-4)
			if _, err := s.step(); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			cpu0 := processCPU()
			for b.Loop() {
				if _, err := s.step(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/step")
			b.ReportMetric((processCPU()-cpu0)*1e3/float64(b.N), "cpu-ms/step")
		})
	}
}

// BenchmarkFirstSineLayer compares the two fused paths of a thin first SIREN layer (2→256,
// forward and backward without the input gradient): LinearSin with the cosines recomputed in the
// backward pass, against GEMM + AffineSinCos keeping them.
func BenchmarkFirstSineLayer(b *testing.B) {
	sine, err := act.New("sine", act.Config{"omega": 30})
	require.NoError(b, err)
	for _, n := range []int{4096, 65536} {
		for _, path := range []string{"linearsin", "gemm+affinesincos"} {
			b.Run(fmt.Sprintf("%dpts/%s", n, path), func(b *testing.B) {
				l := NewDenseAct(2, 256, true, sine, false)
				l.noThin = path != "linearsin"
				require.NoError(b, InitDense(l.Dense, Init{Weight: "siren_first"}, NewRNG(1)))
				in := gridInput(ValuePlan(2), n)
				var gb JetBuffer
				y := l.Forward(in)
				g := gb.Like(y, 256)
				for i := range g.M.Data {
					g.M.Data[i] = 1e-3
				}
				for b.Loop() {
					l.Forward(in)
					l.Backward(g, false)
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1e3/float64(b.N), "ms/op")
			})
		}
	}
}
