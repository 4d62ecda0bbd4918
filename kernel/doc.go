// Package kernel holds the float64 dense kernels every network in the studio trains on:
// a strided row-major Matrix, GEMM in the three forms backpropagation needs (A·B, Aᵀ·B, A·Bᵀ,
// plus Aᵀ·Bᵀ), vectorised elementwise functions (sin, cos, exp, tanh, … from package vmath),
// the fused SIREN layer LinearSin, the fused tanh layer on derivative jets (TanhJet and
// TanhJetBackward: a PINN's values, first and second derivatives through tanh in one pass per
// chunk, with the layout of the jet's blocks in a JetLayout), fused elementwise operations that
// save passes over memory
// (bias, the Adam update, scaled accumulate, squared error, a product with its column sums),
// reductions, and parallel loops that split work across GOMAXPROCS workers.
//
// Several implementations (Impl) provide the same operations: "generic" (pure Go, runs
// everywhere) and, on amd64, "avx2" (AVX2+FMA) and "avx512" (AVX-512F) with assembly
// micro-kernels. The best one the CPU supports is chosen at start-up (avx512 > avx2 > generic,
// from golang.org/x/sys/cpu, which also checks that the OS saves the vector state); the
// environment variable INR_KERNEL=generic|avx2|avx512 forces one, and asking for one the CPU lacks
// makes Check return an error that says why. Building with -tags purego leaves out the
// assembly. One conformance suite runs against every implementation the CPU supports.
//
// How the assembly GEMM works: op(B) is packed into k-major micro-panels and a register-blocked
// kernel (12×16 tiles in 24 ZMM accumulators; 6×8 in 12 YMM for AVX2) reads op(A) in place,
// over tiles of output rows × columns that workers take from a shared counter. Thin products are
// memory-bound and have streaming kernels instead: K ≤ 4 (a first layer, or dX of a 1–3 output
// layer) writes each output row once from an outer product; N ≤ 3 (the output layer) takes three
// dot products per row of A; Aᵀ·B with ≤ 3 output rows or columns (their weight gradients)
// broadcasts the small operand against bands of the large one. A thin first layer with its sine
// (LinearSin, K ≤ 4) is one assembly pass per row that forms the argument in turns (ω/2π folded
// into the weights), reduces it exactly and evaluates the sine polynomial in registers: with
// AVX-512, VREDUCEPD makes it 14 vector operations per 8 outputs, which the two vector ports of
// a core run in about 7 cycles; the AVX2 kernel rounds with VROUNDPD instead (19 per 4).
//
// Calls allocate nothing in steady state: parallel loops take pooled job structs rather than
// closures, and scratch buffers come from free lists that survive garbage collection.
//
// The package-level functions use the default implementation; an *Impl obtained from Lookup
// runs a chosen one (tests and benchmarks compare them side by side):
//
//	x := kernel.NewMatrix(4096, 256)
//	w := kernel.NewMatrix(256, 256)
//	z := kernel.NewMatrix(4096, 256)
//	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, x, w, 0, z) // z = x·w
//	kernel.Default().WithThreads(1).Gemm(kernel.Trans, kernel.NoTrans, 1, x, z, 0, w) // w = xᵀ·z
//
// Results do not depend on the number of threads: work is split over output tiles, never over
// a summation, and reductions use fixed blocks, so the same inputs give bit-identical outputs at
// any GOMAXPROCS. scripts/bench-kernel.sh compares the GEMM with OpenBLAS and gonum.
package kernel
