package nn

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
)

// DefaultChunkRows is the number of jet rows (points × plan blocks) a Chunked evaluation puts in
// one chunk when it is given no size. At the widths of PDE networks (20–64) a chunk's jets are
// then a few hundred KiB each, so a layer's input, output and stashed derivatives stay in the
// 2 MiB L2 of a core from the forward pass to the backward pass, and the GEMMs run at their
// in-cache rate (4096×64×64 products measured 70 GFLOP/s against 48 at 50 000 rows).
const DefaultChunkRows = 1024

// ChunkLoss is the loss a Chunked evaluation drives, one chunk of points at a time.
type ChunkLoss interface {
	// ChunkLoss receives chunk k's output jet y (its points are Chunked.Bounds(k) of the batch)
	// and returns the chunk's part of the loss. When dy is not the zero Jet (a gradient is
	// wanted) it is zeroed, shaped like y, and receives the gradient of that part with respect
	// to every block of y.
	ChunkLoss(k int, y, dy Jet) float64
}

// Chunked evaluates a network over a large batch of points in chunks: for each chunk in turn the
// forward pass, the loss of its points and the backward pass, the parameter gradients adding up
// over the chunks. A loss that is a sum over points (every mean-square term) gets exactly the
// same gradient as from one pass over the batch, summed in a different (but fixed) order, so a
// run is bit-identical to itself for a fixed chunk size at any thread count. What changes is the
// memory traffic: the layers' buffers hold one chunk, small enough to stay in cache between the
// forward and the backward pass, instead of streaming the whole batch's jets through memory in
// every GEMM and every elementwise pass.
//
// The input jets of every chunk are built once per set of points (SetInput) and kept, so a layer
// may recognise a chunk by the address of its input (the PINN hard-constraint transforms cache
// their coordinate-only columns that way).
//
//	ch := nn.NewChunked(net, nn.LaplacianPlan(2), 0)
//	ch.SetInput(x)                       // N×2 points
//	loss := ch.Run(myLoss, true)         // myLoss implements ChunkLoss
type Chunked struct {
	net  Layer
	plan *Plan
	size int // requested points per chunk (0: from DefaultChunkRows)

	n, chunk int
	ins      []Jet
	store    []float64
	dy       JetBuffer
}

// NewChunked returns a chunked evaluator of net on jets of plan with size points per chunk
// (0: DefaultChunkRows rows).
func NewChunked(net Layer, plan *Plan, size int) *Chunked {
	if size < 0 {
		panic(fmt.Sprintf("nn: chunk size %d", size))
	}
	if net.InWidth() != plan.Dim() {
		panic(fmt.Sprintf("nn: chunked network of input width %d on a plan of dimension %d", net.InWidth(), plan.Dim()))
	}
	return &Chunked{net: net, plan: plan, size: size}
}

// ChunkPoints is the number of points per chunk for a plan of the given number of blocks when
// size points are requested (0: DefaultChunkRows rows), balanced so that the n points split into
// equal chunks (the last one at most one point shorter).
func ChunkPoints(n, blocks, size int) int {
	if size <= 0 {
		size = max(1, DefaultChunkRows/blocks)
	}
	if n <= size {
		return max(n, 1)
	}
	k := ceilDiv(n, size)
	return ceilDiv(n, k)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// Net returns the network.
func (c *Chunked) Net() Layer { return c.net }

// Plan returns the derivative plan of the input jets.
func (c *Chunked) Plan() *Plan { return c.plan }

// SetInput installs the points x (N×Plan.Dim()) and builds the input jet of every chunk. Storage
// is reused while the number of points stays the same.
func (c *Chunked) SetInput(x kernel.Matrix) {
	if x.Cols != c.plan.Dim() {
		panic(fmt.Sprintf("nn: chunked input of %d columns for a plan of dimension %d", x.Cols, c.plan.Dim()))
	}
	n, d, nb := x.Rows, x.Cols, c.plan.Blocks()
	if n != c.n || c.ins == nil {
		c.n = n
		c.chunk = ChunkPoints(n, nb, c.size)
		k := 0
		if n > 0 {
			k = ceilDiv(n, c.chunk)
		}
		if cap(c.store) < nb*n*d {
			c.store = make([]float64, nb*n*d)
		}
		c.ins = c.ins[:0]
		off := 0
		for i := range k {
			lo, hi := c.bounds(i)
			m := nb * (hi - lo) * d
			c.ins = append(c.ins, Jet{Plan: c.plan, N: hi - lo, M: kernel.MatrixFrom(nb*(hi-lo), d, c.store[off:off+m])})
			off += m
		}
	}
	for i, in := range c.ins {
		lo, hi := c.bounds(i)
		in.SetInput(x.View(lo, 0, hi-lo, d))
	}
}

// N is the number of points installed.
func (c *Chunked) N() int { return c.n }

// Chunks is the number of chunks.
func (c *Chunked) Chunks() int { return len(c.ins) }

// Bounds returns the points [lo, hi) of the batch that chunk k holds.
func (c *Chunked) Bounds(k int) (lo, hi int) {
	if k < 0 || k >= len(c.ins) {
		panic(fmt.Sprintf("nn: chunk %d of %d", k, len(c.ins)))
	}
	return c.bounds(k)
}

func (c *Chunked) bounds(k int) (int, int) { return k * c.chunk, min(c.n, (k+1)*c.chunk) }

// Input returns the input jet of chunk k.
func (c *Chunked) Input(k int) Jet { return c.ins[k] }

// Forward runs the network on chunk k and returns its output jet (a layer buffer, valid until
// the next Forward).
func (c *Chunked) Forward(k int) Jet { return c.net.Forward(c.ins[k]) }

// Grad returns a zeroed gradient jet shaped like y (a buffer of the evaluator).
func (c *Chunked) Grad(y Jet) Jet {
	dy := c.dy.Like(y, y.Width())
	dy.Zero()
	return dy
}

// Backward accumulates the parameter gradients of the last Forward's chunk given the gradient
// dy of its output (used as scratch).
func (c *Chunked) Backward(dy Jet) { c.net.Backward(dy, false) }

// Run evaluates every chunk in order — forward, loss, and with grad the backward pass that adds
// the chunk's parameter gradients — and returns the sum of the chunks' losses.
func (c *Chunked) Run(loss ChunkLoss, grad bool) float64 {
	total := 0.0
	for k := range c.ins {
		y := c.Forward(k)
		if !grad {
			total += loss.ChunkLoss(k, y, Jet{})
			continue
		}
		dy := c.Grad(y)
		total += loss.ChunkLoss(k, y, dy)
		c.Backward(dy)
	}
	return total
}
