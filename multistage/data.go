package multistage

import (
	"errors"
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

// Samples are the training (or evaluation) data of a regression: N points X (an N×D matrix, one
// point per row) and the scalar values Y (length N) of the function there.
type Samples struct {
	X kernel.Matrix
	Y []float64
}

// ErrBadInput is wrapped by every error about malformed samples or options.
var ErrBadInput = errors.New("multistage: bad input")

// NewSamples1D builds the samples (x[i], f(x[i])) of a function of one variable.
func NewSamples1D(x []float64, f func(float64) float64) Samples {
	m := kernel.NewMatrix(len(x), 1)
	y := make([]float64, len(x))
	for i, v := range x {
		m.Set(i, 0, v)
		y[i] = f(v)
	}
	return Samples{X: m, Y: y}
}

// Linspace returns n points evenly spaced over [a, b], both ends included (n ≥ 2), or [a] when
// n is 1.
func Linspace(a, b float64, n int) []float64 {
	if n <= 0 {
		return nil
	}
	if n == 1 {
		return []float64{a}
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	x[n-1] = b
	return x
}

// GridSamples builds the samples of f on the tensor grid axes[0] × axes[1] × …, the last axis
// varying fastest.
func GridSamples(axes [][]float64, f func(x []float64) float64) Samples {
	d := len(axes)
	n := 1
	for _, a := range axes {
		n *= len(a)
	}
	if d == 0 {
		n = 0
	}
	m := kernel.NewMatrix(n, max(d, 1))
	y := make([]float64, n)
	idx := make([]int, d)
	pt := make([]float64, d)
	for i := 0; i < n; i++ {
		for k := range d {
			pt[k] = axes[k][idx[k]]
			m.Set(i, k, pt[k])
		}
		y[i] = f(pt)
		for k := d - 1; k >= 0; k-- {
			idx[k]++
			if idx[k] < len(axes[k]) {
				break
			}
			idx[k] = 0
		}
	}
	return Samples{X: m, Y: y}
}

// N is the number of samples.
func (s Samples) N() int { return s.X.Rows }

// Dim is the number of input coordinates.
func (s Samples) Dim() int { return s.X.Cols }

// Validate checks that there is at least one point, that X and Y agree in length, and that every
// coordinate and value is finite; what names the samples in the message ("training samples").
func (s Samples) Validate(what string) error {
	switch {
	case s.X.Rows == 0 || len(s.Y) == 0:
		return fmt.Errorf("%w: %s are empty (%d points, %d values)", ErrBadInput, what, s.X.Rows, len(s.Y))
	case s.X.Cols < 1:
		return fmt.Errorf("%w: %s have points of dimension %d", ErrBadInput, what, s.X.Cols)
	case len(s.Y) != s.X.Rows:
		return fmt.Errorf("%w: %s have %d points but %d values", ErrBadInput, what, s.X.Rows, len(s.Y))
	case len(s.X.Data) < (s.X.Rows-1)*s.X.Stride+s.X.Cols:
		return fmt.Errorf("%w: %s: the %d×%d point matrix holds only %d numbers", ErrBadInput, what, s.X.Rows, s.X.Cols, len(s.X.Data))
	}
	for i := range s.X.Rows {
		for j, v := range s.X.Row(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%w: %s: point %d coordinate %d is %v", ErrBadInput, what, i, j, v)
			}
		}
		if v := s.Y[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: %s: value %d is %v", ErrBadInput, what, i, v)
		}
	}
	return nil
}

// Bounds returns the per-coordinate minimum and maximum of the points: the box the stage
// networks normalise to [-1, 1] (the paper's H0 = 2(x − lb)/(ub − lb) − 1 with lb, ub taken from
// the training inputs). A coordinate that does not vary is an error, since it cannot be
// normalised.
func (s Samples) Bounds() (lo, hi []float64, err error) {
	if err := s.Validate("samples"); err != nil {
		return nil, nil, err
	}
	d := s.Dim()
	lo, hi = make([]float64, d), make([]float64, d)
	copy(lo, s.X.Row(0))
	copy(hi, s.X.Row(0))
	for i := 1; i < s.N(); i++ {
		for k, v := range s.X.Row(i) {
			lo[k] = math.Min(lo[k], v)
			hi[k] = math.Max(hi[k], v)
		}
	}
	for k := range d {
		if !(hi[k] > lo[k]) {
			return nil, nil, fmt.Errorf("%w: coordinate %d of every sample is %v: nothing to normalise (drop that coordinate)", ErrBadInput, k, lo[k])
		}
	}
	return lo, hi, nil
}

// normalize maps the points onto [-1, 1] per coordinate with the box [lo, hi] (points outside
// the box map outside [-1, 1]; the networks extrapolate there).
func normalize(x kernel.Matrix, lo, hi []float64) kernel.Matrix {
	out := kernel.NewMatrix(x.Rows, x.Cols)
	for i := range x.Rows {
		src, dst := x.Row(i), out.Row(i)
		for k, v := range src {
			dst[k] = 2*(v-lo[k])/(hi[k]-lo[k]) - 1
		}
	}
	return out
}
