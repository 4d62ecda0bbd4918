package inr

import (
	"context"
	"fmt"
	"runtime"

	"github.com/inrstudio/studio/kernel"
)

// A fit's memory grows linearly: with the pixels of the image (coordinates, targets, the
// rendering) and with the points of a training step (the network's activations and their
// gradients, a few kilobytes per point for 256-wide layers). A full-batch fit of a 12-megapixel
// photograph would need hundreds of gigabytes; EstimateMemory lets the command line say so, and
// what would fit, before it allocates anything.

// MemoryUse is the memory of a fit: Fixed bytes (weights, optimiser state, scratch), PerPixel
// bytes for every pixel of the image and PerPoint bytes for every point of a training step.
type MemoryUse struct {
	Fixed, PerPixel, PerPoint int64
	// PerRenderPoint is what each point an evaluation renders at a time beyond a step's points
	// adds (the network's forward buffers): a mini-batch fit renders renderRows points at once.
	PerRenderPoint int64
}

// Bytes is the memory of a fit on an image of pixels pixels with batch points per step.
func (m MemoryUse) Bytes(pixels, batch int) int64 {
	return m.Fixed + m.PerPixel*int64(pixels) + m.PerPoint*int64(batch)
}

// MemoryEstimate is the memory of a fit in both modes (full batch: every pixel is a point of
// every step; mini-batch), which keep different buffers.
type MemoryEstimate struct {
	Full, Mini MemoryUse
}

// Bytes is the memory of a fit on an image of pixels pixels with batch points per step (0 or ≥
// pixels: full batch).
func (e MemoryEstimate) Bytes(pixels, batch int) int64 {
	if batch <= 0 || batch >= pixels {
		return e.Full.Bytes(pixels, pixels)
	}
	return e.Mini.Bytes(pixels, batch) + e.Mini.PerRenderPoint*int64(renderRows(batch, pixels)-batch)
}

// memoryProbeSide is the width of the synthetic images EstimateMemory fits (heights 8 to 32).
const memoryProbeSide = 16

// EstimateMemory measures the memory a fit with opt's architecture, settings and options takes
// on c-channel images. It runs one step and the final evaluation of the same fit on six small
// synthetic images, full batch and in mini-batches (rendering a batch or the whole grid at a time), and fits MemoryUse to the live heap each
// leaves (the measurement is exact up to the size classes of Go's allocator; steps allocate
// nothing, so the live heap is the working set). It takes a fraction of a second and should run
// while nothing else allocates much (other goroutines' allocations would count).
func EstimateMemory(opt FitOptions, c int) (MemoryEstimate, error) {
	o := opt
	o.Steps, o.EvalEvery, o.Warmup, o.Observers, o.Checkpoint, o.CheckpointEvery = 1, 1, 0, nil, "", 0
	probe := func(h, batch int, byBatch bool) (int64, error) {
		im := NewImage(memoryProbeSide, h, c, 8)
		for i := range im.Pix {
			im.Pix[i] = float64(i%7) / 6
		}
		o.Batch, o.renderByBatch = batch, byBatch
		base := liveHeap(true)
		f, err := NewFitter(im, o)
		if err != nil {
			return 0, err
		}
		res, err := f.Run(context.Background())
		if res == nil {
			return 0, fmt.Errorf("memory probe: %w", err)
		}
		// A probe that diverged (a learning rate far too high) has still allocated the step's
		// buffers; the fit itself will report the divergence.
		use := liveHeap(false) - base
		runtime.KeepAlive(f)
		runtime.KeepAlive(res)
		return use, nil
	}
	var h [6]int64
	for i, p := range [6][2]int{{8, 0}, {16, 0}, {16, 64}, {32, 64}, {32, 128}, {32, 64}} {
		var err error
		// The first five render a batch at a time; the last renders its 512 pixels at once.
		if h[i], err = probe(p[0], p[1], i < 5); err != nil {
			return MemoryEstimate{}, err
		}
	}
	const p1 = 8 * memoryProbeSide // pixels of the smallest probe
	var e MemoryEstimate
	// Full batch: h = F + (a + b)·p at p1 and 2p1 pixels; the split between a and b does not
	// matter there, so it is all PerPixel.
	e.Full.PerPixel = max(0, (h[1]-h[0])/p1)
	e.Full.Fixed = max(0, h[0]-e.Full.PerPixel*p1)
	// Mini-batch: 2p1 and 4p1 pixels at 64 points, 4p1 pixels at 128 points.
	e.Mini.PerPixel = max(0, (h[3]-h[2])/(2*p1))
	e.Mini.PerPoint = max(0, (h[4]-h[3])/64)
	e.Mini.Fixed = max(0, h[2]-e.Mini.PerPixel*2*p1-e.Mini.PerPoint*64)
	// The same fit rendering 4p1 points at a time instead of 64.
	e.Mini.PerRenderPoint = max(0, (h[5]-h[3])/(4*p1-64))
	return e, nil
}

// PredictMemory measures the working memory of Predict and RenderImage beyond the model itself:
// the network's buffers for one part of the points, which does not grow with their number. It
// evaluates one part (a few milliseconds) and should run while nothing else allocates much.
func (m *Model) PredictMemory() (int64, error) {
	base := liveHeap(true)
	x, y := kernel.NewMatrix(predictChunk, m.In), kernel.NewMatrix(predictChunk, m.Out)
	if err := m.Predict(x, y); err != nil {
		return 0, err
	}
	use := liveHeap(false) - base
	runtime.KeepAlive(x)
	runtime.KeepAlive(y)
	runtime.KeepAlive(m) // its buffers are what is measured
	return use, nil
}

// liveHeap is the live heap after a full collection; release drops the kernels' recycled scratch
// first (a measurement's base), otherwise it counts as the working set it is.
func liveHeap(release bool) int64 {
	if release {
		kernel.ReleaseScratch()
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
