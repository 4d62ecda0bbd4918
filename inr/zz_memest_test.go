package inr

import (
	"testing"
	"time"
)

func TestZZMemEst(t *testing.T) {
	for _, m := range []string{"siren", "wire", "fkan", "sl2a", "cauchy", "relu_pe"} {
		for _, c := range []int{1, 3} {
			t0 := time.Now()
			e, err := EstimateMemory(FitOptions{Arch: m, Steps: 1}, c)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s c=%d %v: full %+v mini %+v; 128² full %.0f MB, 256² %.0f MB, 1024² batch 65536 %.0f MB", m, c, time.Since(t0).Round(time.Millisecond), e.Full, e.Mini,
				float64(e.Bytes(128*128, 0))/1e6, float64(e.Bytes(256*256, 0))/1e6, float64(e.Bytes(1024*1024, 65536))/1e6)
		}
	}
}
