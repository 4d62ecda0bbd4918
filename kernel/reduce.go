package kernel

import "fmt"

// reduceBlock is the fixed block size of reductions: partial sums are taken over these blocks
// and added in block order, so a sum does not depend on the number of threads.
const reduceBlock = 1 << 12

// reduce runs the block op j (its op, n and operands set) over fixed blocks of [0, j.n), in
// parallel, and adds the blocks' sums in block order.
func (k *Impl) reduce(j elemJob) float64 {
	j.k = k
	blocks := ceilDiv(j.n, reduceBlock)
	if blocks <= 1 {
		return j.blockSum(0, j.n)
	}
	buf := getBuf(blocks)
	j.partial = *buf
	j.exec(blocks, reduceBlock)
	var s float64
	for _, v := range j.partial {
		s += v
	}
	putBuf(buf)
	return s
}

// Sum returns Σ x[i].
func (k *Impl) Sum(x []float64) float64 {
	return k.reduce(elemJob{op: opSum, n: len(x), x: x})
}

// Dot returns Σ x[i]·y[i].
func (k *Impl) Dot(x, y []float64) float64 {
	checkLen("dot", y, x)
	return k.reduce(elemJob{op: opDot, n: len(x), x: x, y: y})
}

// SumSq returns Σ x[i]².
func (k *Impl) SumSq(x []float64) float64 {
	return k.reduce(elemJob{op: opSumSq, n: len(x), x: x})
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
	j := elemJob{k: k, op: opColSums, m: m, partial: dst}
	j.exec(ceilDiv(m.Cols, colBand), colBand*m.Rows)
}

// MulColSums sets dst = a ⊙ b (elementwise) and sums[j] = beta·sums[j] + Σ_i dst[i,j] (beta 0
// ignores what sums held), in one pass over a and b: the bias gradient of a SIREN layer,
// dZ = dS ⊙ cos(ω(z+b)) and db = colsums(dZ), with ω left to the caller's scale factors. The
// results are bit-identical to Mul followed by ColSums, for any thread count. dst may be a or b.
func (k *Impl) MulColSums(dst, a, b Matrix, sums []float64, beta float64) {
	if a.Rows != dst.Rows || a.Cols != dst.Cols || b.Rows != dst.Rows || b.Cols != dst.Cols || len(sums) < dst.Cols {
		panic(fmt.Sprintf("kernel: mul col sums shapes: dst %d×%d, a %d×%d, b %d×%d, %d sums",
			dst.Rows, dst.Cols, a.Rows, a.Cols, b.Rows, b.Cols, len(sums)))
	}
	sums = sums[:dst.Cols]
	if beta == 0 {
		clear(sums)
	} else if beta != 1 {
		k.b.ops.scale(beta, sums)
	}
	j := elemJob{k: k, op: opMulColSums, s: dst, m: a, c: b, partial: sums}
	j.exec(ceilDiv(dst.Cols, colBand), 2*colBand*dst.Rows)
}

// Sum runs the default implementation; see Impl.Sum.
func Sum(x []float64) float64 { return defaultImpl.Sum(x) }

// Dot runs the default implementation; see Impl.Dot.
func Dot(x, y []float64) float64 { return defaultImpl.Dot(x, y) }

// SumSq runs the default implementation; see Impl.SumSq.
func SumSq(x []float64) float64 { return defaultImpl.SumSq(x) }

// ColSums runs the default implementation; see Impl.ColSums.
func ColSums(dst []float64, m Matrix, beta float64) { defaultImpl.ColSums(dst, m, beta) }

// MulColSums runs the default implementation; see Impl.MulColSums.
func MulColSums(dst, a, b Matrix, sums []float64, beta float64) {
	defaultImpl.MulColSums(dst, a, b, sums, beta)
}
