//go:build unix

package inr

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user + system), for step timings that stay
// meaningful on a shared machine where wall time also counts other processes' turns.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
