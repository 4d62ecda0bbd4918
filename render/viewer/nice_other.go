//go:build !noviewer && !linux

package viewer

// yieldCPU does nothing where a thread's priority cannot be set on its own.
func yieldCPU() {}
