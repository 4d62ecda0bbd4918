package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

// The finite-difference harness shared by the layer tests.
//
// Forward blocks: the layer is fed the jet of a smooth map h: R^D → R^width (a quadratic, so its
// own first and second blocks are exact and non-zero). The first-derivative blocks of the output
// are compared with central differences of the value-only forward pass (step 1e-5: truncation
// h²·|f‴|/6 ≈ 1e-10·|f‴|, rounding ε·|f|/h ≈ 1e-11·|f|), the second-derivative blocks with central
// differences of the first-derivative blocks (same error budget, on the already-verified first
// blocks). Tolerance 1e-6·max(1, |value|), i.e. a safety factor of ~100 over that budget for the
// steepest activations tested (ω = 30 sines).
//
// Backward: the scalar loss L = Σ_blocks Σ R⊙Y with a fixed random R is differentiated with
// respect to every parameter and every input-jet element (all blocks, treated as independent
// variables) by central differences with step 1e-6, against the layer's Backward. Same tolerance.

const (
	fdStep  = 1e-5
	fdStepB = 1e-6
	fdTol   = 1e-6
)

// quadMap is h(x) = c + x·A + Σ_{i≤j} x_i x_j Q_ij, with x ∈ R^D and h ∈ R^W.
type quadMap struct {
	d, w int
	a    [][]float64 // D×W
	q    [][][]float64
	c    []float64
}

func newQuadMap(rng *rand.Rand, d, w int, scale float64) *quadMap {
	m := &quadMap{d: d, w: w, c: make([]float64, w)}
	for k := range m.c {
		m.c[k] = 0.5 * rng.NormFloat64() * scale
	}
	m.a = make([][]float64, d)
	m.q = make([][][]float64, d)
	for i := range d {
		m.a[i] = make([]float64, w)
		m.q[i] = make([][]float64, d)
		for k := range w {
			m.a[i][k] = 0.7 * rng.NormFloat64() * scale
		}
		for j := range d {
			m.q[i][j] = make([]float64, w)
			for k := range w {
				m.q[i][j][k] = 0.3 * rng.NormFloat64() * scale
			}
		}
	}
	return m
}

// jet returns the exact jet of h at the points x (N×D) on the plan.
func (m *quadMap) jet(plan *Plan, x [][]float64) Jet {
	n := len(x)
	j := NewJet(plan, n, m.w)
	for p, xp := range x {
		for k := range m.w {
			v := m.c[k]
			for i := range m.d {
				v += xp[i] * m.a[i][k]
				for l := range m.d {
					v += xp[i] * xp[l] * m.q[i][l][k]
				}
			}
			j.Value().Set(p, k, v)
			for _, c := range plan.first {
				d := m.a[c][k]
				for l := range m.d {
					d += (m.q[c][l][k] + m.q[l][c][k]) * xp[l]
				}
				j.D(c).Set(p, k, d)
			}
			for b := range plan.NumSecond() {
				v := 0.0
				for _, t := range plan.SecondTerms(b) {
					v += t.C * (m.q[t.I][t.J][k] + m.q[t.J][t.I][k])
				}
				j.Block(plan.SecondStart()+b).Set(p, k, v)
			}
		}
	}
	return j
}

func randPoints(rng *rand.Rand, n, d int) [][]float64 {
	x := make([][]float64, n)
	for p := range x {
		x[p] = make([]float64, d)
		for i := range x[p] {
			x[p][i] = 2*rng.Float64() - 1
		}
	}
	return x
}

func shifted(x [][]float64, c int, h float64) [][]float64 {
	y := make([][]float64, len(x))
	for p := range x {
		y[p] = append([]float64(nil), x[p]...)
		y[p][c] += h
	}
	return y
}

func closeTo(t *testing.T, want, got float64, what string) {
	t.Helper()
	tol := fdTol * math.Max(1, math.Max(math.Abs(want), math.Abs(got)))
	if !(math.Abs(want-got) <= tol) {
		t.Fatalf("%s: finite difference %.12g, analytic %.12g (diff %.3g > tol %.3g)", what, want, got, math.Abs(want-got), tol)
	}
}

// checkForwardBlocks verifies every derivative block of l's output on plan against finite
// differences of lower-order forward passes.
func checkForwardBlocks(t *testing.T, l Layer, plan *Plan, rng *rand.Rand, inScale float64) {
	t.Helper()
	const n = 3
	d := plan.Dim()
	m := newQuadMap(rng, d, l.InWidth(), inScale)
	x := randPoints(rng, n, d)
	out := l.Forward(m.jet(plan, x)).M.Clone()
	got := Wrap(plan, n, out)

	vplan := ValuePlan(d)
	value := func(x [][]float64) kernel.Matrix { return l.Forward(m.jet(vplan, x)).M.Clone() }
	gplan := GradientPlan(d)
	grad := func(x [][]float64, c int) kernel.Matrix { return l.Forward(m.jet(gplan, x)).D(c).Clone() }

	v0 := value(x)
	for p := range n {
		for k := range l.OutWidth() {
			closeTo(t, v0.At(p, k), got.Value().At(p, k), fmt.Sprintf("value[%d,%d]", p, k))
		}
	}
	for _, c := range plan.first {
		vp, vm := value(shifted(x, c, fdStep)), value(shifted(x, c, -fdStep))
		for p := range n {
			for k := range l.OutWidth() {
				fd := (vp.At(p, k) - vm.At(p, k)) / (2 * fdStep)
				closeTo(t, fd, got.D(c).At(p, k), fmt.Sprintf("∂%d[%d,%d]", c, p, k))
			}
		}
	}
	// A second-order block is Σ C·∂ᵢ∂ⱼ over its terms (one term of weight 1 for a pair): the
	// reference is the same combination of differences of first-derivative blocks.
	for b := range plan.NumSecond() {
		fd := kernel.NewMatrix(n, l.OutWidth())
		for _, tm := range plan.SecondTerms(b) {
			gp, gm := grad(shifted(x, tm.I, fdStep), tm.J), grad(shifted(x, tm.I, -fdStep), tm.J)
			for p := range n {
				for k := range l.OutWidth() {
					fd.Set(p, k, fd.At(p, k)+tm.C*(gp.At(p, k)-gm.At(p, k))/(2*fdStep))
				}
			}
		}
		for p := range n {
			for k := range l.OutWidth() {
				closeTo(t, fd.At(p, k), got.Block(plan.SecondStart()+b).At(p, k), fmt.Sprintf("second-order block %d [%d,%d]", b, p, k))
			}
		}
	}
}

// weightedSum returns Σ R⊙Y over all blocks.
func weightedSum(y Jet, r kernel.Matrix) float64 {
	var s float64
	for i := 0; i < y.M.Rows; i++ {
		for k, v := range y.M.Row(i) {
			s += v * r.At(i, k)
		}
	}
	return s
}

// checkBackward verifies l's Backward (parameter and input-jet gradients of Σ R⊙Y) against
// central differences. At most maxParams parameter entries per tensor are probed (spread evenly).
func checkBackward(t *testing.T, l Layer, plan *Plan, rng *rand.Rand, inScale float64) {
	t.Helper()
	const n = 3
	d := plan.Dim()
	m := newQuadMap(rng, d, l.InWidth(), inScale)
	in := m.jet(plan, randPoints(rng, n, d))
	// Perturb the derivative blocks so that they are independent of the values.
	for i := n; i < in.M.Rows; i++ {
		for k := range in.M.Row(i) {
			in.M.Row(i)[k] += 0.2 * rng.NormFloat64() * inScale
		}
	}
	y := l.Forward(in)
	r := kernel.NewMatrix(y.M.Rows, y.M.Cols)
	for i := range r.Data {
		r.Data[i] = rng.NormFloat64()
	}
	params := l.Params()
	for _, p := range params {
		clear(p.Grad)
	}
	dOut := Wrap(plan, n, r.Clone())
	dIn := l.Backward(dOut, true).M.Clone()
	grads := make([][]float64, len(params))
	for i, p := range params {
		grads[i] = append([]float64(nil), p.Grad...)
	}
	loss := func() float64 { return weightedSum(l.Forward(in), r) }
	const maxParams = 40
	for i, p := range params {
		stride := max(1, len(p.Value)/maxParams)
		for k := 0; k < len(p.Value); k += stride {
			old := p.Value[k]
			p.Value[k] = old + fdStepB
			lp := loss()
			p.Value[k] = old - fdStepB
			lm := loss()
			p.Value[k] = old
			closeTo(t, (lp-lm)/(2*fdStepB), grads[i][k], fmt.Sprintf("∂L/∂%s[%d]", p.Name, k))
		}
	}
	require.Equal(t, in.M.Rows, dIn.Rows)
	for i := 0; i < in.M.Rows; i++ {
		row := in.M.Row(i)
		for k := range row {
			old := row[k]
			row[k] = old + fdStepB
			lp := loss()
			row[k] = old - fdStepB
			lm := loss()
			row[k] = old
			closeTo(t, (lp-lm)/(2*fdStepB), dIn.At(i, k), fmt.Sprintf("∂L/∂input[block %d, point %d, %d]", i/n, i%n, k))
		}
	}
}

// fdPlans are the derivative plans every layer is checked on: orders 0, 1 and 2 (full Hessian in
// 2-D) and two partial 3-D plans whose block indices differ from the coordinates.
func fdPlans() map[string]*Plan {
	partial, err := NewPlan(3, []int{2}, []Pair{{1, 0}, {1, 1}})
	if err != nil {
		panic(err)
	}
	subset, err := NewPlan(3, nil, []Pair{{2, 2}})
	if err != nil {
		panic(err)
	}
	// Combination blocks: a pair, a weighted mixed combination, and the Laplacian as one block.
	sums, err := NewSumPlan(3, []int{1}, [][]Term{{{2, 2, 1}}, {{1, 0, 2.5}, {2, 2, -0.7}, {0, 0, 1.25}}})
	if err != nil {
		panic(err)
	}
	return map[string]*Plan{
		"subset":  subset, // only ∂₂ and ∂₂₂: block indices differ from coordinates
		"order0":  ValuePlan(2),
		"order1":  GradientPlan(2),
		"order2":  HessianPlan(2),
		"partial": partial,
		"sums":    sums,
		"lap":     ForwardLaplacianPlan(3),
	}
}

// runLayerFD runs both checks for a layer built by mk on every plan.
func runLayerFD(t *testing.T, mk func(rng *rand.Rand) Layer, inScale float64) {
	for _, name := range []string{"order0", "order1", "order2", "partial", "subset", "sums", "lap"} {
		plan := fdPlans()[name]
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(len(name))))
			l := mk(rng)
			checkForwardBlocks(t, l, plan, rng, inScale)
			checkBackward(t, l, plan, rng, inScale)
		})
	}
}
