package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel/internal/ulpref"
)

// thinArg is LinearSin's documented argument for K ≤ 4, in turns: ω′·b + Σ_q x_q·(ω′·w_q) with
// ω′ = ω/2π, summed by FMA in the order q = 0…K−1.
func thinArg(x, w Matrix, b []float64, omega float64, i, j int) float64 {
	turn := omega / (2 * math.Pi)
	v := turn * b[j]
	for q := 0; q < x.Cols; q++ {
		v = math.FMA(x.At(i, q), turn*w.At(q, j), v)
	}
	return v
}

// TestLinearSinThinAccuracy: for K ≤ 4 every implementation's sines and cosines are within
// 4 ulp of sin 2πv and cos 2πv for the documented argument v (in turns), on SIREN-like layers,
// on large arguments (up to 2⁴⁰ turns: the reduction is exact at any size), next to quarter
// turns (where the sine or cosine is tiny, or where the reduction switches between f and its
// complement), and on rows holding Inf and NaN (the buffered path) between ordinary ones.
// 4 ulp is the bound of every path: the fused AVX-512 kernels' polynomial has 1.3 ulp of
// approximation error and its evaluation adds rounding; the buffered path rounds the angle 2π·h
// (under 1 ulp of the sine) and the vmath sine adds up to 2; the reference itself is within
// about 1.
func TestLinearSinThinAccuracy(t *testing.T) {
	const maxUlp = 4
	type layer struct {
		name  string
		x, w  Matrix
		b     []float64
		omega float64
	}
	r := rand.New(rand.NewPCG(31, 32))
	fill := func(m Matrix, lo, hi float64) Matrix {
		for i := range m.Data {
			m.Data[i] = lo + (hi-lo)*r.Float64()
		}
		return m
	}
	vec := func(n int, lo, hi float64) []float64 { return fill(NewMatrix(1, n), lo, hi).Data }
	var layers []layer
	for k := 1; k <= smallKMax; k++ {
		for _, n := range []int{1, 7, 8, 47, 48, 49, 261} {
			layers = append(layers, layer{fmt.Sprintf("siren/K=%d/N=%d", k, n),
				fill(NewMatrix(37, k), -1, 1), fill(NewMatrix(k, n), -0.5, 0.5), vec(n, -1, 1), 30})
		}
	}
	// Large arguments: up to about 2²⁰ and 2⁴⁰ turns.
	for _, scale := range []float64{0x1p19, 0x1p39} {
		layers = append(layers, layer{fmt.Sprintf("large/%g", scale), fill(NewMatrix(200, 3), -1, 1),
			fill(NewMatrix(3, 64), -scale/3, scale/3), vec(64, -1000, 1000), 2 * math.Pi})
	}
	// Next to multiples of a quarter turn up to 2²⁰ turns: x = 1, ω = 2π (ω′ = 1 exactly) and
	// b = 0 make v the weight itself.
	near := NewMatrix(1, 4096)
	for j := range near.Data {
		v := float64(r.IntN(1<<22)) / 4
		for s := r.IntN(7) - 3; s != 0; s -= int(math.Copysign(1, float64(s))) {
			v = math.Nextafter(v, math.Copysign(math.Inf(1), float64(s)))
		}
		near.Data[j] = v
	}
	ones := NewMatrix(3, 1)
	ones.Data[0], ones.Data[1], ones.Data[2] = 1, 1, 1
	layers = append(layers, layer{"near quarter turns", ones, near, make([]float64, 4096), 2 * math.Pi})
	// Rows with Inf and NaN (the buffered path) and very large rows between ordinary ones.
	mixed := fill(NewMatrix(9, 2), -1, 1)
	mixed.Set(1, 0, 1e9)
	mixed.Set(3, 1, math.Inf(-1))
	mixed.Set(5, 0, math.NaN())
	mixed.Set(7, 1, 1e300)
	layers = append(layers, layer{"rows with Inf and NaN", mixed, fill(NewMatrix(2, 50), -1, 1), vec(50, -1, 1), 30})

	for _, impl := range implsUnderTest(t) {
		for _, l := range layers {
			for _, mode := range []string{"sin", "cos", "both"} {
				t.Run(fmt.Sprintf("%s/%s/%s", impl.Name(), l.name, mode), func(t *testing.T) {
					m, n := l.x.Rows, l.w.Cols
					var s, c Matrix
					if mode != "cos" {
						s = NewMatrix(m, n)
					}
					if mode != "sin" {
						c = NewMatrix(m, n)
					}
					impl.LinearSin(s, c, l.x, l.w, l.b, l.omega)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							u := thinArg(l.x, l.w, l.b, l.omega, i, j)
							ws, wc := ulpref.SinCosTurns(u)
							if s.Data != nil {
								require.LessOrEqual(t, ulpref.Ulps(s.At(i, j), ws), float64(maxUlp), "sin(%v) at (%d,%d): got %v, want %v", u, i, j, s.At(i, j), ws)
							}
							if c.Data != nil {
								require.LessOrEqual(t, ulpref.Ulps(c.At(i, j), wc), float64(maxUlp), "cos(%v) at (%d,%d): got %v, want %v", u, i, j, c.At(i, j), wc)
							}
						}
					}
				})
			}
		}
	}
}

// TestLinearSinFusedSweep runs the fused kernels (AVX-512 and AVX2, where the CPU has them) alone
// over 2¹⁹ arguments (in turns) in each range where their error peaks (near the ends of the
// reduced interval, |h| → ¼, where the polynomial's error is largest; around ⅛, where the
// cosine's ¼ − |q| starts to round; random arguments up to 2⁴⁰) and checks the 4 ulp bound.
func TestLinearSinFusedSweep(t *testing.T) {
	if testing.Short() {
		t.Skip("2¹⁹ arguments per range")
	}
	ran := 0
	for _, name := range []string{"avx512", "avx2"} {
		impl, err := Lookup(name)
		if err != nil || impl.b.linSin == nil {
			continue
		}
		ran++
		t.Run(name, func(t *testing.T) { fusedSweep(t, impl) })
	}
	if ran == 0 {
		t.Skip("no fused kernels on this CPU")
	}
}

func fusedSweep(t *testing.T, impl *Impl) {
	r := rand.New(rand.NewPCG(41, 42))
	const n = 1 << 19
	for _, rg := range []struct{ lo, hi float64 }{
		{0, 0.08}, {0.08, 0.2}, {0.2, 0.25}, {0.25, 0.3}, {0.45, 0.55}, {-16, 16}, {-0x1p20, 0x1p20}, {-0x1p40, 0x1p40},
	} {
		u := make([]float64, n)
		for i := range u {
			u[i] = rg.lo + (rg.hi-rg.lo)*r.Float64()
		}
		w := make([]float64, 2*n) // one weight row (the arguments) and a zero bias row
		copy(w, u)
		one := []float64{1}
		out := make([]float64, n)
		for _, fn := range []string{"sin", "cos"} {
			kern := impl.b.linSin
			if fn == "cos" {
				kern = impl.b.linCos
			}
			kern(1, n, 1, &one[0], 1, &w[0], n, &out[0], n, 0)
			worst, at := 0.0, 0.0
			for i, v := range u {
				ws, wc := ulpref.SinCosTurns(v)
				want := ws
				if fn == "cos" {
					want = wc
				}
				if e := ulpref.Ulps(out[i], want); e > worst {
					worst, at = e, v
				}
			}
			t.Logf("%s on [%g, %g]: worst %.0f ulp (at %v)", fn, rg.lo, rg.hi, worst, at)
			require.LessOrEqual(t, worst, 4.0, "%s(%v)", fn, at)
		}
	}
}

// TestLinearSinFusedSameBits: the AVX-512 and AVX2 fused kernels do the same arithmetic (an
// exact reduction either way, then the same FMA sequence), so they give the same bits.
func TestLinearSinFusedSameBits(t *testing.T) {
	z, errZ := Lookup("avx512")
	y, errY := Lookup("avx2")
	if errZ != nil || errY != nil || z.b.linSin == nil || y.b.linSin == nil {
		t.Skip("needs both fused kernels")
	}
	r := rand.New(rand.NewPCG(5, 6))
	x, w := randMatrix(r, 301, 3), randMatrix(r, 3, 203)
	b := make([]float64, 203)
	for j := range b {
		b[j] = 2*r.Float64() - 1
	}
	for _, omega := range []float64{1, 30, 3000} {
		sz, cz := NewMatrix(301, 203), NewMatrix(301, 203)
		sy, cy := NewMatrix(301, 203), NewMatrix(301, 203)
		z.LinearSin(sz, cz, x, w, b, omega)
		y.LinearSin(sy, cy, x, w, b, omega)
		for i := range sz.Data {
			require.Equal(t, math.Float64bits(sz.Data[i]), math.Float64bits(sy.Data[i]), "sin, ω=%v, element %d", omega, i)
			require.Equal(t, math.Float64bits(cz.Data[i]), math.Float64bits(cy.Data[i]), "cos, ω=%v, element %d", omega, i)
		}
	}
}
