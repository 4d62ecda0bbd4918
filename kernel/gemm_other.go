//go:build !amd64

package kernel

// registerArch has nothing to add: only the pure-Go implementation exists off amd64.
func registerArch() {}
