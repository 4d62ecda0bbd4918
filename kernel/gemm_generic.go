package kernel

// genericGemm is the portable GEMM: output rows are split into blocks across workers, and each
// element's sum over K runs in the same order whatever the split, so results do not depend on the
// thread count.
func genericGemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	k := a.Cols
	if tA {
		k = a.Rows
	}
	parallelRows(c.Rows, c.Cols*k, threads, func(r0, r1 int) {
		acc := make([]float64, c.Cols)
		for i := r0; i < r1; i++ {
			clear(acc)
			for p := 0; p < k; p++ {
				var aip float64
				if tA {
					aip = a.Data[p*a.Stride+i]
				} else {
					aip = a.Data[i*a.Stride+p]
				}
				if tB {
					for j := range acc {
						acc[j] += aip * b.Data[j*b.Stride+p]
					}
				} else {
					brow := b.Row(p)
					for j, bv := range brow {
						acc[j] += aip * bv
					}
				}
			}
			crow := c.Row(i)
			if beta == 0 {
				for j, v := range acc {
					crow[j] = alpha * v
				}
			} else {
				for j, v := range acc {
					crow[j] = alpha*v + beta*crow[j]
				}
			}
		}
	})
}
