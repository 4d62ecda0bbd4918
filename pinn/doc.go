// Package pinn solves PDEs described in problem files with physics-informed networks in float64:
// the problem format (TOML), the solve loop (Adam then L-BFGS, resampling, residual-based
// refinement), hard constraints, inverse problems, metrics against a reference and the pictures
// of a run. The full format is described in examples/pde/README.md.
package pinn
