//go:build amd64 && !purego

#include "textflag.h"

// Bandwidth-bound kernels for the thin products of coordinate networks (AVX2+FMA; used by both
// assembly implementations: at these shapes memory, not vector width, sets the speed).

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

// func dot3AVX2(rows, k int, a *float64, lda int, bt *float64, out *float64)
//
// The dot form for n ≤ 3 output columns: out[3i+j] = Σ_p A[i,p]·bt[j*k+p] for j < 3, i < rows
// (bt holds three rows of k values; unused ones are zero). The k%8 tail is summed last.
TEXT ·dot3AVX2(SB), NOSPLIT, $0-48
	MOVQ rows+0(FP), R13
	TESTQ R13, R13
	JZ ddone
	MOVQ a+16(FP), SI
	MOVQ lda+24(FP), R12
	SHLQ $3, R12
	MOVQ k+8(FP), R8
	SHLQ $3, R8
	MOVQ bt+32(FP), DI
	MOVQ out+40(FP), R10

drow:
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	VXORPD Y4, Y4, Y4
	VXORPD Y5, Y5, Y5
	VXORPD Y6, Y6, Y6
	VXORPD Y7, Y7, Y7
	MOVQ SI, AX
	MOVQ DI, DX
	MOVQ k+8(FP), CX
	SHRQ $3, CX
	JZ dred

dchunk:
	// The hardware prefetchers alone keep too few misses in flight for one core to reach
	// the memory bandwidth; 8 KiB ahead into L2 measured best (1-16 KiB, T0/T1/T2/NTA tried).
	PREFETCHT1 8192(AX)
	VMOVUPD (AX), Y0
	VMOVUPD 32(AX), Y1
	VFMADD231PD (DX), Y0, Y2
	VFMADD231PD 32(DX), Y1, Y3
	VFMADD231PD (DX)(R8*1), Y0, Y4
	VFMADD231PD 32(DX)(R8*1), Y1, Y5
	VFMADD231PD (DX)(R8*2), Y0, Y6
	VFMADD231PD 32(DX)(R8*2), Y1, Y7
	ADDQ $64, AX
	ADDQ $64, DX
	DECQ CX
	JNZ dchunk

dred:
	// Pairwise reduce each column's eight partial sums to lane 0.
	VADDPD Y3, Y2, Y2
	VADDPD Y5, Y4, Y4
	VADDPD Y7, Y6, Y6
	VEXTRACTF128 $1, Y2, X3
	VEXTRACTF128 $1, Y4, X5
	VEXTRACTF128 $1, Y6, X7
	VADDPD X3, X2, X2
	VADDPD X5, X4, X4
	VADDPD X7, X6, X6
	VHADDPD X2, X2, X2
	VHADDPD X4, X4, X4
	VHADDPD X6, X6, X6
	MOVQ k+8(FP), CX
	ANDQ $7, CX
	JZ dstore

dtail:
	VMOVSD (AX), X0
	VFMADD231SD (DX), X0, X2
	VFMADD231SD (DX)(R8*1), X0, X4
	VFMADD231SD (DX)(R8*2), X0, X6
	ADDQ $8, AX
	ADDQ $8, DX
	DECQ CX
	JNZ dtail

dstore:
	VMOVSD X2, (R10)
	VMOVSD X4, 8(R10)
	VMOVSD X6, 16(R10)
	ADDQ $24, R10
	ADDQ R12, SI
	DECQ R13
	JNZ drow

ddone:
	VZEROUPPER
	RET

// func axpy3AVX2(kp int, s *float64, sps, o1, o2 int, l *float64, lld int, acc *float64)
//
// The summation-outer form for a small operand of ≤ 3 lanes against a 16-wide band of a large
// one: acc[r*16+v] += Σ_{p<kp} S[p,r]·L[p,v] for r < 3, v < 16, with S[p,0] at s[p*sps],
// S[p,1] at s[p*sps+o1], S[p,2] at s[p*sps+o2] and L[p,v] at l[p*lld+v].
TEXT ·axpy3AVX2(SB), NOSPLIT, $0-64
	MOVQ kp+0(FP), CX
	TESTQ CX, CX
	JZ adone
	MOVQ s+8(FP), SI
	MOVQ sps+16(FP), R12
	SHLQ $3, R12
	MOVQ o1+24(FP), R8
	SHLQ $3, R8
	MOVQ o2+32(FP), R9
	SHLQ $3, R9
	MOVQ l+40(FP), DI
	MOVQ lld+48(FP), R10
	SHLQ $3, R10
	MOVQ acc+56(FP), DX
	VMOVUPD (DX), Y0
	VMOVUPD 32(DX), Y1
	VMOVUPD 64(DX), Y2
	VMOVUPD 96(DX), Y3
	VMOVUPD 128(DX), Y4
	VMOVUPD 160(DX), Y5
	VMOVUPD 192(DX), Y6
	VMOVUPD 224(DX), Y7
	VMOVUPD 256(DX), Y8
	VMOVUPD 288(DX), Y9
	VMOVUPD 320(DX), Y10
	VMOVUPD 352(DX), Y11

aloop:
	PREFETCHT0 (DI)(R10*8)
	PREFETCHT0 64(DI)(R10*8)
	VBROADCASTSD (SI), Y13
	VBROADCASTSD (SI)(R8*1), Y14
	VBROADCASTSD (SI)(R9*1), Y15
	VMOVUPD (DI), Y12
	VFMADD231PD Y12, Y13, Y0
	VFMADD231PD Y12, Y14, Y4
	VFMADD231PD Y12, Y15, Y8
	VMOVUPD 32(DI), Y12
	VFMADD231PD Y12, Y13, Y1
	VFMADD231PD Y12, Y14, Y5
	VFMADD231PD Y12, Y15, Y9
	VMOVUPD 64(DI), Y12
	VFMADD231PD Y12, Y13, Y2
	VFMADD231PD Y12, Y14, Y6
	VFMADD231PD Y12, Y15, Y10
	VMOVUPD 96(DI), Y12
	VFMADD231PD Y12, Y13, Y3
	VFMADD231PD Y12, Y14, Y7
	VFMADD231PD Y12, Y15, Y11
	ADDQ R12, SI
	ADDQ R10, DI
	DECQ CX
	JNZ aloop

	VMOVUPD Y0, (DX)
	VMOVUPD Y1, 32(DX)
	VMOVUPD Y2, 64(DX)
	VMOVUPD Y3, 96(DX)
	VMOVUPD Y4, 128(DX)
	VMOVUPD Y5, 160(DX)
	VMOVUPD Y6, 192(DX)
	VMOVUPD Y7, 224(DX)
	VMOVUPD Y8, 256(DX)
	VMOVUPD Y9, 288(DX)
	VMOVUPD Y10, 320(DX)
	VMOVUPD Y11, 352(DX)

adone:
	VZEROUPPER
	RET
