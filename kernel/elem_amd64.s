//go:build amd64 && !purego

#include "textflag.h"

// Streaming elementwise kernels (AVX2+FMA, used by both assembly implementations): eight
// elements per iteration in two YMM registers, then a scalar tail. They are memory-bound, so
// YMM is as fast as ZMM here.

// func axpyAVX2(n int, alpha float64, x, y *float64)
// y[i] += alpha·x[i] (one rounding: FMA).
TEXT ·axpyAVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	VBROADCASTSD alpha+8(FP), Y15
	MOVQ x+16(FP), SI
	MOVQ y+24(FP), DI
	MOVQ CX, BX
	SHRQ $3, BX
	JZ axtail
axloop:
	VMOVUPD (DI), Y0
	VMOVUPD 32(DI), Y1
	VFMADD231PD (SI), Y15, Y0
	VFMADD231PD 32(SI), Y15, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ BX
	JNZ axloop
axtail:
	ANDQ $7, CX
	JZ axdone
axscalar:
	VMOVSD (DI), X0
	VFMADD231SD (SI), X15, X0
	VMOVSD X0, (DI)
	ADDQ $8, SI
	ADDQ $8, DI
	DECQ CX
	JNZ axscalar
axdone:
	VZEROUPPER
	RET

// func scaleAVX2(n int, alpha float64, x *float64)
// x[i] *= alpha.
TEXT ·scaleAVX2(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	VBROADCASTSD alpha+8(FP), Y15
	MOVQ x+16(FP), DI
	MOVQ CX, BX
	SHRQ $3, BX
	JZ sctail
scloop:
	VMULPD (DI), Y15, Y0
	VMULPD 32(DI), Y15, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, DI
	DECQ BX
	JNZ scloop
sctail:
	ANDQ $7, CX
	JZ scdone
scscalar:
	VMULSD (DI), X15, X0
	VMOVSD X0, (DI)
	ADDQ $8, DI
	DECQ CX
	JNZ scscalar
scdone:
	VZEROUPPER
	RET

// func mulAVX2(n int, dst, a, b *float64)
// dst[i] = a[i]·b[i].
TEXT ·mulAVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ CX, BX
	SHRQ $3, BX
	JZ mutail
muloop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMULPD (DX), Y0, Y0
	VMULPD 32(DX), Y1, Y1
	VMOVUPD Y0, (DI)
	VMOVUPD Y1, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ BX
	JNZ muloop
mutail:
	ANDQ $7, CX
	JZ mudone
muscalar:
	VMOVSD (SI), X0
	VMULSD (DX), X0, X0
	VMOVSD X0, (DI)
	ADDQ $8, SI
	ADDQ $8, DX
	ADDQ $8, DI
	DECQ CX
	JNZ muscalar
mudone:
	VZEROUPPER
	RET

// func mulAddAVX2(n int, dst, a, b *float64)
// dst[i] += a[i]·b[i] (FMA).
TEXT ·mulAddAVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ a+16(FP), SI
	MOVQ b+24(FP), DX
	MOVQ CX, BX
	SHRQ $3, BX
	JZ matail
maloop:
	VMOVUPD (SI), Y0
	VMOVUPD 32(SI), Y1
	VMOVUPD (DI), Y2
	VMOVUPD 32(DI), Y3
	VFMADD231PD (DX), Y0, Y2
	VFMADD231PD 32(DX), Y1, Y3
	VMOVUPD Y2, (DI)
	VMOVUPD Y3, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ BX
	JNZ maloop
matail:
	ANDQ $7, CX
	JZ madone
mascalar:
	VMOVSD (SI), X0
	VMOVSD (DI), X2
	VFMADD231SD (DX), X0, X2
	VMOVSD X2, (DI)
	ADDQ $8, SI
	ADDQ $8, DX
	ADDQ $8, DI
	DECQ CX
	JNZ mascalar
madone:
	VZEROUPPER
	RET

// func dotAVX2(n int, x, y *float64) float64
// Σ x[i]·y[i] with sixteen partial sums (four YMM), combined in a fixed order, then the tail.
// With y == x it is Σ x[i]². The result depends only on n and the data.
TEXT ·dotAVX2(SB), NOSPLIT, $0-32
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	MOVQ y+16(FP), DX
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ CX, BX
	SHRQ $4, BX
	JZ dtcombine
dtloop:
	VMOVUPD (SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VFMADD231PD (DX), Y4, Y0
	VFMADD231PD 32(DX), Y5, Y1
	VFMADD231PD 64(DX), Y6, Y2
	VFMADD231PD 96(DX), Y7, Y3
	ADDQ $128, SI
	ADDQ $128, DX
	DECQ BX
	JNZ dtloop
dtcombine:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
	ANDQ $15, CX
	JZ dtdone
dtscalar:
	VMOVSD (SI), X4
	VFMADD231SD (DX), X4, X0
	ADDQ $8, SI
	ADDQ $8, DX
	DECQ CX
	JNZ dtscalar
dtdone:
	VMOVSD X0, ret+24(FP)
	VZEROUPPER
	RET

// func sumAVX2(n int, x *float64) float64
// Σ x[i], with the same fixed partial-sum pattern as dotAVX2.
TEXT ·sumAVX2(SB), NOSPLIT, $0-24
	MOVQ n+0(FP), CX
	MOVQ x+8(FP), SI
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ CX, BX
	SHRQ $4, BX
	JZ sucombine
suloop:
	VADDPD (SI), Y0, Y0
	VADDPD 32(SI), Y1, Y1
	VADDPD 64(SI), Y2, Y2
	VADDPD 96(SI), Y3, Y3
	ADDQ $128, SI
	DECQ BX
	JNZ suloop
sucombine:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
	ANDQ $15, CX
	JZ sudone
suscalar:
	VADDSD (SI), X0, X0
	ADDQ $8, SI
	DECQ CX
	JNZ suscalar
sudone:
	VMOVSD X0, ret+16(FP)
	VZEROUPPER
	RET

// func sqErrAVX2(n int, grad, pred, target *float64, scale float64) float64
// d = pred[i]-target[i]; grad[i] = scale·d (grad may be nil: not written); returns Σ d²
// with the partial-sum pattern of dotAVX2.
TEXT ·sqErrAVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ grad+8(FP), DI
	MOVQ pred+16(FP), SI
	MOVQ target+24(FP), DX
	VBROADCASTSD scale+32(FP), Y15
	VXORPD Y0, Y0, Y0
	VXORPD Y1, Y1, Y1
	VXORPD Y2, Y2, Y2
	VXORPD Y3, Y3, Y3
	MOVQ CX, BX
	SHRQ $4, BX
	JZ secombine
seloop:
	VMOVUPD (SI), Y4
	VMOVUPD 32(SI), Y5
	VMOVUPD 64(SI), Y6
	VMOVUPD 96(SI), Y7
	VSUBPD (DX), Y4, Y4
	VSUBPD 32(DX), Y5, Y5
	VSUBPD 64(DX), Y6, Y6
	VSUBPD 96(DX), Y7, Y7
	VFMADD231PD Y4, Y4, Y0
	VFMADD231PD Y5, Y5, Y1
	VFMADD231PD Y6, Y6, Y2
	VFMADD231PD Y7, Y7, Y3
	TESTQ DI, DI
	JZ senograd
	VMULPD Y15, Y4, Y4
	VMULPD Y15, Y5, Y5
	VMULPD Y15, Y6, Y6
	VMULPD Y15, Y7, Y7
	VMOVUPD Y4, (DI)
	VMOVUPD Y5, 32(DI)
	VMOVUPD Y6, 64(DI)
	VMOVUPD Y7, 96(DI)
	ADDQ $128, DI
senograd:
	ADDQ $128, SI
	ADDQ $128, DX
	DECQ BX
	JNZ seloop
secombine:
	VADDPD Y1, Y0, Y0
	VADDPD Y3, Y2, Y2
	VADDPD Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VHADDPD X0, X0, X0
	ANDQ $15, CX
	JZ sedone
sescalar:
	VMOVSD (SI), X4
	VSUBSD (DX), X4, X4
	VFMADD231SD X4, X4, X0
	TESTQ DI, DI
	JZ senograd1
	VMULSD X15, X4, X4
	VMOVSD X4, (DI)
	ADDQ $8, DI
senograd1:
	ADDQ $8, SI
	ADDQ $8, DX
	DECQ CX
	JNZ sescalar
sedone:
	VMOVSD X0, ret+40(FP)
	VZEROUPPER
	RET

// func adamAVX2(n int, p, gr, m, v *float64, coef *[8]float64)
// One Adam(W) update with coef = {β1, 1-β1, β2, 1-β2, decay, stepSize, 1/sqrt(1-β2^t), eps}:
// m = β1·m + (1-β1)·g; v = β2·v + (1-β2)·g²; p = p·decay - stepSize·m/(sqrt(v)·c + eps).
TEXT ·adamAVX2(SB), NOSPLIT, $0-48
	MOVQ n+0(FP), CX
	MOVQ p+8(FP), DI
	MOVQ gr+16(FP), SI
	MOVQ m+24(FP), R8
	MOVQ v+32(FP), R9
	MOVQ coef+40(FP), AX
	VBROADCASTSD 0(AX), Y8
	VBROADCASTSD 8(AX), Y9
	VBROADCASTSD 16(AX), Y10
	VBROADCASTSD 24(AX), Y11
	VBROADCASTSD 32(AX), Y12
	VBROADCASTSD 40(AX), Y13
	VBROADCASTSD 48(AX), Y14
	VBROADCASTSD 56(AX), Y15
	MOVQ CX, BX
	SHRQ $2, BX
	JZ adtail
adloop:
	VMOVUPD (SI), Y0
	VMULPD Y0, Y9, Y1
	VFMADD231PD (R8), Y8, Y1
	VMOVUPD Y1, (R8)
	VMULPD Y0, Y0, Y2
	VMULPD Y2, Y11, Y2
	VFMADD231PD (R9), Y10, Y2
	VMOVUPD Y2, (R9)
	VSQRTPD Y2, Y3
	VMULPD Y3, Y14, Y3
	VADDPD Y3, Y15, Y3
	VMULPD Y1, Y13, Y1
	VDIVPD Y3, Y1, Y1
	VMULPD (DI), Y12, Y4
	VSUBPD Y1, Y4, Y4
	VMOVUPD Y4, (DI)
	ADDQ $32, DI
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $32, R9
	DECQ BX
	JNZ adloop
adtail:
	ANDQ $3, CX
	JZ addone
adscalar:
	VMOVSD (SI), X0
	VMULSD X0, X9, X1
	VFMADD231SD (R8), X8, X1
	VMOVSD X1, (R8)
	VMULSD X0, X0, X2
	VMULSD X2, X11, X2
	VFMADD231SD (R9), X10, X2
	VMOVSD X2, (R9)
	VSQRTSD X2, X2, X3
	VMULSD X3, X14, X3
	VADDSD X3, X15, X3
	VMULSD X1, X13, X1
	VDIVSD X3, X1, X1
	VMULSD (DI), X12, X4
	VSUBSD X1, X4, X4
	VMOVSD X4, (DI)
	ADDQ $8, DI
	ADDQ $8, SI
	ADDQ $8, R8
	ADDQ $8, R9
	DECQ CX
	JNZ adscalar
addone:
	VZEROUPPER
	RET
