// Package multistage fits functions to float64 machine precision with multi-stage neural
// networks (Wang & Lai, "Multi-stage neural networks: Function approximator of machine
// precision", J. Comput. Phys. 504 (2024) 112865, arXiv 2307.08934; official code
// YaoGroup/MultistageNN). A single network trained to convergence stalls near a relative error of
// 1e-5 to 1e-7; the residual it leaves is small but has a well-defined magnitude and a higher
// dominant frequency, and a second network trained on that residual — rescaled to O(1) and with
// a first layer tuned to its frequency — removes most of it, and so on.
//
// # Method
//
// The model after n stages is u(x) ≈ Σₖ εₖ·netₖ(H0(x)), where H0 maps the training box onto
// [-1, 1] per coordinate. Stage 1 is an MLP with tanh layers, trained on u/ε₁ (ε₁ the target's
// magnitude). Stage n+1 fits the normalised residual eₙ(x)/εₙ₊₁ with eₙ = u − Σ_{k≤n} εₖ·netₖ,
// earlier stages frozen:
//
//   - ε is the residual's RMS over the training points (Planner.Epsilon = "rms", the paper's
//     magnitude prefactor) or its maximum ("max", close to the official code's max/2);
//   - κ comes from the residual's dominant angular frequency ω in normalised coordinates,
//     measured by the peak of its power spectrum ("fft", the paper's rule) or by counting its
//     sign changes ("zeros", ω = π·N_zc/2, the official 1-D code's estimate). The first layer is
//     sin(κ·(H0·W) + b) with glorot_normal W, and κ = KappaGain·ω/rms(W): a typical neuron then
//     oscillates at KappaGain·ω. The official κ = 3·N_zc is KappaGain ≈ 0.5 for a 1→20 layer.
//     In several dimensions ω is measured along each axis (the residual binned onto a grid, the
//     spectra of its grid lines averaged) and the largest is used, since one κ scales the
//     weights of every axis;
//   - each stage trains with full-batch Adam (lr 1e-3), then L-BFGS until its gradient
//     tolerance, its iteration budget, or a line search that can make no more progress (the
//     usual end at machine precision). DefaultStages is the official recipe: 3×20, 3×20, 3×30,
//     3×30 hidden layers, 3000/5000/5000/5000 Adam steps, 3333/6666/10000/13333 L-BFGS
//     iterations. Higher stages fit higher frequencies and need denser samples
//     (StageConfig.Data; the official code goes from 1501 to 4801 points at stage 3).
//
// L-BFGS keeps DefaultHistory = 1000 correction pairs, not the official code's 10: the stage
// networks have 1–2 thousand parameters and an ill-conditioned loss, and with a short history
// L-BFGS creeps (stage 3 of example 2 in its 10000 iterations: normalised loss 2.2e-4 with 50
// pairs, 4.5e-8 with 1000). Measured with the full official recipe (seed 0, FFT κ;
// go run ./examples/multistage -example N), relative L2 on 8000 points after stages 1–4:
//
//	example 1: 7.4e-6, 6.1e-10, 2.1e-12, 8.3e-13   (50 pairs: 4.8e-6, 1.4e-8, 4.1e-10, 1.1e-10)
//	example 2: 2.3e-6, 2.3e-10, 1.1e-13, 2.0e-14   (50 pairs: 1.9e-6, 8.1e-10, 1.3e-11, 2.5e-12)
//
// The paper reports about 1e-15 after four stages; the fourth stage here still fits its residual
// poorly (normalised loss 3e-2 to 7e-2) and every stage stops at its iteration limit.
//
// A stage that does not lower the training error is dropped and fitting stops; a NaN or
// infinite loss is an error wrapping ErrDiverged; malformed samples or options are errors
// wrapping ErrBadInput.
//
// Only regression (fitting a function from its samples) is implemented. PINN stages — the
// paper's §3, where stage n+1 solves the linearised equation for the correction and ε comes
// from the equation residual — are not in this package yet.
//
// # Main types
//
// Samples (points and values), Planner and StagePlan (ε and κ from a residual), StageConfig
// (network and budget of a stage), Composite (the model: Predict, Evaluate, AddStage, Save, Load)
// and Fit, which runs a list of stages and returns a StageReport for each.
//
// # Model files
//
// Composite.Save writes the studio's model-file layout (safetensors, nn.Save): the weights of
// stage k as "stage<k>.<layer>.weight" (an in×out matrix, h·W + b) and "stage<k>.<layer>.bias",
// and a JSON "config" in the metadata with the bounds and, per stage, epsilon, kappa, widths and
// first_act. Python evaluates it with numpy alone:
//
//	import json, struct, numpy as np
//	b = open("model.safetensors", "rb").read()
//	n = struct.unpack("<Q", b[:8])[0]; head = json.loads(b[8:8 + n])
//	cfg = json.loads(head.pop("__metadata__")["config"])
//	w = {k: np.frombuffer(b, "<f8", int(np.prod(v["shape"])), 8 + n + v["data_offsets"][0]).reshape(v["shape"])
//	     for k, v in head.items()}
//	def predict(x):                      # x: (N, dim)
//	    lo, hi = np.array(cfg["lo"]), np.array(cfg["hi"])
//	    h0 = 2 * (x - lo) / (hi - lo) - 1
//	    u = np.zeros(len(x))
//	    for k, s in reversed(list(enumerate(cfg["stages"]))):
//	        L = len(s["widths"]) - 1
//	        h = h0
//	        for l in range(L):
//	            W, c = w[f"stage{k}.{l}.weight"], w[f"stage{k}.{l}.bias"]
//	            z = (s["kappa"] if l == 0 else 1) * (h @ W) + c
//	            h = z if l == L - 1 else (np.sin(z) if l == 0 and s["first_act"] == "sine" else np.tanh(z))
//	        u += s["epsilon"] * h[:, 0]
//	    return u
//
// # Example
//
//	f := func(x float64) float64 { return math.Log(x+2) * math.Cos(2*x+x*x*x) }
//	train := multistage.NewSamples1D(multistage.Linspace(-1.02, 1.02, 1501), f)
//	model, reports, err := multistage.Fit(ctx, train, multistage.Options{})
//	if err != nil { … }
//	for _, r := range reports {
//		fmt.Printf("stage %d: ε %.2e κ %.1f relative error %.2e\n", r.Stage, r.Plan.Epsilon, r.Plan.Kappa, r.Train.RelRMS)
//	}
//	u, _ := model.Predict(x) // x: N×1 points
//	_ = model.SaveFile("model.safetensors", version)
package multistage
