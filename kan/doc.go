// Package kan holds Kolmogorov–Arnold layers: every edge (input i → output o) carries its own
// learnable univariate function, written in a fixed basis,
//
//	y_o = Σ_i f_{i,o}(x_i),   f_{i,o}(x) = Σ_k C[i,k,o]·φ_k(x),
//
// and the layers follow package nn's Layer contract (jets, owned buffers, Params), so they sit in
// an nn.Graph or nn.Chain next to dense layers, LayerNorm and activations, and inside inr models.
//
// # The fused formulation
//
// A KAN layer is computed as efficient-kan does: the basis values of every input form the feature
// matrix Φ (N × in·B) and the layer is ONE product Φ·C with the (in·B)×out coefficient matrix;
// the N×out×in tensor of edge values is never formed. Expansion is that layer for any Basis (or a
// sum of several, each with its own coefficients, such as efficient-kan's SiLU base branch plus
// splines). Because each feature depends on a single input, the derivative blocks of a jet follow
// the elementwise chain rule with the basis' derivatives (∂ₐΦ = φ′·∂ₐx, ∂ₐ∂_bΦ = φ″·∂ₐx·∂_bx +
// φ′·∂ₐ∂_bx); stacked like the jet itself they go through the same single GEMM, and inputs meet
// only in the linear map. Backward is one GEMM for the coefficient gradient, one for the feature
// gradient, and a reduction over the basis (φ′ … φ‴) for the input gradient, computed only when
// it is asked for.
//
// # Bases and layers
//
//   - Chebyshev: T_0 … T_K of tanh x, by the three-term recurrences for T and its derivatives
//     (stable to degree 512 and beyond on the whole line). NewChebyshevKAN is SL²A-INR's "LA
//     block": no bias, xavier_uniform coefficients "coeffs" [in, K+1, out].
//   - Fourier: cos kx, sin kx for k = 1 … K. NewFourierKAN is FKAN's first layer: coefficients
//     "coeffs" [in, 2K, out] ~ N(0, 1/(in·K)), optional "bias" [out] starting at zero.
//   - BSpline: the G+k splines of order k on a uniform grid over [lo, hi] extended by k knots each
//     side, zero outside; SiLU is the one-function base branch. NewBSplineKAN is efficient-kan's
//     KANLinear: "base_weight" [in, out], "spline_weight" [in, G+k, out], "spline_scaler"
//     [in, out], Kaiming-uniform base and scaler, spline fitted to small noise.
//
// Parameter names and shapes are part of the model-file format: a Graph prefixes them with the
// node name ("0.coeffs") and nn.Load assigns them back by name. Coefficients are stored input-
// major ([in, B, out]) so that the product reads them in place, as Dense stores its weight
// in×out; the reference implementations store the same numbers transposed (documented per
// constructor).
//
// The B-spline grid is uniform. Grid extension (pykan's refine) carries a layer to a finer grid
// with its function kept on the grid range (ExtendGrid; RefitCoefficients for coefficients held
// elsewhere); pykan's grid update from samples, which makes each input's knots non-uniform, is not
// implemented.
//
// # Example
//
// SL²A-INR's first block (Chebyshev layer, then LayerNorm) in front of an MLP head, fitting
// u(x, y); the same network carries a Laplacian for a PDE residual (Example runs a small one):
//
//	rng := nn.NewRNG(42)
//	cheb, _ := kan.NewChebyshevKAN(2, 256, 256, rng)
//	relu, _ := act.New("relu", nil)
//	head, _ := nn.NewMLP(nn.MLPConfig{Widths: []int{256, 256, 1}, Act: relu, Init: nn.Init{Weight: "torch"}}, rng)
//	net, _ := nn.Chain(cheb, nn.NewLayerNorm(256), head)
//	ps, _ := net.ParamSet() // "0.coeffs", "1.…", "2.0.weight", …
//	opt := nn.NewAdam(ps, 1e-3)
//	in := nn.NewInputJet(nn.ValuePlan(2), x) // x: N×2 coordinates in [−1, 1]
//	var grad nn.JetBuffer
//	for step := 0; step < steps; step++ {
//		ps.ZeroGrad()
//		y := net.Forward(in)
//		dy := grad.Like(y, 1)
//		nn.MSE{}.Eval(y.Value(), target, dy.Value(), 1, false)
//		net.Backward(dy, false)
//		if err := opt.Step(); err != nil { … }
//	}
//
//	lap := net.Forward(nn.NewInputJet(nn.LaplacianPlan(2), x))
//	uxx, uyy := lap.D2(0, 0), lap.D2(1, 1)
//
// A KAN made only of KAN layers is a chain of them, e.g. a 2→8→1 B-spline KAN:
//
//	l1, _ := kan.NewBSplineKAN(2, 8, 5, 3, rng)
//	l2, _ := kan.NewBSplineKAN(8, 1, 5, 3, rng)
//	net, _ := nn.Chain(l1, l2)
//
// # Performance
//
// The cost is the GEMMs plus writing the feature matrix. SL²A's first layer (2→256, K = 256) on
// 16,384 points is two products of 16,384×514 by 514×256 per value-only training step: measured
// 89 ms per step against 69 ms for the two bare products (medians of 5, 2 shared vCPUs, AVX-512
// kernel). FKAN's (2→128, K = 270): 214 ms against 140 ms; filling its 141 MB feature matrix
// costs ~45 ms, three times the arithmetic (~16 ms when the output stays in cache), and runs on
// one core. See BenchmarkChebyshevKAN and BenchmarkFourierKAN (the gemms_only variants are the
// floor).
package kan
