// Package reference provides the reference solutions PINN results are measured against, all
// computed in Go, and readers for reference data files.
//
// # Solutions
//
// A Solution names its coordinates (time last) and fields and evaluates them at a point;
// EvalPoints evaluates many points and rejects points outside the solution's bounds. Lookup
// builds one by name from problem-file parameters (Names lists them):
//
//   - burgers: Burgers 1-D with ν = 0.01/π, u(x,0) = −sin πx, u(±1,t) = 0 — exact, by the
//     Cole–Hopf formula with Gauss–Hermite quadrature (nodes by Golub–Welsch polished by Newton,
//     weights in logarithms; every sum formed with its largest exponent factored out). It agrees
//     with an independent physical-space quadrature to about 5e-14. Burgers.Grid gives the
//     benchmark's 256×100 grid.
//   - allen-cahn: Allen–Cahn 1-D, u_t = 1e-4 u_xx + 5u − 5u³, periodic on [−1,1], u(x,0) = x² cos πx
//     — computed by a Fourier pseudo-spectral method with ETDRK4 (Kassam–Trefethen contour
//     coefficients). The initial data have a corner at x = ±1 that no Fourier series resolves; it
//     is carried by a closed-form singular part (the heat-smoothed corner), and only the smooth
//     remainder is computed spectrally. Self-consistency: about 6e-10 between 2048 and 4096 modes,
//     4e-11 between time steps 5e-4 and 2.5e-4; between the stored snapshots (every 0.005) cubic
//     Hermite interpolation in t adds at most about 2e-8; in x the Fourier series is evaluated
//     exactly.
//   - kovasznay: Kovasznay flow (u, v, p) for any Re, exact steady Navier–Stokes.
//   - poisson2d, helmholtz2d, heat1d, wave1d, ode-exp, laplace-disk: analytic solutions of the
//     canonical PINN test problems (Laplace on the disk as the Poisson integral of any boundary
//     data, NewLaplaceDisk).
//
// Every solution is tested against its PDE (finite-difference residuals), its initial and
// boundary values, and, for the computed ones, an independent evaluation or self-convergence.
//
// # Data files
//
// ReadCSV reads a table with a header line (coordinates and field values as columns); ReadNPY
// reads NumPy .npy files (little-endian float64 or float32, C order, 0-, 1- or 2-D, header
// parsed here, stdlib only); ReadNPZ reads .npz archives such as DeepXDE's Burgers.npz; ReadFile
// picks the reader by extension. Unsupported dtypes, byte orders and Fortran order are errors
// that say what was found.
//
// # Example
//
//	b, err := reference.NewBurgers(reference.BurgersNu, reference.BurgersNodes)
//	if err != nil {
//		return err
//	}
//	g := b.Grid() // g.U[i*100+j] = u(g.X[i], g.T[j])
//	u := b.U(0.3, 0.5)
//
//	ac, err := reference.SolveAllenCahn(reference.AllenCahnConfig{}) // about 2 s
//	v := ac.U(0.3, 0.5)
//
//	s, err := reference.Lookup("kovasznay", map[string]float64{"re": 20})
//	uvp, err := reference.EvalPoints(s, []float64{0.1, 0.2, 0.5, -0.3}) // two points
package reference
