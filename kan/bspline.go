package kan

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

// BSpline is the basis of the G+k B-splines of order k (degree k) on a uniform grid of G intervals
// over [lo, hi], extended by k knots on each side with the same spacing h = (hi−lo)/G, as in
// pykan and efficient-kan: knots t_j = lo + (j−k)·h for j = 0 … G+2k, and B_j supported on
// [t_j, t_{j+k+1}). Every basis function is zero outside the extended grid [t_0, t_{G+2k}) and the
// intervals are half-open, as in the references' Cox–de Boor start.
//
// A point lies in one interval, where only k+1 functions are non-zero; they are computed by the
// Cox–de Boor recursion on that interval alone, and the r-th derivative of an order-k spline is
// the r-th difference of the order-(k−r) splines divided by hʳ (uniform knots). The third
// derivative of a cubic spline is therefore piecewise constant, and at a knot every derivative is
// the one from the right.
type BSpline struct {
	g, k   int
	lo, hi float64
	h, t0  float64
	// diff[r][s] = (−1)^s·C(r, s)/hʳ, the weights of the r-th difference.
	diff [MaxOrder + 1][MaxOrder + 1]float64
}

// NewBSpline returns the basis of order k on G uniform intervals over [lo, hi].
func NewBSpline(g, k int, lo, hi float64) (*BSpline, error) {
	if g < 1 || k < 0 {
		return nil, fmt.Errorf("b-spline basis: grid %d and order %d must be ≥ 1 and ≥ 0", g, k)
	}
	if k > maxSplineOrder {
		return nil, fmt.Errorf("b-spline basis: order %d > %d", k, maxSplineOrder)
	}
	if !(hi > lo) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil, fmt.Errorf("b-spline basis: range [%v, %v] is empty or not finite", lo, hi)
	}
	b := &BSpline{g: g, k: k, lo: lo, hi: hi, h: (hi - lo) / float64(g)}
	b.t0 = lo - float64(k)*b.h
	for r := 0; r <= MaxOrder; r++ {
		c := 1.0 // C(r, s)
		for s := 0; s <= r; s++ {
			b.diff[r][s] = c * math.Pow(-1, float64(s)) / math.Pow(b.h, float64(r))
			c = c * float64(r-s) / float64(s+1)
		}
	}
	return b, nil
}

func (b *BSpline) Name() string { return "bspline" }
func (b *BSpline) Size() int    { return b.g + b.k }

// Grid is G.
func (b *BSpline) Grid() int { return b.g }

// Order is k.
func (b *BSpline) Order() int { return b.k }

// Range is the grid's [lo, hi] before the extension.
func (b *BSpline) Range() (lo, hi float64) { return b.lo, b.hi }

// Knot returns t_j = lo + (j−k)·h, for j = 0 … G+2k.
func (b *BSpline) Knot(j int) float64 { return b.t0 + float64(j)*b.h }

func (b *BSpline) Eval(x []float64, order int, dst []kernel.Matrix) {
	k, size := b.k, b.Size()
	// tab[q][pad+r] = B_{m−q+r, q}(x): the non-zero splines of order q on the point's interval
	// m, with zeros on both sides so that neither the recursion nor the differences branch on
	// the ends (level q only ever writes its q+1 entries, so the padding stays zero).
	const pad = MaxOrder
	var tab [maxSplineOrder + 1][maxSplineOrder + 2*pad + 2]float64
	intervals := float64(b.g + 2*k)
	invh := 1 / b.h
	for p, v := range x {
		u := (v - b.t0) * invh
		if !(u >= 0 && u < intervals) {
			fv := 0.0
			if math.IsNaN(u) {
				fv = math.NaN()
			}
			for r := 0; r <= order; r++ {
				fill(dst[r].Row(p)[:size], fv)
			}
			continue
		}
		m := int(u)
		u -= float64(m)
		tab[0][pad] = 1
		for q := 1; q <= k; q++ {
			prev, cur := tab[q-1][pad-1:pad+q+1], tab[q][pad:pad+q+1]
			inv := 1 / float64(q)
			for r := range cur {
				cur[r] = ((u+float64(q-r))*prev[r] + (float64(r+1)-u)*prev[r+1]) * inv
			}
		}
		lo, hi := max(0, k-m), min(k, size-1-m+k) // the r with 0 ≤ m−k+r < size
		for d := 0; d <= order; d++ {
			row := dst[d].Row(p)[:size]
			if d > k {
				fill(row, 0)
				continue
			}
			// Zeros around the k+1 non-zero columns, written by loops: rows are short, and a
			// call to clear costs more than the stores.
			for c := 0; c < m-k+lo; c++ {
				row[c] = 0
			}
			for c := m - k + hi + 1; c < size; c++ {
				row[c] = 0
			}
			lv := &tab[k-d]
			w := &b.diff[d]
			for r := lo; r <= hi; r++ {
				var val float64
				for s := 0; s <= d; s++ {
					val += w[s] * lv[pad+r+s-d]
				}
				row[m-k+r] = val
			}
		}
	}
}

// maxSplineOrder bounds k so that the recursion table lives on the stack.
const maxSplineOrder = 15

func fill(s []float64, v float64) {
	for i := range s {
		s[i] = v
	}
}

// SiLU is the one-function basis x·σ(x): efficient-kan's base branch, which keeps a B-spline KAN
// well-defined and trainable outside the spline grid.
type SiLU struct{}

func (SiLU) Name() string { return "silu" }
func (SiLU) Size() int    { return 1 }

// Eval uses σ′ = σ(1−σ) = g and, with q = 1−2σ,
//
//	silu′ = σ + x·g,  silu″ = g·(2 + x·q),  silu‴ = g·(q·(3 + x·q) − 2x·g),
//
// with g = e/(1+e)² for e = exp(−|x|) and q = −tanh(x/2): forming them from σ would cancel
// (1−σ loses every digit once σ rounds to 1, near x = 37).
func (SiLU) Eval(x []float64, order int, dst []kernel.Matrix) {
	for p, v := range x {
		e := math.Exp(-math.Abs(v))
		den := 1 + e
		s := 1 / den
		if v < 0 {
			s = e / den
		}
		dst[0].Row(p)[0] = v * s
		if order < 1 {
			continue
		}
		g := e / (den * den)
		dst[1].Row(p)[0] = s + v*g
		if order < 2 {
			continue
		}
		q := -math.Tanh(v / 2)
		dst[2].Row(p)[0] = g * (2 + v*q)
		if order >= 3 {
			dst[3].Row(p)[0] = g * (q*(3+v*q) - 2*v*g)
		}
	}
}
