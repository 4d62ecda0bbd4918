// Package nn is the differentiable core every network of the studio trains through: derivative
// plans and jets, layers, a graph to compose them, initialisers, losses, optimisers (Adam, SGD,
// L-BFGS) and model files. It knows nothing about images, audio or PDEs.
//
// # Jets
//
// A PINN needs u, ∂u/∂xᵢ and ∂²u/∂xᵢ∂xⱼ at every point and then the gradient of a loss built from
// all of them. Instead of a tape with double backward, every layer maps a Jet — the values and
// the input derivatives a Plan asks for, stacked as one tall matrix of Plan.Blocks()·N rows — to
// the output jet, and maps the gradient of every output block back to the gradient of every input
// block. A Dense layer sends the whole jet through ONE GEMM (the bias touches only the value
// block); an Activation applies the chain rule (Faà di Bruno) block by block — tanh, the PINN
// activation, in one fused pass over all blocks (kernel.TanhJet); nonlinear layers
// (LayerNorm, products, encodings, complex activations) carry their own derivative formulas. On a
// ValuePlan a jet is just the value matrix and costs nothing extra.
//
// # Layers and graphs
//
// Every building block implements Layer (Forward, Backward, Params). Layers own their buffers and
// reuse them, so a training step with a fixed batch size allocates nothing after the first.
// Dense, DenseAct (dense + activation, with a fused path for SIREN's sine), Activation, LowRank,
// LayerNorm, Encoding (NeRF positional encoding, Gaussian Fourier features), Affine (fixed
// scaling, domain normalisation), ComplexDense, ComplexActivation and RealPart are provided; Graph composes them into any directed acyclic
// network (Chain, Residual, Add, Mul with the Leibniz rule, Concat, fan-out with summed
// gradients), and a built Graph is itself a Layer. Parameters are named by their path
// ("2.weight") and packed into a ParamSet, the flat vector optimisers update.
//
// Layers in other packages (KAN layers, say) follow the same contract with the exported jet API:
// Plan.PairBlocks and SecondStart locate the blocks, Jet.BlockData gives them as slices,
// ChainForward/ChainBackward apply the elementwise chain rule and LeibnizForward/LeibnizBackward
// the product rule (hard constraints u = g + d·N of PINNs). A network and its buffers are used
// by one goroutine at a time.
//
// # Training
//
// Losses (MSE, L1, Huber, and Objective for weighted named terms) write the gradient with
// respect to the predictions into a gradient jet; Backward accumulates parameter gradients;
// Adam, SGD or L-BFGS step. L-BFGS reports why it stopped and takes float64 networks to
// machine precision. Initialisers are chosen by name (Init), and NewRNG gives bit-reproducible
// runs. Save and Load write and read safetensors model files that Python reads with json, struct
// and numpy; every layer describes itself (Spec), so a Graph's Spec is the network as data for
// readers in other languages.
//
// # Example
//
// Fit u(x, y) on N points with a SIREN and Adam, then carry the Laplacian for a PDE residual:
//
//	sine, _ := act.New("sine", act.Config{"omega": 30})
//	net, _ := nn.NewMLP(nn.MLPConfig{
//		Widths:    []int{2, 256, 256, 256, 1},
//		Act:       sine,
//		Init:      nn.Init{Weight: "siren_hidden", Omega: 30},
//		FirstInit: &nn.Init{Weight: "siren_first"},
//	}, nn.NewRNG(1))
//	ps, _ := net.ParamSet()
//	opt := nn.NewAdam(ps, 1e-4)
//	in := nn.NewInputJet(nn.ValuePlan(2), x) // x: N×2 coordinates
//	var grad nn.JetBuffer
//	for step := 0; step < steps; step++ {
//		ps.ZeroGrad()
//		y := net.Forward(in)
//		dy := grad.Like(y, 1)
//		loss := nn.MSE{}.Eval(y.Value(), target, dy.Value(), 1, false)
//		net.Backward(dy, false)
//		if err := opt.Step(); err != nil { … } // a NaN gradient is an error
//		_ = loss
//	}
//
//	// Second derivatives: the same network on a Laplacian plan.
//	lap := nn.NewInputJet(nn.LaplacianPlan(2), x)
//	y := net.Forward(lap)
//	uxx, uyy := y.D2(0, 0), y.D2(1, 1) // N×1 blocks
package nn
