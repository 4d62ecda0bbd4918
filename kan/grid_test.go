package kan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// splineAt evaluates Σ_m c_m·B_m(x) at each x.
func splineAt(b *BSpline, c, x []float64) []float64 {
	a := kernel.NewMatrix(len(x), b.Size())
	b.Eval(x, 0, []kernel.Matrix{a})
	y := make([]float64, len(x))
	for p := range x {
		for m, v := range a.Row(p) {
			y[p] += v * c[m]
		}
	}
	return y
}

// TestRefitMatrix: a spline on a grid refined by an integer factor is carried over exactly on
// the grid range (the fine spline space contains the coarse one); on a grid that is not a
// refinement the least-squares fit stays close to a smooth spline and is exact on its own grid.
func TestRefitMatrix(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 997)
	for i := range x {
		x[i] = -1 + 2*rng.Float64()
	}
	coarse := mustBasis(NewBSpline(5, 3, -1, 1))
	c := make([]float64, coarse.Size())
	for i := range c {
		c[i] = rng.NormFloat64()
	}
	want := splineAt(coarse, c, x)
	for _, g := range []int{5, 10, 20, 100} {
		fine := mustBasis(NewBSpline(g, 3, -1, 1))
		m, err := RefitMatrix(coarse, fine)
		require.NoError(t, err)
		c2 := make([]float64, fine.Size())
		kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, m, kernel.MatrixFrom(len(c), 1, c), 0, kernel.MatrixFrom(len(c2), 1, c2))
		got := splineAt(fine, c2, x)
		for i := range x {
			require.InDelta(t, want[i], got[i], 1e-12, "G 5 → %d at x = %v", g, x[i])
		}
	}
	// 5 → 7 is no refinement: a spline through sin(πx/2) stays within the cubic spline's own
	// approximation error of it.
	smooth := make([]float64, coarse.Size())
	for m := range smooth {
		smooth[m] = math.Sin(math.Pi / 2 * (coarse.Knot(m) + coarse.Knot(m+4)) / 2)
	}
	ref := splineAt(coarse, smooth, x)
	seven := mustBasis(NewBSpline(7, 3, -1, 1))
	c7, err := RefitCoefficients(smooth, 1, 1, coarse, seven)
	require.NoError(t, err)
	got := splineAt(seven, c7, x)
	var worst float64
	for i := range x {
		worst = max(worst, math.Abs(got[i]-ref[i]))
	}
	t.Logf("G 5 → 7, max deviation on [-1, 1]: %.2e", worst)
	require.Less(t, worst, 5e-3)
	require.Greater(t, worst, 1e-8, "not a refinement, so not exact")

	_, err = RefitMatrix(coarse, mustBasis(NewBSpline(10, 2, -1, 1)))
	require.ErrorContains(t, err, "differ in order or range")
}

// TestExtendGrid: a trained-looking B-spline KAN layer on grid 5, extended to 10 and 20, computes
// the same outputs and input derivatives on [-1, 1]; its base weights and scalers are copied, its
// spline coefficients grow to [in, G+k, out], and the copy does not share storage.
func TestExtendGrid(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	l, err := NewBSplineKAN(3, 4, 5, 3, rng)
	require.NoError(t, err)
	perturb(l, rng, 0.5)
	x := kernel.NewMatrix(256, 3)
	for i := range x.Data {
		x.Data[i] = -1 + 2*rng.Float64()
	}
	plan := nn.GradientPlan(3)
	want := l.Forward(nn.NewInputJet(plan, x))
	for _, g := range []int{10, 20} {
		e, err := ExtendGrid(l, g)
		require.NoError(t, err)
		require.Equal(t, []int{3, g + 3, 4}, e.Param("spline_weight").Shape)
		require.Equal(t, l.Param("base_weight").Value, e.Param("base_weight").Value)
		require.Equal(t, l.Param("spline_scaler").Value, e.Param("spline_scaler").Value)
		got := e.Forward(nn.NewInputJet(plan, x))
		for i := range want.Data() {
			require.InDelta(t, want.Data()[i], got.Data()[i], 1e-12, "G 5 → %d, entry %d", g, i)
		}
		e.Param("base_weight").Value[0] += 1
		require.NotEqual(t, l.Param("base_weight").Value[0], e.Param("base_weight").Value[0])
	}
	cheb, err := NewChebyshevKAN(2, 2, 4, rng)
	require.NoError(t, err)
	_, err = ExtendGrid(cheb, 10)
	require.ErrorContains(t, err, "no B-spline term")
}
