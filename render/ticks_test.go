package render

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNiceTicks(t *testing.T) {
	// Exact equality: ticks are built as integer/10^k, which rounds once to the double nearest
	// the decimal literal.
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{0, 0.87, 6, []float64{0, 0.2, 0.4, 0.6, 0.8}},
		{-1, 1, 5, []float64{-1, -0.5, 0, 0.5, 1}},
		{0, 10, 6, []float64{0, 2, 4, 6, 8, 10}},
		{0, 1e-4, 6, []float64{0, 2e-5, 4e-5, 6e-5, 8e-5, 1e-4}},
		{0.13, 0.47, 5, []float64{0.2, 0.3, 0.4}},
		{-0.031, 0.029, 4, []float64{-0.02, 0, 0.02}},
		{1e6, 5e6, 5, []float64{1e6, 2e6, 3e6, 4e6, 5e6}},
		{3, 3, 5, []float64{3}},
	}
	for _, tc := range tests {
		got := NiceTicks(tc.lo, tc.hi, tc.n)
		assert.Equal(t, tc.want, got, "[%g, %g] n=%d", tc.lo, tc.hi, tc.n)
	}
	assert.Nil(t, NiceTicks(1, 0, 5), "reversed interval")
	assert.Nil(t, NiceTicks(0, math.Inf(1), 5))
	assert.Nil(t, NiceTicks(math.NaN(), 1, 5))
}

func TestNiceTicksProperties(t *testing.T) {
	// For many ranges: inside [lo, hi], at least 2 ticks, evenly spaced by 1, 2 or 5 × 10^k, and at
	// most n unless the next coarser step would leave fewer than two. The step is recovered by
	// subtracting neighbouring ticks, which loses a few ulp of the ticks themselves, so its mantissa
	// is checked to 1e-9 plus 8ε·|hi|/step.
	for _, lo := range []float64{-7.3, -1e-3, 0, 0.01, 3, 12345} {
		for _, span := range []float64{1e-6, 0.003, 0.9, 1, 7, 250, 1e5} {
			for _, n := range []int{3, 5, 8, 10} {
				hi := lo + span
				ticks := NiceTicks(lo, hi, n)
				require.GreaterOrEqual(t, len(ticks), 2, "[%g, %g] n=%d: %v", lo, hi, n, ticks)
				step := ticks[1] - ticks[0]
				e := math.Floor(math.Log10(step) + 1e-9)
				m := step / math.Pow(10, e)
				tol := 1e-9 + 8*0x1p-52*math.Max(math.Abs(hi), math.Abs(lo))/step
				ok := false
				for _, want := range []float64{1, 2, 5, 10} {
					ok = ok || math.Abs(m-want) < want*tol
				}
				require.True(t, ok, "step %g", step)
				if len(ticks) > n {
					coarser := map[int]float64{1: 2, 2: 5, 5: 10}[int(math.Round(m))] * math.Pow(10, e)
					inside := math.Floor(hi/coarser+1e-9) - math.Ceil(lo/coarser-1e-9) + 1
					assert.Less(t, inside, 2.0, "[%g, %g] n=%d gave %d ticks although step %g fits", lo, hi, n, len(ticks), coarser)
				}
				for i, v := range ticks {
					assert.GreaterOrEqual(t, v, lo-1e-9*span)
					assert.LessOrEqual(t, v, hi+1e-9*span)
					if i > 0 {
						assert.InDelta(t, step, v-ticks[i-1], 1e-9*span+8*0x1p-52*math.Abs(hi))
					}
				}
			}
		}
	}
}

func TestLogTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
	}{
		{1e-7, 3, 10, []float64{1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1}},
		{1e-12, 1, 6, []float64{1e-12, 1e-9, 1e-6, 1e-3, 1}}, // 13 decades thinned to every third
		{2e-3, 5e2, 10, []float64{1e-2, 1e-1, 1, 10, 100}},
		{0.3, 3, 6, []float64{0.5, 1, 2}}, // one decade inside: 1-2-5 steps
		{1.1, 1.9, 5, []float64{1.2, 1.4, 1.6, 1.8}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, LogTicks(tc.lo, tc.hi, tc.n), "[%g, %g]", tc.lo, tc.hi)
	}
	assert.Nil(t, LogTicks(0, 1, 5), "log axis needs lo > 0")
	assert.Nil(t, LogTicks(-1, 1, 5))
}

func TestFormatTicks(t *testing.T) {
	tests := []struct {
		ticks []float64
		want  []string
	}{
		{[]float64{0, 0.2, 0.4, 0.6, 0.8}, []string{"0.0", "0.2", "0.4", "0.6", "0.8"}},
		{[]float64{-1, -0.5, 0, 0.5, 1}, []string{"-1.0", "-0.5", "0.0", "0.5", "1.0"}},
		{[]float64{0, 1, 2}, []string{"0", "1", "2"}},
		{[]float64{0, 2e-5, 4e-5}, []string{"0", "2e-5", "4e-5"}},
		{[]float64{0, 2e-4, 4e-4, 6e-4}, []string{"0", "2e-4", "4e-4", "6e-4"}},
		{[]float64{0, 0.002, 0.004}, []string{"0.000", "0.002", "0.004"}},
		{[]float64{1e5, 2e5}, []string{"1e5", "2e5"}},
		{[]float64{0, 2.5e5, 5e5}, []string{"0", "2.5e5", "5e5"}},
		{[]float64{-3e6, 0, 3e6}, []string{"-3e6", "0", "3e6"}},
		{[]float64{1.0001, 1.0002, 1.0003}, []string{"1.0001", "1.0002", "1.0003"}},
		{[]float64{0.30000000000000004, 0.4}, []string{"0.3", "0.4"}}, // float noise (0.1+0.2) stays out of labels
		{[]float64{-2.0000000000000004e-1, 0}, []string{"-0.2", "0.0"}},
		{[]float64{42}, []string{"42"}},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, FormatTicks(tc.ticks), "%v", tc.ticks)
	}
	assert.Nil(t, FormatTicks(nil))
}

func TestFormatLogTicks(t *testing.T) {
	assert.Equal(t, []string{"1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1e0"},
		FormatLogTicks(LogTicks(1e-7, 3, 10)))
	assert.Equal(t, []string{"1e-12", "1e-9", "1e-6", "1e-3", "1e0"}, FormatLogTicks(LogTicks(1e-12, 1, 6)))
	assert.Equal(t, []string{"1e2", "1e3"}, FormatLogTicks([]float64{100, 1000}))
	assert.Equal(t, []string{"0.5", "1.0", "2.0"}, FormatLogTicks([]float64{0.5, 1, 2}))
}

func TestAxisMapping(t *testing.T) {
	a := axis{lo: 1e-4, hi: 1, log: true, p0: 400, p1: 0}
	assert.InDelta(t, 400, a.pix(1e-4), 1e-9)
	assert.InDelta(t, 0, a.pix(1), 1e-9)
	assert.InDelta(t, 200, a.pix(1e-2), 1e-9, "a log axis puts 1e-2 halfway between 1e-4 and 1")
	l := axis{lo: -2, hi: 2, p0: 10, p1: 110}
	assert.InDelta(t, 60, l.pix(0), 1e-12)
}
