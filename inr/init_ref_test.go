package inr

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The initial weights of the reference configurations follow the laws of the code the reference
// PSNRs come from (reference-psnr.md's configuration table, inr-architectures.md): every tensor
// is U(±bound) with the bound below, tensor by tensor, in parameter order. A wrong fan-in, a
// missing 1/ω0 or a complex part drawn at another scale would move a model's whole seed
// distribution, which no single-seed PSNR comparison can tell from bad luck. PyTorch's side of
// the same laws is printed by scripts/peers/torch_quality.py --stats (and ours by
// scripts/peers/initstats): they agree to sampling noise.
//
// Checks per tensor of n ≥ 100 values: max |v| ≤ bound (exactly) and ≥ 0.95·bound (a uniform
// sample misses the top 5 % with probability 0.95ⁿ < 1e-2 at n = 100, and these seeds are
// fixed); the standard deviation within 10 % of bound/√3 (3σ of the sample standard deviation at
// n = 181 is 10 %); the mean within 4 standard errors of 0.
func TestReferenceInitialisation(t *testing.T) {
	siren := func(hidden int) []float64 {
		b := []float64{1.0 / 2, 1 / math.Sqrt(2)} // first layer: U(±1/fan_in), bias default
		for range hidden + 1 {                    // hidden layers and the output
			b = append(b, math.Sqrt(6.0/256)/30, 1/16.0)
		}
		return b
	}
	gauss := []float64{1 / math.Sqrt(2), 1 / math.Sqrt(2)}
	for range 4 {
		gauss = append(gauss, 1/16.0, 1/16.0)
	}
	w := 1 / math.Sqrt(181)
	wire := []float64{1 / math.Sqrt(2), 1 / math.Sqrt(2)}
	for range 3 {
		wire = append(wire, w, w, w, w) // weight_re, weight_im, bias_re, bias_im
	}
	wire = append(wire, w, w, w) // output: weight_re, weight_im, bias_re
	for _, tc := range []struct {
		arch   string
		bounds []float64
	}{
		{"siren", siren(3)},
		{"spder", siren(5)},
		{"finer", siren(3)},
		{"gauss", gauss},
		{"wire", wire},
	} {
		for _, seed := range []uint64{0, 1} {
			t.Run(fmt.Sprintf("%s/seed=%d", tc.arch, seed), func(t *testing.T) {
				m, err := NewModel(tc.arch, nil, 2, 1, seed)
				require.NoError(t, err)
				ps := m.Net.Params()
				require.Len(t, ps, len(tc.bounds))
				for i, p := range ps {
					b := tc.bounds[i]
					lo, hi, mean := math.Inf(1), math.Inf(-1), 0.0
					for _, v := range p.Value {
						lo, hi, mean = math.Min(lo, v), math.Max(hi, v), mean+v
					}
					n := float64(len(p.Value))
					mean /= n
					require.LessOrEqual(t, math.Max(-lo, hi), b, "%s: |v| ≤ %v", p.Name, b)
					if n < 100 {
						continue
					}
					ss := 0.0
					for _, v := range p.Value {
						ss += (v - mean) * (v - mean)
					}
					sd, want := math.Sqrt(ss/(n-1)), b/math.Sqrt(3)
					assert.GreaterOrEqual(t, math.Max(-lo, hi), 0.95*b, "%s: the range reaches the bound", p.Name)
					assert.InDelta(t, want, sd, 0.1*want, "%s: standard deviation", p.Name)
					assert.InDelta(t, 0, mean, 4*want/math.Sqrt(n), "%s: mean", p.Name)
				}
			})
		}
	}
}
