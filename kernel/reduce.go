package kernel

import "fmt"

// reduceBlock is the fixed block size of reductions: partial sums are taken over these blocks
// and added in block order, so a sum does not depend on the number of threads.
const reduceBlock = 1 << 12

// reduce sums part(lo, hi) over fixed blocks of [0, n), in parallel, combining in block order.
func (k *Impl) reduce(n int, part func(lo, hi int) float64) float64 {
	blocks := (n + reduceBlock - 1) / reduceBlock
	if blocks <= 1 {
		return part(0, n)
	}
	partial := make([]float64, blocks)
	parallelRows(blocks, reduceBlock, k.Threads(), func(b0, b1 int) {
		for b := b0; b < b1; b++ {
			partial[b] = part(b*reduceBlock, min((b+1)*reduceBlock, n))
		}
	})
	var s float64
	for _, v := range partial {
		s += v
	}
	return s
}

// Sum returns Σ x[i].
func (k *Impl) Sum(x []float64) float64 {
	return k.reduce(len(x), func(lo, hi int) float64 { return k.b.ops.sum(x[lo:hi]) })
}

// Dot returns Σ x[i]·y[i].
func (k *Impl) Dot(x, y []float64) float64 {
	checkLen("dot", y, x)
	return k.reduce(len(x), func(lo, hi int) float64 { return k.b.ops.dot(x[lo:hi], y[lo:hi]) })
}

// SumSq returns Σ x[i]².
func (k *Impl) SumSq(x []float64) float64 {
	return k.reduce(len(x), func(lo, hi int) float64 { return k.b.ops.dot(x[lo:hi], x[lo:hi]) })
}

// ColSums sets dst[j] = beta·dst[j] + Σ_i m[i,j] (beta 0 ignores what dst held). The sum over
// rows runs in row order in every column, so the result does not depend on the thread count.
func (k *Impl) ColSums(dst []float64, m Matrix, beta float64) {
	if len(dst) < m.Cols {
		panic(fmt.Sprintf("kernel: column sums: %d outputs for %d columns", len(dst), m.Cols))
	}
	dst = dst[:m.Cols]
	if beta == 0 {
		clear(dst)
	} else if beta != 1 {
		k.b.ops.scale(beta, dst)
	}
	// Columns are split across workers in bands; each band adds the rows in order (1·x + d
	// rounds exactly like x + d), streaming the matrix row by row.
	const band = 64
	bands := (m.Cols + band - 1) / band
	axpy := k.b.ops.axpy
	parallelRows(bands, band*m.Rows, k.Threads(), func(b0, b1 int) {
		j0, j1 := b0*band, min(b1*band, m.Cols)
		d := dst[j0:j1]
		for i := 0; i < m.Rows; i++ {
			axpy(1, m.Row(i)[j0:j1], d)
		}
	})
}

// Sum runs the default implementation; see Impl.Sum.
func Sum(x []float64) float64 { return defaultImpl.Sum(x) }

// Dot runs the default implementation; see Impl.Dot.
func Dot(x, y []float64) float64 { return defaultImpl.Dot(x, y) }

// SumSq runs the default implementation; see Impl.SumSq.
func SumSq(x []float64) float64 { return defaultImpl.SumSq(x) }

// ColSums runs the default implementation; see Impl.ColSums.
func ColSums(dst []float64, m Matrix, beta float64) { defaultImpl.ColSums(dst, m, beta) }
