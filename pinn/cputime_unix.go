//go:build unix

package pinn

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user + system). Step timings report it beside
// the wall time: on a shared machine other processes stretch the wall clock of a one-thread step,
// not the CPU time it consumed.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
