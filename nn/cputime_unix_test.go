//go:build unix

package nn

import "syscall"

// processCPU returns the user+system CPU time of the process in seconds. Benchmarks report it per
// step beside the wall time: on this shared 2-vCPU machine other jobs stretch the wall clock of a
// one-thread step, but not the CPU time it consumed.
func processCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
