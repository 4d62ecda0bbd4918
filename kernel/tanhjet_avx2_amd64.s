//go:build amd64 && !purego

#include "textflag.h"

// The fused tanh chain rule on jets (see tanhjet.go) with AVX2 and FMA, 4 elements per
// iteration: the AVX-512 kernels of tanhjet_avx512_amd64.s on 256-bit registers, with the same
// arguments (cnt is a multiple of 8, so of 4) and the same operations in the same order.

// func tanhJetFwdAVX2(y, q, z *float64, cnt, stride int, desc *int64)
TEXT ·tanhJetFwdAVX2(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ q+8(FP), R11
	MOVQ z+16(FP), SI
	MOVQ cnt+24(FP), R8
	MOVQ stride+32(FP), R9
	MOVQ desc+40(FP), R10
	MOVQ $0xc000000000000000, BX // −2
	MOVQ BX, X15
	VBROADCASTSD X15, Y15
	XORQ AX, AX

fvec:
	CMPQ AX, R8
	JGE  fdone
	VMOVUPD (DI)(AX*8), Y0  // t (the value block, written by TanhSech2)
	VMOVUPD (R11)(AX*8), Y1 // q
	VMULPD  Y1, Y0, Y2
	VMULPD  Y15, Y2, Y2     // σ″ = −2tq
	MOVQ    0(R10), CX
	MOVQ    R9, R12         // byte offset of block 1

ffirst:
	TESTQ   CX, CX
	JEQ     fsecond
	LEAQ    (SI)(R12*1), BX
	VMULPD  (BX)(AX*8), Y1, Y3
	LEAQ    (DI)(R12*1), BX
	VMOVUPD Y3, (BX)(AX*8)  // yᵢ = q·zᵢ
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
	VMULPD (BX)(AX*8), Y1, Y4 // q·z_S
	MOVQ   0(DX), R13
	ADDQ   $8, DX

fterm:
	TESTQ        R13, R13
	JEQ          fstore
	MOVQ         0(DX), BX
	IMULQ        R9, BX
	ADDQ         SI, BX
	VMOVUPD      (BX)(AX*8), Y5
	MOVQ         8(DX), BX
	IMULQ        R9, BX
	ADDQ         SI, BX
	VMULPD       (BX)(AX*8), Y5, Y5 // zᵢzⱼ
	VBROADCASTSD 16(DX), Y6
	VMULPD       Y2, Y6, Y6         // C·σ″
	VFMADD231PD  Y6, Y5, Y4
	ADDQ         $24, DX
	DECQ         R13
	JMP          fterm

fstore:
	LEAQ    (DI)(R12*1), BX
	VMOVUPD Y4, (BX)(AX*8)
	ADDQ    R9, R12
	DECQ    CX
	JMP     fsec

fnext:
	ADDQ $4, AX
	JMP  fvec

fdone:
	VZEROUPPER
	RET

// func tanhJetBwdAVX2(gr, z, t, q *float64, cnt, stride int, desc *int64)
TEXT ·tanhJetBwdAVX2(SB), NOSPLIT, $0-56
	MOVQ gr+0(FP), DI
	MOVQ z+8(FP), SI
	MOVQ t+16(FP), R10
	MOVQ q+24(FP), R11
	MOVQ cnt+32(FP), R8
	MOVQ stride+40(FP), R9
	MOVQ $0xc000000000000000, BX // −2
	MOVQ BX, X15
	VBROADCASTSD X15, Y15
	MOVQ $0x4010000000000000, BX // 4
	MOVQ BX, X14
	VBROADCASTSD X14, Y14
	MOVQ $0xc018000000000000, BX // −6
	MOVQ BX, X13
	VBROADCASTSD X13, Y13
	XORQ AX, AX

bvec:
	CMPQ        AX, R8
	JGE         bdone
	MOVQ        desc+48(FP), R15
	VMOVUPD     (R10)(AX*8), Y0
	VMOVUPD     (R11)(AX*8), Y1
	VMULPD      Y1, Y0, Y2
	VMULPD      Y15, Y2, Y2       // σ″ = −2tq
	VMOVAPD     Y14, Y3
	VFMADD231PD Y13, Y1, Y3
	VMULPD      Y1, Y3, Y3        // σ‴ = q(4 − 6q)
	VMULPD      (DI)(AX*8), Y1, Y7 // dz₀ = g₀q + …
	MOVQ        0(R15), CX
	MOVQ        R9, R12

bfirst:
	TESTQ       CX, CX
	JEQ         bsecond
	LEAQ        (DI)(R12*1), BX
	VMOVUPD     (BX)(AX*8), Y4
	LEAQ        (SI)(R12*1), R13
	VMULPD      (R13)(AX*8), Y4, Y5
	VFMADD231PD Y5, Y2, Y7 // dz₀ += σ″gᵢzᵢ
	VMULPD      Y1, Y4, Y4
	VMOVUPD     Y4, (BX)(AX*8) // dzᵢ = gᵢq + … (terms below)
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
	VMOVUPD     (BX)(AX*8), Y4 // g_S
	VMULPD      Y1, Y4, Y5
	VMOVUPD     Y5, (BX)(AX*8) // dz_S = g_S q
	LEAQ        (SI)(R12*1), BX
	VMULPD      (BX)(AX*8), Y4, Y5
	VFMADD231PD Y5, Y2, Y7     // dz₀ += σ″g_S z_S
	VMULPD      Y2, Y4, Y9     // σ″g_S
	VMULPD      Y3, Y4, Y10    // σ‴g_S
	MOVQ        0(DX), R13
	ADDQ        $8, DX

bterm:
	TESTQ        R13, R13
	JEQ          bsecdone
	VBROADCASTSD 16(DX), Y6 // C
	MOVQ         0(DX), BX
	IMULQ        R9, BX
	MOVQ         8(DX), R14
	IMULQ        R9, R14
	LEAQ         (SI)(BX*1), R15
	VMOVUPD      (R15)(AX*8), Y11 // zᵢ
	LEAQ         (SI)(R14*1), R15
	VMOVUPD      (R15)(AX*8), Y12 // zⱼ
	VMULPD       Y6, Y9, Y0       // w = C·σ″g_S
	VMULPD       Y12, Y11, Y8
	VMULPD       Y6, Y8, Y8
	VFMADD231PD  Y8, Y10, Y7      // dz₀ += σ‴g_S·C·zᵢzⱼ
	LEAQ         (DI)(BX*1), R15
	VMOVUPD      (R15)(AX*8), Y5
	VFMADD231PD  Y12, Y0, Y5      // dzᵢ += w·zⱼ
	VMOVUPD      Y5, (R15)(AX*8)
	LEAQ         (DI)(R14*1), R15
	VMOVUPD      (R15)(AX*8), Y5
	VFMADD231PD  Y11, Y0, Y5      // dzⱼ += w·zᵢ
	VMOVUPD      Y5, (R15)(AX*8)
	ADDQ         $24, DX
	DECQ         R13
	JMP          bterm

bsecdone:
	ADDQ R9, R12
	DECQ CX
	JMP  bsec

bnext:
	VMOVUPD Y7, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     bvec

bdone:
	VZEROUPPER
	RET
