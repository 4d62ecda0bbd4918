package nn

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

func TestLosses(t *testing.T) {
	pred := kernel.MatrixFrom(2, 3, []float64{0.5, -2, 3, 0, 1.5, -0.2})
	target := kernel.MatrixFrom(2, 3, []float64{1, -1, 3, 0.3, -1, 0})
	d := []float64{-0.5, -1, 0, -0.3, 2.5, -0.2}
	cases := []struct {
		loss  Loss
		value func(d float64) float64
		grad  func(d float64) float64
	}{
		{MSE{}, func(d float64) float64 { return d * d }, func(d float64) float64 { return 2 * d }},
		{L1{}, math.Abs, func(d float64) float64 {
			if d == 0 {
				return 0
			}
			return math.Copysign(1, d)
		}},
		{Huber{Delta: 1}, func(d float64) float64 {
			if math.Abs(d) <= 1 {
				return d * d / 2
			}
			return math.Abs(d) - 0.5
		}, func(d float64) float64 { return math.Max(-1, math.Min(1, d)) }},
	}
	for _, c := range cases {
		t.Run(c.loss.Name(), func(t *testing.T) {
			var want float64
			for _, v := range d {
				want += c.value(v)
			}
			want /= 6
			grad := kernel.NewMatrix(2, 3)
			got := c.loss.Eval(pred, target, grad, 2, false)
			require.InDelta(t, want, got, 1e-15)
			for i, v := range d {
				require.InDelta(t, 2*c.grad(v)/6, grad.Data[i], 1e-15, "grad[%d]", i)
			}
			// accumulate adds; a zero target means the prediction is the residual.
			got = c.loss.Eval(pred, target, grad, 2, true)
			require.InDelta(t, want, got, 1e-15)
			require.InDelta(t, 4*c.grad(d[1])/6, grad.Data[1], 1e-15)
			resid := kernel.MatrixFrom(2, 3, d)
			require.InDelta(t, want, c.loss.Eval(resid, kernel.Matrix{}, kernel.Matrix{}, 1, false), 1e-15)
		})
	}
	_, err := NewLoss("hinge")
	require.ErrorContains(t, err, "unknown loss")
}

func TestObjectiveTerms(t *testing.T) {
	pred := kernel.MatrixFrom(1, 2, []float64{1, 2})
	grad := kernel.NewMatrix(1, 2)
	var o Objective
	o.Add("data", 3, func(s float64) float64 { return MSE{}.Eval(pred, kernel.Matrix{}, grad, s, true) })
	o.Add("l1", 0.5, func(s float64) float64 { return L1{}.Eval(pred, kernel.Matrix{}, grad, s, true) })
	total := o.Eval()
	require.InDelta(t, 3*2.5+0.5*1.5, total, 1e-15)
	v, ok := o.Value("data")
	require.True(t, ok)
	require.Equal(t, 2.5, v)
	names, values := o.Terms()
	require.Equal(t, []string{"data", "l1"}, names)
	require.Equal(t, []float64{2.5, 1.5}, values)
	// ∂/∂p of 3·mean(p²) + 0.5·mean|p| = 3p + 0.25·sign(p).
	require.InDelta(t, 3*1+0.25, grad.Data[0], 1e-15)
	require.InDelta(t, 3*2+0.25, grad.Data[1], 1e-15)
}

func TestSchedules(t *testing.T) {
	cases := []struct {
		s    Schedule
		t    int
		want float64
	}{
		{Constant{}, 100, 1},
		{StepDecay{Every: 10, Gamma: 0.5}, 9, 1},
		{StepDecay{Every: 10, Gamma: 0.5}, 25, 0.25},
		{Exponential{Gamma: 0.9}, 2, 0.81},
		{Cosine{Steps: 100}, 50, 0.5},
		{Cosine{Steps: 100, MinFactor: 0.1}, 100, 0.1},
		{PowerDecay{Steps: 100, Ratio: 0.1}, 50, math.Sqrt(0.1)},
		{PowerDecay{Steps: 100, Ratio: 0.1}, 500, 0.1},
	}
	for _, c := range cases {
		require.InDelta(t, c.want, c.s.Factor(c.t), 1e-15, "%#v at %d", c.s, c.t)
	}
	s, err := NewSchedule("wire", 1000)
	require.NoError(t, err)
	require.InDelta(t, 0.1, s.Factor(1000), 1e-15)
	_, err = NewSchedule("warmup", 10)
	require.ErrorContains(t, err, "unknown learning-rate schedule")
}

// TestAdamMatchesReference checks Adam(W) against the textbook update written out in full.
func TestAdamMatchesReference(t *testing.T) {
	p := NewParam("w", 3)
	copy(p.Value, []float64{1, -2, 0.5})
	ps, err := NewParamSet([]*Param{p})
	require.NoError(t, err)
	opt := NewAdam(ps, 0.1)
	opt.WeightDecay = 0.01
	opt.Schedule = Exponential{Gamma: 0.5}
	ref := []float64{1, -2, 0.5}
	m, v := make([]float64, 3), make([]float64, 3)
	grads := [][]float64{{0.3, -1, 2}, {0.1, 0.2, -0.5}, {-1, 0, 1e-3}}
	for step, g := range grads {
		copy(ps.Grad, g)
		require.NoError(t, opt.Step())
		lr := 0.1 * math.Pow(0.5, float64(step))
		tt := float64(step + 1)
		for i := range ref {
			m[i] = 0.9*m[i] + 0.1*g[i]
			v[i] = 0.999*v[i] + 0.001*g[i]*g[i]
			mh := m[i] / (1 - math.Pow(0.9, tt))
			vh := v[i] / (1 - math.Pow(0.999, tt))
			ref[i] = ref[i]*(1-lr*0.01) - lr*mh/(math.Sqrt(vh)+1e-8)
		}
		for i := range ref {
			require.InDelta(t, ref[i], ps.Value[i], 1e-14, "step %d, w[%d]", step+1, i)
		}
	}
	require.Equal(t, 3, opt.Steps())

	// A NaN gradient is an error and leaves the parameters alone.
	before := append([]float64(nil), ps.Value...)
	ps.Grad[1] = math.NaN()
	require.ErrorContains(t, opt.Step(), "gradient norm is NaN")
	require.Equal(t, before, ps.Value)
}

func TestSGDAndClipping(t *testing.T) {
	p := NewParam("w", 2)
	ps, err := NewParamSet([]*Param{p})
	require.NoError(t, err)
	opt := NewSGD(ps, 0.1, 0.9)
	copy(ps.Grad, []float64{1, 2})
	require.NoError(t, opt.Step()) // buf = g
	require.Equal(t, []float64{-0.1, -0.2}, ps.Value)
	copy(ps.Grad, []float64{1, 2})
	require.NoError(t, opt.Step()) // buf = 0.9·g + g
	require.InDeltaSlice(t, []float64{-0.1 - 0.19, -0.2 - 0.38}, ps.Value, 1e-15)

	copy(ps.Grad, []float64{3, 4})
	norm := ps.ClipGradNorm(1)
	require.Equal(t, 5.0, norm)
	require.InDelta(t, 1, ps.GradNorm(), 1e-12)
	ps.Grad[0] = math.Inf(1)
	opt.ClipNorm = 1
	require.ErrorContains(t, opt.Step(), "gradient norm is +Inf")
}
