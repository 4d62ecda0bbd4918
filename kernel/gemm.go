package kernel

import "fmt"

// Transpose says whether a GEMM operand is used as stored or transposed.
type Transpose bool

const (
	NoTrans Transpose = false
	Trans   Transpose = true
)

func (t Transpose) String() string {
	if t {
		return "T"
	}
	return "N"
}

// gemmKernels computes C = alpha·op(A)·op(B) + beta·C for valid, non-aliasing operands with
// alpha ≠ 0 and K > 0, using up to threads workers. beta == 0 must ignore what C holds.
type gemmKernels func(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix, threads int)

// Gemm computes C = alpha·op(A)·op(B) + beta·C, where op(X) is X or Xᵀ. Shapes must agree:
// op(A) is M×K, op(B) is K×N and C is M×N. When beta is 0, C is overwritten and whatever it held
// (NaN included) is ignored; when alpha is 0, A and B are not read. C must not share memory with
// A or B (Gemm panics if it does: that is a bug in the caller, never a data error).
func (k *Impl) Gemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix) {
	a.check("gemm A")
	b.check("gemm B")
	c.check("gemm C")
	m, ka := a.Rows, a.Cols
	if tA {
		m, ka = ka, m
	}
	kb, n := b.Rows, b.Cols
	if tB {
		kb, n = n, kb
	}
	if ka != kb || c.Rows != m || c.Cols != n {
		panic(fmt.Sprintf("kernel: gemm %s%s shapes: op(A) %d×%d, op(B) %d×%d, C %d×%d",
			tA, tB, m, ka, kb, n, c.Rows, c.Cols))
	}
	if m == 0 || n == 0 {
		return
	}
	if overlap(c, a) || overlap(c, b) {
		panic("kernel: gemm output C aliases an input")
	}
	if alpha == 0 || ka == 0 {
		k.scaleMatrix(beta, c)
		return
	}
	k.b.gemm(tA, tB, alpha, a, b, beta, c, k.Threads())
}

// scaleMatrix sets c = beta·c, with beta == 0 meaning "set to zero" (NaN ignored).
func (k *Impl) scaleMatrix(beta float64, c Matrix) {
	switch beta {
	case 1:
	case 0:
		c.Zero()
	default:
		for i := 0; i < c.Rows; i++ {
			row := c.Row(i)
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// Gemm runs the default implementation; see Impl.Gemm.
func Gemm(tA, tB Transpose, alpha float64, a, b Matrix, beta float64, c Matrix) {
	defaultImpl.Gemm(tA, tB, alpha, a, b, beta, c)
}
