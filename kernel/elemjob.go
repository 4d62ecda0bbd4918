package kernel

// elemOp names what an elemJob does with its share of the units.
type elemOp uint8

const (
	// Over elements, in units of elemGrain.
	opUnary  elemOp = iota // dst = f(x)
	opSinCos               // dst, y = sin x, cos x
	opAxpy                 // y += alpha·x
	opScale                // dst *= alpha
	opMul                  // dst = x·y
	opMulAdd               // dst += x·y
	opAdam                 // dst (parameters), x (gradient), y, z (moments), coef
	// Over reduction blocks (reduceBlock elements each): partial[b] = the block's sum.
	opSum
	opDot
	opSumSq
	opSqErr // dst (gradient, may be nil) = alpha·(x−y); partial = Σ(x−y)²
	// Over rows of matrices.
	opAffineSinCos // s, c = sin, cos of omega·(m + b)
	opAddBias      // m += b
	opSinBias      // s = sin(omega·(s + b)) in place
	// Over bands of colBand columns.
	opColSums    // partial[j0:j1] += Σ_i m[i, j0:j1]
	opMulColSums // s = m ⊙ c; partial[j0:j1] += Σ_i s[i, j0:j1]
)

// colBand is the width of the column bands ColSums and MulColSums split across workers.
const colBand = 64

// elemJob is one call of an elementwise, fused or reduction operation: its operands and which
// loop to run over a range of units (elements in chunks of elemGrain, reduction blocks, rows or
// column bands). A call builds it on its own stack and runs it directly when the work is too small
// to split; otherwise a pooled copy goes to the workers. Either way the call allocates nothing
// (closures over the operands would cost one allocation per call).
type elemJob struct {
	k            *Impl
	op           elemOp
	n            int // elements (element and block ops)
	units, chunk int // units in all, units per parallel task
	f            func(dst, x []float64)
	dst, x, y, z []float64
	alpha, omega float64
	coef         [8]float64
	s, c, m      Matrix
	b            []float64
	partial      []float64
}

var elemJobs = NewFreeList[elemJob](16)

// splitChunk is how many units each parallel task takes, or 0 when the work (units ×
// workPerUnit, roughly multiply-adds) is too small to be worth more than the caller's goroutine.
// Tasks hold at least minParallelWork and there are about 8 per worker, so that a worker whose
// CPU another process holds simply takes fewer of them.
func splitChunk(units, workPerUnit, threads int) int {
	workPerUnit = max(workPerUnit, 1)
	if threads <= 1 || units < 2 || units*workPerUnit < 2*minParallelWork {
		return 0
	}
	return max(minParallelWork/workPerUnit, units/(8*threads), 1)
}

// exec runs the job over units [0, units) with the implementation's workers.
func (j *elemJob) exec(units, workPerUnit int) {
	threads := j.k.Threads()
	chunk := splitChunk(units, workPerUnit, threads)
	if chunk == 0 {
		j.do(0, units)
		return
	}
	p := elemJobs.Get()
	*p = *j
	p.units, p.chunk = units, chunk
	parallelFor(ceilDiv(units, chunk), threads, p)
	*p = elemJob{}
	elemJobs.Put(p)
}

// execElems runs an element op over j.n elements in chunks of elemGrain.
func (j *elemJob) execElems() { j.exec(ceilDiv(j.n, elemGrain), elemGrain*8) }

func (j *elemJob) run(_, t int) {
	u0 := t * j.chunk
	j.do(u0, min(u0+j.chunk, j.units))
}

// do runs units [u0, u1).
func (j *elemJob) do(u0, u1 int) {
	ops := &j.k.b.ops
	switch j.op {
	case opUnary, opSinCos, opAxpy, opScale, opMul, opMulAdd, opAdam:
		lo, hi := u0*elemGrain, min(u1*elemGrain, j.n)
		switch j.op {
		case opUnary:
			j.f(j.dst[lo:hi], j.x[lo:hi])
		case opSinCos:
			j.k.b.vm.SinCos(j.dst[lo:hi], j.y[lo:hi], j.x[lo:hi])
		case opAxpy:
			ops.axpy(j.alpha, j.x[lo:hi], j.y[lo:hi])
		case opScale:
			ops.scale(j.alpha, j.dst[lo:hi])
		case opMul:
			ops.mul(j.dst[lo:hi], j.x[lo:hi], j.y[lo:hi])
		case opMulAdd:
			ops.mulAdd(j.dst[lo:hi], j.x[lo:hi], j.y[lo:hi])
		case opAdam:
			ops.adam(j.dst[lo:hi], j.x[lo:hi], j.y[lo:hi], j.z[lo:hi], j.coef)
		}
	case opSum, opDot, opSumSq, opSqErr:
		for blk := u0; blk < u1; blk++ {
			j.partial[blk] = j.blockSum(blk*reduceBlock, min((blk+1)*reduceBlock, j.n))
		}
	case opAffineSinCos:
		cols := j.m.Cols
		for i := u0; i < u1; i++ {
			var srow []float64
			if j.s.Data != nil {
				srow = j.s.Row(i)
			}
			j.k.b.vm.AffineSinCos(srow, j.c.Row(i), j.m.Row(i), j.b[:cols], j.omega)
		}
	case opAddBias:
		b := j.b[:j.m.Cols]
		for i := u0; i < u1; i++ {
			ops.axpy(1, b, j.m.Row(i)) // 1·b + row rounds exactly like b + row
		}
	case opSinBias:
		for i := u0; i < u1; i++ {
			row := j.s.Row(i)
			b := j.b[:len(row)]
			for c, v := range row {
				row[c] = j.omega * (v + b[c])
			}
			j.k.b.vm.Sin(row, row)
		}
	case opColSums:
		j0, j1 := u0*colBand, min(u1*colBand, j.m.Cols)
		d := j.partial[j0:j1]
		for i := 0; i < j.m.Rows; i++ {
			ops.axpy(1, j.m.Row(i)[j0:j1], d) // 1·x + d rounds exactly like x + d
		}
	case opMulColSums:
		// Each row's products are added to the sums while they are still in L1.
		j0, j1 := u0*colBand, min(u1*colBand, j.m.Cols)
		d := j.partial[j0:j1]
		for i := 0; i < j.m.Rows; i++ {
			row := j.s.Row(i)[j0:j1]
			ops.mul(row, j.m.Row(i)[j0:j1], j.c.Row(i)[j0:j1])
			ops.axpy(1, row, d)
		}
	}
}

// blockSum is a reduction op's sum over elements [lo, hi).
func (j *elemJob) blockSum(lo, hi int) float64 {
	ops := &j.k.b.ops
	switch j.op {
	case opSum:
		return ops.sum(j.x[lo:hi])
	case opDot:
		return ops.dot(j.x[lo:hi], j.y[lo:hi])
	case opSumSq:
		return ops.dot(j.x[lo:hi], j.x[lo:hi])
	case opSqErr:
		var gr []float64
		if j.dst != nil {
			gr = j.dst[lo:hi]
		}
		return ops.sqErr(gr, j.x[lo:hi], j.y[lo:hi], j.alpha)
	}
	panic("kernel: not a reduction")
}
