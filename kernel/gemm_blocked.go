package kernel

import "unsafe"

// microKernel is a register-blocked tile kernel pair: kern computes one mr×nr tile of
// C = alpha·A·B + beta·C from a k-major A panel (steps as elements apart) and a k-major B panel
// (steps bs elements apart), storing only rows×cols of it (see gemmKernAVX512); kernRow does the
// same reading a full mr-row A panel in place from a row-major matrix.
type microKernel struct {
	mr, nr int
	// directTN reads B in place for Aᵀ·B. Worth it with the 12×16 tile, whose B row is two full
	// cache lines per 24 FMAs; the 6×8 tile has half the FMAs per line and wants B packed.
	directTN bool
	// packTAMinN: from this many output columns on, op(A) = Aᵀ is packed per tile instead of
	// being read in place (its k-major panels are strided by the row length); the copy pays off
	// once each packed panel serves enough B panels (0: never).
	packTAMinN int
	kern       func(kc int, a, b, c *float64, as, bs, ldc, rows, cols int, alpha, beta float64)
	kernRow    func(kc int, a, b, c *float64, lda, bs, ldc, rows, cols int, alpha, beta float64)
}

// Blocking of the packed GEMM, sized for 48 KiB of L1 and 2 MiB of L2 per core (the values
// were chosen by measurement at K, N = 64…256; 128-320 deep blocks and 96-240 row tiles were
// within a few percent of these):
//   - kcMax: the depth of one block. One operand's micro-panel (12×256 of A, 24 KiB, or 256×16
//     of B, 32 KiB) stays in L1 while the other side's panels stream past it from L2.
//   - mcMax: rows of a tile (144×256×8 = 288 KiB of A).
//   - phaseElems: the packed B of one phase (4 MiB); longer summations run in phases.
const (
	kcMax      = 256
	mcMax      = 144
	phaseElems = 1 << 19
)

// Thresholds of the bandwidth-bound paths. Below them a packed tile kernel would spend its time
// on padding and packing, while these stream the large operand once at memory speed.
const (
	smallKMax = 4 // outer-product form: first layer X·W with 2-4 inputs, dY·Wᵀ of a 1-3 output layer
	smallNMax = 3 // dot form / summation-outer form: the output layer and its weight gradient
	// streamChunk is about how many elements of the large operand one parallel task streams.
	streamChunk = 1 << 16
)

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// blockedGemm is the driver shared by the assembly implementations. op(B) is packed into
// micro-panels (it is reused by every tile); op(A) is read in place by the kernels, except for
// the last, partial panel of rows, which is packed with zero padding. The summation index is cut
// into the same blocks whatever the thread count, and each output element is summed by one
// kernel call per block in block order, so the result is bit-identical for any thread count.
func (mk *microKernel) blockedGemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	j := blockedJobs.Get()
	*j = blockedJob{mk: mk, tA: tA, tB: tB, alpha: alpha, beta: beta, a: a, b: b, c: c}
	j.plan(threads)

	bBuf := getBuf(j.phaseK*j.packPan*mk.nr + 8)
	j.bp = alignBuf(*bBuf)
	var aBuf *[]float64
	if j.panels > 0 {
		aBuf = getBuf(j.kc*mk.mr*j.panels*min(threads, j.tr*j.tc) + 8)
		j.aPan = alignBuf(*aBuf)
	}
	for j.ph = 0; j.ph < j.k; j.ph += j.phaseK {
		j.pk = min(j.phaseK, j.k-j.ph)
		j.nb = ceilDiv(j.pk, j.kc)
		// Packing is a copy: split it only when each worker gets ≥ 64K values (≈ 2^19 in
		// multiply-add terms), else a helper costs more than it saves.
		packThreads := workers(j.pk*j.packPan*mk.nr*8, threads)
		parallelFor(j.nb*j.packPan, packThreads, (*packBTasks)(j))
		parallelFor(j.tr*j.tc, threads, (*tileTasks)(j))
	}
	putBuf(bBuf)
	if aBuf != nil {
		putBuf(aBuf)
	}
	*j = blockedJob{} // drop the references to the caller's matrices
	blockedJobs.Put(j)
}

// blockedJob is one blockedGemm call: its operands, blocking and buffers. Its two task sets
// (packing B panels, computing tiles) are views of it, so a call allocates nothing.
type blockedJob struct {
	mk          *microKernel
	tA, tB      Transpose
	alpha, beta float64
	a, b, c     Matrix
	m, n, k, kc int
	npan, ipan  int // column panels (nr wide) and row panels (mr high) of C
	phaseK      int // summation length per phase of packed B
	packFrom    int // first column panel to pack (the rest of B is read in place)
	packPan     int // packed column panels per block
	tileRows    int // row panels per tile
	tileCols    int // column panels per tile
	tr, tc      int // tiles down and across
	packAll     bool
	panels      int // packed A panels per worker
	bp, aPan    []float64
	ph, pk, nb  int // the current phase: start, length, blocks
	directB     bool
}

var blockedJobs = NewFreeList[blockedJob](16)

// plan chooses the blocking and the tiles.
func (j *blockedJob) plan(threads int) {
	mk, tA, tB := j.mk, j.tA, j.tB
	mr, nr := mk.mr, mk.nr
	m, n := j.c.Rows, j.c.Cols
	k := j.a.Cols
	if tA {
		k = j.a.Rows
	}
	j.m, j.n, j.k = m, n, k
	kcm := kcMax
	if tA == Trans && tB == NoTrans && n >= 128 {
		// The weight gradient keeps a block of A, of B and all of C in L2 at once; half-depth
		// blocks measured 2-10% faster there (and slower when N is small).
		kcm = kcMax / 2
	}
	nk := ceilDiv(k, kcm)
	j.kc = ceilDiv(k, nk) // equal blocks; the last one may be shorter
	j.npan = ceilDiv(n, nr)
	j.ipan = ceilDiv(m, mr)
	// Aᵀ·B (the weight gradient) reads B in place too: both operands then stream along their
	// rows, which measured faster than packing the long B (a copy of all of dY) first. Only a
	// partial last column panel is packed.
	j.directB = mk.directTN && tA == Trans && tB == NoTrans
	blocksPerPhase := max(1, phaseElems/(j.kc*j.npan*nr))
	j.packFrom = 0
	if j.directB {
		blocksPerPhase = nk
		j.packFrom = n / nr
	}
	j.phaseK = min(k, blocksPerPhase*j.kc)
	j.packPan = j.npan - j.packFrom

	// Tiles: bands of mcMax rows over all columns; with several workers and few bands, the
	// columns are split too (A is not packed, so nothing is packed twice).
	ipan, npan := j.ipan, j.npan
	tileRows, tileCols := max(1, mcMax/mr), npan
	switch {
	case tA == Trans && tB == NoTrans:
		// The long summation streams B once per band of rows: one band for all rows of the
		// (small) output, up to 512. Splitting the columns instead would pack or read all of
		// A once per band.
		tileRows = min(ipan, ceilDiv(512, mr))
		if threads > 1 {
			// About 2 tiles per worker, by rows first; a small output (64 rows) is cut
			// into columns as well.
			want := 2 * threads
			tileRows = ceilDiv(ipan, want)
			if tr := ceilDiv(ipan, tileRows); tr < want {
				tileCols = ceilDiv(npan, min(npan, ceilDiv(want, tr)))
			}
		}
	default:
		// Each A panel meets every B panel of its tile in turn: keep a tile's packed B
		// (kc × tileCols·nr) within 1 MiB of L2.
		tileCols = min(npan, max(1, (1<<17)/(j.kc*nr)))
		if threads > 1 {
			// Enough tiles (4 per worker) that a worker slowed by another process takes fewer.
			want := 4 * threads
			if tr := ceilDiv(ipan, tileRows) * ceilDiv(npan, tileCols); tr < want {
				tc := min(npan, ceilDiv(want, ceilDiv(ipan, tileRows)))
				tileCols = min(tileCols, ceilDiv(npan, tc))
				tileRows = max(1, min(tileRows, ceilDiv(ipan, ceilDiv(want, ceilDiv(npan, tileCols)))))
			}
		}
	}
	j.tileRows, j.tileCols = tileRows, tileCols
	j.tr, j.tc = ceilDiv(ipan, tileRows), ceilDiv(npan, tileCols)

	// Worker scratch for packed A panels: all panels of a tile when the kernel wants op(A) = Aᵀ
	// packed (packTAMinN), else only the last, partial panel of rows.
	j.packAll = tA == Trans && mk.packTAMinN > 0 && n >= mk.packTAMinN
	switch {
	case j.packAll:
		j.panels = tileRows
	case m%mr != 0:
		j.panels = 1
	default:
		j.panels = 0
	}
}

// packBTasks packs the B panels of the current phase: task t is block t/packPan, panel
// packFrom + t%packPan. Block q's panels start at q·kc·packPan·nr; panel jp at
// (jp-packFrom)·kq·nr within it.
type packBTasks blockedJob

func (p *packBTasks) run(_, t int) {
	j := (*blockedJob)(p)
	nr := j.mk.nr
	q, jp := t/j.packPan, j.packFrom+t%j.packPan
	kq := min(j.kc, j.pk-q*j.kc)
	packB(j.bp[q*j.kc*j.packPan*nr+(jp-j.packFrom)*kq*nr:], j.b, j.tB, j.ph+q*j.kc, kq, jp*nr, min(nr, j.n-jp*nr), nr)
}

// tileTasks computes the tiles of C for the current phase, one tile per task.
type tileTasks blockedJob

func (p *tileTasks) run(w, t int) {
	j := (*blockedJob)(p)
	mk, a, b, c := j.mk, j.a, j.b, j.c
	mr, nr, m, n := mk.mr, mk.nr, j.m, j.n
	ti, tj := t/j.tc, t%j.tc
	ip0, ip1 := ti*j.tileRows, min(j.ipan, (ti+1)*j.tileRows)
	jp0, jp1 := tj*j.tileCols, min(j.npan, (tj+1)*j.tileCols)
	for q := 0; q < j.nb; q++ {
		kq := min(j.kc, j.pk-q*j.kc)
		p0 := j.ph + q*j.kc
		be := 1.0
		if p0 == 0 {
			be = j.beta
		}
		var apan []float64 // packed panels of this tile, starting with panel pfirst
		pfirst := j.ipan
		if j.packAll {
			pfirst = ip0
		} else if j.panels > 0 && ip1 == j.ipan {
			pfirst = j.ipan - 1
		}
		if pfirst < ip1 {
			apan = j.aPan[w*j.kc*mr*j.panels:]
			packA(apan, a, j.tA, pfirst*mr, min(m, ip1*mr)-pfirst*mr, p0, kq, mr)
		}
		tile := func(ip, jp int) {
			i, col := ip*mr, jp*nr
			cols := min(nr, n-col)
			var bpan *float64
			bs := nr
			if jp < j.packFrom {
				bpan, bs = &b.Data[p0*b.Stride+col], b.Stride
			} else {
				bpan = &j.bp[q*j.kc*j.packPan*nr+(jp-j.packFrom)*kq*nr]
			}
			cp := &c.Data[i*c.Stride+col]
			switch {
			case ip >= pfirst:
				mk.kern(kq, &apan[(ip-pfirst)*kq*mr], bpan, cp, mr, bs, c.Stride, min(mr, m-i), cols, j.alpha, be)
			case j.tA == Trans:
				mk.kern(kq, &a.Data[p0*a.Stride+i], bpan, cp, a.Stride, bs, c.Stride, mr, cols, j.alpha, be)
			default:
				mk.kernRow(kq, &a.Data[i*a.Stride+p0], bpan, cp, a.Stride, bs, c.Stride, mr, cols, j.alpha, be)
			}
		}
		if j.tA == NoTrans {
			// A read in place by rows: each A panel (12 rows × kc) stays in L1 while the packed
			// B panels stream past it from L2 (measured 3-4% faster than the other order).
			for ip := ip0; ip < ip1; ip++ {
				for jp := jp0; jp < jp1; jp++ {
					tile(ip, jp)
				}
			}
		} else {
			// Aᵀ: each B panel against all A panels of the tile.
			for jp := jp0; jp < jp1; jp++ {
				for ip := ip0; ip < ip1; ip++ {
					tile(ip, jp)
				}
			}
		}
	}
}

// alignBuf returns s advanced to a 64-byte boundary (s has ≥ 8 spare values).
func alignBuf(s []float64) []float64 {
	off := int(uintptr(unsafe.Pointer(&s[0]))&63) / 8
	if off == 0 {
		return s
	}
	return s[8-off:]
}
