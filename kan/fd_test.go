package kan

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// The finite-difference harness of the layer tests, in the style of package nn's.
//
// Forward blocks: the layer is fed the exact jet of a smooth map h: R^D → R^in (a quadratic, so
// its own first and second blocks are non-zero and exact). The first-derivative blocks of the
// output are compared with differences of the value-only forward pass, the second-derivative
// blocks (pure and mixed) with differences of the first-derivative blocks of a gradient-plan pass.
//
// Backward: the scalar L = Σ_blocks Σ R⊙Y with a fixed random R is differentiated with respect to
// every parameter (up to 40 entries per tensor) and every element of the input jet (all blocks,
// as independent variables) and compared with Backward.
//
// Differences are central and Richardson-extrapolated (steps h and h/2): truncation O(h⁴) and
// rounding O(ε·|f|/h). With h = 1e-3 and the moderate degrees used here both stay below 1e-10;
// B-spline layers use h = 1e-5 so that a stencil almost never straddles a knot, where the
// spline's top derivative jumps. Tolerance 1e-7·max(1, |value|), a margin of ~1000× for the
// smooth bases; the worst error met is logged.

const fdTol = 1e-7

// quadMap is h(x) = c + x·A + Σ_{i,j} x_i x_j Q_ij with x ∈ R^D and h ∈ R^W.
type quadMap struct {
	d, w int
	a    [][]float64
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

// jet returns the exact jet of h at the points x on the plan.
func (m *quadMap) jet(plan *nn.Plan, x [][]float64) nn.Jet {
	j := nn.NewJet(plan, len(x), m.w)
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
			for _, c := range plan.First() {
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

// rich2 is the Richardson-extrapolated central difference of a matrix-valued function of one
// shift, evaluated by f(h) for h in ±step, ±step/2.
func rich2(f func(h float64) kernel.Matrix, step float64) kernel.Matrix {
	p1, m1, p2, m2 := f(step), f(-step), f(step/2), f(-step/2)
	out := kernel.NewMatrix(p1.Rows, p1.Cols)
	for i := range out.Data {
		d1 := (p1.Data[i] - m1.Data[i]) / (2 * step)
		d2 := (p2.Data[i] - m2.Data[i]) / step
		out.Data[i] = (4*d2 - d1) / 3
	}
	return out
}

// fdStats records the largest scaled error of a test for its log line.
type fdStats struct{ worst float64 }

func (s *fdStats) closeTo(t *testing.T, want, got float64, what string) {
	t.Helper()
	scale := math.Max(1, math.Max(math.Abs(want), math.Abs(got)))
	e := math.Abs(want-got) / scale
	s.worst = math.Max(s.worst, e)
	if !(e <= fdTol) {
		t.Fatalf("%s: finite difference %.12g, analytic %.12g (scaled error %.3g > %.3g)", what, want, got, e, fdTol)
	}
}

// checkForwardBlocks verifies every derivative block of l's output on plan.
func checkForwardBlocks(t *testing.T, l nn.Layer, plan *nn.Plan, rng *rand.Rand, inScale, step float64, st *fdStats) {
	t.Helper()
	const n = 3
	d := plan.Dim()
	m := newQuadMap(rng, d, l.InWidth(), inScale)
	x := randPoints(rng, n, d)
	got := nn.Wrap(plan, n, l.Forward(m.jet(plan, x)).M.Clone())

	vplan, gplan := nn.ValuePlan(d), nn.GradientPlan(d)
	value := func(x [][]float64) kernel.Matrix { return l.Forward(m.jet(vplan, x)).M.Clone() }
	v0 := value(x)
	for p := range n {
		for k := range l.OutWidth() {
			st.closeTo(t, v0.At(p, k), got.Value().At(p, k), fmt.Sprintf("value[%d,%d]", p, k))
		}
	}
	for _, c := range plan.First() {
		fd := rich2(func(h float64) kernel.Matrix { return value(shifted(x, c, h)) }, step)
		for p := range n {
			for k := range l.OutWidth() {
				st.closeTo(t, fd.At(p, k), got.D(c).At(p, k), fmt.Sprintf("∂%d[%d,%d]", c, p, k))
			}
		}
	}
	// A second-order block is Σ C·∂ᵢ∂ⱼ over its terms (one term of weight 1 for a pair): the
	// reference is the same combination of differences of first-derivative blocks.
	for b := range plan.NumSecond() {
		fd := kernel.NewMatrix(n, l.OutWidth())
		for _, tm := range plan.SecondTerms(b) {
			d := rich2(func(h float64) kernel.Matrix {
				return l.Forward(m.jet(gplan, shifted(x, tm.I, h))).D(tm.J).Clone()
			}, step)
			for i := range fd.Data {
				fd.Data[i] += tm.C * d.Data[i]
			}
		}
		for p := range n {
			for k := range l.OutWidth() {
				st.closeTo(t, fd.At(p, k), got.Block(plan.SecondStart()+b).At(p, k), fmt.Sprintf("second-order block %d [%d,%d]", b, p, k))
			}
		}
	}
}

// weightedSum returns Σ R⊙Y over all blocks.
func weightedSum(y nn.Jet, r kernel.Matrix) float64 {
	var s float64
	for i := 0; i < y.M.Rows; i++ {
		for k, v := range y.M.Row(i) {
			s += v * r.At(i, k)
		}
	}
	return s
}

// checkBackward verifies l's Backward (parameter and input-jet gradients of Σ R⊙Y).
func checkBackward(t *testing.T, l nn.Layer, plan *nn.Plan, rng *rand.Rand, inScale, step float64, st *fdStats) {
	t.Helper()
	const n = 3
	d := plan.Dim()
	m := newQuadMap(rng, d, l.InWidth(), inScale)
	in := m.jet(plan, randPoints(rng, n, d))
	// Make the derivative blocks independent of the values.
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
	dIn := l.Backward(nn.Wrap(plan, n, r.Clone()), true).M.Clone()
	grads := make([][]float64, len(params))
	for i, p := range params {
		grads[i] = append([]float64(nil), p.Grad...)
	}
	loss := func() float64 { return weightedSum(l.Forward(in), r) }
	deriv := func(v *float64) float64 {
		old := *v
		fd := rich2(func(h float64) kernel.Matrix {
			*v = old + h
			defer func() { *v = old }()
			return kernel.MatrixFrom(1, 1, []float64{loss()})
		}, step)
		return fd.Data[0]
	}
	const maxParams = 40
	for i, p := range params {
		stride := max(1, len(p.Value)/maxParams)
		for k := 0; k < len(p.Value); k += stride {
			st.closeTo(t, deriv(&p.Value[k]), grads[i][k], fmt.Sprintf("∂L/∂%s[%d]", p.Name, k))
		}
	}
	require.Equal(t, in.M.Rows, dIn.Rows)
	for i := 0; i < in.M.Rows; i++ {
		row := in.M.Row(i)
		for k := range row {
			st.closeTo(t, deriv(&row[k]), dIn.At(i, k), fmt.Sprintf("∂L/∂input[block %d, point %d, %d]", i/n, i%n, k))
		}
	}
}

// fdPlans are the plans every layer is checked on: orders 0, 1 and 2 (the full 2-D Hessian, so
// the mixed pair ∂₀∂₁), a partial 3-D plan whose block order differs from the coordinate order,
// and combination blocks (a pair, a weighted mixed combination, and the Laplacian as one block,
// as a PDE solve folds them).
func fdPlans() (names []string, plans []*nn.Plan) {
	partial, err := nn.NewPlan(3, []int{2}, []nn.Pair{{I: 1, J: 0}, {I: 1, J: 1}})
	if err != nil {
		panic(err)
	}
	sums, err := nn.NewSumPlan(3, []int{1}, [][]nn.Term{{{I: 2, J: 2, C: 1}}, {{I: 1, J: 0, C: 2.5}, {I: 2, J: 2, C: -0.7}, {I: 0, J: 0, C: 1.25}}})
	if err != nil {
		panic(err)
	}
	return []string{"order0", "order1", "order2", "partial", "sums", "lap"},
		[]*nn.Plan{nn.ValuePlan(2), nn.GradientPlan(2), nn.HessianPlan(2), partial, sums, nn.ForwardLaplacianPlan(3)}
}

// runLayerFD runs both checks for a layer built by mk on every plan.
func runLayerFD(t *testing.T, mk func(rng *rand.Rand) nn.Layer, inScale, step float64) {
	names, plans := fdPlans()
	for i, name := range names {
		t.Run(name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(i)))
			l := mk(rng)
			var fwd, bwd fdStats
			checkForwardBlocks(t, l, plans[i], rng, inScale, step, &fwd)
			checkBackward(t, l, plans[i], rng, inScale, step, &bwd)
			t.Logf("worst scaled error: forward blocks %.2g, backward %.2g", fwd.worst, bwd.worst)
		})
	}
}
