//go:build !unix

package nn

// processCPU is not measured on this platform (benchmarks then report 0 CPU time).
func processCPU() float64 { return 0 }
