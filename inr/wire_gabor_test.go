package inr

import (
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

const minNormal64 = 0x1p-1022

// gaborInputs fills a jet of the layer's input width with pre-activations spread over the
// wavelet's whole range: most |z| ≲ 1 (|ψ| from 1 down to far below the subnormal range at
// s0 = 30), a few exactly zero, and the rows above 25 at 10 × the scale (ψ flushed to zero).
func gaborInputs(l *gaborLayer, n int, seed uint64) nn.Jet {
	x := nn.NewJet(nn.ValuePlan(2), n, l.InWidth())
	rng := nn.NewRNG(seed)
	for i := range x.M.Data {
		x.M.Data[i] = 0.6 * (2*rng.Float64() - 1)
		if i%17 == 0 {
			x.M.Data[i] = 0
		}
		if i/l.InWidth() > 25 {
			x.M.Data[i] *= 10
		}
	}
	return x
}

// The vectorised layer against nn.ComplexActivation (the per-element chain rule over the
// act.PairFunc, itself checked against finite differences in package nn), forward and backward,
// for the real-input first layer and the complex hidden layers. Tolerance: kernel.Exp is within 2
// ulp and kernel.SinCos within 1 ulp of the math package, and the backward pass multiplies ψ by
// the same factors in another order, so 1e-13 relative to the larger of the value and 1 (forward)
// or |Φ| ≲ 2s0² + ω0 (backward) bounds the difference: a few hundred ulp, with |ψ| up to
// exp(ω0²/4s0²) ≈ 7e4 at s0 = 3.
func TestGaborLayerMatchesComplexActivation(t *testing.T) {
	for _, tc := range []struct {
		omega, s  float64
		w         int
		realInput bool
	}{
		{omega: 20, s: 30, w: 7, realInput: true},
		{omega: 20, s: 30, w: 7, realInput: false},
		{omega: 20, s: 3, w: 5, realInput: false}, // small s0: ψ rarely flushed, derivatives large
		{omega: 3, s: 0.5, w: 4, realInput: true},
	} {
		t.Run(fmt.Sprintf("omega=%v/s=%v/real=%v", tc.omega, tc.s, tc.realInput), func(t *testing.T) {
			l, err := newGaborLayer(tc.omega, tc.s, tc.w, tc.realInput)
			require.NoError(t, err)
			f, err := act.NewPair("gabor_complex", act.Config{"omega": tc.omega, "s": tc.s})
			require.NoError(t, err)
			ref := nn.NewComplexActivation(f, tc.w, tc.realInput)
			x := gaborInputs(l, 40, 7)
			y := l.Forward(x)
			yr := ref.Forward(x)
			for i, v := range yr.M.Data {
				require.InDelta(t, v, y.M.Data[i], 1e-13*math.Max(1, math.Abs(v)), "forward element %d", i)
			}
			g := nn.NewJet(nn.ValuePlan(2), 40, 2*tc.w)
			rng := nn.NewRNG(11)
			for i := range g.M.Data {
				g.M.Data[i] = 2*rng.Float64() - 1
			}
			g2 := nn.NewJet(nn.ValuePlan(2), 40, 2*tc.w)
			copy(g2.M.Data, g.M.Data)
			dx := l.Backward(g, true)
			dr := ref.Backward(g2, true)
			scale := 2*tc.s*tc.s + tc.omega // |Φ_a|, |Φ_b| ≲ 2s0²|z| + ω0 with |z| ≲ 1
			for i, v := range dr.M.Data {
				require.InDelta(t, v, dx.M.Data[i], 1e-13*math.Max(scale, math.Abs(v)), "backward element %d", i)
			}
		})
	}
}

// At the subnormal boundary. With the real-input layer ψ(a) = exp(−s0²a²)·(cos ω0a + i sin ω0a);
// sweeping a across the point where the modulus passes 2⁻¹⁰²² (s0²a² ≈ 708.40) every output and
// every input gradient must be exactly zero or a normal number, never subnormal (the reason for
// the flush: subnormal operands slow the next GEMM many times over), and wherever the exact
// |Re ψ| or |Im ψ| is at least twice the smallest normal number it must be kept, to 1e-12 relative
// (exp's 2 ulp and sincos's 1 ulp, with exp's argument rounded near 708).
func TestGaborLayerSubnormalBoundary(t *testing.T) {
	const omega, s, w = 20, 30, 1
	l, err := newGaborLayer(omega, s, w, true)
	require.NoError(t, err)
	edge := math.Sqrt(-math.Log(minNormal64)) / s // the modulus is 2⁻¹⁰²² at |a| = edge
	const n = 4001
	x := nn.NewJet(nn.ValuePlan(2), n, 1)
	for i := range n {
		x.M.Data[i] = edge * (1 + 4e-3*(float64(i)/(n-1)-0.5)) // edge·(1 ± 2e-3)
	}
	y := l.Forward(x)
	g := nn.NewJet(nn.ValuePlan(2), n, 2)
	for i := range g.M.Data {
		g.M.Data[i] = 1e-3 // a small loss gradient makes the products fall further
	}
	dx := l.Backward(g, true)
	kept, flushed := 0, 0
	for i := range n {
		a := x.M.Data[i]
		mod := math.Exp(-s * s * a * a)
		exact := [2]float64{mod * math.Cos(omega*a), mod * math.Sin(omega*a)}
		for o := range 2 {
			v := y.M.Data[2*i+o]
			require.True(t, v == 0 || math.Abs(v) >= minNormal64, "a=%v output %d = %v is subnormal", a, o, v)
			if math.Abs(exact[o]) >= 2*minNormal64 {
				require.InDelta(t, exact[o], v, 1e-12*math.Abs(exact[o]), "a=%v output %d", a, o)
				kept++
			} else if v == 0 {
				flushed++
			}
		}
		d := dx.M.Data[i]
		require.True(t, d == 0 || math.Abs(d) >= minNormal64, "a=%v gradient %v is subnormal", a, d)
	}
	// The sweep must really straddle the boundary: both sides are populated.
	assert.Greater(t, kept, 1000)
	assert.Greater(t, flushed, 1000)
}

// Infinite and NaN pre-activations: ψ = 0 with zero gradient where |z| is infinite (no 0·∞ =
// NaN from sincos(∞) or from Φ_a, Φ_b), as the per-element activation; NaN propagates to the
// output so that a diverging fit is seen. Units: z0 = ∞ + 0i, z1 = 0.01 − i∞, z2 = NaN + 0.02i.
func TestGaborLayerNonFinite(t *testing.T) {
	l, err := newGaborLayer(20, 30, 3, false)
	require.NoError(t, err)
	x := nn.NewJet(nn.ValuePlan(2), 1, 6)
	copy(x.M.Data, []float64{math.Inf(1), 0.01, math.NaN(), 0, math.Inf(-1), 0.02})
	y := l.Forward(x)
	for _, i := range []int{0, 1, 3, 4} {
		assert.Zero(t, y.M.Data[i], "output %d", i)
	}
	assert.True(t, math.IsNaN(y.M.Data[2]) && math.IsNaN(y.M.Data[5]), "ψ(NaN) is NaN")
	g := nn.NewJet(nn.ValuePlan(2), 1, 6)
	for i := range g.M.Data {
		g.M.Data[i] = 1
	}
	dx := l.Backward(g, true)
	for _, i := range []int{0, 1, 3, 4} {
		assert.Zero(t, dx.M.Data[i], "input gradient %d", i)
	}
}

// Jets with derivative blocks (here a Laplacian plan) take the general path: the result is the
// per-element activation's to the last bit, for the value and every derivative block.
func TestGaborLayerDerivativeJets(t *testing.T) {
	l, err := newGaborLayer(20, 3, 4, false)
	require.NoError(t, err)
	f, err := act.NewPair("gabor_complex", act.Config{"omega": 20, "s": 3})
	require.NoError(t, err)
	ref := nn.NewComplexActivation(f, 4, false)
	x := nn.NewJet(nn.LaplacianPlan(2), 6, 8)
	rng := nn.NewRNG(3)
	for i := range x.M.Data {
		x.M.Data[i] = 0.3 * (2*rng.Float64() - 1)
	}
	y := l.Forward(x)
	require.Equal(t, ref.Forward(x).M.Data, y.M.Data)
}

// The layer runs its loops over ranges of rows on the kernel's threads, through the chunks the
// exponential and sincos always took: one thread and four give the same bits, forward and
// backward, with infinite inputs among the rows, and the passes allocate nothing once the
// layer's buffers exist.
func TestGaborLayerThreadsBitIdentical(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, realInput := range []bool{true, false} {
		l, err := newGaborLayer(20, 30, 181, realInput)
		require.NoError(t, err)
		const n = 1000 // five and a half chunks of 181 rows
		x := gaborInputs(l, n, 3)
		x.M.Data[5*l.InWidth()+3] = math.Inf(1)
		g := nn.NewJet(nn.ValuePlan(2), n, 2*l.w)
		rng := nn.NewRNG(5)
		for i := range g.M.Data {
			g.M.Data[i] = 2*rng.Float64() - 1
		}
		pass := func(threads int) (y, dx []float64) {
			runtime.GOMAXPROCS(threads)
			y = append([]float64(nil), l.Forward(x).M.Data...)
			gc := nn.NewJet(nn.ValuePlan(2), n, 2*l.w)
			copy(gc.M.Data, g.M.Data)
			return y, append([]float64(nil), l.Backward(gc, true).M.Data...)
		}
		y1, d1 := pass(1)
		y4, d4 := pass(4)
		for i := range y1 {
			require.Equal(t, math.Float64bits(y1[i]), math.Float64bits(y4[i]), "real input %v: forward element %d", realInput, i)
		}
		for i := range d1 {
			require.Equal(t, math.Float64bits(d1[i]), math.Float64bits(d4[i]), "real input %v: backward element %d", realInput, i)
		}
		require.Zero(t, testing.AllocsPerRun(5, func() {
			l.Forward(x)
			l.Backward(g, true)
		}), "allocations per forward and backward pass at 4 threads")
	}
}

// BenchmarkGaborLayer is one forward and one backward pass of a complex Gabor layer of WIRE's
// width over the 128² grid (run with -cpu 1 for one thread); ns/element is per unit and point.
func BenchmarkGaborLayer(b *testing.B) {
	for _, realInput := range []bool{true, false} {
		b.Run(fmt.Sprintf("real=%v", realInput), func(b *testing.B) {
			l, err := newGaborLayer(20, 30, 181, realInput)
			require.NoError(b, err)
			const n = 128 * 128
			x := gaborInputs(l, n, 3)
			g := nn.NewJet(nn.ValuePlan(2), n, 2*l.w)
			for i := range g.M.Data {
				g.M.Data[i] = float64(i%13)/6 - 1
			}
			l.Forward(x)
			l.Backward(g, true)
			b.ResetTimer()
			for range b.N {
				l.Forward(x)
				l.Backward(g, true)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*l.w), "ns/element")
		})
	}
}
