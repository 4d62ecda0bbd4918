package expr_test

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/pinn/expr"
)

// The heat equation's residual evaluated on the exact solution u = e^{−π²αt} sin πx, whose
// derivative columns are known in closed form, and its reverse-mode adjoints.
func Example() {
	env := &expr.Env{
		Vars:     []string{"x", "t"},
		Fields:   []string{"u"},
		Params:   map[string]float64{"alpha": 0.4},
		MaxOrder: 2,
	}
	info, err := expr.Check("u_t - alpha*u_xx + u_xxx", env)
	if err != nil {
		fmt.Println("equation 1:", err.(expr.ErrorList)[0].Msg)
	}
	prog, err := expr.Compile("u_t - alpha*u_xx", env)
	if err != nil {
		fmt.Println(err)
		return
	}
	info, _ = expr.Check("u_t - alpha*u_xx", env)
	for _, s := range info.Derivatives() {
		fmt.Println("needs", s.Name, "of order", s.Order(), "w.r.t. variables", s.Wrt)
	}

	const n = 5
	ut, uxx := make([]float64, n), make([]float64, n)
	for i := range n {
		x, t := float64(i)/n, 0.5
		u := math.Exp(-math.Pi*math.Pi*0.4*t) * math.Sin(math.Pi*x)
		ut[i], uxx[i] = -math.Pi*math.Pi*0.4*u, -math.Pi*math.Pi*u
	}
	cols := map[string][]float64{"u_t": ut, "u_xx": uxx}
	in := make([][]float64, len(prog.Inputs()))
	for i, s := range prog.Inputs() {
		in[i] = cols[s.Name]
	}
	r := prog.Eval(n, in, nil)
	worst := 0.0
	for _, v := range r {
		worst = max(worst, math.Abs(v))
	}
	fmt.Println("residual below 1e-14:", worst < 1e-14)

	ones := []float64{1, 1, 1, 1, 1}
	adj := prog.Backward(ones, nil)
	fmt.Println("∂r/∂u_t =", adj[0][0], " ∂r/∂u_xx =", adj[1][0])
	// Output:
	// equation 1: unknown symbol `u_xxx`: this problem asks derivatives up to order 2
	// needs u_t of order 1 w.r.t. variables [1]
	// needs u_xx of order 2 w.r.t. variables [0 0]
	// residual below 1e-14: true
	// ∂r/∂u_t = 1  ∂r/∂u_xx = -0.4
}
