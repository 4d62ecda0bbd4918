//go:build ignore

// gen_asm.go writes the amd64 assembly of package vmath from one description of each kernel,
// in two dialects: AVX2+FMA (4 lanes, Y registers, tails by VMASKMOVPD) and AVX-512F (8 lanes,
// Z registers, tails by k-masks). Run with `go generate` (see vector_amd64.go).
//
// Register use in every kernel: DI, R9 outputs; SI, R10, R11, … inputs; R8 n; AX the index.
// V0, V1, … hold the loaded inputs (one per input), the registers above them up to V11 are
// temporaries, V14 is the first parameter (ω of the affine kernels) and V13 the second.
// AVX2: Y12, Y13 are compare masks and Y15 the tail mask; AVX-512: K2, K3 and K1. A kernel with
// two parameters uses compare mask 0 only (Y13 holds its second parameter).
package main

import (
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/inrstudio/studio/kernel/vmath/internal/coef"
)

type gen struct {
	avx512 bool
	w      int    // lanes
	suffix string // AVX2 or AVX512
	b      strings.Builder
	consts []uint64
	index  map[string]int
}

// Comparison predicates (VCMPPD immediates).
const (
	ltOQ   = 0x11
	gtOQ   = 0x1e
	ngeUQ  = 0x09
	nleUQ  = 0x06
	unordQ = 0x03
	eqOQ   = 0x00
)

func f64(v float64) uint64 { return math.Float64bits(v) }

// constants shared by the kernels, each replicated across a vector.
var constants = []struct {
	name string
	bits uint64
}{
	{"one", f64(1)}, {"two", f64(2)}, {"half", f64(0.5)}, {"mhalf", f64(-0.5)}, {"zero", 0},
	{"inf", f64(math.Inf(1))}, {"absmask", 1<<63 - 1}, {"signmask", 1 << 63}, {"int1", 1},
	{"magic", f64(coef.Magic)}, {"twooverpi", f64(coef.TwoOverPi)}, {"triglimit", f64(0x1p23)},
	{"pf1", f64(coef.PiO2F1)}, {"pf2", f64(coef.PiO2F2)}, {"pf3", f64(coef.PiO2F3)},
	{"s0", f64(coef.S0)}, {"s1", f64(coef.S1)}, {"s2", f64(coef.S2)}, {"s3", f64(coef.S3)}, {"s4", f64(coef.S4)}, {"s5", f64(coef.S5)},
	{"invpi", f64(coef.InvPi)}, {"pi1", f64(2 * coef.PiO2F1)}, {"pi2", f64(2 * coef.PiO2F2)}, {"pi3", f64(2 * coef.PiO2F3)},
	{"t0", f64(coef.T0)}, {"t1", f64(coef.T1)}, {"t2", f64(coef.T2)}, {"t3", f64(coef.T3)},
	{"t4", f64(coef.T4)}, {"t5", f64(coef.T5)}, {"t6", f64(coef.T6)}, {"t7", f64(coef.T7)},
	{"c0", f64(coef.C0)}, {"c1", f64(coef.C1)}, {"c2", f64(coef.C2)}, {"c3", f64(coef.C3)}, {"c4", f64(coef.C4)}, {"c5", f64(coef.C5)},
	{"log2e", f64(coef.Log2E)}, {"ln2t1", f64(coef.Ln2T1)}, {"ln2t2", f64(coef.Ln2T2)},
	{"q0", f64(coef.Q0)}, {"q1", f64(coef.Q1)}, {"q2", f64(coef.Q2)}, {"q3", f64(coef.Q3)}, {"q4", f64(coef.Q4)}, {"q5", f64(coef.Q5)},
	{"q6", f64(coef.Q6)}, {"q7", f64(coef.Q7)}, {"q8", f64(coef.Q8)}, {"q9", f64(coef.Q9)}, {"q10", f64(coef.Q10)},
	{"explo", f64(-708.5)}, {"explo512", f64(expLow)}, {"exphicap", f64(710)}, {"exphi", f64(0x1.62e42fefa39efp+9)}, {"minnormal", f64(0x1p-1022)},
	{"tanhcap", f64(20)}, {"onebits", f64(1)}, {"maxfloat", f64(math.MaxFloat64)},
	{"sech2cap", f64(354)}, {"four", f64(4)}, {"mtwo", f64(-2)},
	{"gclamp", f64(27)}, {"mgclamp", f64(-27)}, // ±GaussClamp
	{"logshift", 0x3ff0000000000000 - 0x3fe6a09e667f3bcd}, {"logoffset", 0x3fe6a09e667f3bcd},
	{"fracmask", 1<<52 - 1}, {"kbias", f64(0x1p52)}, {"kbias1023", f64(0x1p52 + 1023)},
	{"p0", f64(coef.P0)}, {"p1", f64(coef.P1)}, {"p2", f64(coef.P2)}, {"p3", f64(coef.P3)}, {"p4", f64(coef.P4)}, {"p5", f64(coef.P5)}, {"p6", f64(coef.P6)},
}

func (g *gen) i(format string, args ...any) { fmt.Fprintf(&g.b, "\t"+format+"\n", args...) }

func (g *gen) v(n int) string {
	if g.avx512 {
		return fmt.Sprintf("Z%d", n)
	}
	return fmt.Sprintf("Y%d", n)
}

// c is the memory operand of a named constant.
func (g *gen) c(name string) string {
	k, ok := g.index[name]
	if !ok {
		panic("unknown constant " + name)
	}
	return fmt.Sprintf("consts%s<>+%d(SB)", g.suffix, k*8*g.rep())
}

// rep is how many copies of each constant the table holds: a full vector for AVX2, one for
// AVX-512, which broadcasts 8-byte constants inside the instruction (.BCST). Full 64-byte
// copies would be split across cache lines whenever the linker places the table at a 32-byte
// boundary that is not a 64-byte one (it aligns data to at most 32 bytes on amd64).
func (g *gen) rep() int {
	if g.avx512 {
		return 1
	}
	return g.w
}

// bop emits mnemonic mn with operands ops, broadcasting the memory operand when it is an
// AVX-512 constant.
func (g *gen) bop(mn string, ops ...string) {
	for _, o := range ops {
		if g.avx512 && strings.HasSuffix(o, "(SB)") {
			mn += ".BCST"
		}
	}
	g.i("%s %s", mn, strings.Join(ops, ", "))
}

// mask is compare-result register m (0 or 1).
func (g *gen) mask(m int) string {
	if g.avx512 {
		return fmt.Sprintf("K%d", m+2)
	}
	return fmt.Sprintf("Y%d", m+12)
}

func (g *gen) logic(op string) string {
	if g.avx512 {
		return op + "Q"
	}
	return op
}

// Three-operand forms: dst = a op b, where b may be a constant (memory operand).
func (g *gen) mul(d, a int, b string)  { g.bop("VMULPD", b, g.v(a), g.v(d)) }
func (g *gen) add(d, a int, b string)  { g.bop("VADDPD", b, g.v(a), g.v(d)) }
func (g *gen) sub(d, a int, b string)  { g.bop("VSUBPD", b, g.v(a), g.v(d)) }
func (g *gen) div(d, a int, b string)  { g.bop("VDIVPD", b, g.v(a), g.v(d)) }
func (g *gen) and(d, a int, b string)  { g.bop(g.logic("VPAND"), b, g.v(a), g.v(d)) }
func (g *gen) or(d, a int, b string)   { g.bop(g.logic("VPOR"), b, g.v(a), g.v(d)) }
func (g *gen) xor(d, a int, b string)  { g.bop(g.logic("VPXOR"), b, g.v(a), g.v(d)) }
func (g *gen) addq(d, a int, b string) { g.bop("VPADDQ", b, g.v(a), g.v(d)) }
func (g *gen) sll(d, a, n int)         { g.i("VPSLLQ $%d, %s, %s", n, g.v(a), g.v(d)) }
func (g *gen) srl(d, a, n int)         { g.i("VPSRLQ $%d, %s, %s", n, g.v(a), g.v(d)) }
func (g *gen) sqrt(d, a int)           { g.i("VSQRTPD %s, %s", g.v(a), g.v(d)) }
func (g *gen) mov(d int, src string) {
	if g.avx512 && strings.HasSuffix(src, "(SB)") {
		g.i("VBROADCASTSD %s, %s", src, g.v(d))
		return
	}
	g.i("VMOVUPD %s, %s", src, g.v(d))
}

// fma: d = a*b + d;  fnma: d = d − a*b;  horner step: d = d*a + b.
func (g *gen) fma(d, a int, b string)    { g.bop("VFMADD231PD", b, g.v(a), g.v(d)) }
func (g *gen) fnma(d, a int, b string)   { g.bop("VFNMADD231PD", b, g.v(a), g.v(d)) }
func (g *gen) horner(d, a int, b string) { g.bop("VFMADD213PD", b, g.v(a), g.v(d)) }

// maxc / minc: d = max(constant, x) / min(constant, x); a NaN in x is passed through (the
// instructions return their second source when either operand is NaN).
func (g *gen) maxc(d int, cst string, x int) {
	g.mov(d, g.c(cst))
	g.i("VMAXPD %s, %s, %s", g.v(x), g.v(d), g.v(d))
}
func (g *gen) minc(d int, cst string, x int) {
	g.mov(d, g.c(cst))
	g.i("VMINPD %s, %s, %s", g.v(x), g.v(d), g.v(d))
}

// cmp sets mask m to a pred b.
func (g *gen) cmp(m, a int, b string, pred int) {
	g.bop("VCMPPD", fmt.Sprintf("$0x%02x", pred), b, g.v(a), g.mask(m))
}

// blend: d = m ? t : f (t may be a constant, f is a register).
func (g *gen) blend(d, m int, t string, f int) {
	if g.avx512 {
		g.bop("VBLENDMPD", t, g.v(f), g.mask(m), g.v(d))
	} else {
		g.i("VBLENDVPD %s, %s, %s, %s", g.mask(m), t, g.v(f), g.v(d))
	}
}

// bailIf leaves the kernel (at the current vector, nothing of it stored) if any lane of mask m,
// or of m and m2 when both > 0, is set.
func (g *gen) bailIf(m int, both bool) {
	if g.avx512 {
		if both {
			g.i("KORW %s, %s, %s", g.mask(1), g.mask(0), g.mask(0))
		}
		g.i("KORTESTW %s, %s", g.mask(m), g.mask(m))
	} else {
		if both {
			g.i("VORPD %s, %s, %s", g.mask(1), g.mask(0), g.mask(0))
		}
		g.i("VMOVMSKPD %s, BX", g.mask(m))
		g.i("TESTL BX, BX")
	}
	g.i("JNZ bail")
}

// pickOdd: d = (low bit of t set) ? odd : even.
func (g *gen) pickOdd(d, t, even, odd int) {
	if g.avx512 {
		g.bop("VPTESTMQ", g.c("int1"), g.v(t), g.mask(1))
		g.blend(d, 1, g.v(odd), even)
	} else {
		g.sll(11, t, 63)
		g.i("VBLENDVPD %s, %s, %s, %s", g.v(11), g.v(odd), g.v(even), g.v(d))
	}
}

// whereNeg: d = (x < 0, by its sign bit for AVX2 and by comparison for AVX-512) ? t : f.
// They differ only for −0 and negative NaN, where the callers do not care.
func (g *gen) whereNeg(d, x, t, f int) {
	if g.avx512 {
		g.cmp(1, x, g.c("zero"), ltOQ)
		g.blend(d, 1, g.v(t), f)
	} else {
		g.i("VBLENDVPD %s, %s, %s, %s", g.v(x), g.v(t), g.v(f), g.v(d))
	}
}

// trig reduces |x| in register 2 and leaves sin r in 2, cos r in 9 and the quadrant sum in 3.
func (g *gen) trig() {
	g.cmp(0, 2, g.c("triglimit"), nleUQ) // |x| > limit, ±Inf or NaN: scalar path
	g.bailIf(0, false)
	g.mov(3, g.c("magic"))
	g.fma(3, 2, g.c("twooverpi")) // t = |x|·2/π + 1.5·2⁵², n in the low bits
	g.sub(4, 3, g.c("magic"))     // n
	g.fnma(2, 4, g.c("pf1"))      // exact
	g.fnma(2, 4, g.c("pf2"))
	g.fnma(2, 4, g.c("pf3")) // r
	g.mul(6, 2, g.v(2))      // z = r²
	g.mov(7, g.c("s5"))
	for _, k := range []string{"s4", "s3", "s2", "s1", "s0"} {
		g.horner(7, 6, g.c(k))
	}
	g.mov(9, g.c("c5"))
	for _, k := range []string{"c4", "c3", "c2", "c1", "c0", "mhalf", "one"} {
		g.horner(9, 6, g.c(k))
	}
	g.mul(8, 2, g.v(6)) // r·z
	g.fma(2, 8, g.v(7)) // sin r = r + r·z·S(z)
}

// halfTurns serves the kernels that need only sin or only cos: one reduction by π and one
// polynomial instead of two. Register 2 holds a = |x|. For sin, a = n·π + r; for cos,
// a = (m+½)·π + r, since cos a = (−1)^(m+1)·sin r. It leaves sin r in 2 and the rounding sum
// (n or m in the low bits) in 3. Both first reduction steps are exact with FMA: n·π1 (or
// (m+½)·π1) is a multiple of 2⁻⁵² and so is a, and |r| < 2.
func (g *gen) halfTurns(cos bool) {
	g.cmp(0, 2, g.c("triglimit"), nleUQ)
	g.bailIf(0, false)
	if cos {
		g.mov(4, g.c("mhalf"))
		g.fma(4, 2, g.c("invpi")) // a/π − ½
		g.add(3, 4, g.c("magic"))
		g.sub(4, 3, g.c("magic"))
		g.add(4, 4, g.c("half")) // m + ½
	} else {
		g.mov(3, g.c("magic"))
		g.fma(3, 2, g.c("invpi"))
		g.sub(4, 3, g.c("magic")) // n
	}
	g.fnma(2, 4, g.c("pi1"))
	g.fnma(2, 4, g.c("pi2"))
	g.fnma(2, 4, g.c("pi3"))
	g.mul(6, 2, g.v(2))
	g.mov(7, g.c("t7"))
	for _, k := range []string{"t6", "t5", "t4", "t3", "t2", "t1", "t0"} {
		g.horner(7, 6, g.c(k))
	}
	g.mul(8, 2, g.v(6))
	g.fma(2, 8, g.v(7))
}

// sinOut writes sin x into d from trig's results and the argument in register x.
func (g *gen) sinOut(d, x int) {
	g.pickOdd(d, 3, 2, 9)
	g.sll(10, 3, 62)
	g.xor(10, 10, g.v(x))
	g.and(10, 10, g.c("signmask"))
	g.xor(d, d, g.v(10))
}

func (g *gen) cosOut(d int) {
	g.pickOdd(d, 3, 9, 2)
	g.addq(10, 3, g.c("int1"))
	g.sll(10, 10, 62)
	g.and(10, 10, g.c("signmask"))
	g.xor(d, d, g.v(10))
}

// expOf leaves e^x in register 6 for x in register 0, the exp kernel's whole computation (it
// uses registers 2 to 7 and both masks).
func (g *gen) expOf() {
	g.maxc(2, g.expLo(), 0)
	g.minc(3, "exphicap", 2)
	g.expParts(3, true)
	g.expScaled(3)
	g.flushBelow(0)
	if !g.avx512 {
		// Beyond the largest finite result (the exponent-field sum may read as NaN).
		g.cmp(1, 0, g.c("exphi"), gtOQ)
		g.blend(6, 1, g.c("inf"), 6)
	}
}

// flushTiny sets register e to +0 where |e| is below 2⁻¹⁰²² (zeros and subnormals; vmath's
// FlushTiny), using register 4 and mask 0.
func (g *gen) flushTiny(e int) {
	g.and(4, e, g.c("absmask"))
	g.cmp(0, 4, g.c("minnormal"), ltOQ)
	g.blend(e, 0, g.c("zero"), e)
}

// fkanJet forms FKANJet's outputs from x, t, e2 and e1 in registers 0 to 3 (ω is k), its
// operations in its order: the exponentials flushed below 2⁻¹⁰²², q = ((4·e2)·r2)·r2 with
// r2 = 1/(1+e2); r = 1/(1+e1), er = e1·r, σ = x < 0 ? er : r, σ′ = er·r; v = (x+t)·σ and
// d = (k·q+1)·σ + (x+t)·σ′. It returns the registers of v and d.
func (g *gen) fkanJet() []int {
	g.flushedRecip(2, 5)
	g.mov(6, g.c("four"))
	g.mul(6, 6, g.v(2))
	g.mul(6, 6, g.v(5))
	g.mul(6, 6, g.v(5))
	g.flushedRecip(3, 7)
	g.mul(8, 3, g.v(7))
	g.mul(9, 8, g.v(7))
	g.cmp(1, 0, g.c("zero"), ltOQ)
	g.blend(10, 1, g.v(8), 7)
	g.add(11, 0, g.v(1))
	g.mul(5, 6, g.v(14))
	g.add(5, 5, g.c("one"))
	g.mul(5, 5, g.v(10))
	g.mul(9, 11, g.v(9))
	g.add(5, 5, g.v(9))
	g.mul(4, 11, g.v(10))
	return []int{4, 5}
}

// flushNormal sets register r to ±0 (its sign kept) where |r| is below 2⁻¹⁰²² (vmath's
// FlushNormal), using registers t1, t2 and mask 0.
func (g *gen) flushNormal(r, t1, t2 int) {
	g.and(t1, r, g.c("absmask"))
	g.cmp(0, t1, g.c("minnormal"), ltOQ)
	g.and(t2, r, g.c("signmask"))
	g.blend(r, 0, g.v(t2), r)
}

// bailIfInf leaves the kernel at the current vector if a lane of register x is ±Inf (register
// t, mask 0).
func (g *gen) bailIfInf(x, t int) {
	g.and(t, x, g.c("absmask"))
	g.cmp(0, t, g.c("inf"), eqOQ)
	g.bailIf(0, false)
}

// gaborGradD leaves, for a in register a, ψ = pr + i·pi in registers 1+o, 2+o and the
// gradients gR, gI in 3+o, 4+o, dot = gR·pr + gI·pi in register 6 and
// ∂L/∂a = flush((−2s²)·a·dot + ω·(gI·pr − gR·pi)) in register 8 (ω in V14, 2s² in V13), using
// registers 7, 9 and 10: GaborGrad's operations in its order.
func (g *gen) gaborGradD(o int) {
	pr, pi, gr, gi := 1+o, 2+o, 3+o, 4+o
	g.mul(6, gr, g.v(pr))
	g.mul(7, gi, g.v(pi))
	g.add(6, 6, g.v(7)) // dot
	g.mul(7, gi, g.v(pr))
	g.mul(9, gr, g.v(pi))
	g.sub(7, 7, g.v(9))
	g.mul(7, 14, g.v(7)) // ω·(gI·pr − gR·pi)
	g.xor(8, 13, g.c("signmask"))
	g.mul(8, 8, g.v(0))
	g.mul(8, 8, g.v(6))
	g.add(8, 8, g.v(7))
	g.flushNormal(8, 9, 10)
}

// spill and reload keep register r in the frame's slot (64 bytes each, see spillSlots).
func (g *gen) spill(r, slot int)  { g.i("VMOVUPD %s, %d(SP)", g.v(r), 64*slot) }
func (g *gen) reload(r, slot int) { g.i("VMOVUPD %d(SP), %s", 64*slot, g.v(r)) }

// spillSlots is the number of frame slots a kernel spills registers to (none if absent).
var spillSlots = map[string]int{"fkan": 3}

// flushedRecip flushes register e (flushTiny) and leaves 1/(1+e) in register r.
func (g *gen) flushedRecip(e, r int) {
	g.flushTiny(e)
	g.add(4, e, g.c("one"))
	g.mov(r, g.c("one"))
	g.div(r, r, g.v(4))
}

// expParts: for y in register y, t (register 4) = y·log2e + magic, r (register y) the reduced
// argument, and register 6 = Q(r), so that e^y = 2ⁿ·(1 + r·Q(r)); with withQ0 false, register 6
// is (Q(r)−1)/r instead.
func (g *gen) expParts(y int, withQ0 bool) {
	g.mov(4, g.c("magic"))
	g.fma(4, y, g.c("log2e"))
	g.sub(5, 4, g.c("magic"))
	g.fnma(y, 5, g.c("ln2t1"))
	g.fnma(y, 5, g.c("ln2t2"))
	g.mov(6, g.c("q10"))
	for _, k := range []string{"q9", "q8", "q7", "q6", "q5", "q4", "q3", "q2", "q1"} {
		g.horner(6, y, g.c(k))
	}
	if withQ0 {
		g.horner(6, y, g.c("q0"))
	}
}

// expScaled leaves e^y in register 6 after expParts(y), flushed to +0 below 2⁻¹⁰²².
// AVX-512 scales by VSCALEFPD, which also overflows to +Inf and keeps NaN. AVX2 adds n to the
// exponent field: below 2⁻¹⁰²² that gives subnormal or wrapped (negative) patterns, which the
// flush removes, and a NaN's payload bits would leak into the result, so NaN lanes (r is NaN
// there) are restored at the end.
func (g *gen) expScaled(y int) {
	g.horner(6, y, g.c("one")) // 1 + r·Q(r)
	if g.avx512 {
		g.i("VSCALEFPD %s, %s, %s", g.v(5), g.v(6), g.v(6))
	} else {
		g.sll(7, 4, 52)
		g.addq(6, 6, g.v(7))
	}
	g.cmp(0, 6, g.c("minnormal"), ltOQ)
	g.blend(6, 0, g.c("zero"), 6)
	if !g.avx512 {
		g.cmp(0, y, g.v(y), unordQ)
		g.blend(6, 0, g.v(y), 6)
	}
}

// expLow is ln 2⁻¹⁰²² rounded: below it e^y is not a normal number. The AVX-512 exponential
// kernels clamp their argument here (expLo) and flush the lanes below it (flushBelow), so that no
// lane ever forms a subnormal: VSCALEFPD takes a microcode assist for every subnormal or
// underflowing result, which made the AVX-512 exp 15× slower on arguments below −708 (Gauss
// activations: −(30x)² is mostly far below). The results are those of the unclamped kernel,
// which flushed such lanes after forming them. AVX2 forms 2ⁿ by integer addition, which costs
// the same for any n, and keeps its clamp at −708.5 and the flush of the results alone.
const expLow = -708.3964185322641

// expLo names the constant the exponential kernels clamp their argument at.
func (g *gen) expLo() string {
	if g.avx512 {
		return "explo512"
	}
	return "explo"
}

// flushBelow (AVX-512) sets register 6 (a result of expScaled) to +0 in the lanes where register
// y, the argument before clamping, is below expLow (NaN lanes keep their NaN).
func (g *gen) flushBelow(y int) {
	if !g.avx512 {
		return
	}
	g.cmp(1, y, g.c("explo512"), ltOQ)
	g.blend(6, 1, g.c("zero"), 6)
}

// expm1Twice leaves |x| in register 2 and e = expm1(2·min(|x|, cap)) in register 8, for x in
// register 0 (tanh and its derivative are formed from e).
func (g *gen) expm1Twice(cap string) {
	g.and(2, 0, g.c("absmask"))
	g.minc(3, cap, 2)
	g.add(3, 3, g.v(3)) // y = 2|x|
	g.expParts(3, false)
	// u = e^r − 1 = r + r·(r·Q'): no rounding of Q(r) near 1, which would cost a whole ulp
	// of tanh for small |x|.
	g.mul(6, 6, g.v(3))
	g.horner(6, 3, g.v(3))
	g.sll(7, 4, 52)
	g.addq(7, 7, g.c("onebits")) // 2ⁿ
	g.sub(8, 7, g.c("one"))
	g.fma(8, 7, g.v(6)) // e = 2ⁿ·u + (2ⁿ−1) = expm1(y)
}

// tanhQuotient leaves tanh x = sign(x)·e/(e+2) in register 11, from e (register 8), e+2
// (register 9) and x (register 0), with the rounding error of e+2 carried (see ratioPlus).
func (g *gen) tanhQuotient() {
	g.maxc(10, "two", 8)
	g.minc(11, "two", 8)
	g.sub(10, 10, g.v(9))
	g.add(10, 10, g.v(11)) // err
	g.div(11, 8, g.v(9))   // q
	g.mov(9, g.c("one"))
	g.sub(9, 9, g.v(11)) // 1−q
	g.mul(10, 10, g.v(11))
	g.mul(10, 10, g.v(9))
	g.mul(10, 10, g.c("half"))
	g.sub(11, 11, g.v(10))
	g.and(0, 0, g.c("signmask"))
	g.or(11, 11, g.v(0))
}

type kernel struct {
	name   string
	outs   []string
	ins    []string
	params []string           // float64 parameters, broadcast into V14 and V13
	body   func(g *gen) []int // registers holding the outputs
}

// omega is the parameter list of the one-parameter kernels.
var omega = []string{"omega"}

var kernels = []kernel{
	{"sin", []string{"dst"}, []string{"x"}, nil, func(g *gen) []int {
		g.and(2, 0, g.c("absmask"))
		g.halfTurns(false)
		g.sll(10, 3, 63) // (−1)ⁿ, then the sign of x
		g.xor(10, 10, g.v(0))
		g.and(10, 10, g.c("signmask"))
		g.xor(5, 2, g.v(10))
		return []int{5}
	}},
	{"cos", []string{"dst"}, []string{"x"}, nil, func(g *gen) []int {
		g.and(2, 0, g.c("absmask"))
		g.halfTurns(true)
		g.addq(10, 3, g.c("int1")) // (−1)^(m+1)
		g.sll(10, 10, 63)
		g.xor(5, 2, g.v(10))
		return []int{5}
	}},
	{"sinCos", []string{"s", "c"}, []string{"x"}, nil, func(g *gen) []int {
		g.and(2, 0, g.c("absmask"))
		g.trig()
		g.sinOut(5, 0)
		g.cosOut(1)
		return []int{5, 1}
	}},
	{"affineSinCos", []string{"s", "c"}, []string{"x", "b"}, omega, func(g *gen) []int {
		g.add(0, 0, g.v(1))
		g.mul(0, 0, g.v(14))
		g.and(2, 0, g.c("absmask"))
		g.trig()
		g.sinOut(5, 0)
		g.cosOut(1)
		return []int{5, 1}
	}},
	{"affineCos", []string{"c"}, []string{"x", "b"}, omega, func(g *gen) []int {
		g.add(0, 0, g.v(1))
		g.mul(0, 0, g.v(14))
		g.and(2, 0, g.c("absmask"))
		g.halfTurns(true)
		g.addq(10, 3, g.c("int1"))
		g.sll(10, 10, 63)
		g.xor(5, 2, g.v(10))
		return []int{5}
	}},
	{"sinSqrt", []string{"v", "d"}, []string{"x"}, omega, func(g *gen) []int {
		// SinSqrtJet's operations in its order, on sincos's sine and cosine: u = ω·x,
		// v = s·r and d = (ω·r)·(c + S/2) with r = √|u|, S = s/u (1 where u = 0).
		g.mul(0, 0, g.v(14))
		g.and(2, 0, g.c("absmask"))
		g.trig()
		g.sinOut(5, 0)
		g.cosOut(1)
		g.and(2, 0, g.c("absmask"))
		g.sqrt(2, 2)
		g.mul(6, 5, g.v(2))
		g.div(7, 5, g.v(0))
		g.cmp(0, 0, g.c("zero"), eqOQ)
		g.blend(7, 0, g.c("one"), 7)
		g.mul(7, 7, g.c("half"))
		g.add(7, 7, g.v(1))
		g.mul(8, 2, g.v(14))
		g.mul(8, 8, g.v(7))
		return []int{6, 8}
	}},
	{"fkan", []string{"v", "d"}, []string{"x"}, omega, func(g *gen) []int {
		// The FKAN slice path's elementary values as its kernel calls computed them (ω is k):
		// t = tanh(k·x) (the tanh kernel), e2 = exp((−2)·|k·x|) and e1 = exp(−|x|) (the exp
		// kernel), x and the first two kept in the frame; then FKANJet's operations.
		g.spill(0, 0)
		g.mul(0, 0, g.v(14))
		g.expm1Twice("tanhcap")
		g.add(9, 8, g.c("two"))
		g.tanhQuotient()
		g.spill(11, 1)
		g.reload(0, 0)
		g.mul(0, 0, g.v(14))
		g.and(0, 0, g.c("absmask"))
		g.mul(0, 0, g.c("mtwo"))
		g.expOf()
		g.spill(6, 2)
		g.reload(0, 0)
		g.or(0, 0, g.c("signmask"))
		g.expOf()
		g.mov(3, g.v(6))
		g.reload(0, 0)
		g.reload(1, 1)
		g.reload(2, 2)
		return g.fkanJet()
	}},
	{"gaussJet", []string{"v", "d"}, []string{"x"}, omega, func(g *gen) []int {
		// GaussJet's operations in its order (ω is s), the exponential as the exp kernel's:
		// u = s·x, e = flush(exp(−(u·u))), t = max(−c, min(u, c)), d = flush(((−2·s)·t)·e).
		g.mul(8, 0, g.v(14))
		g.mul(0, 8, g.v(8))
		g.xor(0, 0, g.c("signmask"))
		g.expOf()
		g.flushTiny(6)
		g.minc(9, "gclamp", 8)
		g.maxc(11, "mgclamp", 9)
		g.mov(10, g.c("mtwo"))
		g.mul(10, 10, g.v(14))
		g.mul(10, 10, g.v(11))
		g.mul(10, 10, g.v(6))
		g.flushTiny(10)
		return []int{6, 10}
	}},
	// WIRE's Gabor wavelet (see vmath.GaborArg, GaborPsi, GaborGrad): IEEE operations only, in
	// the scalar functions' order, so every implementation gives the same bits.
	{"gaborArg", []string{"e", "c"}, []string{"a", "b"}, []string{"omega", "s2"}, func(g *gen) []int {
		g.bailIfInf(0, 2)
		g.bailIfInf(1, 2)
		g.mul(4, 13, g.v(1))
		g.add(4, 14, g.v(4)) // ω + s²b
		g.xor(5, 1, g.c("signmask"))
		g.mul(5, 5, g.v(4))
		g.mul(6, 13, g.v(0))
		g.mul(6, 6, g.v(0))
		g.sub(5, 5, g.v(6)) // −b·(ω + s²b) − s²a·a
		g.mul(7, 14, g.v(0))
		return []int{5, 7}
	}},
	{"gaborArgReal", []string{"e", "c"}, []string{"a"}, []string{"omega", "s2"}, func(g *gen) []int {
		g.bailIfInf(0, 2)
		g.xor(5, 13, g.c("signmask"))
		g.mul(5, 5, g.v(0))
		g.mul(5, 5, g.v(0)) // (−s²)·a·a
		g.mul(7, 14, g.v(0))
		return []int{5, 7}
	}},
	{"gaborPsi", []string{"re", "im"}, []string{"m", "s", "c"}, nil, func(g *gen) []int {
		g.mul(4, 0, g.v(2))
		g.flushNormal(4, 6, 7)
		g.mul(5, 0, g.v(1))
		g.flushNormal(5, 6, 7)
		return []int{4, 5}
	}},
	{"gaborGrad", []string{"da", "db"}, []string{"a", "b", "pr", "pi", "gr", "gi"}, []string{"omega", "s2x2"}, func(g *gen) []int {
		// a is in register 0 and b in 1: ψ and the gradients are in 2 to 5.
		g.gaborGradD(1)
		g.xor(9, 14, g.c("signmask"))
		g.mul(10, 13, g.v(1))
		g.sub(9, 9, g.v(10)) // −ω − 2s²b
		g.mul(9, 9, g.v(6))
		g.flushNormal(9, 10, 11)
		return []int{8, 9}
	}},
	{"gaborGradReal", []string{"da"}, []string{"a", "pr", "pi", "gr", "gi"}, []string{"omega", "s2x2"}, func(g *gen) []int {
		g.gaborGradD(0)
		return []int{8}
	}},
	{"exp", []string{"dst"}, []string{"x"}, nil, func(g *gen) []int {
		g.expOf()
		return []int{6}
	}},
	{"tanh", []string{"dst"}, []string{"x"}, nil, func(g *gen) []int {
		g.expm1Twice("tanhcap")
		g.add(9, 8, g.c("two"))
		g.tanhQuotient()
		return []int{11}
	}},
	{"tanhSech2", []string{"t", "q"}, []string{"x"}, nil, func(g *gen) []int {
		// tanh as in the tanh kernel, with |x| capped at 354 instead of 20 (tanh is exactly
		// ±1 either way) so that e = expm1(2|x|) also gives sech² = 4(1+e)/(e+2)² to full
		// relative accuracy down to 2⁻¹⁰²⁰; beyond the cap sech² is flushed to +0.
		g.expm1Twice("sech2cap")
		g.add(9, 8, g.c("two"))
		// sech² = 4·(1+e)·b·b with b = 1/(e+2): no overflow of (e+2)² at the cap.
		g.mov(1, g.c("one"))
		g.div(1, 1, g.v(9))
		g.add(5, 8, g.c("one"))
		g.mul(5, 5, g.v(1))
		g.mul(5, 5, g.v(1))
		g.mul(5, 5, g.c("four"))
		g.cmp(0, 2, g.c("sech2cap"), gtOQ)
		g.blend(5, 0, g.c("zero"), 5)
		g.tanhQuotient()
		return []int{11, 5}
	}},
	{"sigmoid", []string{"dst"}, []string{"x"}, nil, func(g *gen) []int {
		g.or(2, 0, g.c("signmask")) // −|x|
		g.maxc(3, g.expLo(), 2)
		g.expParts(3, true)
		g.expScaled(3) // e = e^−|x|
		g.flushBelow(2)
		g.add(8, 6, g.c("one"))
		g.mov(9, g.c("one"))
		g.sub(9, 9, g.v(8))
		g.add(9, 9, g.v(6)) // err of d = 1+e
		g.mov(10, g.c("one"))
		g.whereNeg(10, 0, 6, 10) // numerator: e for x < 0, else 1
		g.div(11, 10, g.v(8))    // q
		g.mov(2, g.c("one"))
		g.sub(2, 2, g.v(11))
		g.whereNeg(3, 0, 2, 11) // 1/d: 1−q for x < 0, else q
		g.mul(9, 9, g.v(11))
		g.mul(9, 9, g.v(3))
		g.sub(11, 11, g.v(9))
		return []int{11}
	}},
	{"log", []string{"dst"}, []string{"x"}, nil, func(g *gen) []int {
		g.cmp(0, 0, g.c("minnormal"), ngeUQ) // below the normals, negative, NaN
		g.cmp(1, 0, g.c("maxfloat"), nleUQ)  // +Inf
		g.bailIf(0, true)
		g.addq(2, 0, g.c("logshift"))
		g.srl(3, 2, 52)
		g.or(3, 3, g.c("kbias"))
		g.sub(3, 3, g.c("kbias1023")) // k
		g.and(2, 2, g.c("fracmask"))
		g.addq(2, 2, g.c("logoffset"))
		g.sub(2, 2, g.c("one")) // f
		g.add(4, 2, g.c("two"))
		g.div(4, 2, g.v(4)) // s = f/(2+f)
		g.mul(5, 4, g.v(4)) // z
		g.mov(6, g.c("p6"))
		for _, k := range []string{"p5", "p4", "p3", "p2", "p1", "p0"} {
			g.horner(6, 5, g.c(k))
		}
		g.mul(6, 6, g.v(5)) // R
		g.mul(7, 2, g.v(2))
		g.mul(7, 7, g.c("half")) // hf = f²/2
		g.add(6, 7, g.v(6))
		g.mul(8, 3, g.c("ln2t2"))
		g.fma(8, 4, g.v(6)) // s·(hf+R) + k·ln2lo
		g.sub(7, 7, g.v(8))
		g.sub(7, 2, g.v(7))
		g.fma(7, 3, g.c("ln2t1"))
		return []int{7}
	}},
}

var outRegs = []string{"DI", "R9"}
var inRegs = []string{"SI", "R10", "R11", "R12", "R13", "R14"}
var paramRegs = []int{14, 13}

// decl is the Go signature of kernel k's arguments.
func (k kernel) decl() string {
	d := strings.Join(append(append([]string{}, k.outs...), k.ins...), ", ") + " *float64, n int"
	if len(k.params) > 0 {
		d += ", " + strings.Join(k.params, ", ") + " float64"
	}
	return d
}

func (g *gen) kernel(k kernel) {
	args := append(append([]string{}, k.outs...), k.ins...)
	nOff := 8 * len(args)
	retOff := nOff + 8 + 8*len(k.params)
	name := k.name + g.suffix
	fmt.Fprintf(&g.b, "\n// func %s(%s) int\nTEXT ·%s(SB), NOSPLIT, $%d-%d\n", name, k.decl(), name, 64*spillSlots[k.name], retOff+8)
	for j, o := range k.outs {
		g.i("MOVQ %s+%d(FP), %s", o, 8*j, outRegs[j])
	}
	for j, in := range k.ins {
		g.i("MOVQ %s+%d(FP), %s", in, 8*(len(k.outs)+j), inRegs[j])
	}
	g.i("MOVQ n+%d(FP), R8", nOff)
	for j, p := range k.params {
		g.i("VBROADCASTSD %s+%d(FP), %s", p, nOff+8+8*j, g.v(paramRegs[j]))
	}
	g.i("XORQ AX, AX")
	fmt.Fprintf(&g.b, "loop:\n")
	g.i("LEAQ %d(AX), DX", g.w)
	g.i("CMPQ DX, R8")
	g.i("JGT tail")
	for j := range k.ins {
		g.i("VMOVUPD (%s)(AX*8), %s", inRegs[j], g.v(j))
	}
	outs := k.body(g)
	for j, r := range outs {
		g.i("VMOVUPD %s, (%s)(AX*8)", g.v(r), outRegs[j])
	}
	g.i("MOVQ DX, AX")
	g.i("JMP loop")
	fmt.Fprintf(&g.b, "tail:\n")
	g.i("CMPQ AX, R8")
	g.i("JGE done")
	// Lanes past the end read as 1.0, an argument every kernel takes without leaving.
	if g.avx512 {
		g.i("MOVQ R8, CX")
		g.i("SUBQ AX, CX")
		g.i("MOVL $1, BX")
		g.i("SHLL CX, BX")
		g.i("DECL BX")
		g.i("KMOVW BX, K1")
		for j := range k.ins {
			g.mov(j, g.c("one"))
			g.i("VMOVUPD (%s)(AX*8), K1, %s", inRegs[j], g.v(j))
		}
	} else {
		g.i("MOVQ AX, DX")
		g.i("SUBQ R8, DX") // −(lanes left)
		g.i("LEAQ tailmask<>+32(SB), BX")
		g.i("VMOVUPD (BX)(DX*8), Y15")
		for j := range k.ins {
			g.i("VMASKMOVPD (%s)(AX*8), Y15, %s", inRegs[j], g.v(j))
			g.mov(11, g.c("one"))
			g.i("VBLENDVPD Y15, %s, Y11, %s", g.v(j), g.v(j))
		}
	}
	outs = k.body(g)
	for j, r := range outs {
		if g.avx512 {
			g.i("VMOVUPD %s, K1, (%s)(AX*8)", g.v(r), outRegs[j])
		} else {
			g.i("VMASKMOVPD %s, Y15, (%s)(AX*8)", g.v(r), outRegs[j])
		}
	}
	g.i("MOVQ R8, AX")
	fmt.Fprintf(&g.b, "done:\nbail:\n")
	g.i("VZEROUPPER")
	g.i("MOVQ AX, ret+%d(FP)", retOff)
	g.i("RET")
}

func generate(avx512 bool) string {
	g := &gen{avx512: avx512, w: 4, suffix: "AVX2", index: map[string]int{}}
	if avx512 {
		g.w, g.suffix = 8, "AVX512"
	}
	for j, c := range constants {
		g.index[c.name] = j
	}
	fmt.Fprintf(&g.b, "// Code generated by gen_asm.go; DO NOT EDIT.\n\n//go:build amd64\n\n#include \"textflag.h\"\n")
	for _, k := range kernels {
		g.kernel(k)
	}
	fmt.Fprintf(&g.b, "\n")
	for j, c := range constants {
		for l := 0; l < g.rep(); l++ {
			fmt.Fprintf(&g.b, "DATA consts%s<>+%d(SB)/8, $0x%016x // %s\n", g.suffix, (j*g.rep()+l)*8, c.bits, c.name)
		}
	}
	fmt.Fprintf(&g.b, "GLOBL consts%s<>(SB), RODATA|NOPTR, $%d\n", g.suffix, len(constants)*g.rep()*8)
	if !avx512 {
		for l := 0; l < 8; l++ {
			v := uint64(0)
			if l < 4 {
				v = math.MaxUint64
			}
			fmt.Fprintf(&g.b, "DATA tailmask<>+%d(SB)/8, $0x%016x\n", l*8, v)
		}
		fmt.Fprintf(&g.b, "GLOBL tailmask<>(SB), RODATA|NOPTR, $64\n")
	}
	return g.b.String()
}

// declarations is the Go side of every kernel.
func declarations() string {
	var b strings.Builder
	b.WriteString("// Code generated by gen_asm.go; DO NOT EDIT.\n\n//go:build amd64\n\npackage vmath\n")
	for _, suffix := range []string{"AVX2", "AVX512"} {
		for _, k := range kernels {
			fmt.Fprintf(&b, "\n//go:noescape\nfunc %s%s(%s) int\n", k.name, suffix, k.decl())
		}
	}
	return b.String()
}

func main() {
	for name, text := range map[string]string{
		"vector_avx2_amd64.s":   generate(false),
		"vector_avx512_amd64.s": generate(true),
		"vector_decl_amd64.go":  declarations(),
	} {
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
