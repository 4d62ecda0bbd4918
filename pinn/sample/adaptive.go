package sample

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// RAR is residual-based adaptive refinement (Lu et al., DeepXDE): given the residuals of a set
// of candidate points, it returns the indices of the k candidates with the largest |residual|,
// largest first (ties by lower index). The solver adds those points to its collocation set.
func RAR(residual []float64, k int) ([]int, error) {
	if err := finite(residual); err != nil {
		return nil, err
	}
	if k < 0 || k > len(residual) {
		return nil, fmt.Errorf("RAR: %d points asked from %d candidates", k, len(residual))
	}
	idx := make([]int, len(residual))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		return cmp.Compare(math.Abs(residual[b]), math.Abs(residual[a]))
	})
	return idx[:k:k], nil
}

// RADDefaults are the exponent and offset that Wu et al. (CMAME 403, 2023) found robust.
const (
	RADDefaultK = 1.0
	RADDefaultC = 1.0
)

// RAD is residual-based adaptive distribution (Wu et al. 2023): it draws n distinct candidates
// with probability proportional to p_i = |r_i|^k / mean(|r|^k) + c. k sharpens the focus on large
// residuals, c keeps a floor of uniform sampling (k = 1, c = 1 are the defaults). Drawing is
// successive weighted sampling without replacement (as numpy's choice with replace=False), done
// in one pass with the Efraimidis–Spirakis keys u^(1/p); the result is deterministic for a given
// rng state.
func RAD(residual []float64, n int, k, c float64, rng *rand.Rand) ([]int, error) {
	if err := finite(residual); err != nil {
		return nil, err
	}
	if n < 0 || n > len(residual) {
		return nil, fmt.Errorf("RAD: %d points asked from %d candidates", n, len(residual))
	}
	if !(k >= 0) || !(c >= 0) || math.IsInf(k, 0) || math.IsInf(c, 0) {
		return nil, fmt.Errorf("RAD: exponent k = %g and offset c = %g; want finite values ≥ 0", k, c)
	}
	w := make([]float64, len(residual))
	mean := 0.0
	for i, r := range residual {
		w[i] = math.Pow(math.Abs(r), k)
		mean += w[i]
	}
	mean /= float64(len(w))
	positive := 0
	for i := range w {
		if mean > 0 {
			w[i] /= mean
		} else {
			w[i] = 0 // every residual is zero: only the uniform floor is left
		}
		w[i] += c
		if w[i] > 0 {
			positive++
		}
	}
	if positive < n {
		return nil, fmt.Errorf("RAD: only %d of %d candidates have positive probability (k = %g, c = %g); %d asked", positive, len(w), k, c, n)
	}
	// key_i = log(u_i)/p_i is an increasing function of u_i^(1/p_i); the n largest keys win.
	keys := make([]float64, len(w))
	for i, p := range w {
		if p > 0 {
			keys[i] = math.Log(1-rng.Float64()) / p
		} else {
			keys[i] = math.Inf(-1)
		}
	}
	idx := make([]int, len(w))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(keys[b], keys[a]) })
	return idx[:n:n], nil
}

func finite(r []float64) error {
	for i, v := range r {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("residual of candidate %d is %g", i, v)
		}
	}
	return nil
}
