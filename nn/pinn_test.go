package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn/act"
)

// TestPoissonPINN solves u″ = −π²·sin(πx) on [−1, 1] with u(±1) = 0 (solution sin(πx)) by a
// physics-informed network: the residual comes from the second-derivative block of an order-2
// jet, the boundary term from a value jet, both in one Objective, trained by Adam then L-BFGS.
// It exercises the jets inside training, where a wrong derivative block would show as a wrong
// solution rather than as a finite-difference mismatch.
func TestPoissonPINN(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a PINN")
	}
	tanh, err := act.New("tanh", nil)
	require.NoError(t, err)
	net, err := NewMLP(MLPConfig{Widths: []int{1, 20, 20, 1}, Act: tanh, Init: Init{Weight: "glorot_normal", Bias: "zero"}}, NewRNG(11))
	require.NoError(t, err)
	ps, err := net.ParamSet()
	require.NoError(t, err)

	// One batch: n collocation points, then the two boundary points; the residual term reads the
	// second-derivative block of the first n rows, the boundary term the values of the last two.
	const n = 64
	plan := LaplacianPlan(1)
	x := kernel.NewMatrix(n+2, 1)
	f := kernel.NewMatrix(n, 1)
	for i := range n {
		v := -1 + 2*(float64(i)+0.5)/n
		x.Set(i, 0, v)
		f.Set(i, 0, -math.Pi*math.Pi*math.Sin(math.Pi*v))
	}
	x.Set(n, 0, -1)
	x.Set(n+1, 0, 1)
	in := NewInputJet(plan, x)
	var gb JetBuffer
	var y, dy Jet
	var obj Objective
	obj.Add("residual", 1, func(s float64) float64 {
		return MSE{}.Eval(y.D2(0, 0).View(0, 0, n, 1), f, dy.D2(0, 0).View(0, 0, n, 1), s, true)
	})
	obj.Add("boundary", 10, func(s float64) float64 {
		return MSE{}.Eval(y.Value().View(n, 0, 2, 1), kernel.Matrix{}, dy.Value().View(n, 0, 2, 1), s, true)
	})
	eval := func() (float64, error) {
		y = net.Forward(in)
		dy = gb.Like(y, 1)
		dy.Zero()
		loss := obj.Eval()
		net.Backward(dy, false)
		return loss, CheckFinite("PINN loss", loss)
	}
	adam := NewAdam(ps, 1e-2)
	adam.Schedule = PowerDecay{Steps: 1000, Ratio: 0.1}
	for range 1000 {
		ps.ZeroGrad()
		_, err := eval()
		require.NoError(t, err)
		require.NoError(t, adam.Step())
	}
	o := NewLBFGS(ps)
	o.MaxIter = 1500
	res, err := o.Minimize(eval)
	require.NoError(t, err)

	u := net.Forward(NewInputJet(ValuePlan(1), x.View(0, 0, n, 1))).Value()
	var num, den float64
	for i := range n {
		d := u.At(i, 0) - math.Sin(math.Pi*x.At(i, 0))
		num += d * d
		den += math.Pow(math.Sin(math.Pi*x.At(i, 0)), 2)
	}
	rel := math.Sqrt(num / den)
	names, values := obj.Terms()
	t.Logf("relative L2 error %.3g (%v after %d iterations; %s %.3g, %s %.3g)", rel, res.Reason, res.Iterations, names[0], values[0], names[1], values[1])
	// A 20-wide tanh network and 64 points solve this to ~1e-6; 1e-4 fails on any wrong block.
	require.Less(t, rel, 1e-4)
}
