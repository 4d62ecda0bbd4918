package kernel

// gemm picks the path for one product: the thin shapes of coordinate networks are bandwidth-
// bound and have their own kernels; everything else runs the packed, register-blocked driver.
func (mk *microKernel) gemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	mk.blockedGemm(tA, tB, alpha, a, b, beta, c, threads)
}
