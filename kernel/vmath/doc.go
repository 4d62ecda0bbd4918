// Package vmath evaluates elementary functions over float64 slices: sin, cos, sincos, exp,
// log, tanh and sigmoid, plus the fused affine sine used by SIREN layers. Each implementation
// (pure Go, AVX2+FMA, AVX-512) is a Funcs value; package kernel chooses one at start-up.
//
// Every function writes dst[i] = f(x[i]) for i < len(x); dst must be at least as long as x and
// may be the same slice as x (in-place evaluation). Results are within a few ulp of the math
// package over the argument ranges that occur in training (see the test for the stated ranges
// and bounds), and exactly right for ±0, ±Inf and NaN.
package vmath
