package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// tanhJetLayouts are the block structures a PINN's tanh layers see: a gradient, the Laplacian
// pair by pair and as one block, a Hessian, and weighted combinations.
var tanhJetLayouts = map[string]*JetLayout{
	"values":            NewJetLayout(0, nil),
	"gradient 3-D":      NewJetLayout(3, nil),
	"laplacian pairs":   NewJetLayout(2, [][]JetTerm{{{1, 1, 1}}, {{2, 2, 1}}}),
	"forward laplacian": NewJetLayout(2, [][]JetTerm{{{1, 1, 1}, {2, 2, 1}}}),
	"hessian 2-D":       NewJetLayout(2, [][]JetTerm{{{1, 1, 1}}, {{1, 2, 1}}, {{2, 2, 1}}}),
	"combinations 3-D":  NewJetLayout(3, [][]JetTerm{{{1, 1, 0.5}, {2, 3, -1.5}, {3, 3, 2}}, {{1, 2, 1}}}),
}

// tanhJetReference is the chain rule term by term from math.Tanh and 1/cosh², forward and
// backward; mag is the sum of the magnitudes of the products each dz element adds up (the scale
// of its rounding error).
func tanhJetReference(l *JetLayout, n int, z, g []float64) (y, dz, ymag, mag []float64) {
	y, dz, mag = make([]float64, len(z)), make([]float64, len(z)), make([]float64, len(z))
	ymag = make([]float64, len(z))
	add := func(i int, v float64) {
		dz[i] += v
		mag[i] += math.Abs(v)
	}
	for p := range n {
		t := math.Tanh(z[p])
		c := math.Cosh(z[p])
		q := 1 / (c * c)
		d2, d3 := -2*t*q, q*(4-6*q)
		y[p] = t
		ymag[p] = math.Abs(t)
		add(p, g[p]*q)
		for b := 1; b <= l.first; b++ {
			y[b*n+p] = q * z[b*n+p]
			ymag[b*n+p] = math.Abs(y[b*n+p])
			add(b*n+p, g[b*n+p]*q)
			add(p, g[b*n+p]*d2*z[b*n+p])
		}
		for s, blk := range l.second {
			o := (1+l.first+s)*n + p
			y[o] = q * z[o]
			ymag[o] = math.Abs(y[o])
			add(o, g[o]*q)
			add(p, g[o]*d2*z[o])
			for _, tm := range blk {
				zi, zj := z[tm.Bi*n+p], z[tm.Bj*n+p]
				y[o] += tm.C * d2 * zi * zj
				ymag[o] += math.Abs(tm.C * d2 * zi * zj)
				// σ‴ = q(4 − 6q) cancels near q = 2/3: its error scales with q(4 + 6q).
				dz[p] += g[o] * d3 * tm.C * zi * zj
				mag[p] += math.Abs(g[o]*tm.C*zi*zj) * q * (4 + 6*q)
				add(tm.Bi*n+p, g[o]*d2*tm.C*zj)
				add(tm.Bj*n+p, g[o]*d2*tm.C*zi)
			}
		}
	}
	return y, dz, ymag, mag
}

// TestTanhJet compares TanhJet and TanhJetBackward of every implementation with the chain rule
// written out, on every layout and on lengths around the vector width and the 512-element chunk.
// Each output is a sum of a few products whose factors the implementations and the reference
// (tanh and cosh from the math package) each get within a few ulps, summed in another order (FMA
// or not): they agree to 16 ulps (3.6e-15) of the sum of the products' magnitudes, where a wrong
// factor or a lost term is off by O(1).
func TestTanhJet(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for name, l := range tanhJetLayouts {
		for _, n := range []int{1, 7, 8, 13, 512, 520, 1031} {
			nb := l.Blocks()
			z := make([]float64, nb*n)
			for i := range z {
				z[i] = 3 * (2*r.Float64() - 1)
			}
			for p := range n {
				if p%5 == 0 {
					z[p] *= 8 // saturated units
				}
			}
			g := randSlice(r, nb*n)
			wy, wdz, ymag, mag := tanhJetReference(l, n, z, g)
			for _, impl := range implsUnderTest(t) {
				t.Run(fmt.Sprintf("%s/n=%d/%s", name, n, impl.Name()), func(t *testing.T) {
					y, q := make([]float64, nb*n+3), make([]float64, n+3)
					impl.TanhJet(y, q, z, n, l)
					for i := range wy {
						require.InDelta(t, wy[i], y[i], 3.6e-15*ymag[i], "y[%d] (block %d)", i, i/n)
					}
					require.Zero(t, y[nb*n], "written past the jet")
					dz := append([]float64(nil), g...)
					impl.TanhJetBackward(dz, z, y[:n], q, n, l)
					for i := range wdz {
						require.InDelta(t, wdz[i], dz[i], 3.6e-15*mag[i], "dz[%d] (block %d)", i, i/n)
					}
				})
			}
		}
	}
}

// TestTanhJetVectorKernelsAgree: the AVX-512 and AVX2 chain rules are one generated sequence of
// instructions on registers of two widths, so from the same t and q they give the same bits,
// forwards and backwards (the generic Go loop rounds without FMA and may differ in the last
// bit; TanhJet's tanh itself comes from each implementation's vmath).
func TestTanhJetVectorKernelsAgree(t *testing.T) {
	a512, err1 := Lookup("avx512")
	a2, err2 := Lookup("avx2")
	if err1 != nil || err2 != nil {
		t.Skip("needs both AVX-512 and AVX2")
	}
	r := rand.New(rand.NewPCG(9, 10))
	const n = 1031
	for name, l := range tanhJetLayouts {
		nb := l.Blocks()
		z, g := randSlice(r, nb*n), randSlice(r, nb*n)
		tq, q := make([]float64, n), make([]float64, n)
		for i := range n {
			tq[i] = math.Tanh(z[i])
			q[i] = 1 - tq[i]*tq[i]
		}
		var ys, dzs [2][]float64
		for k, impl := range []*Impl{a512, a2} {
			y := make([]float64, nb*n)
			copy(y, tq)
			m := n &^ 7
			if l.first > 0 || len(l.second) > 0 {
				impl.b.tanhJetFwd(&y[0], &q[0], &z[0], m, 8*n, &l.desc[0])
			}
			dz := append([]float64(nil), g...)
			impl.TanhJetBackward(dz, z, tq, q, n, l)
			ys[k], dzs[k] = y, dz
		}
		require.Equal(t, ys[0], ys[1], "%s: forward", name)
		require.Equal(t, dzs[0], dzs[1], "%s: backward", name)
	}
}
