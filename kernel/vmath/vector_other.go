//go:build !amd64

package vmath

// vectorFuncs has no vector implementations outside amd64.
func vectorFuncs(name string) (Funcs, bool) { return Funcs{}, false }
