//go:build amd64 && !purego

package kernel

import (
	"fmt"
	"testing"
)

// microKC is the depth the micro-kernel benchmark runs at.
const microKC = 256

// BenchmarkMicroKernel times the register-blocked tile kernels alone on packed panels that stay
// in L1/L2 (K = 256, one B panel against 16 A panels): the ceiling of the blocked GEMM.
func BenchmarkMicroKernel(b *testing.B) {
	for _, c := range []struct {
		name string
		mk   *microKernel
		ok   func(cpuFeatures) (bool, string)
	}{{"avx512", mkAVX512, supportAVX512}, {"avx2", mkAVX2, supportAVX2}} {
		if ok, _ := c.ok(host); !ok {
			continue
		}
		b.Run(fmt.Sprintf("%s/%dx%d", c.name, c.mk.mr, c.mk.nr), func(b *testing.B) {
			kc, panels := microKC, 16
			mr, nr := c.mk.mr, c.mk.nr
			ap := make([]float64, panels*kc*mr)
			bp := make([]float64, kc*nr)
			cm := make([]float64, panels*mr*nr)
			for i := range ap {
				ap[i] = float64(i%7) * 0.1
			}
			for i := range bp {
				bp[i] = float64(i%5) * 0.1
			}
			for b.Loop() {
				for p := 0; p < panels; p++ {
					c.mk.kern(kc, &ap[p*kc*mr], &bp[0], &cm[p*mr*nr], mr, nr, nr, mr, nr, 1, 0)
				}
			}
			b.ReportMetric(2*float64(kc*mr*nr*panels)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
