// Package floor measures the limits of one core of this machine that the kernel package's
// bandwidth-bound calls are held against: the vector ports' FMA peak, the speed of writing 8 MiB
// (LinearSin's output at 4096×256) with and without non-temporal stores, and of reading
// 128 MiB (the output layer's activations at 65536×256) as one stream or as 2 or 4 regions at
// once, with 4 KiB or 2 MiB pages. It is a separate module inside testdata so that none of it
// is built into the kernel package. Run (AVX-512 machine):
//
//	cd kernel/testdata/floor && go test -bench . -benchtime 0.5s -count 5
//
// Every figure is the median call timed by the process's CPU time (getrusage), like
// INR_BENCH_CLOCK=cpu in the kernel benchmarks, so other processes' time is left out.
package floor

//go:noescape
func fmaLoop(n int)

//go:noescape
func store(p *float64, n int, nt bool)

//go:noescape
func readSum(p *float64, n, regions int) float64
