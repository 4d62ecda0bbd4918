package kernel

import (
	"fmt"
	"math"
)

// The tanh layer of a PINN on derivative jets, fused: the values, the first-derivative blocks and
// the second-order blocks of one chunk of elements are produced (and, backwards, differentiated)
// in one pass that reads each block once, instead of one pass per block formula with σ′, σ″, σ‴
// kept in memory. With t = tanh z₀ and q = sech² z₀ = 1 − t²:
//
//	σ′ = q,  σ″ = −2tq,  σ‴ = q(4 − 6q)
//
// A jet is a slice of blocks of n elements each (block b at [b·n, (b+1)·n)): the values, then the
// first derivatives, then the second-order blocks, each carrying Σ C·∂ᵢ∂ⱼ over its terms (a
// single second derivative is one term of weight 1). See package nn for the chain rule.

// JetTerm is one term C·∂ᵢ∂ⱼ of a second-order block, located by the blocks Bi, Bj of its two
// first derivatives.
type JetTerm struct {
	Bi, Bj int
	C      float64
}

// JetLayout is the block structure of a jet: First first-derivative blocks (1…First), then one
// second-order block per entry of Second. It is immutable and may be shared.
type JetLayout struct {
	first  int
	second [][]JetTerm
	// desc is the assembly kernels' form: First, len(Second), then per second-order block its
	// number of terms and (Bi, Bj, bits of C) per term.
	desc []int64
}

// NewJetLayout returns the layout of a jet with first first-derivative blocks and the given
// second-order blocks. Term blocks must be first-derivative blocks (1…first); anything else is a
// programming error and panics.
func NewJetLayout(first int, second [][]JetTerm) *JetLayout {
	l := &JetLayout{first: first, desc: []int64{int64(first), int64(len(second))}}
	for k, blk := range second {
		l.second = append(l.second, append([]JetTerm(nil), blk...))
		l.desc = append(l.desc, int64(len(blk)))
		for _, t := range blk {
			if t.Bi < 1 || t.Bi > first || t.Bj < 1 || t.Bj > first {
				panic(fmt.Sprintf("kernel: jet layout: second-order block %d has a term on blocks %d, %d (first derivatives are 1…%d)", k, t.Bi, t.Bj, first))
			}
			l.desc = append(l.desc, int64(t.Bi), int64(t.Bj), int64(math.Float64bits(t.C)))
		}
	}
	return l
}

// Blocks is the number of blocks of a jet with this layout.
func (l *JetLayout) Blocks() int { return 1 + l.first + len(l.second) }

// tanhJetChunk is the number of elements per block the fused passes take at a time: the chunk of
// every block (4 KiB each) stays in L1 between computing tanh and using it.
const tanhJetChunk = 512

func checkJet(op string, l *JetLayout, n int, jets ...[]float64) {
	for _, j := range jets {
		if len(j) < l.Blocks()*n {
			panic(fmt.Sprintf("kernel: %s: jet of %d elements for %d blocks of %d", op, len(j), l.Blocks(), n))
		}
	}
}

// TanhJet sets y = tanh(z) on every block of the jet z (layout l, blocks of n elements) and
// q[i] = sech² z₀[i] (n elements), which TanhJetBackward needs besides t = y₀:
//
//	y₀ = t,  yᵢ = q·zᵢ,  y_S = q·z_S − 2tq·Σ C·zᵢzⱼ
//
// y must not overlap z. It runs on the caller's goroutine.
func (k *Impl) TanhJet(y, q, z []float64, n int, l *JetLayout) {
	checkJet("tanh jet", l, n, y, z)
	if len(q) < n {
		panic(fmt.Sprintf("kernel: tanh jet: q has %d elements, need %d", len(q), n))
	}
	fwd := k.b.tanhJetFwd
	for c0 := 0; c0 < n; c0 += tanhJetChunk {
		c1 := min(c0+tanhJetChunk, n)
		k.b.vm.TanhSech2(y[c0:c1], q[c0:c1], z[c0:c1])
		if l.first == 0 && len(l.second) == 0 {
			continue
		}
		m := c0
		if fwd != nil {
			m += (c1 - c0) &^ 7
			if m > c0 {
				fwd(&y[c0], &q[c0], &z[c0], m-c0, 8*n, &l.desc[0])
			}
		}
		tanhJetFwdGeneric(y, q, z, n, l, m, c1)
	}
}

// TanhJetBackward overwrites g, the gradient of every block of y = tanh(z), with the gradient of
// every block of z, given z, t = tanh z₀ and q = sech² z₀ (as TanhJet left them):
//
//	dz₀ = g₀q − 2tq·(Σᵢ gᵢzᵢ + Σ_S g_S z_S) + q(4 − 6q)·Σ_S g_S·Σ C·zᵢzⱼ
//	dzᵢ = gᵢq − 2tq·Σ_S g_S·Σ_{terms ∋ i} C·z_other
//	dz_S = g_S q
//
// (a term with i = j contributes twice to dzᵢ). It runs on the caller's goroutine.
func (k *Impl) TanhJetBackward(g, z, t, q []float64, n int, l *JetLayout) {
	checkJet("tanh jet backward", l, n, g, z)
	if len(q) < n || len(t) < n {
		panic(fmt.Sprintf("kernel: tanh jet backward: t, q have %d, %d elements, need %d", len(t), len(q), n))
	}
	bwd := k.b.tanhJetBwd
	m := 0
	if bwd != nil {
		m = n &^ 7
		if m > 0 {
			bwd(&g[0], &z[0], &t[0], &q[0], m, 8*n, &l.desc[0])
		}
	}
	tanhJetBwdGeneric(g, z, t, q, n, l, m, n)
}

// TanhJet runs the default implementation; see Impl.TanhJet.
func TanhJet(y, q, z []float64, n int, l *JetLayout) { defaultImpl.TanhJet(y, q, z, n, l) }

// TanhJetBackward runs the default implementation; see Impl.TanhJetBackward.
func TanhJetBackward(g, z, t, q []float64, n int, l *JetLayout) {
	defaultImpl.TanhJetBackward(g, z, t, q, n, l)
}

// tanhJetFwdGeneric is TanhJet's chain rule for elements [p0, p1) of every block, given y₀ and q.
func tanhJetFwdGeneric(y, q, z []float64, n int, l *JetLayout, p0, p1 int) {
	for p := p0; p < p1; p++ {
		qv := q[p]
		d2 := -2 * y[p] * qv
		for b := 1; b <= l.first; b++ {
			y[b*n+p] = qv * z[b*n+p]
		}
		for s, blk := range l.second {
			o := (1+l.first+s)*n + p
			acc := qv * z[o]
			for _, tm := range blk {
				acc += tm.C * d2 * z[tm.Bi*n+p] * z[tm.Bj*n+p]
			}
			y[o] = acc
		}
	}
}

// tanhJetBwdGeneric is TanhJetBackward for elements [p0, p1) of every block.
func tanhJetBwdGeneric(g, z, t, q []float64, n int, l *JetLayout, p0, p1 int) {
	for p := p0; p < p1; p++ {
		qv := q[p]
		d2 := -2 * t[p] * qv
		d3 := qv * (4 - 6*qv)
		acc := g[p] * qv
		for b := 1; b <= l.first; b++ {
			o := b*n + p
			acc += d2 * g[o] * z[o]
			g[o] *= qv
		}
		for s, blk := range l.second {
			o := (1+l.first+s)*n + p
			gs := g[o]
			acc += d2 * gs * z[o]
			sum := 0.0
			for _, tm := range blk {
				zi, zj := z[tm.Bi*n+p], z[tm.Bj*n+p]
				sum += tm.C * zi * zj
				w := tm.C * d2 * gs
				g[tm.Bi*n+p] += w * zj
				g[tm.Bj*n+p] += w * zi
			}
			acc += d3 * gs * sum
			g[o] = gs * qv
		}
		g[p] = acc
	}
}
