package main

import (
	"fmt"
	"math"
	"strings"
)

// The fused first-layer kernels of LinearSin (AVX-512): for each row of x, one pass over the
// columns computes u = x·W + B (W, B already scaled by ω), reduces u by π, evaluates the sine
// polynomial and stores the result, all in registers. Every vector of 8 outputs costs 18 vector
// operations for the sine (19 for the cosine) when K = 2; the two vector ports run them at one
// per half cycle, which sets the speed (the output stream, 8 bytes per element, keeps pace).
//
// Per vector, with U the argument:
//
//	t = U·(1/π) + M           M = 1.5·2⁵²: n = round(U/π) in the low bits of t
//	n = t − M
//	r = U − n·π1 − n·π2 − n·π3 (the first step is exact with FMA: n·π1 and U are multiples of
//	                           2⁻⁵² when |U| ≥ 1, and |r| < 2; n = 0 below 1)
//	r ^= (t << 63)            sin U = (−1)ⁿ sin r: the parity of n moved to the sign bit
//	z = r², r3 = r·z
//	s = r + r3·P(z)           P of degree 6 (7 coefficients), Horner
//
// For the cosine, t = U·(2/π) + M rounded towards −∞ (embedded rounding), so t − M = ⌊2U/π⌋;
// setting its low bit gives the odd integer c = 2m+1 with |U − c·π/2| ≤ π/2, and
// cos U = (−1)^(m+1)·sin(U − c·π/2), the sign being bit 1 of t.
//
// The third reduction term is not optional: with two terms (106 bits of π) the double nearest
// 232π reduces to r ≈ 1e-17 with an error of 232·3e-33, 600 ulp of the result.

// sinPoly: sin r = r + r³·P(r²) on |r| ≤ π/2, relative error of sin below 2^-51.6; fitted by
// kernel/vmath/internal/coef/remez.py ("U", weighted by the relative error of sin itself).
var sinPoly = []float64{
	-0.16666666666666408,
	0.008333333333298524,
	-0.00019841269827585085,
	2.7557316821516313e-06,
	-2.5051889572286345e-08,
	1.6048270239756184e-10,
	-7.374364262535013e-13,
}

// Slots of the constant tables linSinConst<> and linCosConst<>.
const (
	lcInvPi = iota // 1/π (sin) or 2/π (cos)
	lcMagic
	lcPi1 // π (sin) or π/2 (cos) in three parts
	lcPi2
	lcPi3
	lcP0   // P0..P6
	lcInt1 = lcP0 + 7
	lcSign = lcInt1 + 1
	lcLen  = lcSign + 1
)

const (
	lsStreams = 6  // vectors per main-loop iteration, 4 registers each (Z0..Z23)
	lsConstR  = 24 // Z24..Z27 hold the first four constants; the rest are memory broadcasts
	lsXR      = 28 // Z28..Z31: the row's K values of x
)

type linSin struct {
	asm
	cos  bool
	tab  string
	k    int
	name string
}

// cst is the operand for a constant slot: a register for the first four, else a broadcast.
func (g *linSin) cst(slot int) (op string, bcast bool) {
	if slot < 4 {
		return fmt.Sprintf("Z%d", lsConstR+slot), false
	}
	return fmt.Sprintf("%s<>+%d(SB)", g.tab, 8*slot), true
}

// op emits "mn constant, rest..." (Go operand order), broadcasting a memory constant.
func (g *linSin) op(mn string, slot int, rest ...string) {
	o, b := g.cst(slot)
	if b {
		mn += ".BCST"
	}
	g.i("%s %s, %s", mn, o, strings.Join(rest, ", "))
}

// vector emits one vector of outputs into register U from the columns at mem(q) (q < k: the
// weight rows, q == k: the bias row); T, N, R are scratch. masked loads lanes under K1 only.
func (g *linSin) vector(U, T, N, R int, mem func(q int) string, masked bool) {
	z := func(r int) string { return fmt.Sprintf("Z%d", r) }
	if masked {
		g.i("VMOVUPD.Z %s, K1, %s", mem(g.k), z(U))
		for q := 0; q < g.k; q++ {
			g.i("VMOVUPD.Z %s, K1, %s", mem(q), z(N))
			g.i("VFMADD231PD %s, %s, %s", z(N), z(lsXR+q), z(U))
		}
	} else {
		g.i("VMOVUPD %s, %s", mem(g.k), z(U))
		for q := 0; q < g.k; q++ {
			g.i("VFMADD231PD %s, %s, %s", mem(q), z(lsXR+q), z(U))
		}
	}
	g.i("VBROADCASTSD %s<>+%d(SB), %s", g.tab, 8*lcMagic, z(T))
	if g.cos {
		g.i("VFMADD231PD.RD_SAE Z%d, %s, %s", lsConstR+lcInvPi, z(U), z(T))
		g.op("VPORQ", lcInt1, z(T), z(T))
	} else {
		g.op("VFMADD231PD", lcInvPi, z(U), z(T))
	}
	g.op("VSUBPD", lcMagic, z(T), z(N))
	g.op("VFNMADD231PD", lcPi1, z(N), z(U))
	g.op("VFNMADD231PD", lcPi2, z(N), z(U))
	g.op("VFNMADD231PD", lcPi3, z(N), z(U))
	if g.cos {
		g.i("VPSLLQ $62, %s, %s", z(T), z(T))
		// U ^= ¬T & sign: the sign flips when bit 1 of t (now bit 63) is clear.
		o, _ := g.cst(lcSign)
		g.i("VPTERNLOGQ.BCST $0xd2, %s, %s, %s", o, z(T), z(U))
	} else {
		g.i("VPSLLQ $63, %s, %s", z(T), z(T))
		g.i("VPXORQ %s, %s, %s", z(T), z(U), z(U))
	}
	g.i("VMULPD %s, %s, %s", z(U), z(U), z(N))
	g.i("VMULPD %s, %s, %s", z(N), z(U), z(R))
	g.i("VBROADCASTSD %s<>+%d(SB), %s", g.tab, 8*(lcP0+6), z(T))
	for j := 5; j >= 0; j-- {
		g.op("VFMADD213PD", lcP0+j, z(N), z(T))
	}
	g.i("VFMADD231PD %s, %s, %s", z(T), z(R), z(U))
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
	// The streams' instructions interleaved one by one: each vector's chain is ~60 cycles
	// long, and interleaving keeps enough independent work in the scheduler.
	var streams [][]string
	for s := 0; s < lsStreams; s++ {
		sub := &linSin{cos: g.cos, tab: g.tab, k: g.k}
		sub.vector(4*s, 4*s+1, 4*s+2, 4*s+3, mem(64*s), false)
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
		g.i("VMOVUPD Z%d, %d(R10)(AX*1)", 4*s, 64*s)
	}
	g.i("MOVQ BX, AX")
	g.i("JMP %s", l("main"))
	g.l(l("nt"))
	for s := 0; s < lsStreams; s++ {
		g.i("VMOVNTPD Z%d, %d(R10)(AX*1)", 4*s, 64*s)
	}
	g.i("MOVQ BX, AX")
	g.i("JMP %s", l("main"))
	g.l(l("one"))
	g.i("CMPQ AX, DX")
	g.i("JGE %s", l("tail"))
	g.vector(0, 1, 2, 3, mem(0), false)
	g.i("VMOVUPD Z0, (R10)(AX*1)")
	g.i("ADDQ $64, AX")
	g.i("JMP %s", l("one"))
	g.l(l("tail"))
	g.i("CMPQ AX, CX")
	g.i("JGE %s", l("next"))
	g.vector(0, 1, 2, 3, mem(0), true)
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
	for _, cos := range []bool{false, true} {
		name, tab, what := "linSinAVX512", "linSinConst", "sin"
		inv, p1, p2, p3 := 1/math.Pi, 0x1.921fb54442d18p+1, 0x1.1a62633145c07p-53, -0x1.f1976b7ed8fbcp-109
		if cos {
			name, tab, what = "linCosAVX512", "linCosConst", "cos"
			inv, p1, p2, p3 = 2/math.Pi, p1/2, p2/2, p3/2
		}
		vals := []uint64{math.Float64bits(inv), math.Float64bits(0x1.8p52),
			math.Float64bits(p1), math.Float64bits(p2), math.Float64bits(p3)}
		for _, c := range sinPoly {
			vals = append(vals, math.Float64bits(c))
		}
		vals = append(vals, 1, 1<<63)
		if len(vals) != lcLen {
			panic("linsin: constant table")
		}
		for j, v := range vals {
			fmt.Fprintf(&out, "DATA %s<>+%d(SB)/8, $0x%016x\n", tab, 8*j, v)
		}
		fmt.Fprintf(&out, "GLOBL %s<>(SB), RODATA|NOPTR, $%d\n\n", tab, 8*len(vals))

		g := &linSin{cos: cos, tab: tab, name: name}
		fmt.Fprintf(g, `// func %s(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)
//
// For rows rows and n columns: out[i*ldo+j] = %s(u) with u = B[j] + Σ_{q<k} x[i*xs+q]·W[q][j]
// summed in that order by FMA, where W[q] is w[q*ldw:] and B is w[k*ldw:] (1 ≤ k ≤ 4). Every
// |u| must be at most 2^20 (the caller checks a bound per row). nt ≠ 0 writes the full vectors
// of the main loop with non-temporal stores (out 64-byte aligned, ldo a multiple of 8).
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
		for slot := 0; slot < 4; slot++ {
			g.i("VBROADCASTSD %s<>+%d(SB), Z%d", tab, 8*slot, lsConstR+slot)
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
