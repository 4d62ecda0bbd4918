//go:build amd64 && !purego

package kernel

//go:noescape
func packCopyAVX(dst, src *float64, ld, kq, n int)

//go:noescape
func packGatherAVX(dst, src *float64, ld, kq4, n, rows4 int)

// packCopyFast packs full-width copy panels with AVX2 (the only callers are the AVX2 and
// AVX-512 implementations). It reports false when the width has no fast routine.
func packCopyFast(dst, src []float64, ld, w, kq, R int) bool {
	if w != R || (R != 6 && R != 8 && R != 12 && R != 16) {
		return false
	}
	_ = dst[kq*R-1]
	_ = src[(kq-1)*ld+R-1]
	packCopyAVX(&dst[0], &src[0], ld, kq, R)
	return true
}

// packGatherFast transposes groups of four lanes by four steps with AVX2 and returns how many
// steps and lanes it did; the caller finishes the rest.
func packGatherFast(dst, src []float64, ld, w, kq, R int) (steps, lanes int) {
	steps, lanes = kq&^3, w&^3
	if steps == 0 || lanes == 0 {
		return 0, 0
	}
	_ = dst[(steps-1)*R+lanes-1]
	_ = src[(lanes-1)*ld+steps-1]
	packGatherAVX(&dst[0], &src[0], ld, steps, R, lanes)
	return steps, lanes
}
