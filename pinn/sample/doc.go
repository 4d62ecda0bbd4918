// Package sample provides the geometry and collocation points of a PDE problem: domains, the
// samplers that spread points over them, and residual-based adaptive refinement.
//
// # Domains
//
// A Domain maps points of the unit cube onto its interior and onto its boundary (with outward
// unit normals, for Neumann and Robin conditions), with measure-preserving maps: Box (NewBox,
// Interval, Rectangle, Cuboid) in any dimension, Disk (Shirley–Chiu concentric map, no
// rejection), and TimeSpace, the product of a time interval with any spatial domain. A
// TimeSpace point is the spatial coordinates followed by t; its boundary is the spatial
// boundary × [T0, T1] and its initial slice t = T0 is a third region. A box's boundary is
// sampled proportionally to face length or area, and each boundary point carries the Part
// (face) it lies on, so a condition can be applied to one side.
//
// # Samplers
//
// A Sampler fills the unit cube: Uniform (seeded Monte Carlo), LHS (Latin hypercube), Sobol
// (Joe–Kuo direction numbers for 32 dimensions, optional LMS scrambling with a digital shift),
// Halton (prime bases, DefaultHaltonSkip leading points dropped) and Grid (cell centres).
// Samplers are deterministic streams: the same seed gives the same points, and every Fill
// continues the stream, which is what resampling wants.
//
// # Sets and resampling
//
// NewSet draws the points of one region (Interior, Boundary, Initial) of a domain; Set.Resample
// redraws them in place without allocating.
//
// # Adaptive refinement
//
// Given candidate points and their residuals, RAR returns the k worst candidates (to add to the
// collocation set) and RAD draws n candidates with density p ∝ |r|^k/mean(|r|^k) + c (defaults
// k = 1, c = 1); Points.Select gathers them.
//
// # Example
//
//	space, err := sample.Interval(-1, 1)
//	if err != nil {
//		return err
//	}
//	dom, err := sample.NewTimeSpace(space, 0, 1) // Burgers: (x, t) ∈ [−1, 1] × [0, 1]
//	if err != nil {
//		return err
//	}
//	interior, err := sample.NewSet(dom, sample.Interior, sample.NewSobol(1, true), 2540)
//	walls, err := sample.NewSet(dom, sample.Boundary, sample.NewSobol(2, true), 80)
//	initial, err := sample.NewSet(dom, sample.Initial, sample.NewSobol(3, true), 160)
//	// interior.Points.At(i) is (x, t); walls.Normals.At(i) is (±1, 0); initial points have t = 0.
//	interior.Resample() // every k steps: the next Sobol points, no allocation
package sample
