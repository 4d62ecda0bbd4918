//go:build amd64 && !purego

package kernel

//go:generate go run ./internal/asmgen

import "github.com/inrstudio/studio/kernel/vmath"

//go:noescape
func gemmKernAVX512(kc int, a, b, c *float64, as, bs, ldc, rows, cols int, alpha, beta float64)

//go:noescape
func gemmKernRowAVX512(kc int, a, b, c *float64, lda, bs, ldc, rows, cols int, alpha, beta float64)

//go:noescape
func gemmKernRowAVX2(kc int, a, b, c *float64, lda, bs, ldc, rows, cols int, alpha, beta float64)

//go:noescape
func linSinAVX512(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)

//go:noescape
func linCosAVX512(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)

//go:noescape
func linSinAVX2(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)

//go:noescape
func linCosAVX2(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)

//go:noescape
func gemmKernAVX2(kc int, a, b, c *float64, as, bs, ldc, rows, cols int, alpha, beta float64)

var (
	mkAVX512 = &microKernel{mr: 12, nr: 16, directTN: true, packTAMinN: 128, kern: gemmKernAVX512, kernRow: gemmKernRowAVX512}
	mkAVX2   = &microKernel{mr: 6, nr: 8, directTN: true, packTAMinN: 1, kern: gemmKernAVX2, kernRow: gemmKernRowAVX2}
)

// registerArch adds the assembly implementations; the best one the CPU supports becomes the
// default (avx512 > avx2 > generic).
func registerArch() {
	register(&backend{
		name:       "avx2",
		priority:   1,
		support:    supportAVX2,
		vm:         vmath.For("avx2"),
		gemm:       mkAVX2.gemm,
		affineK:    smallKAVX2,
		linSin:     linSinAVX2,
		linCos:     linCosAVX2,
		tanhJetFwd: tanhJetFwdAVX2,
		tanhJetBwd: tanhJetBwdAVX2,
		ops:        avx2Ops,
	})
	register(&backend{
		name:       "avx512",
		priority:   2,
		support:    supportAVX512,
		vm:         vmath.For("avx512"),
		gemm:       mkAVX512.gemm,
		affineK:    smallKAVX2,
		linSin:     linSinAVX512,
		linCos:     linCosAVX512,
		tanhJetFwd: tanhJetFwdAVX512,
		tanhJetBwd: tanhJetBwdAVX512,
		ops:        avx2Ops,
	})
}
