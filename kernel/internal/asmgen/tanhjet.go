package main

import (
	"fmt"
	"strings"
)

// The fused tanh chain rule on derivative jets (package kernel's tanhjet.go), forward and
// backward, one vector of elements per iteration: the same instructions for AVX-512 (Z
// registers, 8 lanes) and AVX2 with FMA (Y registers, 4 lanes), in the same order, so the two
// give the same bits. Only registers 0–15 are used, which both have. Blocks are stride bytes
// apart; desc is the JetLayout descriptor: the number of first-derivative blocks, the number of
// second-order blocks, then per second-order block its number of terms and (Bi, Bj, bits of C)
// per term. cnt is a multiple of 8 (so of either vector width).

// tanhJetKernels returns both functions for one instruction set.
func tanhJetKernels(s isa) string {
	return strings.NewReplacer("{{NAME}}", s.name, "{{R}}", s.reg, "{{LANES}}", fmt.Sprint(s.lanes)).Replace(tanhJetTemplate)
}

const tanhJetTemplate = `// func tanhJetFwd{{NAME}}(y, q, z *float64, cnt, stride int, desc *int64)
TEXT ·tanhJetFwd{{NAME}}(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ q+8(FP), R11
	MOVQ z+16(FP), SI
	MOVQ cnt+24(FP), R8
	MOVQ stride+32(FP), R9
	MOVQ desc+40(FP), R10
	MOVQ $0xc000000000000000, BX // −2
	MOVQ BX, X15
	VBROADCASTSD X15, {{R}}15
	XORQ AX, AX

fvec:
	CMPQ AX, R8
	JGE  fdone
	VMOVUPD (DI)(AX*8), {{R}}0  // t (the value block, written by TanhSech2)
	VMOVUPD (R11)(AX*8), {{R}}1 // q
	VMULPD  {{R}}1, {{R}}0, {{R}}2
	VMULPD  {{R}}15, {{R}}2, {{R}}2     // σ″ = −2tq
	MOVQ    0(R10), CX
	MOVQ    R9, R12         // byte offset of block 1

ffirst:
	TESTQ   CX, CX
	JEQ     fsecond
	LEAQ    (SI)(R12*1), BX
	VMULPD  (BX)(AX*8), {{R}}1, {{R}}3
	LEAQ    (DI)(R12*1), BX
	VMOVUPD {{R}}3, (BX)(AX*8)  // yᵢ = q·zᵢ
	ADDQ    R9, R12
	DECQ    CX
	JMP     ffirst

fsecond:
	MOVQ 8(R10), CX
	LEAQ 16(R10), DX

fsec:
	TESTQ  CX, CX
	JEQ    fnext
	LEAQ   (SI)(R12*1), BX
	VMULPD (BX)(AX*8), {{R}}1, {{R}}4 // q·z_S
	MOVQ   0(DX), R13
	ADDQ   $8, DX

fterm:
	TESTQ        R13, R13
	JEQ          fstore
	MOVQ         0(DX), BX
	IMULQ        R9, BX
	ADDQ         SI, BX
	VMOVUPD      (BX)(AX*8), {{R}}5
	MOVQ         8(DX), BX
	IMULQ        R9, BX
	ADDQ         SI, BX
	VMULPD       (BX)(AX*8), {{R}}5, {{R}}5 // zᵢzⱼ
	VBROADCASTSD 16(DX), {{R}}6
	VMULPD       {{R}}2, {{R}}6, {{R}}6         // C·σ″
	VFMADD231PD  {{R}}6, {{R}}5, {{R}}4
	ADDQ         $24, DX
	DECQ         R13
	JMP          fterm

fstore:
	LEAQ    (DI)(R12*1), BX
	VMOVUPD {{R}}4, (BX)(AX*8)
	ADDQ    R9, R12
	DECQ    CX
	JMP     fsec

fnext:
	ADDQ ${{LANES}}, AX
	JMP  fvec

fdone:
	VZEROUPPER
	RET

// func tanhJetBwd{{NAME}}(gr, z, t, q *float64, cnt, stride int, desc *int64)
TEXT ·tanhJetBwd{{NAME}}(SB), NOSPLIT, $0-56
	MOVQ gr+0(FP), DI
	MOVQ z+8(FP), SI
	MOVQ t+16(FP), R10
	MOVQ q+24(FP), R11
	MOVQ cnt+32(FP), R8
	MOVQ stride+40(FP), R9
	MOVQ $0xc000000000000000, BX // −2
	MOVQ BX, X15
	VBROADCASTSD X15, {{R}}15
	MOVQ $0x4010000000000000, BX // 4
	MOVQ BX, X14
	VBROADCASTSD X14, {{R}}14
	MOVQ $0xc018000000000000, BX // −6
	MOVQ BX, X13
	VBROADCASTSD X13, {{R}}13
	XORQ AX, AX

bvec:
	CMPQ        AX, R8
	JGE         bdone
	MOVQ        desc+48(FP), R15
	VMOVUPD     (R10)(AX*8), {{R}}0
	VMOVUPD     (R11)(AX*8), {{R}}1
	VMULPD      {{R}}1, {{R}}0, {{R}}2
	VMULPD      {{R}}15, {{R}}2, {{R}}2       // σ″ = −2tq
	VMOVAPD     {{R}}14, {{R}}3
	VFMADD231PD {{R}}13, {{R}}1, {{R}}3
	VMULPD      {{R}}1, {{R}}3, {{R}}3        // σ‴ = q(4 − 6q)
	VMULPD      (DI)(AX*8), {{R}}1, {{R}}7 // dz₀ = g₀q + …
	MOVQ        0(R15), CX
	MOVQ        R9, R12

bfirst:
	TESTQ       CX, CX
	JEQ         bsecond
	LEAQ        (DI)(R12*1), BX
	VMOVUPD     (BX)(AX*8), {{R}}4
	LEAQ        (SI)(R12*1), R13
	VMULPD      (R13)(AX*8), {{R}}4, {{R}}5
	VFMADD231PD {{R}}5, {{R}}2, {{R}}7 // dz₀ += σ″gᵢzᵢ
	VMULPD      {{R}}1, {{R}}4, {{R}}4
	VMOVUPD     {{R}}4, (BX)(AX*8) // dzᵢ = gᵢq + … (terms below)
	ADDQ        R9, R12
	DECQ        CX
	JMP         bfirst

bsecond:
	MOVQ 8(R15), CX
	LEAQ 16(R15), DX

bsec:
	TESTQ       CX, CX
	JEQ         bnext
	LEAQ        (DI)(R12*1), BX
	VMOVUPD     (BX)(AX*8), {{R}}4 // g_S
	VMULPD      {{R}}1, {{R}}4, {{R}}5
	VMOVUPD     {{R}}5, (BX)(AX*8) // dz_S = g_S q
	LEAQ        (SI)(R12*1), BX
	VMULPD      (BX)(AX*8), {{R}}4, {{R}}5
	VFMADD231PD {{R}}5, {{R}}2, {{R}}7     // dz₀ += σ″g_S z_S
	VMULPD      {{R}}2, {{R}}4, {{R}}9     // σ″g_S
	VMULPD      {{R}}3, {{R}}4, {{R}}10    // σ‴g_S
	MOVQ        0(DX), R13
	ADDQ        $8, DX

bterm:
	TESTQ        R13, R13
	JEQ          bsecdone
	VBROADCASTSD 16(DX), {{R}}6 // C
	MOVQ         0(DX), BX
	IMULQ        R9, BX
	MOVQ         8(DX), R14
	IMULQ        R9, R14
	LEAQ         (SI)(BX*1), R15
	VMOVUPD      (R15)(AX*8), {{R}}11 // zᵢ
	LEAQ         (SI)(R14*1), R15
	VMOVUPD      (R15)(AX*8), {{R}}12 // zⱼ
	VMULPD       {{R}}6, {{R}}9, {{R}}0       // w = C·σ″g_S
	VMULPD       {{R}}12, {{R}}11, {{R}}8
	VMULPD       {{R}}6, {{R}}8, {{R}}8
	VFMADD231PD  {{R}}8, {{R}}10, {{R}}7      // dz₀ += σ‴g_S·C·zᵢzⱼ
	LEAQ         (DI)(BX*1), R15
	VMOVUPD      (R15)(AX*8), {{R}}5
	VFMADD231PD  {{R}}12, {{R}}0, {{R}}5      // dzᵢ += w·zⱼ
	VMOVUPD      {{R}}5, (R15)(AX*8)
	LEAQ         (DI)(R14*1), R15
	VMOVUPD      (R15)(AX*8), {{R}}5
	VFMADD231PD  {{R}}11, {{R}}0, {{R}}5      // dzⱼ += w·zᵢ
	VMOVUPD      {{R}}5, (R15)(AX*8)
	ADDQ         $24, DX
	DECQ         R13
	JMP          bterm

bsecdone:
	ADDQ R9, R12
	DECQ CX
	JMP  bsec

bnext:
	VMOVUPD {{R}}7, (DI)(AX*8)
	ADDQ    ${{LANES}}, AX
	JMP     bvec

bdone:
	VZEROUPPER
	RET
`
