// Package kernel holds the float64 dense kernels every network in the studio trains on:
// a strided row-major Matrix, GEMM in the three forms backpropagation needs (A·B, Aᵀ·B, A·Bᵀ),
// vectorised elementwise functions (sin, cos, exp, tanh, …), fused elementwise operations that
// save passes over memory (bias + activation, the Adam update, scaled accumulate), reductions,
// and a parallel loop that splits work by row blocks across GOMAXPROCS workers.
//
// Several implementations provide the same operations: a pure-Go one that runs everywhere, and
// on amd64 assembly micro-kernels for AVX2+FMA and for AVX-512. The best one the CPU supports is
// chosen at start-up; the environment variable INR_KERNEL=generic|avx2|avx512 forces one, and
// asking for one the CPU lacks makes Check return an error. One conformance suite runs against
// every implementation the CPU supports.
//
// The package-level functions use the default implementation; an *Impl obtained from Lookup
// runs a chosen one (tests and benchmarks compare them side by side):
//
//	a := kernel.NewMatrix(4096, 256)
//	w := kernel.NewMatrix(256, 256)
//	z := kernel.NewMatrix(4096, 256)
//	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, a, w, 0, z) // z = a·w
//
// Results do not depend on the number of threads: work is split over output tiles, never over
// a reduction, so the same inputs give bit-identical outputs at any GOMAXPROCS.
package kernel
