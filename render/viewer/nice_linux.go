//go:build !noviewer

package viewer

import "syscall"

// yieldCPU lowers the priority of the calling thread, the window's (ebiten keeps the main
// goroutine on the process's first thread), to nice 10. On Linux a nice value belongs to one
// thread, and the threads the GL driver starts from this one (Mesa's llvmpipe rasterisers)
// inherit it, while the Go runtime starts its own threads from a template thread that keeps nice
// 0: the training's goroutines never run at the lowered priority, and a busy machine takes the
// CPU the window wants from the window first.
func yieldCPU() {
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 10) // best effort: a refusal changes nothing else
}
