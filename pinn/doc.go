// Package pinn solves partial differential equations written in text files with physics-informed
// neural networks, in float64: a scientist writes the domain, the fields, the equations as
// residual expressions (`u_t + u*u_x - nu*u_xx`), the boundary and initial conditions, the
// network and the optimiser schedule in a TOML problem file, and gets the solution, its error
// against a reference, pictures and a model file — with no Go code. examples/pde/README.md
// describes every key of the format; examples/pde holds the problem library.
//
// # Problems
//
// Load (or Parse) reads a problem file into a Problem and checks all of it before anything runs:
// every expression is resolved against the variables, fields, parameters and unknowns, every
// condition against the domain, the network configuration is built once and the reference is
// loaded. Every mistake is reported at once, each with its file and line and the expression:
//
//	burgers.toml:14: equation 1: unknown symbol `u_xxx`: this problem asks derivatives up to order 2 (col 27 of `u_t + u*u_x - nu*u_xxx`)
//
// # Solving
//
// Solve trains the network — Adam (with optional periodic resampling and residual-based
// refinement, RAR or RAD), then full-batch L-BFGS in float64 — and measures the result against
// the reference (Metrics: relative L2 error overall and per field, maximum error, MSE, final loss
// terms, times). Options override the file's step counts, seed and time limit; observers
// (inr.Observer) receive snapshots with the loss terms and, on request, the solution, error and
// residual fields, which is how the desktop viewer follows a solve. WriteRun writes the run
// folder: metrics.json, solution.png, error.png, residual.png, snapshots.png, loss.png, loss.csv
// and the model file.
//
// # How a solve computes its loss
//
// The points of a problem are split into groups — the interior points (the equations), the
// points of each condition, each data set — and each group gets its own copy of the network
// whose parameters share storage with the model's. A group carries exactly the derivative blocks
// its expressions read (its nn.Plan: a Dirichlet group only values, the interior group of
// Burgers u, u_x, u_t, u_xx), so no group pays for another's derivatives. The network's output
// jet gives one column per symbol (u_xy is the ∂x∂y block of field u); each residual is a
// compiled expression program (pinn/expr) evaluated on those columns, and its reverse mode gives
// the gradient of every column, which goes back through the network by nn's jet backward pass
// and accumulates in the shared gradient. Neumann and Robin conditions read the outward normals
// as extra columns; periodic conditions pair each point of a face with its image on the
// opposite face; unknowns of inverse problems are trainable scalars next to the weights.
//
// # The model
//
// The saved model is the "pinn" architecture (ModelArch, registered with inr): the domain's
// bounding box normalised to [-1, 1], the inner network named in the file (any registered
// architecture: mlp, siren, cauchy, …), and the hard-constraint transforms as a graph merge that
// maps N to u = T(x, N) on every jet block, by symbolic differentiation of T. The file alone
// rebuilds it (inr.LoadModel), so `inr eval` queries the solution in physical coordinates.
//
// The package also registers "fourier_mlp" (FourierMLPConfig), a tanh MLP for PDEs on a fixed
// embedding of the normalised coordinates: exactly periodic axes (cos/sin kπx̂), sin/cos
// frequencies per axis, Gaussian Fourier features; optionally the modified MLP, a separable
// network (one MLP per axis, features multiplied), or a symmetry built in (odd or even axes).
//
// # Example
//
//	p, err := pinn.Load("examples/pde/burgers.toml")
//	if err != nil {
//		return err // every problem of the file, with lines
//	}
//	res, err := pinn.Solve(ctx, p, pinn.Options{Log: os.Stderr})
//	if err != nil {
//		return err
//	}
//	fmt.Printf("relative L2 error %.2e\n", *res.Metrics.RelL2)
//	return pinn.WriteRun("runs/burgers", res, version)
package pinn
