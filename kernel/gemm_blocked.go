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

// Blocking of the packed GEMM, sized for 48 KiB of L1 and 2 MiB of L2 per core:
//   - kcMax: the depth of one block. A kc×16 B micro-panel (32 KiB at 256) stays in L1 while the
//     A panels of a tile stream past it from L2.
//   - mcMax: rows of a tile (144×256×8 = 288 KiB of A in L2, read once per B micro-panel).
//   - phaseElems: the packed B of one phase (4 MiB); long summations (Xᵀ·dY) run in phases.
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
	mr, nr := mk.mr, mk.nr
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA {
		k = a.Rows
	}
	kcm := kcMax
	if tA == Trans && tB == NoTrans && n >= 128 {
		// The weight gradient keeps a block of A, of B and all of C in L2 at once; half-depth
		// blocks measured 2-10% faster there (and slower when N is small).
		kcm = kcMax / 2
	}
	nk := ceilDiv(k, kcm)
	kc := ceilDiv(k, nk) // equal blocks; the last one may be shorter
	npan := ceilDiv(n, nr)
	ipan := ceilDiv(m, mr)
	// Aᵀ·B (the weight gradient) reads B in place too: both operands then stream along their
	// rows, which measured faster than packing the long B (a copy of all of dY) first. Only a
	// partial last column panel is packed.
	directB := mk.directTN && tA == Trans && tB == NoTrans
	blocksPerPhase := max(1, phaseElems/(kc*npan*nr))
	packFrom := 0 // first column panel to pack
	if directB {
		blocksPerPhase = nk
		packFrom = n / nr
	}
	phaseK := min(k, blocksPerPhase*kc)
	packPan := npan - packFrom // packed column panels per block

	bBuf := getBuf(phaseK*packPan*nr + 8)
	defer putBuf(bBuf)
	bp := alignBuf(*bBuf)

	// Tiles: bands of mcMax rows over all columns; with several workers and few bands, the
	// columns are split too (A is not packed, so nothing is packed twice).
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
	case threads > 1:
		// Enough tiles (4 per worker) that a worker slowed by another process takes fewer.
		want := 4 * threads
		if tr := ceilDiv(ipan, tileRows); tr < want {
			tc := min(npan, ceilDiv(want, tr))
			tileCols = ceilDiv(npan, tc)
			tileRows = max(1, min(tileRows, ceilDiv(ipan, ceilDiv(want, tc))))
		}
	}
	tr, tc := ceilDiv(ipan, tileRows), ceilDiv(npan, tileCols)

	// Worker scratch for packed A panels: all panels of a tile when the kernel wants op(A) = Aᵀ
	// packed (packTAMinN), else only the last, partial panel of rows.
	packAll := tA == Trans && mk.packTAMinN > 0 && n >= mk.packTAMinN
	panels := 0
	switch {
	case packAll:
		panels = tileRows
	case m%mr != 0:
		panels = 1
	}
	var aPan []float64
	if panels > 0 {
		aBuf := getBuf(kc*mr*panels*min(threads, tr*tc) + 8)
		defer putBuf(aBuf)
		aPan = alignBuf(*aBuf)
	}

	for ph := 0; ph < k; ph += phaseK {
		pk := min(phaseK, k-ph)
		nb := ceilDiv(pk, kc)
		// Block q's packed panels start at q·kc·packPan·nr; panel jp at (jp-packFrom)·kq·nr in it.
		parallelTasks(nb*packPan, threads, func(_, t int) {
			q, jp := t/packPan, packFrom+t%packPan
			kq := min(kc, pk-q*kc)
			packB(bp[q*kc*packPan*nr+(jp-packFrom)*kq*nr:], b, tB, ph+q*kc, kq, jp*nr, min(nr, n-jp*nr), nr)
		})
		parallelTasks(tr*tc, threads, func(w, t int) {
			ti, tj := t/tc, t%tc
			ip0, ip1 := ti*tileRows, min(ipan, (ti+1)*tileRows)
			jp0, jp1 := tj*tileCols, min(npan, (tj+1)*tileCols)
			for q := 0; q < nb; q++ {
				kq := min(kc, pk-q*kc)
				p0 := ph + q*kc
				be := 1.0
				if p0 == 0 {
					be = beta
				}
				var apan []float64 // packed panels of this tile, starting with panel pfirst
				pfirst := ipan
				if packAll {
					pfirst = ip0
				} else if panels > 0 && ip1 == ipan {
					pfirst = ipan - 1
				}
				if pfirst < ip1 {
					apan = aPan[w*kc*mr*panels:]
					packA(apan, a, tA, pfirst*mr, min(m, ip1*mr)-pfirst*mr, p0, kq, mr)
				}
				for jp := jp0; jp < jp1; jp++ {
					j := jp * nr
					cols := min(nr, n-j)
					var bpan *float64
					bs := nr
					if jp < packFrom {
						bpan, bs = &b.Data[p0*b.Stride+j], b.Stride
					} else {
						bpan = &bp[q*kc*packPan*nr+(jp-packFrom)*kq*nr]
					}
					for ip := ip0; ip < ip1; ip++ {
						i := ip * mr
						cp := &c.Data[i*c.Stride+j]
						switch {
						case ip >= pfirst:
							mk.kern(kq, &apan[(ip-pfirst)*kq*mr], bpan, cp, mr, bs, c.Stride, min(mr, m-i), cols, alpha, be)
						case tA == Trans:
							mk.kern(kq, &a.Data[p0*a.Stride+i], bpan, cp, a.Stride, bs, c.Stride, mr, cols, alpha, be)
						default:
							mk.kernRow(kq, &a.Data[i*a.Stride+p0], bpan, cp, a.Stride, bs, c.Stride, mr, cols, alpha, be)
						}
					}
				}
			}
		})
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
