package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestLinearSin checks s = sin(ω(x·w+b)) and c = cos(ω(x·w+b)) against math.Sin/Cos of the
// pre-activation summed in a loop, for thin (streaming) and wide (Gemm + AffineSinCos) layers,
// with and without each output and with strided views. Tolerance 1e-12 absolute: the arguments
// reach |ω·z| ≈ 100, where the kernels' different summation order moves the argument by a few
// ulp (≈ 1e-14 each) and the vector sine adds a few ulp of its own, far below an indexing error.
func TestLinearSin(t *testing.T) {
	const omega, tol = 30.0, 1e-12
	shapes := [][3]int{{1, 1, 1}, {7, 2, 5}, {300, 2, 256}, {33, 3, 17}, {65, 4, 9}, {40, 5, 21}, {19, 64, 33}, {400, 64, 128}}
	for _, impl := range implsUnderTest(t) {
		for _, sh := range shapes {
			m, kk, n := sh[0], sh[1], sh[2]
			for _, mode := range []string{"sin", "cos", "both", "both-strided"} {
				t.Run(fmt.Sprintf("%s/%dx%dx%d/%s", impl.Name(), m, kk, n, mode), func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(m), uint64(n)))
					x, w := randMatrix(r, m, kk), randMatrix(r, kk, n)
					b := make([]float64, n)
					for j := range b {
						b[j] = r.Float64()*2 - 1
					}
					var s, c Matrix
					if mode != "cos" {
						s = NewMatrix(m, n)
					}
					if mode != "sin" {
						c = NewMatrix(m, n)
					}
					if mode == "both-strided" {
						s = NewMatrix(m+2, n+3).View(1, 2, m, n)
						c = NewMatrix(m+1, n+5).View(1, 4, m, n)
					}
					impl.WithThreads(2).LinearSin(s, c, x, w, b, omega)
					// One worker gives the same bits as two.
					s1, c1 := s, c
					if s.Data != nil {
						s1 = NewMatrix(m, n)
					}
					if c.Data != nil {
						c1 = NewMatrix(m, n)
					}
					impl.WithThreads(1).LinearSin(s1, c1, x, w, b, omega)
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							if s.Data != nil {
								require.Equal(t, math.Float64bits(s.At(i, j)), math.Float64bits(s1.At(i, j)), "sin threads 1 vs 2 at (%d,%d)", i, j)
							}
							if c.Data != nil {
								require.Equal(t, math.Float64bits(c.At(i, j)), math.Float64bits(c1.At(i, j)), "cos threads 1 vs 2 at (%d,%d)", i, j)
							}
						}
					}
					for i := 0; i < m; i++ {
						for j := 0; j < n; j++ {
							z := b[j]
							for p := 0; p < kk; p++ {
								z += x.At(i, p) * w.At(p, j)
							}
							if s.Data != nil {
								require.InDelta(t, math.Sin(omega*z), s.At(i, j), tol, "sin at (%d,%d)", i, j)
							}
							if c.Data != nil {
								require.InDelta(t, math.Cos(omega*z), c.At(i, j), tol, "cos at (%d,%d)", i, j)
							}
						}
					}
				})
			}
		}
	}
}

func TestLinearSinBadInput(t *testing.T) {
	x, w := NewMatrix(4, 2), NewMatrix(2, 3)
	require.Panics(t, func() { LinearSin(Matrix{}, Matrix{}, x, w, make([]float64, 3), 1) }, "no output")
	require.Panics(t, func() { LinearSin(NewMatrix(4, 3), Matrix{}, x, w, make([]float64, 2), 1) }, "short bias")
	require.Panics(t, func() { LinearSin(NewMatrix(4, 4), Matrix{}, x, w, make([]float64, 3), 1) }, "wrong output shape")
	big := NewMatrix(4, 10)
	require.Panics(t, func() { LinearSin(big.View(0, 1, 4, 3), Matrix{}, big.View(0, 0, 4, 2), w, make([]float64, 3), 1) }, "aliasing")
}
