package kan_test

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kan"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// SL²A-INR's Chebyshev block (here K = 32, width 32) with LayerNorm, then a ReLU head, fitting
// u(x, y) = sin(3x)·cos(2y) with Adam; then the same network carries its Laplacian.
func Example() {
	rng := nn.NewRNG(42)
	cheb, err := kan.NewChebyshevKAN(2, 32, 32, rng)
	if err != nil {
		panic(err)
	}
	relu, err := act.New("relu", nil)
	if err != nil {
		panic(err)
	}
	head, err := nn.NewMLP(nn.MLPConfig{Widths: []int{32, 32, 1}, Act: relu, Init: nn.Init{Weight: "torch"}}, rng)
	if err != nil {
		panic(err)
	}
	net, err := nn.Chain(cheb, nn.NewLayerNorm(32), head)
	if err != nil {
		panic(err)
	}
	ps, err := net.ParamSet()
	if err != nil {
		panic(err)
	}
	fmt.Println(ps.Names()[0], ps.Lookup("0.coeffs").Shape)

	const n = 256
	x := kernel.NewMatrix(n, 2)
	target := kernel.NewMatrix(n, 1)
	for p := range n {
		a, b := 2*rng.Float64()-1, 2*rng.Float64()-1
		x.Set(p, 0, a)
		x.Set(p, 1, b)
		target.Set(p, 0, math.Sin(3*a)*math.Cos(2*b))
	}
	opt := nn.NewAdam(ps, 1e-3)
	in := nn.NewInputJet(nn.ValuePlan(2), x)
	var grad nn.JetBuffer
	var first, last float64
	for step := range 300 {
		ps.ZeroGrad()
		y := net.Forward(in)
		dy := grad.Like(y, 1)
		loss := nn.MSE{}.Eval(y.Value(), target, dy.Value(), 1, false)
		net.Backward(dy, false)
		if err := opt.Step(); err != nil {
			panic(err)
		}
		if step == 0 {
			first = loss
		}
		last = loss
	}
	fmt.Println("loss fell 10×:", last < first/10)

	lap := net.Forward(nn.NewInputJet(nn.LaplacianPlan(2), x))
	fmt.Println("blocks:", lap.Blocks(), "∂xx shape:", lap.D2(0, 0).Rows, "×", lap.D2(0, 0).Cols)
	// Output:
	// 0.coeffs [2 33 32]
	// loss fell 10×: true
	// blocks: 5 ∂xx shape: 256 × 1
}
