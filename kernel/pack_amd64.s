//go:build amd64 && !purego

#include "textflag.h"

// Packing routines of the blocked GEMM (AVX2; only the AVX2 and AVX-512 implementations use
// them). See pack.go for the layouts.

// func packCopyAVX(dst, src *float64, ld, kq, n int)
// dst[p*n+j] = src[p*ld+j] for p < kq, j < n, with n one of 6, 8, 12, 16.
TEXT ·packCopyAVX(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	SHLQ $3, DX
	MOVQ kq+24(FP), CX
	MOVQ n+32(FP), AX
	CMPQ AX, $16
	JEQ c16
	CMPQ AX, $12
	JEQ c12
	CMPQ AX, $8
	JEQ c8

c6:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), X1
	VMOVUPD Y0, (DI)
	VMOVUPD X1, 32(DI)
	ADDQ DX, SI
	ADDQ $48, DI
	DECQ CX
	JNZ c6
	JMP done

c8:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ DX, SI
	ADDQ $64, DI
	DECQ CX
	JNZ c8
	JMP done

c12:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	ADDQ DX, SI
	ADDQ $96, DI
	DECQ CX
	JNZ c12
	JMP done

c16:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD 64(SI), Y2
	VMOVUPD 96(SI), Y3
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	VMOVUPD Y2, 64(DI)
	VMOVUPD Y3, 96(DI)
	ADDQ DX, SI
	ADDQ $128, DI
	DECQ CX
	JNZ c16

done:
	VZEROUPPER
	RET

// func packGatherAVX(dst, src *float64, ld, kq4, n, rows4 int)
// dst[p*n+r] = src[r*ld+p] for p < kq4 (a multiple of 4) and r < rows4 (a multiple of 4):
// 4×4 blocks are loaded row-wise and transposed in registers.
TEXT ·packGatherAVX(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	MOVQ kq4+24(FP), CX
	SHRQ $2, CX
	JZ gdone
	MOVQ n+32(FP), R10
	SHLQ $3, R10
	LEAQ (R10)(R10*2), R11
	MOVQ rows4+40(FP), R12
	SHRQ $2, R12
	JZ gdone

pchunk:
	MOVQ SI, BX
	MOVQ DI, DX
	MOVQ R12, R13

group:
	VMOVUPD (BX), Y0
	VMOVUPD (BX)(R8*1), Y1
	VMOVUPD (BX)(R8*2), Y2
	VMOVUPD (BX)(R9*1), Y3
	VUNPCKLPD Y1, Y0, Y4
	VUNPCKHPD Y1, Y0, Y5
	VUNPCKLPD Y3, Y2, Y6
	VUNPCKHPD Y3, Y2, Y7
	VPERM2F128 $0x20, Y6, Y4, Y0
	VPERM2F128 $0x20, Y7, Y5, Y1
	VPERM2F128 $0x31, Y6, Y4, Y2
	VPERM2F128 $0x31, Y7, Y5, Y3
	VMOVUPD Y0, (DX)
	VMOVUPD Y1, (DX)(R10*1)
	VMOVUPD Y2, (DX)(R10*2)
	VMOVUPD Y3, (DX)(R11*1)
	LEAQ (BX)(R8*4), BX
	ADDQ $32, DX
	DECQ R13
	JNZ group

	ADDQ $32, SI
	LEAQ (DI)(R10*4), DI
	DECQ CX
	JNZ pchunk

gdone:
	VZEROUPPER
	RET
