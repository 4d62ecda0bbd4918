package pinn

import (
	"fmt"
	"testing"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
)

// BenchmarkAdamStepPoisson times the speed benchmark's step (BenchProblem at 10 000 points,
// width 64): every group's forward and backward and the Adam update, as inr bench pinn does,
// with the default chunking and with other chunk sizes (points per chunk). Run it with
// GOMAXPROCS=1, as inr bench pinn runs.
func BenchmarkAdamStepPoisson(b *testing.B) {
	for _, chunk := range []int{0, 64, 128, 512, 1024, 10000} {
		b.Run(fmt.Sprintf("chunk=%d", chunk), func(b *testing.B) {
			p, err := BenchProblem(10000, 64)
			if err != nil {
				b.Fatal(err)
			}
			s, err := newSolver(p, p.Sampling.Seed, p.Network.Seed)
			if err != nil {
				b.Fatal(err)
			}
			s.setChunkPoints(chunk)
			adam := nn.NewAdam(s.ps, p.Train.LR)
			step := func() {
				s.ps.ZeroGrad()
				if _, err := s.eval(); err != nil {
					b.Fatal(err)
				}
				if err := adam.Step(); err != nil {
					b.Fatal(err)
				}
			}
			step()
			b.ResetTimer()
			t, _ := inr.TimeStep(func() error {
				for range b.N {
					step()
				}
				return nil
			})
			// CPU time per step: on a shared machine the wall clock counts other processes too.
			b.ReportMetric(float64(t.CPU)/1e6/float64(b.N), "cpu-ms/op")
		})
	}
}
