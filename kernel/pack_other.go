//go:build !amd64 || purego

package kernel

func packCopyFast(dst, src []float64, ld, w, kq, R int) bool { return false }

func packGatherFast(dst, src []float64, ld, w, kq, R int) (steps, lanes int) { return 0, 0 }
