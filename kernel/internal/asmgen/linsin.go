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
}

// cst is the register of a constant slot below lcW7.
func cst(slot int) string { return fmt.Sprintf("Z%d", lsConstR+slot) }

// vector emits one vector of outputs into register U from the columns at mem(q) (q < k: the
// weight rows, q == k: the bias row); T and Z are scratch. masked loads lanes under K1 only.
func (g *linSin) vector(U, T, Z int, mem func(q int) string, masked bool) {
	z := func(r int) string { return fmt.Sprintf("Z%d", r) }
	if masked {
		g.i("VMOVUPD.Z %s, K1, %s", mem(g.k), z(U))
		for q := 0; q < g.k; q++ {
			g.i("VMOVUPD.Z %s, K1, %s", mem(q), z(T))
			g.i("VFMADD231PD %s, %s, %s", z(T), z(lsXR+q), z(U))
		}
	} else {
		g.i("VMOVUPD %s, %s", mem(g.k), z(U))
		for q := 0; q < g.k; q++ {
			g.i("VFMADD231PD %s, %s, %s", mem(q), z(lsXR+q), z(U))
		}
	}
	if g.cos {
		g.i("VREDUCEPD $0, %s, %s", z(U), z(U))          // q
		g.i("VPORQ %s, %s, %s", cst(lcSign), z(U), z(U)) // −|q|
		g.i("VADDPD %s, %s, %s", cst(lcQtr), z(U), z(U)) // h = ¼ − |q|
	} else {
		g.i("VREDUCEPD $0, %s, %s", z(U), z(T))    // q
		g.i("VREDUCEPD $0x10, %s, %s", z(U), z(U)) // f
		// h = sign ? q : f, bit by bit (A = U, B = T, C = the sign mask).
		g.i("VPTERNLOGQ $0xd8, %s, %s, %s", cst(lcSign), z(T), z(U))
	}
	g.i("VMULPD %s, %s, %s", z(U), z(U), z(Z))
	g.i("VBROADCASTSD %s<>+%d(SB), %s", g.tab, 8*lcW7, z(T))
	for j := 6; j >= 0; j-- {
		g.i("VFMADD213PD %s, %s, %s", cst(lcW0+j), z(Z), z(T))
	}
	g.i("VMULPD %s, %s, %s", z(T), z(U), z(U))
}

// rows emits the row loop for K = g.k. Registers: SI the row of x, R8 its stride, DI/R13/R14/R15
// the weight rows, R9 the bias row, R10 the output row, R11 its stride, R12 rows left, CX the
// row length in bytes, DX the bytes in full vectors, AX the column offset, BX scratch.
func (g *linSin) rows() {
	l := func(s string) string { return fmt.Sprintf("%sk%d%s", g.name, g.k, s) }
	g.l(l("row"))
	for q := 0; q < g.k; q++ {
		g.i("VBROADCASTSD %d(SI), Z%d", 8*q, lsXR+q)
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
	g.i("LEAQ %d(AX), BX", 64*lsStreams)
	g.i("CMPQ BX, DX")
	g.i("JGT %s", l("one"))
	// The streams' instructions interleaved one by one: each vector's chain is ~55 cycles
	// long, and interleaving keeps enough independent work in the scheduler.
	var streams [][]string
	for s := 0; s < lsStreams; s++ {
		sub := &linSin{cos: g.cos, tab: g.tab, k: g.k}
		sub.vector(3*s, 3*s+1, 3*s+2, mem(64*s), false)
		streams = append(streams, strings.Split(strings.TrimRight(sub.String(), "\n"), "\n"))
	}
	for li := range streams[0] {
		for s := range streams {
			g.WriteString(streams[s][li] + "\n")
		}
	}
	g.i("CMPQ nt+72(FP), $0")
	g.i("JNE %s", l("nt"))
	for s := 0; s < lsStreams; s++ {
		g.i("VMOVUPD Z%d, %d(R10)(AX*1)", 3*s, 64*s)
	}
	g.i("MOVQ BX, AX")
	g.i("JMP %s", l("main"))
	g.l(l("nt"))
	for s := 0; s < lsStreams; s++ {
		g.i("VMOVNTPD Z%d, %d(R10)(AX*1)", 3*s, 64*s)
	}
	g.i("MOVQ BX, AX")
	g.i("JMP %s", l("main"))
	g.l(l("one"))
	g.i("CMPQ AX, DX")
	g.i("JGE %s", l("tail"))
	g.vector(0, 1, 2, mem(0), false)
	g.i("VMOVUPD Z0, (R10)(AX*1)")
	g.i("ADDQ $64, AX")
	g.i("JMP %s", l("one"))
	g.l(l("tail"))
	g.i("CMPQ AX, CX")
	g.i("JGE %s", l("next"))
	g.vector(0, 1, 2, mem(0), true)
	g.i("VMOVUPD Z0, K1, (R10)(AX*1)")
	g.l(l("next"))
	g.i("ADDQ R8, SI")
	g.i("ADDQ R11, R10")
	g.i("DECQ R12")
	g.i("JNZ %s", l("row"))
	g.i("JMP done")
}

// linSinKernels returns the assembly of linSinAVX512 and linCosAVX512.
func linSinKernels() string {
	var out strings.Builder
	const tab = "linSinConst" // one table for both kernels
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
	for _, cos := range []bool{false, true} {
		name, what := "linSinAVX512", "sin"
		if cos {
			name, what = "linCosAVX512", "cos"
		}
		g := &linSin{cos: cos, tab: tab, name: name}
		fmt.Fprintf(g, `// func %s(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)
//
// For rows rows and n columns: out[i*ldo+j] = %s(2π·v) with v = B[j] + Σ_{q<k} x[i*xs+q]·W[q][j]
// summed in that order by FMA, where W[q] is w[q*ldw:] and B is w[k*ldw:] (1 ≤ k ≤ 4). Every v
// must be finite (the caller checks a bound per row: VREDUCEPD maps ±Inf to 0). nt ≠ 0 writes
// the full vectors of the main loop with non-temporal stores (out 64-byte aligned, ldo a
// multiple of 8).
TEXT ·%s(SB), NOSPLIT, $0-80
`, name, what, name)
		g.i("MOVQ rows+0(FP), R12")
		g.i("TESTQ R12, R12")
		g.i("JZ ret")
		g.i("MOVQ n+8(FP), CX")
		g.i("ANDQ $7, CX")
		g.i("MOVL $1, DX")
		g.i("SHLL CX, DX")
		g.i("DECL DX")
		g.i("KMOVW DX, K1") // the tail's lanes
		g.i("MOVQ n+8(FP), CX")
		g.i("MOVQ CX, DX")
		g.i("ANDQ $-8, DX")
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
		for slot := 0; slot < lcW7; slot++ {
			g.i("VBROADCASTSD %s<>+%d(SB), %s", tab, 8*slot, cst(slot))
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
	return out.String()
}
