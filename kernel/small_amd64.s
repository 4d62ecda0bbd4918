//go:build amd64 && !purego

#include "textflag.h"

// Bandwidth-bound kernel for the thin products of coordinate networks with K ≤ 4 (AVX2+FMA; used
// by both assembly implementations: at these shapes memory, not vector width, sets the speed).
// The N ≤ 3 kernels are in stream_amd64.s.

// lane masks: eight all-ones lanes then eight zero lanes (see gemm_avx2_amd64.s).
DATA tailMask<>+0(SB)/8, $-1
DATA tailMask<>+8(SB)/8, $-1
DATA tailMask<>+16(SB)/8, $-1
DATA tailMask<>+24(SB)/8, $-1
DATA tailMask<>+32(SB)/8, $-1
DATA tailMask<>+40(SB)/8, $-1
DATA tailMask<>+48(SB)/8, $-1
DATA tailMask<>+56(SB)/8, $-1
DATA tailMask<>+64(SB)/8, $0
DATA tailMask<>+72(SB)/8, $0
DATA tailMask<>+80(SB)/8, $0
DATA tailMask<>+88(SB)/8, $0
DATA tailMask<>+96(SB)/8, $0
DATA tailMask<>+104(SB)/8, $0
DATA tailMask<>+112(SB)/8, $0
DATA tailMask<>+120(SB)/8, $0
GLOBL tailMask<>(SB), RODATA|NOPTR, $128

// func smallKAVX2(rows, n, k int, a *float64, ars, aks int, b *float64, ldb int, bias *float64, c *float64, ldc int, alpha, beta float64, nt int)
//
// The outer-product form for k ≤ 4: for each of rows rows,
// C[i,j] = alpha·(bias[j] + Σ_{q<k} A[i,q]·B[q,j]) + beta·C[i,j], with A[i,q] at a[i*ars+q*aks],
// B a k×n matrix with row stride ldb, and beta == ±0 meaning C is not read. nt ≠ 0 writes the
// full 8-wide chunks with non-temporal stores (C 32-byte aligned, ldc a multiple of 4, beta 0):
// an output too large for the caches is then written without first being read.
TEXT ·smallKAVX2(SB), NOSPLIT, $0-112
	MOVQ rows+0(FP), R13
	TESTQ R13, R13
	JZ kdone
	MOVQ a+24(FP), SI
	MOVQ aks+40(FP), R12
	SHLQ $3, R12
	MOVQ b+48(FP), DI
	MOVQ ldb+56(FP), R8
	SHLQ $3, R8
	LEAQ (R8)(R8*2), R9
	MOVQ c+72(FP), R10
	VBROADCASTSD alpha+88(FP), Y10
	VBROADCASTSD beta+96(FP), Y11
	MOVQ n+8(FP), CX
	ANDQ $7, CX
	LEAQ tailMask<>(SB), BX
	NEGQ CX
	VMOVUPD 64(BX)(CX*8), Y8
	VMOVUPD 96(BX)(CX*8), Y9

krow:
	// Broadcast this row's k values of A.
	// (only the k values that exist: reading past them could leave the slice).
	VBROADCASTSD (SI), Y12
	CMPQ k+16(FP), $2
	JLT kbdone
	VBROADCASTSD (SI)(R12*1), Y13
	CMPQ k+16(FP), $3
	JLT kbdone
	VBROADCASTSD (SI)(R12*2), Y14
	CMPQ k+16(FP), $4
	JLT kbdone
	LEAQ (SI)(R12*2), AX
	VBROADCASTSD (AX)(R12*1), Y15

kbdone:
	MOVQ bias+64(FP), CX
	MOVQ DI, DX
	MOVQ R10, R11
	MOVQ n+8(FP), AX
	SHRQ $3, AX
	JZ ktail

kchunk:
	VMOVUPD (CX), Y0
	VMOVUPD 32(CX), Y1
	VFMADD231PD (DX), Y12, Y0
	VFMADD231PD 32(DX), Y12, Y1
	CMPQ k+16(FP), $2
	JLT kfin
	VFMADD231PD (DX)(R8*1), Y13, Y0
	VFMADD231PD 32(DX)(R8*1), Y13, Y1
	CMPQ k+16(FP), $3
	JLT kfin
	VFMADD231PD (DX)(R8*2), Y14, Y0
	VFMADD231PD 32(DX)(R8*2), Y14, Y1
	CMPQ k+16(FP), $4
	JLT kfin
	VFMADD231PD (DX)(R9*1), Y15, Y0
	VFMADD231PD 32(DX)(R9*1), Y15, Y1

kfin:
	VMULPD Y10, Y0, Y0
	VMULPD Y10, Y1, Y1
	MOVQ beta+96(FP), BX
	SHLQ $1, BX
	JZ kstore
	VFMADD231PD (R11), Y11, Y0
	VFMADD231PD 32(R11), Y11, Y1

kstore:
	CMPQ nt+104(FP), $0
	JNE kstorent
	VMOVUPD Y0, (R11)
	VMOVUPD Y1, 32(R11)
	JMP kadvance

kstorent:
	VMOVNTPD Y0, (R11)
	VMOVNTPD Y1, 32(R11)

kadvance:
	ADDQ $64, CX
	ADDQ $64, DX
	ADDQ $64, R11
	DECQ AX
	JNZ kchunk

ktail:
	MOVQ n+8(FP), AX
	ANDQ $7, AX
	JZ knext
	VMASKMOVPD (CX), Y8, Y0
	VMASKMOVPD 32(CX), Y9, Y1
	VMASKMOVPD (DX), Y8, Y2
	VMASKMOVPD 32(DX), Y9, Y3
	VFMADD231PD Y2, Y12, Y0
	VFMADD231PD Y3, Y12, Y1
	CMPQ k+16(FP), $2
	JLT ktfin
	VMASKMOVPD (DX)(R8*1), Y8, Y2
	VMASKMOVPD 32(DX)(R8*1), Y9, Y3
	VFMADD231PD Y2, Y13, Y0
	VFMADD231PD Y3, Y13, Y1
	CMPQ k+16(FP), $3
	JLT ktfin
	VMASKMOVPD (DX)(R8*2), Y8, Y2
	VMASKMOVPD 32(DX)(R8*2), Y9, Y3
	VFMADD231PD Y2, Y14, Y0
	VFMADD231PD Y3, Y14, Y1
	CMPQ k+16(FP), $4
	JLT ktfin
	VMASKMOVPD (DX)(R9*1), Y8, Y2
	VMASKMOVPD 32(DX)(R9*1), Y9, Y3
	VFMADD231PD Y2, Y15, Y0
	VFMADD231PD Y3, Y15, Y1

ktfin:
	VMULPD Y10, Y0, Y0
	VMULPD Y10, Y1, Y1
	MOVQ beta+96(FP), BX
	SHLQ $1, BX
	JZ ktstore
	VMASKMOVPD (R11), Y8, Y2
	VMASKMOVPD 32(R11), Y9, Y3
	VFMADD231PD Y2, Y11, Y0
	VFMADD231PD Y3, Y11, Y1

ktstore:
	VMASKMOVPD Y0, Y8, (R11)
	VMASKMOVPD Y1, Y9, 32(R11)

knext:
	MOVQ ars+32(FP), AX
	LEAQ (SI)(AX*8), SI
	MOVQ ldc+80(FP), AX
	LEAQ (R10)(AX*8), R10
	DECQ R13
	JNZ krow

kdone:
	CMPQ nt+104(FP), $0
	JEQ kret
	SFENCE

kret:
	VZEROUPPER
	RET
