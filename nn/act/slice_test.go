package act

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sliceScale is the natural size of σ⁽ᵏ⁾ for the SliceFunc activations, the floor of the
// ulp comparison (the kernel's elementary functions may differ from the math package's by an
// ulp, and a closed form such as σ′(1 − 6σ′) can cancel).
func sliceScale(f Func, k int) float64 {
	w := 1.0
	switch f.Name() {
	case "sine":
		w = f.Config()["omega"]
	case "gauss":
		w = f.Config()["s"]
	}
	return math.Pow(math.Abs(w), float64(k))
}

// ulpDiff is |a − b| in units of the last place of max(|a|, |b|, floor).
func ulpDiff(a, b, floor float64) float64 {
	if a == b {
		return 0
	}
	m := math.Max(math.Max(math.Abs(a), math.Abs(b)), floor)
	ulp := math.Nextafter(m, math.Inf(1)) - m
	return math.Abs(a-b) / ulp
}

// sliceInputs mixes random moderate values with the awkward ones: zeros, tiny, huge.
func sliceInputs(n int, spread float64) []float64 {
	r := rand.New(rand.NewPCG(1, 2))
	x := []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 50, -50, 1e3, -1e3, 1e8, -1e8}
	for len(x) < n {
		x = append(x, spread*(2*r.Float64()-1))
	}
	return x
}

// TestSliceMatchesScalar checks every SliceFunc against its scalar Eval within 2 ulp (of
// the value, floored at the natural scale of the order), for every order and every subset of
// requested slices. With the generic kernel the two paths perform identical operations and
// the difference is 0.
func TestSliceMatchesScalar(t *testing.T) {
	nSlice := 0
	for _, name := range Names() {
		f, err := New(name, nil)
		if err != nil {
			continue // complex-valued
		}
		sf, ok := f.(SliceFunc)
		if !ok {
			continue
		}
		nSlice++
		var th []float64
		for _, p := range f.Params() {
			th = append(th, p.Init+0.3)
		}
		for _, spread := range []float64{0.2, 3, 40} {
			x := sliceInputs(300, spread)
			for order := 0; order <= 3; order++ {
				want := make([][4]float64, len(x))
				for i, v := range x {
					f.Eval(v, th, order, &want[i])
				}
				check := func(label string, d [4][]float64) {
					for k := 0; k <= order; k++ {
						if d[k] == nil {
							continue
						}
						for i := range x {
							u := ulpDiff(d[k][i], want[i][k], sliceScale(f, k))
							require.LessOrEqual(t, u, 2.0, "%s %s order %d x=%v: slice %v scalar %v",
								name, label, k, x[i], d[k][i], want[i][k])
						}
					}
				}
				var all [4][]float64
				for k := 0; k <= order; k++ {
					all[k] = make([]float64, len(x))
				}
				sf.EvalSlice(x, th, order, all)
				check("all", all)

				var top [4][]float64
				top[order] = make([]float64, len(x))
				sf.EvalSlice(x, th, order, top)
				check("top only", top)

				// every other subset of the slices: the missing ones must simply be skipped
				for mask := 1; mask < 1<<(order+1); mask++ {
					var sub [4][]float64
					for k := 0; k <= order; k++ {
						if mask&(1<<k) != 0 {
							sub[k] = make([]float64, len(x))
						}
					}
					sf.EvalSlice(x, th, order, sub)
					check("subset", sub)
				}
			}
		}
	}
	assert.GreaterOrEqual(t, nSlice, 5, "expected SliceFunc paths for sine, tanh, gauss, sigmoid, relu at least")
}
