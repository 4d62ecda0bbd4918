package inr

import "time"

// StepTime is the duration of one training step: wall-clock time and the process's CPU time
// (user + system, all threads; 0 where the platform does not report it). On a shared machine
// other processes stretch the wall clock of a one-thread step, not the CPU time it consumed, so
// the benchmarks report both.
type StepTime struct {
	Wall, CPU time.Duration
}

// TimeStep runs step once and returns how long it took by both clocks.
func TimeStep(step func() error) (StepTime, error) {
	c0, t0 := processCPU(), time.Now()
	err := step()
	return StepTime{Wall: time.Since(t0), CPU: processCPU() - c0}, err
}
