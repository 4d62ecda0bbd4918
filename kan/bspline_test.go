package kan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// coxDeBoor is the textbook recursion over the whole knot vector (pykan's B_batch), with the
// general derivative formula B′_{j,q} = q·(B_{j,q−1}/(t_{j+q}−t_j) − B_{j+1,q−1}/(t_{j+q+1}−t_{j+1}))
// applied d times: an independent reference for the local, uniform-grid evaluation.
func coxDeBoor(b *BSpline, x float64, j, q, d int) float64 {
	t := b.Knot
	if d > 0 {
		if q == 0 {
			return 0
		}
		return float64(q) * (coxDeBoor(b, x, j, q-1, d-1)/(t(j+q)-t(j)) - coxDeBoor(b, x, j+1, q-1, d-1)/(t(j+q+1)-t(j+1)))
	}
	if q == 0 {
		if t(j) <= x && x < t(j+1) {
			return 1
		}
		return 0
	}
	return (x-t(j))/(t(j+q)-t(j))*coxDeBoor(b, x, j, q-1, 0) + (t(j+q+1)-x)/(t(j+q+1)-t(j+1))*coxDeBoor(b, x, j+1, q-1, 0)
}

// TestBSplineMatchesCoxDeBoor compares values and derivatives with the global recursion at
// random points inside, in the extension and outside the grid, and at every knot (where the
// half-open intervals make both sides take the value from the right). The two evaluations round
// differently (u = (x−t₀)/h against x − t_j); tolerance 1e-12 of the largest entry at the point.
func TestBSplineMatchesCoxDeBoor(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for _, cfg := range []struct {
		g, k   int
		lo, hi float64
	}{{5, 3, -1, 1}, {7, 2, -1, 1}, {3, 0, 0, 1}, {4, 1, -0.5, 1.5}, {10, 5, -2, 2}, {1, 3, -1, 1}} {
		b := mustBasis(NewBSpline(cfg.g, cfg.k, cfg.lo, cfg.hi))
		var xs []float64
		for range 40 {
			xs = append(xs, b.Knot(0)-1+(b.Knot(cfg.g+2*cfg.k)-b.Knot(0)+2)*rng.Float64())
		}
		for j := 0; j <= cfg.g+2*cfg.k; j++ {
			xs = append(xs, b.Knot(j))
		}
		got := evalAll(b, xs, MaxOrder)
		for p, x := range xs {
			u := (x - b.Knot(0)) / b.h
			atKnot := math.Abs(u-math.Round(u)) < 1e-9
			for d := 0; d <= MaxOrder; d++ {
				if atKnot && d >= cfg.k {
					// The d-th derivative jumps at a knot, and which side the local evaluation
					// takes depends on how (x−t₀)/h rounds; the lower ones are continuous.
					continue
				}
				want := make([]float64, b.Size())
				for m := range want {
					want[m] = coxDeBoor(b, x, m, cfg.k, d)
				}
				e, ok, _ := fdCheck(want, want, got[d].Row(p), 1, 1e-12)
				require.Truef(t, ok, "G=%d k=%d x=%v derivative %d: error %.3g of the largest", cfg.g, cfg.k, x, d, e)
			}
		}
	}
}

// TestBSplinePartitionOfUnity: on [lo, hi) the G+k splines sum to one and their derivatives to
// zero (to rounding, 1e-13); outside the extended grid every function vanishes.
func TestBSplinePartitionOfUnity(t *testing.T) {
	b := mustBasis(NewBSpline(6, 3, -1, 1))
	rng := rand.New(rand.NewPCG(6, 6))
	var xs []float64
	for range 50 {
		xs = append(xs, -1+2*rng.Float64())
	}
	xs = append(xs, -1)
	got := evalAll(b, xs, MaxOrder)
	for p := range xs {
		for d := 0; d <= MaxOrder; d++ {
			var sum, scale float64
			for _, v := range got[d].Row(p) {
				sum += v
				scale = math.Max(scale, math.Abs(v))
			}
			want := 0.0
			if d == 0 {
				want = 1
			}
			require.InDeltaf(t, want, sum, 1e-13*math.Max(1, scale), "x=%v: Σ derivative %d", xs[p], d)
		}
	}
	outside := []float64{b.Knot(0) - 1e-12, b.Knot(b.g + 2*b.k), 5, -5, math.Inf(1), math.Inf(-1)}
	got = evalAll(b, outside, MaxOrder)
	for d := range got {
		for _, v := range got[d].Data {
			require.Zero(t, v)
		}
	}
	nan := evalAll(b, []float64{math.NaN()}, 0)
	for _, v := range nan[0].Data {
		require.True(t, math.IsNaN(v), "a NaN input must not become a finite feature")
	}
}
