package kernel

import "unsafe"

// microKernel is a register-blocked tile kernel: kern computes one mr×nr tile of
// C = alpha·A·B + beta·C from a k-major A panel (steps as elements apart) and a k-major B panel
// (steps bs elements apart), storing only rows×cols of it (see gemmKernAVX512).
type microKernel struct {
	mr, nr int
	kern   func(kc int, a, b, c *float64, as, bs, ldc, rows, cols int, alpha, beta float64)
}

// Blocking of the packed GEMM, sized for 48 KiB of L1 and 2 MiB of L2 per core:
//   - kcMax: the depth of one packed block. A kc×16 B micro-panel (32 KiB at 256) stays in L1
//     while the A panels of a block stream past it from L2.
//   - mcMax: rows of A packed at a time (144×256×8 = 288 KiB in L2).
//   - phaseElems: the packed B of one phase (4 MiB); long summations (Xᵀ·dY) run in phases.
//   - sharedAElems: below this, op(A) of a whole phase is packed once and shared by all tiles.
const (
	kcMax        = 256
	mcMax        = 144
	phaseElems   = 1 << 19
	sharedAElems = 1 << 19
)

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// blockedGemm is the driver shared by the assembly implementations: it packs op(B) (and op(A))
// into micro-panels and runs the micro-kernel over output tiles. The summation index is cut into
// the same blocks whatever the thread count, and each output element is summed by one kernel
// call per block in block order, so the result is bit-identical for any number of threads.
func (mk *microKernel) blockedGemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int) {
	mr, nr := mk.mr, mk.nr
	m, n := c.Rows, c.Cols
	k := a.Cols
	if tA {
		k = a.Rows
	}
	nk := ceilDiv(k, kcMax)
	kc := ceilDiv(k, nk) // equal blocks; the last one may be shorter
	npan := ceilDiv(n, nr)
	ipan := ceilDiv(m, mr)
	blocksPerPhase := max(1, phaseElems/(kc*npan*nr))
	phaseK := min(k, blocksPerPhase*kc)
	shared := ipan*mr*phaseK <= sharedAElems

	bBuf := getBuf(phaseK*npan*nr + 8)
	defer putBuf(bBuf)
	bp := alignBuf(*bBuf)
	var ap []float64
	if shared {
		aBuf := getBuf(phaseK*ipan*mr + 8)
		defer putBuf(aBuf)
		ap = alignBuf(*aBuf)
	}

	// Tiles: in shared mode a grid of row × column blocks; otherwise bands of rows over all
	// columns, each packing its own A (so no A is packed twice).
	var tileRows, tileCols int // in micro-panels
	if shared {
		tileRows, tileCols = ipan, npan
		if threads > 1 {
			want := 4 * threads
			tr := min(ipan, want)
			tc := min(npan, ceilDiv(want, tr))
			tileRows, tileCols = ceilDiv(ipan, tr), ceilDiv(npan, tc)
		}
	} else {
		tileRows, tileCols = mcMax/mr, npan
		if threads > 1 {
			tileRows = max(1, min(tileRows, ceilDiv(ipan, 4*threads)))
		}
	}
	tr, tc := ceilDiv(ipan, tileRows), ceilDiv(npan, tileCols)

	var scratch [][]float64
	var scratchBufs []*[]float64
	if !shared {
		for w := 0; w < min(threads, tr*tc); w++ {
			s := getBuf(tileRows*mr*kc + 8)
			scratchBufs = append(scratchBufs, s)
			scratch = append(scratch, alignBuf(*s))
		}
		defer func() {
			for _, s := range scratchBufs {
				putBuf(s)
			}
		}()
	}

	for ph := 0; ph < k; ph += phaseK {
		pk := min(phaseK, k-ph)
		nb := ceilDiv(pk, kc)
		// blockOff(q) is where block q of the phase starts in a packed buffer with lanes lanes.
		blockOff := func(q, lanes int) int { return q * kc * lanes }
		blockDepth := func(q int) int { return min(kc, pk-q*kc) }

		parallelTasks(nb*npan, threads, func(_, t int) {
			q, jp := t/npan, t%npan
			kq := blockDepth(q)
			packB(bp[blockOff(q, npan*nr)+jp*kq*nr:], b, tB, ph+q*kc, kq, jp*nr, min(nr, n-jp*nr), nr)
		})
		if shared {
			parallelTasks(nb*ipan, threads, func(_, t int) {
				q, ip := t/ipan, t%ipan
				kq := blockDepth(q)
				packA(ap[blockOff(q, ipan*mr)+ip*kq*mr:], a, tA, ip*mr, min(mr, m-ip*mr), ph+q*kc, kq, mr)
			})
		}
		parallelTasks(tr*tc, threads, func(w, t int) {
			ti, tj := t/tc, t%tc
			ip0, ip1 := ti*tileRows, min(ipan, (ti+1)*tileRows)
			jp0, jp1 := tj*tileCols, min(npan, (tj+1)*tileCols)
			for q := 0; q < nb; q++ {
				kq := blockDepth(q)
				be := 1.0
				if ph == 0 && q == 0 {
					be = beta
				}
				var apan []float64 // A panels of this tile for block q, panel ip0 first
				if shared {
					apan = ap[blockOff(q, ipan*mr)+ip0*kq*mr:]
				} else {
					apan = scratch[w]
					packA(apan, a, tA, ip0*mr, min(ip1*mr, m)-ip0*mr, ph+q*kc, kq, mr)
				}
				bblk := bp[blockOff(q, npan*nr):]
				for jp := jp0; jp < jp1; jp++ {
					j := jp * nr
					cols := min(nr, n-j)
					bpan := &bblk[jp*kq*nr]
					for ip := ip0; ip < ip1; ip++ {
						i := ip * mr
						mk.kern(kq, &apan[(ip-ip0)*kq*mr], bpan, &c.Data[i*c.Stride+j], mr, nr, c.Stride,
							min(mr, m-i), cols, alpha, be)
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
