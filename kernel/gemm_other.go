//go:build !amd64 || purego

package kernel

// registerArch has nothing to add: only the pure-Go implementation exists off amd64.
func registerArch() {}
