package reference

import (
	"math"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The default solve takes about 2 s; the tests share it.
var acDefault = sync.OnceValues(func() (*AllenCahn, error) { return SolveAllenCahn(AllenCahnConfig{}) })

func defaultAC(t *testing.T) *AllenCahn {
	a, err := acDefault()
	require.NoError(t, err)
	return a
}

// maxDiff is the largest |a − b| over 401 points of [−1, 1] at the given times.
func maxDiff(a, b *AllenCahn, times []float64) (worst, atX, atT float64) {
	for _, tt := range times {
		for i := 0; i <= 400; i++ {
			x := -1 + 2*float64(i)/400
			if d := math.Abs(a.U(x, tt) - b.U(x, tt)); d > worst {
				worst, atX, atT = d, x, tt
			}
		}
	}
	return worst, atX, atT
}

var acCheckTimes = []float64{0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 0.75, 1}

func TestAllenCahnInitialCondition(t *testing.T) {
	a := defaultAC(t)
	worst := 0.0
	for i := 0; i <= 1000; i++ {
		x := -1 + 2*float64(i)/1000
		d := math.Abs(a.U(x, 0) - x*x*math.Cos(math.Pi*x))
		worst = max(worst, d)
	}
	t.Logf("Allen–Cahn: max |u(x,0) − x² cos πx| = %.2g", worst)
	// The corner at ±1 is exact in the singular part; the smooth remainder is C² and its
	// 2048-mode interpolant is accurate to about 1e-10 between grid points.
	assert.Less(t, worst, 1e-9)
}

func TestAllenCahnConvergesInDt(t *testing.T) {
	if testing.Short() {
		t.Skip("second Allen–Cahn solve (about 4 s) skipped in -short mode")
	}
	a := defaultAC(t)
	half, err := SolveAllenCahn(AllenCahnConfig{Dt: DefaultAllenCahnDt / 2})
	require.NoError(t, err)
	worst, x, tt := maxDiff(a, half, acCheckTimes)
	t.Logf("Allen–Cahn: dt %g vs %g: max |Δu| = %.2g at x = %g, t = %g", DefaultAllenCahnDt, DefaultAllenCahnDt/2, worst, x, tt)
	// ETDRK4 is fourth order; measured 4e-11. 1e-9 is well inside the 1e-6 a PINN benchmark needs.
	assert.Less(t, worst, 1e-9)
}

func TestAllenCahnConvergesInModes(t *testing.T) {
	if testing.Short() {
		t.Skip("4096-mode Allen–Cahn solve (about 4 s) skipped in -short mode")
	}
	a := defaultAC(t)
	fine, err := SolveAllenCahn(AllenCahnConfig{Modes: 2 * DefaultAllenCahnModes})
	require.NoError(t, err)
	worst, x, tt := maxDiff(a, fine, acCheckTimes)
	t.Logf("Allen–Cahn: %d vs %d modes: max |Δu| = %.2g at x = %g, t = %g", DefaultAllenCahnModes, 2*DefaultAllenCahnModes, worst, x, tt)
	// Measured 6e-10, largest at x = ±1 for t ≤ 0.01 where the corner's remainder is least smooth.
	assert.Less(t, worst, 1e-8)
}

func TestAllenCahnTimeInterpolation(t *testing.T) {
	if testing.Short() {
		t.Skip("second Allen–Cahn solve skipped in -short mode")
	}
	a := defaultAC(t)
	// Snapshots every 0.0025 contain the midpoints of the default 0.005 snapshots, where the
	// cubic Hermite interpolation of the default solution is at its worst.
	dense, err := SolveAllenCahn(AllenCahnConfig{Snapshot: DefaultAllenCahnSnapshot / 2})
	require.NoError(t, err)
	var mids []float64
	for _, tt := range []float64{0.0025, 0.0075, 0.0125, 0.0525, 0.1025, 0.2525, 0.5025, 0.7525, 0.9975} {
		mids = append(mids, tt)
	}
	worst, x, tt := maxDiff(a, dense, mids)
	t.Logf("Allen–Cahn: Hermite interpolation between snapshots: max |Δu| = %.2g at x = %g, t = %g", worst, x, tt)
	assert.Less(t, worst, 1e-6)
}

func TestAllenCahnEnergyDecays(t *testing.T) {
	a := defaultAC(t)
	times := a.Times()
	require.Len(t, times, 201)
	energies := make([]float64, len(times))
	for j := range times {
		if j%5 == 0 || j < 12 {
			energies[j] = a.Energy(j)
		}
	}
	prev := math.Inf(1)
	for j := range times {
		if energies[j] == 0 {
			continue
		}
		require.LessOrEqual(t, energies[j], prev, "energy rises at t = %g", times[j])
		prev = energies[j]
	}
	t.Logf("Allen–Cahn: free energy %.6f at t = 0, %.6f at t = 1", energies[0], energies[200])
	// dE/dt = −∫ u_t²: compare a centred difference of E with the dissipation at snapshots
	// where the solution changes smoothly. The difference has error Δ²·E‴/6 ≈ 1e-4 relative.
	for _, j := range []int{2, 4, 6, 8, 10} {
		dE := (energies[j+1] - energies[j-1]) / (2 * a.cfg.Snapshot)
		d := a.Dissipation(j)
		assert.InEpsilon(t, d, -dE, 2e-3, "t = %g", times[j])
	}
}

func TestAllenCahnKinkPart(t *testing.T) {
	k, jump, ustar := newKink(func(x float64) float64 { return x * x * math.Cos(math.Pi*x) }, 1e-4, 5)
	assert.InDelta(t, 4, jump, 1e-9, "slope jump of x² cos πx at the periodic point")
	assert.InDelta(t, -1, ustar, 1e-15)
	assert.InDelta(t, -10, k.rate, 1e-12, "λ = f′(−1) = 5(1 − 3)")
	for _, x := range []float64{-1, -0.5, 0.3, 1} {
		s, _, _ := k.eval(x, 0)
		assert.InDelta(t, -x*x, s, 1e-9)
	}
	// s_t = Eps s_xx + λ s and the closed-form derivatives, by finite differences.
	const h = 1e-6
	for _, x := range []float64{-0.999, -0.99, 0.5, 0.995, 1} {
		for _, tt := range []float64{0.01, 0.2} {
			s, sx, sxx := k.eval(x, tt)
			sp, _, _ := k.eval(x+h, tt)
			sm, _, _ := k.eval(x-h, tt)
			assert.InDelta(t, (sp-sm)/(2*h), sx, 1e-7*(1+math.Abs(sx)), "s_x at x=%g t=%g", x, tt)
			_, sxp, _ := k.eval(x+h, tt)
			_, sxm, _ := k.eval(x-h, tt)
			assert.InDelta(t, (sxp-sxm)/(2*h), sxx, 1e-5*(1+math.Abs(sxx)), "s_xx at x=%g t=%g", x, tt)
			tp, _, _ := k.eval(x, tt+h)
			tm, _, _ := k.eval(x, tt-h)
			assert.InDelta(t, (tp-tm)/(2*h), 1e-4*sxx+k.rate*s, 1e-6*(1+math.Abs(sxx)), "s_t at x=%g t=%g", x, tt)
		}
	}
	// s is 2-periodic and smooth across x = ±1 for t > 0.
	a, _, _ := k.eval(1-1e-9, 0.05)
	b, _, _ := k.eval(-1+1e-9, 0.05)
	assert.InDelta(t, a, b, 1e-12)
}

func TestAllenCahnSolutionShape(t *testing.T) {
	a := defaultAC(t)
	// By t = 1 the reaction has driven the initial signs to plateaus: u0 > 0 on |x| < ½ (so
	// u ≈ +1 at x = ±0.3), u0 < 0 beyond (u ≈ −1 at ±0.8 and ±1), joined by fronts of width
	// ≈ 0.006. At x = 0, where u0 = x² cos πx has a double zero, u stays small: the linearised
	// equation u_t = Eps·u_xx + 5u with u0 ≈ x² gives u = e^{5t}(x² + 2·Eps·t), so u(0, 1) ≈
	// 2e-4·e⁵ = 0.0297 (the cubic term is negligible at that size).
	for _, x := range []float64{-1, -0.8, 0.8, 1} {
		assert.InDelta(t, -1, a.U(x, 1), 1e-2, "x = %g", x)
	}
	for _, x := range []float64{-0.3, 0.3} {
		assert.InDelta(t, 1, a.U(x, 1), 1e-2, "x = %g", x)
	}
	assert.InDelta(t, 2e-4*math.Exp(5), a.U(0, 1), 1e-3)
	assert.InDelta(t, a.U(0.3, 1), a.U(-0.3, 1), 1e-10, "even in x")
	assert.InDelta(t, a.U(0.9, 0.5), a.U(-1.1, 0.5), 1e-12, "periodic in x")
	assert.True(t, math.IsNaN(a.U(0, 1.5)))
	assert.True(t, math.IsNaN(a.U(0, -0.1)))
	g := a.Grid(512)
	require.Len(t, g.T, 201)
	require.Len(t, g.U, 512*201)
	assert.InDelta(t, a.U(g.X[100], g.T[60]), g.At(100, 60), 1e-14)
	assert.InDelta(t, g.At(0, 200), g.At(511, 200), 1e-12, "u(−1) = u(1)")
}

func TestAllenCahnConfigErrors(t *testing.T) {
	for _, c := range []struct {
		cfg  AllenCahnConfig
		want string
	}{
		{AllenCahnConfig{Modes: 7}, "7 modes"},
		{AllenCahnConfig{Dt: 3e-4}, "does not divide the snapshot interval"},
		{AllenCahnConfig{Eps: -1}, "want finite Eps > 0"},
		{AllenCahnConfig{Init: func(x float64) float64 { return x }}, "not periodic"},
		{AllenCahnConfig{Init: func(x float64) float64 { return 1 / x }}, "initial condition is +Inf at x = 0"},
	} {
		_, err := SolveAllenCahn(c.cfg)
		assert.ErrorContains(t, err, c.want)
	}
}
