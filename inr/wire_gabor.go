package inr

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// gaborLayer is WIRE's complex Gabor wavelet ψ(z) = exp(iω0·z − |s0·z|²) over the units of a
// complex jet ([Re | Im] column halves), vectorised for the training step. For z = a + ib
//
//	ψ = exp(−ω0·b − s0²(a² + b²)) · (cos ω0a + i sin ω0a),
//
// so a value-only forward pass is one batch exponential and one batch sincos per chunk of rows
// (kernel.Exp, kernel.SinCos), and the backward pass needs no transcendental function at all:
// with Φ_a = −2s0²a + iω0 and Φ_b = −ω0 − 2s0²b (real), ψ_a = Φ_a·ψ and ψ_b = Φ_b·ψ, so for the
// incoming gradients gR, gI of Re ψ and Im ψ
//
//	∂L/∂a = −2s0²a·(gR·ψr + gI·ψi) + ω0·(gI·ψr − gR·ψi),   ∂L/∂b = Φ_b·(gR·ψr + gI·ψi),
//
// computed from the ψ this layer returned in its forward pass. The per-element nn.ComplexActivation
// evaluated exp and sincos again in the backward pass, through closures and complex128, and took
// about 70 % of a 128² WIRE step. The arithmetic around the exponential and sincos is the kernel's
// (kernel.GaborArg, GaborPsi, GaborGrad: vectorised, the same bits on every implementation);
// the layer is then bound by memory traffic (about 14 ns per complex unit and point, forward and
// backward, on one thread, against 17 with the loops in Go).
//
// Jets that carry derivative blocks (gradients or Laplacians of the network with respect to its
// input) are handed to an nn.ComplexActivation of the same act.PairFunc, which implements the
// general chain rule.
//
// Subnormals: kernel.Exp returns +0 below the smallest normal float64; the products ψr = m·cos,
// ψi = m·sin and the input gradients are flushed to zero below it as well (subnormal operands
// make the following GEMMs many times slower; see reference-psnr.md, "Subnormal floats"). Where
// ψ is zero both partials are zero, also for infinite inputs (patched after the kernel, only when
// the forward pass saw one, so that the kernel has no data-dependent branch). No overflow guard is
// needed: act.NewPair("gabor_complex") rejects ω0²/(4s0²) > 700, the largest value the exponent
// −ω0b − s0²(a² + b²) can reach.
type gaborLayer struct {
	omega, s2 float64
	w         int
	realInput bool
	general   *nn.ComplexActivation // for jets with derivative blocks

	usedGeneral bool
	sawInf      atomic.Bool // an infinite pre-activation: the backward pass must avoid 0·∞
	x           nn.Jet
	y, dx       nn.JetBuffer
	res         nn.Jet
	fwd         gaborForward
	bwd         gaborBackward
	scratch     []gaborScratch // a chunk's buffers for each of the kernel's workers
}

// gaborScratch holds one chunk of rows: exponent → modulus, sin and ω0·a → cos.
type gaborScratch struct{ e, sn, cs []float64 }

// gaborForward and gaborBackward run the passes over ranges of rows on the kernel's threads
// (kernel.ForRanges). Forward ranges are whole chunks of gaborChunkElems/w rows, the chunks
// the exponential and sincos have always been called on, and every element's arithmetic is its
// own: the results are the same bits for any thread count.
type gaborForward struct {
	l      *gaborLayer
	xs, ys []float64
}

type gaborBackward struct {
	l              *gaborLayer
	xs, ys, gs, ds []float64
}

// gaborChunkElems is the number of units one batch call of exp and sincos covers: its three
// buffers (0.75 MB, one set per thread) stay in the L2 cache.
const gaborChunkElems = 1 << 15

// newGaborLayer returns the wavelet layer for w complex units (realInput: the input is the real
// output of WIRE's first layer, b ≡ 0).
func newGaborLayer(omega, s float64, w int, realInput bool) (*gaborLayer, error) {
	f, err := act.NewPair("gabor_complex", act.Config{"omega": omega, "s": s})
	if err != nil {
		return nil, fmt.Errorf("wire: %w", err)
	}
	return &gaborLayer{omega: omega, s2: s * s, w: w, realInput: realInput,
		general: nn.NewComplexActivation(f, w, realInput)}, nil
}

func (l *gaborLayer) InWidth() int {
	if l.realInput {
		return l.w
	}
	return 2 * l.w
}
func (l *gaborLayer) OutWidth() int       { return 2 * l.w }
func (l *gaborLayer) Params() []*nn.Param { return nil }

// Spec describes the layer as the complex activation it computes (nn.Spec).
func (l *gaborLayer) Spec() nn.Spec { return l.general.Spec() }

func (l *gaborLayer) Forward(in nn.Jet) nn.Jet {
	if in.Width() != l.InWidth() || !in.M.Contiguous() {
		panic(fmt.Sprintf("inr: wire gabor layer expects a contiguous input of width %d, got %d", l.InWidth(), in.Width()))
	}
	l.usedGeneral = in.Blocks() > 1
	if l.usedGeneral {
		return l.general.Forward(in)
	}
	l.x = in
	l.sawInf.Store(false)
	w, n := l.w, in.N
	y := l.y.Like(in, 2*w)
	rows := l.chunkRows()
	l.ensureScratch()
	l.fwd = gaborForward{l: l, xs: in.M.Data, ys: y.M.Data}
	kernel.ForRanges(n, rows, gaborWork*w, &l.fwd)
	l.fwd = gaborForward{}
	l.res = y
	return y
}

// gaborWork is the rough cost of a unit of the layer, forward or backward, in the kernel's units
// of work (an exponential and a sincos per unit forward).
const gaborWork = 40

// chunkRows is the number of rows the exponential and sincos take at a time.
func (l *gaborLayer) chunkRows() int { return max(1, gaborChunkElems/l.w) }

// ensureScratch makes the layer hold a chunk's buffers for each of the kernel's workers, indexed
// by the worker running a range. Its memory is then the same however many ranges ran (the memory
// estimate fits the heap of small probe fits, which would otherwise count a second set as memory
// per pixel).
func (l *gaborLayer) ensureScratch() {
	m := l.chunkRows() * l.w
	for len(l.scratch) < kernel.Threads() {
		l.scratch = append(l.scratch, gaborScratch{e: make([]float64, m), sn: make([]float64, m), cs: make([]float64, m)})
	}
}

// RunRange computes ψ for rows [lo, hi), a chunk at a time.
func (f *gaborForward) RunRange(worker, lo, hi int) {
	l := f.l
	w, wi, rows := l.w, l.InWidth(), l.chunkRows()
	b := &l.scratch[worker]
	sawInf := false
	for r0 := lo; r0 < hi; r0 += rows {
		r1 := min(hi, r0+rows)
		m := (r1 - r0) * w
		e, sn, cs := b.e[:m], b.sn[:m], b.cs[:m]
		for p := r0; p < r1; p++ {
			row := f.xs[p*wi : p*wi+wi]
			eo, co := e[(p-r0)*w:(p-r0+1)*w], cs[(p-r0)*w:(p-r0+1)*w]
			var im []float64 // nil: b ≡ 0
			if !l.realInput {
				im = row[w:]
			}
			if kernel.GaborArg(eo, co, row[:w], im, l.omega, l.s2) {
				sawInf = true
			}
		}
		kernel.Exp(e, e)
		kernel.SinCos(sn, cs, cs)
		for p := r0; p < r1; p++ {
			q := (p - r0) * w
			out := f.ys[p*2*w : (p+1)*2*w]
			kernel.GaborPsi(out[:w], out[w:], e[q:q+w], sn[q:q+w], cs[q:q+w])
		}
	}
	if sawInf {
		l.sawInf.Store(true)
	}
}

func (l *gaborLayer) Backward(g nn.Jet, needIn bool) nn.Jet {
	if l.usedGeneral {
		return l.general.Backward(g, needIn)
	}
	if g.N != l.res.N || g.Width() != 2*l.w || g.Blocks() != 1 || !g.M.Contiguous() {
		panic(fmt.Sprintf("inr: wire gabor layer: gradient jet (%d points × %d) does not match the output (%d points × %d)",
			g.N, g.Width(), l.res.N, 2*l.w))
	}
	if !needIn {
		return nn.Jet{}
	}
	dx := l.dx.Like(g, l.InWidth())
	l.bwd = gaborBackward{l: l, xs: l.x.M.Data, ys: l.res.M.Data, gs: g.M.Data, ds: dx.M.Data}
	kernel.ForRanges(g.N, 1, gaborWork*l.w, &l.bwd)
	l.bwd = gaborBackward{}
	return dx
}

// RunRange computes the input gradient of rows [lo, hi).
func (b *gaborBackward) RunRange(_, lo, hi int) {
	l := b.l
	w, wi := l.w, l.InWidth()
	s2x2 := 2 * l.s2
	sawInf := l.sawInf.Load()
	for p := lo; p < hi; p++ {
		psi := b.ys[p*2*w : (p+1)*2*w]
		pr, pi := psi[:w], psi[w:]
		gg := b.gs[p*2*w : (p+1)*2*w]
		gr, gi := gg[:w], gg[w:]
		x := b.xs[p*wi : (p+1)*wi]
		d := b.ds[p*wi : (p+1)*wi]
		var xb, db []float64 // nil for a real input
		if !l.realInput {
			xb, db = x[w:], d[w:]
		}
		kernel.GaborGrad(d[:w], db, x[:w], xb, pr, pi, gr, gi, l.omega, s2x2)
		if sawInf {
			// ψ = 0 where |z| = ∞, and so are both partials (the loop above made 0·∞ = NaN).
			for k := range w {
				if math.IsInf(x[k], 0) || (!l.realInput && math.IsInf(x[w+k], 0)) {
					d[k] = 0
					if !l.realInput {
						d[w+k] = 0
					}
				}
			}
		}
	}
}

// compile-time check: the wavelet is a layer of the graph.
var _ nn.Layer = (*gaborLayer)(nil)
