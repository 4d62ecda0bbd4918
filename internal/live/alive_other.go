//go:build !unix

package live

// processAlive cannot tell on this system; a run is assumed alive until it says it is done.
func processAlive(pid int) bool { return true }
