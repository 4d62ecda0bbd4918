//go:build unix

package live

import (
	"errors"
	"syscall"
)

// processAlive reports whether process pid exists (signal 0 checks without sending anything).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
