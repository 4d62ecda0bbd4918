//go:build amd64

package vmath

// vectorFuncs returns the assembly implementation named name when this CPU can run it.
func vectorFuncs(name string) (Funcs, bool) { return Funcs{}, false }
