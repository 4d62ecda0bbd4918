package nn_test

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// Fit u(x) = sin(3x) with a small tanh network, then read u″ from an order-2 jet.
func Example() {
	tanh, _ := act.New("tanh", nil)
	net, _ := nn.NewMLP(nn.MLPConfig{
		Widths: []int{1, 16, 16, 1},
		Act:    tanh,
		Init:   nn.Init{Weight: "glorot_normal", Bias: "zero"},
	}, nn.NewRNG(1))
	ps, _ := net.ParamSet()

	const n = 50
	x := kernel.NewMatrix(n, 1)
	target := kernel.NewMatrix(n, 1)
	for i := range n {
		v := -1 + 2*float64(i)/(n-1)
		x.Set(i, 0, v)
		target.Set(i, 0, math.Sin(3*v))
	}
	in := nn.NewInputJet(nn.ValuePlan(1), x)
	var grad nn.JetBuffer
	eval := func() (float64, error) {
		y := net.Forward(in)
		dy := grad.Like(y, 1)
		loss := nn.MSE{}.Eval(y.Value(), target, dy.Value(), 1, false)
		net.Backward(dy, false)
		return loss, nn.CheckFinite("loss", loss)
	}
	adam := nn.NewAdam(ps, 1e-2)
	for range 300 {
		ps.ZeroGrad()
		if _, err := eval(); err != nil {
			fmt.Println(err)
			return
		}
		if err := adam.Step(); err != nil {
			fmt.Println(err)
			return
		}
	}
	lbfgs := nn.NewLBFGS(ps)
	lbfgs.MaxIter = 1000
	res, err := lbfgs.Minimize(eval)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("loss below 1e-6:", res.Loss < 1e-6)

	// u″ at x = 0.5 from the second-derivative block: close to −9·sin(1.5).
	y := net.Forward(nn.NewInputJet(nn.LaplacianPlan(1), kernel.MatrixFrom(1, 1, []float64{0.5})))
	fmt.Printf("u''(0.5) = %.2f (exact %.2f)\n", y.D2(0, 0).At(0, 0), -9*math.Sin(1.5))
	// Output:
	// loss below 1e-6: true
	// u''(0.5) = -8.98 (exact -8.98)
}
