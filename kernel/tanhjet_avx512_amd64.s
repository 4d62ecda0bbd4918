//go:build amd64 && !purego

#include "textflag.h"

// The fused tanh chain rule on jets (see tanhjet.go), 8 elements per iteration. Blocks are
// stride bytes apart; desc is the JetLayout descriptor: the number of first-derivative blocks,
// the number of second-order blocks, then per second-order block its number of terms and
// (Bi, Bj, bits of C) per term. cnt is a multiple of 8.

// func tanhJetFwdAVX512(y, q, z *float64, cnt, stride int, desc *int64)
TEXT ·tanhJetFwdAVX512(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ q+8(FP), R11
	MOVQ z+16(FP), SI
	MOVQ cnt+24(FP), R8
	MOVQ stride+32(FP), R9
	MOVQ desc+40(FP), R10
	MOVQ $0xc000000000000000, BX // −2
	VPBROADCASTQ BX, Z31
	XORQ AX, AX

fvec:
	CMPQ AX, R8
	JGE  fdone
	VMOVUPD (DI)(AX*8), Z0  // t (the value block, written by TanhSech2)
	VMOVUPD (R11)(AX*8), Z1 // q
	VMULPD  Z1, Z0, Z2
	VMULPD  Z31, Z2, Z2     // σ″ = −2tq
	MOVQ    0(R10), CX
	MOVQ    R9, R12         // byte offset of block 1

ffirst:
	TESTQ   CX, CX
	JEQ     fsecond
	LEAQ    (SI)(R12*1), BX
	VMULPD  (BX)(AX*8), Z1, Z3
	LEAQ    (DI)(R12*1), BX
	VMOVUPD Z3, (BX)(AX*8)  // yᵢ = q·zᵢ
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
	VMULPD (BX)(AX*8), Z1, Z4 // q·z_S
	MOVQ   0(DX), R13
	ADDQ   $8, DX

fterm:
	TESTQ        R13, R13
	JEQ          fstore
	MOVQ         0(DX), BX
	IMULQ        R9, BX
	ADDQ         SI, BX
	VMOVUPD      (BX)(AX*8), Z5
	MOVQ         8(DX), BX
	IMULQ        R9, BX
	ADDQ         SI, BX
	VMULPD       (BX)(AX*8), Z5, Z5 // zᵢzⱼ
	VBROADCASTSD 16(DX), Z6
	VMULPD       Z2, Z6, Z6         // C·σ″
	VFMADD231PD  Z6, Z5, Z4
	ADDQ         $24, DX
	DECQ         R13
	JMP          fterm

fstore:
	LEAQ    (DI)(R12*1), BX
	VMOVUPD Z4, (BX)(AX*8)
	ADDQ    R9, R12
	DECQ    CX
	JMP     fsec

fnext:
	ADDQ $8, AX
	JMP  fvec

fdone:
	VZEROUPPER
	RET

// func tanhJetBwdAVX512(gr, z, t, q *float64, cnt, stride int, desc *int64)
TEXT ·tanhJetBwdAVX512(SB), NOSPLIT, $0-56
	MOVQ gr+0(FP), DI
	MOVQ z+8(FP), SI
	MOVQ t+16(FP), R10
	MOVQ q+24(FP), R11
	MOVQ cnt+32(FP), R8
	MOVQ stride+40(FP), R9
	MOVQ $0xc000000000000000, BX // −2
	VPBROADCASTQ BX, Z31
	MOVQ $0x4010000000000000, BX // 4
	VPBROADCASTQ BX, Z30
	MOVQ $0xc018000000000000, BX // −6
	VPBROADCASTQ BX, Z29
	XORQ AX, AX

bvec:
	CMPQ        AX, R8
	JGE         bdone
	MOVQ        desc+48(FP), R15
	VMOVUPD     (R10)(AX*8), Z0
	VMOVUPD     (R11)(AX*8), Z1
	VMULPD      Z1, Z0, Z2
	VMULPD      Z31, Z2, Z2       // σ″ = −2tq
	VMOVAPD     Z30, Z3
	VFMADD231PD Z29, Z1, Z3
	VMULPD      Z1, Z3, Z3        // σ‴ = q(4 − 6q)
	VMULPD      (DI)(AX*8), Z1, Z7 // dz₀ = g₀q + …
	MOVQ        0(R15), CX
	MOVQ        R9, R12

bfirst:
	TESTQ       CX, CX
	JEQ         bsecond
	LEAQ        (DI)(R12*1), BX
	VMOVUPD     (BX)(AX*8), Z4
	LEAQ        (SI)(R12*1), R13
	VMULPD      (R13)(AX*8), Z4, Z5
	VFMADD231PD Z5, Z2, Z7 // dz₀ += σ″gᵢzᵢ
	VMULPD      Z1, Z4, Z4
	VMOVUPD     Z4, (BX)(AX*8) // dzᵢ = gᵢq + … (terms below)
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
	VMOVUPD     (BX)(AX*8), Z4 // g_S
	VMULPD      Z1, Z4, Z8
	VMOVUPD     Z8, (BX)(AX*8) // dz_S = g_S q
	LEAQ        (SI)(R12*1), BX
	VMULPD      (BX)(AX*8), Z4, Z5
	VFMADD231PD Z5, Z2, Z7     // dz₀ += σ″g_S z_S
	VMULPD      Z2, Z4, Z9     // σ″g_S
	VMULPD      Z3, Z4, Z10    // σ‴g_S
	MOVQ        0(DX), R13
	ADDQ        $8, DX

bterm:
	TESTQ        R13, R13
	JEQ          bsecdone
	VBROADCASTSD 16(DX), Z6 // C
	MOVQ         0(DX), BX
	IMULQ        R9, BX
	MOVQ         8(DX), R14
	IMULQ        R9, R14
	LEAQ         (SI)(BX*1), R15
	VMOVUPD      (R15)(AX*8), Z11 // zᵢ
	LEAQ         (SI)(R14*1), R15
	VMOVUPD      (R15)(AX*8), Z12 // zⱼ
	VMULPD       Z6, Z9, Z13      // w = C·σ″g_S
	VMULPD       Z12, Z11, Z14
	VMULPD       Z6, Z14, Z14
	VFMADD231PD  Z14, Z10, Z7     // dz₀ += σ‴g_S·C·zᵢzⱼ
	LEAQ         (DI)(BX*1), R15
	VMOVUPD      (R15)(AX*8), Z16
	VFMADD231PD  Z12, Z13, Z16    // dzᵢ += w·zⱼ
	VMOVUPD      Z16, (R15)(AX*8)
	LEAQ         (DI)(R14*1), R15
	VMOVUPD      (R15)(AX*8), Z16
	VFMADD231PD  Z11, Z13, Z16    // dzⱼ += w·zᵢ
	VMOVUPD      Z16, (R15)(AX*8)
	ADDQ         $24, DX
	DECQ         R13
	JMP          bterm

bsecdone:
	ADDQ R9, R12
	DECQ CX
	JMP  bsec

bnext:
	VMOVUPD Z7, (DI)(AX*8)
	ADDQ    $8, AX
	JMP     bvec

bdone:
	VZEROUPPER
	RET
