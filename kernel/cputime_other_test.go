//go:build !unix

package kernel

import "time"

// processCPUTime falls back to the wall clock where getrusage does not exist.
func processCPUTime() time.Time { return time.Now() }
