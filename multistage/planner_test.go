package multistage

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

// residual1D samples r at n points of [-1, 1] (uniform, or jittered when scattered).
func residual1D(n int, scattered bool, r func(float64) float64) (kernel.Matrix, []float64) {
	x := kernel.NewMatrix(n, 1)
	y := make([]float64, n)
	for i := range n {
		t := -1 + 2*float64(i)/float64(n-1)
		if scattered && i > 0 && i < n-1 {
			t += 0.4 * (2 / float64(n-1)) * math.Sin(float64(7*i)) // irregular, still sorted
		}
		x.Set(i, 0, t)
		y[i] = r(t)
	}
	return x, y
}

// TestPlanFrequency1D checks the measured angular frequency of pure and mixed oscillations. The
// FFT peak is on a mode k (ω = πk on [-1, 1]), so a frequency between modes is found to within
// half a mode, π/2; the zero count is exact to within one crossing, also π/2 in ω.
func TestPlanFrequency1D(t *testing.T) {
	cases := []struct {
		name      string
		rule      string
		scattered bool
		r         func(float64) float64
		omega     float64
	}{
		{"fft sine 20", FrequencyFFT, false, func(x float64) float64 { return math.Sin(20*x + 0.3) }, 20},
		{"fft sine 63 scattered", FrequencyFFT, true, func(x float64) float64 { return math.Sin(63 * x) }, 63},
		{"fft dominant of two", FrequencyFFT, false, func(x float64) float64 { return 0.2*math.Sin(5*x) + math.Cos(40*x) }, 40},
		{"fft with a trend", FrequencyFFT, false, func(x float64) float64 { return 3*x + 0.5*math.Sin(30*x) }, 30},
		{"zeros sine 20", FrequencyZeros, false, func(x float64) float64 { return math.Sin(20*x + 0.3) }, 20},
		{"zeros sine 63 scattered", FrequencyZeros, true, func(x float64) float64 { return math.Sin(63 * x) }, 63},
		{"fft constant gives the floor", FrequencyFFT, false, func(float64) float64 { return 1 }, math.Pi / 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, r := residual1D(1001, c.scattered, c.r)
			p, err := Planner{Frequency: c.rule}.Plan(x, r, 1, 20)
			require.NoError(t, err)
			assert.InDelta(t, c.omega, p.Omega, math.Pi/2+1e-9, "ω")
			require.Len(t, p.AxisOmega, 1)
			// κ·rms(w) = KappaGain·ω, rms(w) of glorot_normal 1→20 = 0.8796·sqrt(2/21).
			assert.InDelta(t, DefaultKappaGain*p.Omega/(0.87962566*math.Sqrt(2.0/21)), p.Kappa, 1e-6*p.Kappa)
		})
	}
}

// TestPlanFrequency2D checks the per-axis frequencies of sin(ωx·x)·cos(ωy·y) on a 64² grid and
// on scattered points, and that κ follows the larger one.
func TestPlanFrequency2D(t *testing.T) {
	const wx, wy = 6 * math.Pi, 15 * math.Pi
	f := func(x, y float64) float64 { return math.Sin(wx*x) * math.Cos(wy*y) }
	grid := func() (kernel.Matrix, []float64) {
		const g = 64
		x := kernel.NewMatrix(g*g, 2)
		r := make([]float64, g*g)
		for i := range g {
			for j := range g {
				a, b := -1+2*float64(i)/(g-1), -1+2*float64(j)/(g-1)
				x.Set(i*g+j, 0, a)
				x.Set(i*g+j, 1, b)
				r[i*g+j] = f(a, b)
			}
		}
		return x, r
	}
	scattered := func() (kernel.Matrix, []float64) {
		const n = 20000
		rng := rand64(5)
		x := kernel.NewMatrix(n, 2)
		r := make([]float64, n)
		for i := range n {
			a, b := 2*rng()-1, 2*rng()-1
			x.Set(i, 0, a)
			x.Set(i, 1, b)
			r[i] = f(a, b)
		}
		return x, r
	}
	for _, c := range []struct {
		name string
		rule string
		pts  func() (kernel.Matrix, []float64)
		tol  float64 // the grid's mode spacing; binning scattered points adds half a cell of blur
	}{
		{"fft grid", FrequencyFFT, grid, math.Pi / 2},
		{"zeros grid", FrequencyZeros, grid, 1.01 * math.Pi / 2}, // one crossing, the ends counting or not
		{"fft scattered", FrequencyFFT, scattered, math.Pi},
	} {
		t.Run(c.name, func(t *testing.T) {
			x, r := c.pts()
			p, err := Planner{Frequency: c.rule}.Plan(x, r, 2, 20)
			require.NoError(t, err)
			require.Len(t, p.AxisOmega, 2)
			assert.InDelta(t, wx, p.AxisOmega[0], c.tol)
			assert.InDelta(t, wy, p.AxisOmega[1], c.tol)
			assert.Equal(t, p.AxisOmega[1], p.Omega, "κ follows the faster axis")
		})
	}
}

// rand64 is a tiny deterministic uniform generator for test points.
func rand64(seed uint64) func() float64 {
	s := seed
	return func() float64 {
		s = s*6364136223846793005 + 1442695040888963407
		return float64(s>>11) / (1 << 53)
	}
}

// TestMagnitude checks ε against closed forms: a sine of amplitude A has RMS A/√2 over whole
// periods and maximum A.
func TestMagnitude(t *testing.T) {
	_, r := residual1D(4001, false, func(x float64) float64 { return 3e-7 * math.Sin(10*math.Pi*x) })
	for _, c := range []struct {
		rule string
		want float64
	}{{EpsilonRMS, 3e-7 / math.Sqrt2}, {EpsilonMax, 3e-7}} {
		eps, err := Planner{Epsilon: c.rule}.Magnitude(r)
		require.NoError(t, err)
		assert.InDelta(t, c.want, eps, 1e-3*c.want, c.rule) // 4001 samples of whole periods: ~1e-4 relative
	}
}

func TestPlannerErrors(t *testing.T) {
	x, r := residual1D(10, false, math.Sin)
	for _, c := range []struct {
		name string
		p    Planner
		x    kernel.Matrix
		r    []float64
		want string
	}{
		{"unknown epsilon", Planner{Epsilon: "mean"}, x, r, "epsilon rule"},
		{"unknown frequency", Planner{Frequency: "wavelet"}, x, r, "frequency rule"},
		{"negative gain", Planner{KappaGain: -1}, x, r, "kappa gain"},
		{"length mismatch", Planner{}, x, r[:5], "residual values"},
		{"zero residual", Planner{}, x, make([]float64, 10), "exactly zero"},
		{"one point repeated", Planner{}, kernel.NewMatrix(10, 1), r, "spans [0, 0]"},
		{"too many dimensions", Planner{}, kernel.NewMatrix(10, 13), r, "13 input dimensions"},
		{"NaN residual", Planner{}, x, append(append([]float64{}, r[:9]...), math.NaN()), "magnitude is NaN"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.p.Plan(c.x, c.r, 1, 20)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrBadInput)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}
