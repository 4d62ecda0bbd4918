package main

import (
	"fmt"
	"math"
	"strings"
)

// The fused first-layer kernels of LinearSin (AVX-512): for each row of x, one pass over the
// columns computes the argument v = x·W + B in turns (W, B already scaled by ω/2π), reduces it,
// evaluates the sine polynomial and stores the result, all in registers. Every vector of 8
// outputs costs 14 vector operations when K = 2 (two FMAs for v, three for the reduction, nine
// for the polynomial); the two vector ports run them at one per half cycle, which sets the speed
// (the output stream, 8 bytes per element, keeps pace).
//
// Working in turns makes the reduction exact for every finite argument, with no digits of π:
// VREDUCEPD subtracts the nearest multiple of 2⁻ᴹ exactly. Per vector, with V the argument:
//
//	q = V − round(V)          q in [−½, ½]; sin 2πV = sin 2πq
//	f = V − round(2V)/2       f in [−¼, ¼], f = q or q ∓ ½
//	h = f with the sign of q  sin 2πq = sin 2πh: when |q| > ¼, f = q ∓ ½ has the other sign
//	                          and sin 2π(q ∓ ½) = −sin 2πq
//	s = h·W(h²)               W of degree 7 (8 coefficients), Horner
//
// For the cosine, cos 2πV = cos 2π|q| = sin 2πh with h = ¼ − |q|: the setting of the sign bit
// gives −|q|, and the subtraction is exact for |q| ≥ ⅛ (where cos 2πq may be small); below ⅛ its
// rounding moves the result by at most ½ ulp.

// turnPoly: sin 2πh = h·W(h²) on |h| ≤ ¼, relative error of the sine below 2^-52.5 with these
// float64 coefficients; fitted by kernel/vmath/internal/coef/remez.py ("W": weighted by the
// relative error of the sine itself, each coefficient rounded to float64 in turn, from W0 = 2π
// on, and the rest refitted). Evaluated in float64 the sine is within 3.5 ulp (measured, the
// largest near |h| = ¼ where W ≈ 4 rounds coarsely for a result just below 1).
var turnPoly = []float64{
	6.283185307179586,
	-41.341702240398405,
	81.60524927557755,
	-76.7058596880834,
	42.058689849748134,
	-15.094503198431685,
	3.8173274173475447,
	-0.6923187095555033,
}

// Slots of the constant tables linSinConst<> and linCosConst<>; all but the last coefficient
// stay in registers (Z18 on).
const (
	lcW0   = iota // W0..W6
	lcSign = lcW0 + 7
	lcQtr  = lcSign + 1 // ¼ (used by the cosine)
	lcW7   = lcQtr + 1
	lcLen  = lcW7 + 1
)

const (
	lsStreams = 6  // vectors per main-loop iteration, 3 registers each (Z0..Z17)
	lsConstR  = 18 // Z18..Z26 hold the constants W0..W6, the sign bit and ¼
	lsXR      = 28 // Z28..Z31: the row's K values of x
)

type linSin struct {
	asm
	cos  bool
	tab  string
	k    int
	name string
	isa  lsISA
}

// lsISA is what differs between the AVX-512 and the AVX2 kernels.
type lsISA struct {
	reg     string // Z or Y
	bytes   int    // bytes per vector
	streams int    // vectors per main-loop iteration, 3 registers each from register 0
	xr      int    // first of the K registers holding the row's x values
}

var (
	lsZ = lsISA{reg: "Z", bytes: 64, streams: lsStreams, xr: lsXR}
	// AVX2 has 16 registers: three streams (Y0..Y8), the sign mask, ½ and the tail's lane mask
	// (Y9..Y11), x in Y12..Y15; the polynomial's coefficients are memory operands.
	lsY = lsISA{reg: "Y", bytes: 32, streams: 3, xr: 12}
)

// The AVX2 kernels' registers and constant table (each constant four times: 32 bytes a slot).
const (
	lyTab      = "linSinConstY"
	lySign     = "Y9"
	lyHalf     = "Y10"
	lyMask     = "Y11"
	lySlotSign = 8 // after W0..W7
	lySlotHalf = 9
	lySlotQtr  = 10
	lySlots    = 11
)

// ymem is the memory operand of AVX2 constant slot s.
func ymem(s int) string { return fmt.Sprintf("%s<>+%d(SB)", lyTab, 32*s) }

// cst is the register of a constant slot below lcW7.
func cst(slot int) string { return fmt.Sprintf("Z%d", lsConstR+slot) }

// vector emits one vector of outputs into register U from the columns at mem(q) (q < k: the
// weight rows, q == k: the bias row); T and Z are scratch. masked loads only the tail's lanes
// (K1 on AVX-512, the lane mask register on AVX2).
func (g *linSin) vector(U, T, Z int, mem func(q int) string, masked bool) {
	z := func(r int) string { return fmt.Sprintf("%s%d", g.isa.reg, r) }
	avx2 := g.isa.reg == "Y"
	switch {
	case masked && avx2:
		g.i("VMASKMOVPD %s, %s, %s", mem(g.k), lyMask, z(U))
		for q := 0; q < g.k; q++ {
			g.i("VMASKMOVPD %s, %s, %s", mem(q), lyMask, z(T))
			g.i("VFMADD231PD %s, %s, %s", z(T), z(g.isa.xr+q), z(U))
		}
	case masked:
		g.i("VMOVUPD.Z %s, K1, %s", mem(g.k), z(U))
		for q := 0; q < g.k; q++ {
			g.i("VMOVUPD.Z %s, K1, %s", mem(q), z(T))
			g.i("VFMADD231PD %s, %s, %s", z(T), z(g.isa.xr+q), z(U))
		}
	default:
		g.i("VMOVUPD %s, %s", mem(g.k), z(U))
		for q := 0; q < g.k; q++ {
			g.i("VFMADD231PD %s, %s, %s", mem(q), z(g.isa.xr+q), z(U))
		}
	}
	switch {
	case avx2 && g.cos:
		g.i("VROUNDPD $8, %s, %s", z(U), z(T))                // round(v), ties to even
		g.i("VSUBPD %s, %s, %s", z(T), z(U), z(U))            // q
		g.i("VORPD %s, %s, %s", lySign, z(U), z(U))           // −|q|
		g.i("VADDPD %s, %s, %s", ymem(lySlotQtr), z(U), z(U)) // h = ¼ − |q|
	case avx2:
		g.i("VROUNDPD $8, %s, %s", z(U), z(T))
		g.i("VSUBPD %s, %s, %s", z(T), z(U), z(T)) // q
		g.i("VADDPD %s, %s, %s", z(T), z(T), z(Z)) // 2q
		g.i("VROUNDPD $8, %s, %s", z(Z), z(Z))
		g.i("VFNMADD213PD %s, %s, %s", z(T), lyHalf, z(Z)) // f = q − round(2q)/2
		// h = f with the sign of q: f ^ ((f ^ q) & sign).
		g.i("VXORPD %s, %s, %s", z(Z), z(T), z(U))
		g.i("VANDPD %s, %s, %s", lySign, z(U), z(U))
		g.i("VXORPD %s, %s, %s", z(Z), z(U), z(U))
	case g.cos:
		g.i("VREDUCEPD $0, %s, %s", z(U), z(U))          // q
		g.i("VPORQ %s, %s, %s", cst(lcSign), z(U), z(U)) // −|q|
		g.i("VADDPD %s, %s, %s", cst(lcQtr), z(U), z(U)) // h = ¼ − |q|
	default:
		g.i("VREDUCEPD $0, %s, %s", z(U), z(T))    // q
		g.i("VREDUCEPD $0x10, %s, %s", z(U), z(U)) // f
		// h = sign ? q : f, bit by bit (A = U, B = T, C = the sign mask).
		g.i("VPTERNLOGQ $0xd8, %s, %s, %s", cst(lcSign), z(T), z(U))
	}
	g.i("VMULPD %s, %s, %s", z(U), z(U), z(Z))
	if avx2 {
		g.i("VMOVUPD %s, %s", ymem(7), z(T))
		for j := 6; j >= 0; j-- {
			g.i("VFMADD213PD %s, %s, %s", ymem(j), z(Z), z(T))
		}
	} else {
		g.i("VBROADCASTSD %s<>+%d(SB), %s", g.tab, 8*lcW7, z(T))
		for j := 6; j >= 0; j-- {
			g.i("VFMADD213PD %s, %s, %s", cst(lcW0+j), z(Z), z(T))
		}
	}
	g.i("VMULPD %s, %s, %s", z(T), z(U), z(U))
}

// rows emits the row loop for K = g.k. Registers: SI the row of x, R8 its stride, DI/R13/R14/R15
// the weight rows, R9 the bias row, R10 the output row, R11 its stride, R12 rows left, CX the
// row length in bytes, DX the bytes in full vectors, AX the column offset, BX scratch.
func (g *linSin) rows() {
	l := func(s string) string { return fmt.Sprintf("%sk%d%s", g.name, g.k, s) }
	v, nb, ns := g.isa.reg, g.isa.bytes, g.isa.streams
	g.l(l("row"))
	for q := 0; q < g.k; q++ {
		g.i("VBROADCASTSD %d(SI), %s%d", 8*q, v, g.isa.xr+q)
	}
	g.i("XORQ AX, AX")
	mem := func(off int) func(q int) string {
		return func(q int) string {
			base := []string{"DI", "R13", "R14", "R15"}
			if q == g.k {
				return fmt.Sprintf("%d(R9)(AX*1)", off)
			}
			return fmt.Sprintf("%d(%s)(AX*1)", off, base[q])
		}
	}
	g.l(l("main"))
	g.i("LEAQ %d(AX), BX", nb*ns)
	g.i("CMPQ BX, DX")
	g.i("JGT %s", l("one"))
	// The streams' instructions interleaved one by one: each vector's chain is ~55 cycles
	// long, and interleaving keeps enough independent work in the scheduler.
	var streams [][]string
	for s := 0; s < ns; s++ {
		sub := &linSin{cos: g.cos, tab: g.tab, k: g.k, isa: g.isa}
		sub.vector(3*s, 3*s+1, 3*s+2, mem(nb*s), false)
		streams = append(streams, strings.Split(strings.TrimRight(sub.String(), "\n"), "\n"))
	}
	for li := range streams[0] {
		for s := range streams {
			g.WriteString(streams[s][li] + "\n")
		}
	}
	g.i("CMPQ nt+72(FP), $0")
	g.i("JNE %s", l("nt"))
	for s := 0; s < ns; s++ {
		g.i("VMOVUPD %s%d, %d(R10)(AX*1)", v, 3*s, nb*s)
	}
	g.i("MOVQ BX, AX")
	g.i("JMP %s", l("main"))
	g.l(l("nt"))
	for s := 0; s < ns; s++ {
		g.i("VMOVNTPD %s%d, %d(R10)(AX*1)", v, 3*s, nb*s)
	}
	g.i("MOVQ BX, AX")
	g.i("JMP %s", l("main"))
	g.l(l("one"))
	g.i("CMPQ AX, DX")
	g.i("JGE %s", l("tail"))
	g.vector(0, 1, 2, mem(0), false)
	g.i("VMOVUPD %s0, (R10)(AX*1)", v)
	g.i("ADDQ $%d, AX", nb)
	g.i("JMP %s", l("one"))
	g.l(l("tail"))
	g.i("CMPQ AX, CX")
	g.i("JGE %s", l("next"))
	g.vector(0, 1, 2, mem(0), true)
	if v == "Y" {
		g.i("VMASKMOVPD Y0, %s, (R10)(AX*1)", lyMask)
	} else {
		g.i("VMOVUPD Z0, K1, (R10)(AX*1)")
	}
	g.l(l("next"))
	g.i("ADDQ R8, SI")
	g.i("ADDQ R11, R10")
	g.i("DECQ R12")
	g.i("JNZ %s", l("row"))
	g.i("JMP done")
}

// linSinKernels returns the assembly of linSinAVX512, linCosAVX512, linSinAVX2 and linCosAVX2.
func linSinKernels() string {
	var out strings.Builder
	const tab = "linSinConst" // one table for both AVX-512 kernels
	var vals []uint64
	for _, c := range turnPoly[:7] {
		vals = append(vals, math.Float64bits(c))
	}
	vals = append(vals, 1<<63, math.Float64bits(0.25), math.Float64bits(turnPoly[7]))
	if len(vals) != lcLen {
		panic("linsin: constant table")
	}
	for j, v := range vals {
		fmt.Fprintf(&out, "DATA %s<>+%d(SB)/8, $0x%016x\n", tab, 8*j, v)
	}
	fmt.Fprintf(&out, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n\n", tab, 8*len(vals))
	// The AVX2 table: W0..W7, the sign bit, ½, ¼, each four times; then the tail masks.
	yvals := make([]uint64, 0, lySlots)
	for _, c := range turnPoly {
		yvals = append(yvals, math.Float64bits(c))
	}
	yvals = append(yvals, 1<<63, math.Float64bits(0.5), math.Float64bits(0.25))
	if len(yvals) != lySlots {
		panic("linsin: AVX2 constant table")
	}
	for j, v := range yvals {
		for r := 0; r < 4; r++ {
			fmt.Fprintf(&out, "DATA %s<>+%d(SB)/8, $0x%016x\n", lyTab, 32*j+8*r, v)
		}
	}
	fmt.Fprintf(&out, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n\n", lyTab, 32*len(yvals))
	// Four all-ones lanes then four zero lanes: from byte 8·(4−r) on, the mask of r lanes.
	for j := 0; j < 8; j++ {
		v := "$-1"
		if j >= 4 {
			v = "$0"
		}
		fmt.Fprintf(&out, "DATA linSinMaskY<>+%d(SB)/8, %s\n", 8*j, v)
	}
	out.WriteString("GLOBL linSinMaskY<>(SB), RODATA|NOPTR, $64\n\n")

	for _, isa := range []lsISA{lsZ, lsY} {
		for _, cos := range []bool{false, true} {
			suffix, lanes := "AVX512", 8
			if isa.reg == "Y" {
				suffix, lanes = "AVX2", 4
			}
			name, what := "linSin"+suffix, "sin"
			if cos {
				name, what = "linCos"+suffix, "cos"
			}
			g := &linSin{cos: cos, tab: tab, name: name, isa: isa}
			finite := "VREDUCEPD maps ±Inf to 0"
			if isa.reg == "Y" {
				finite = "the AVX2 kernels would give NaN for them, but the rows take the buffered path"
			}
			fmt.Fprintf(g, `// func %s(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)
//
// For rows rows and n columns: out[i*ldo+j] = %s(2π·v) with v = B[j] + Σ_{q<k} x[i*xs+q]·W[q][j]
// summed in that order by FMA, where W[q] is w[q*ldw:] and B is w[k*ldw:] (1 ≤ k ≤ 4). Every v
// must be finite (the caller checks a bound per row; %s). nt ≠ 0 writes the full vectors of
// the main loop with non-temporal stores (out 64-byte aligned, ldo a multiple of 8).
TEXT ·%s(SB), NOSPLIT, $0-80
`, name, what, finite, name)
			g.i("MOVQ rows+0(FP), R12")
			g.i("TESTQ R12, R12")
			g.i("JZ ret")
			if isa.reg == "Z" {
				g.i("MOVQ n+8(FP), CX")
				g.i("ANDQ $7, CX")
				g.i("MOVL $1, DX")
				g.i("SHLL CX, DX")
				g.i("DECL DX")
				g.i("KMOVW DX, K1") // the tail's lanes
			} else {
				g.i("MOVQ n+8(FP), BX")
				g.i("ANDQ $3, BX")
				g.i("NEGQ BX")
				g.i("ADDQ $4, BX")
				g.i("SHLQ $3, BX")
				g.i("LEAQ linSinMaskY<>(SB), AX")
				g.i("VMOVUPD (AX)(BX*1), %s", lyMask) // the tail's lanes
			}
			g.i("MOVQ n+8(FP), CX")
			g.i("MOVQ CX, DX")
			g.i("ANDQ $-%d, DX", lanes)
			g.i("SHLQ $3, DX")
			g.i("SHLQ $3, CX")
			g.i("MOVQ x+24(FP), SI")
			g.i("MOVQ xs+32(FP), R8")
			g.i("SHLQ $3, R8")
			g.i("MOVQ w+40(FP), DI")
			g.i("MOVQ ldw+48(FP), R9")
			g.i("SHLQ $3, R9")
			g.i("LEAQ (DI)(R9*1), R13")
			g.i("LEAQ (R13)(R9*1), R14")
			g.i("LEAQ (R14)(R9*1), R15")
			g.i("MOVQ k+16(FP), BX")
			g.i("IMULQ R9, BX")
			g.i("LEAQ (DI)(BX*1), R9") // the bias row
			g.i("MOVQ out+56(FP), R10")
			g.i("MOVQ ldo+64(FP), R11")
			g.i("SHLQ $3, R11")
			if isa.reg == "Z" {
				for slot := 0; slot < lcW7; slot++ {
					g.i("VBROADCASTSD %s<>+%d(SB), %s", tab, 8*slot, cst(slot))
				}
			} else {
				g.i("VMOVUPD %s, %s", ymem(lySlotSign), lySign)
				g.i("VMOVUPD %s, %s", ymem(lySlotHalf), lyHalf)
			}
			g.i("MOVQ k+16(FP), BX")
			for k := 1; k <= 4; k++ {
				g.i("CMPQ BX, $%d", k)
				g.i("JEQ %sk%drow", name, k)
			}
			g.i("JMP ret")
			for k := 1; k <= 4; k++ {
				g.k = k
				g.rows()
			}
			g.l("done")
			g.i("SFENCE") // order the non-temporal stores before anything the caller does next
			g.l("ret")
			g.i("VZEROUPPER")
			g.i("RET")
			g.WriteString("\n")
			out.WriteString(g.String())
		}
	}
	return out.String()
}
