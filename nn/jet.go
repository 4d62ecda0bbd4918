package nn

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
)

// Jet is a batch of N points carried through a network together with the input derivatives its
// plan asks for, stacked as one tall matrix of Plan.Blocks()·N rows and Width columns:
//
//	rows [0, N)          values
//	rows [N, 2N)         ∂/∂x_{First[0]}
//	…                    one block per first derivative, then one per second-derivative pair
//
// A dense layer maps every block with the same weights, so the whole jet is one GEMM. On a value
// plan the jet is the value matrix and nothing else.
type Jet struct {
	Plan *Plan
	N    int
	M    kernel.Matrix
}

// NewJet returns a zeroed jet of n points and the given width.
func NewJet(plan *Plan, n, width int) Jet {
	return Jet{Plan: plan, N: n, M: kernel.NewMatrix(plan.Blocks()*n, width)}
}

// Wrap makes a jet of n points from m (Plan.Blocks()·n rows), sharing its storage.
func Wrap(plan *Plan, n int, m kernel.Matrix) Jet {
	if m.Rows != plan.Blocks()*n {
		panic(fmt.Sprintf("nn: wrap %d rows as a jet of %d blocks × %d points", m.Rows, plan.Blocks(), n))
	}
	return Jet{Plan: plan, N: n, M: m}
}

// NewInputJet returns the jet of the coordinates x (N×Plan.Dim()): values x, unit first-derivative
// blocks (∂x_c/∂x_c = 1) and zero second-derivative blocks.
func NewInputJet(plan *Plan, x kernel.Matrix) Jet {
	j := NewJet(plan, x.Rows, plan.Dim())
	j.SetInput(x)
	return j
}

// SetInput overwrites j (a jet of width Plan.Dim() and x.Rows points) with the input jet of x.
func (j Jet) SetInput(x kernel.Matrix) {
	if x.Rows != j.N || x.Cols != j.Plan.Dim() || j.Width() != x.Cols {
		panic(fmt.Sprintf("nn: input %d×%d into a jet of %d points × %d (plan dim %d)",
			x.Rows, x.Cols, j.N, j.Width(), j.Plan.Dim()))
	}
	j.Value().CopyFrom(x)
	for b := 1; b < j.Plan.Blocks(); b++ {
		blk := j.Block(b)
		blk.Zero()
		if b <= j.Plan.NumFirst() {
			c := j.Plan.firstCoord(b)
			for i := 0; i < j.N; i++ {
				blk.Set(i, c, 1)
			}
		}
	}
}

// Width is the number of columns (features) of the jet.
func (j Jet) Width() int { return j.M.Cols }

// Blocks is the number of row blocks.
func (j Jet) Blocks() int { return j.Plan.Blocks() }

// Block returns row block b (0 = values) as an N×Width view.
func (j Jet) Block(b int) kernel.Matrix { return j.M.View(b*j.N, 0, j.N, j.M.Cols) }

// Value returns the value block.
func (j Jet) Value() kernel.Matrix { return j.Block(0) }

// D returns the block ∂/∂x_c; it panics when the plan does not carry it (a programming error).
func (j Jet) D(c int) kernel.Matrix {
	b, ok := j.Plan.FirstBlock(c)
	if !ok {
		panic(fmt.Sprintf("nn: plan (%v) does not carry ∂%d", j.Plan, c))
	}
	return j.Block(b)
}

// D2 returns the block ∂²/∂x_a∂x_b; it panics when the plan does not carry it.
func (j Jet) D2(a, b int) kernel.Matrix {
	k, ok := j.Plan.SecondBlock(a, b)
	if !ok {
		panic(fmt.Sprintf("nn: plan (%v) does not carry ∂%d∂%d", j.Plan, a, b))
	}
	return j.Block(k)
}

// Zero sets every element to zero.
func (j Jet) Zero() { j.M.Zero() }

// Data returns the jet's elements as one slice, blocks one after the other; the jet must be
// contiguous (all layer buffers are).
func (j Jet) Data() []float64 {
	if !j.M.Contiguous() {
		panic("nn: jet storage is not contiguous")
	}
	return j.M.Data[:j.M.Rows*j.M.Cols]
}

// BlockData returns block b as one contiguous slice (N·Width elements, row-major).
func (j Jet) BlockData(b int) []float64 {
	n := j.N * j.M.Cols
	return j.Data()[b*n : (b+1)*n]
}

// same reports whether j has the given plan, size and width.
func (j Jet) same(plan *Plan, n, width int) bool {
	return j.Plan != nil && j.Plan.Equal(plan) && j.N == n && j.M.Cols == width
}

// JetBuffer hands out jets of any plan and size backed by one reusable slice, reallocating only
// when it has to grow: after the first step of a fixed batch size a training loop allocates
// nothing. Layers own their buffers this way; a training loop keeps one for the loss gradient.
type JetBuffer struct {
	data []float64
	jet  Jet
}

// Get returns a contiguous jet of the given shape backed by the buffer. Its contents are whatever
// the buffer held (callers overwrite it or call Zero).
func (b *JetBuffer) Get(plan *Plan, n, width int) Jet {
	if b.jet.same(plan, n, width) {
		return b.jet
	}
	size := plan.Blocks() * n * width
	if cap(b.data) < size {
		b.data = make([]float64, size)
	}
	b.jet = Jet{Plan: plan, N: n, M: kernel.MatrixFrom(plan.Blocks()*n, width, b.data[:size])}
	return b.jet
}

// Like returns a jet with the same plan and size as j and the given width.
func (b *JetBuffer) Like(j Jet, width int) Jet { return b.Get(j.Plan, j.N, width) }

// floatBuf is a reusable scratch slice.
type floatBuf struct{ data []float64 }

func (b *floatBuf) get(n int) []float64 {
	if cap(b.data) < n {
		b.data = make([]float64, n)
	}
	return b.data[:n]
}
