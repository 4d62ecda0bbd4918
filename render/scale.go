package render

import (
	"fmt"
	"math"
)

// Scale maps data values to positions t ∈ [0, 1] on a colormap: linearly between Min and Max, or
// linearly in log10 when Log is set. Values outside the range clip to the ends; on a log scale,
// values ≤ 0 fall below any positive Min and take the low end.
type Scale struct {
	Min, Max float64
	Log      bool
}

// Validate reports why s cannot be used: an empty or non-finite range, or a log range that is
// not positive.
func (s Scale) Validate() error {
	switch {
	case math.IsNaN(s.Min) || math.IsNaN(s.Max) || math.IsInf(s.Min, 0) || math.IsInf(s.Max, 0):
		return fmt.Errorf("scale [%g, %g]: not finite", s.Min, s.Max)
	case !(s.Min < s.Max):
		return fmt.Errorf("scale [%g, %g]: min must be below max", s.Min, s.Max)
	case s.Log && s.Min <= 0:
		return fmt.Errorf("log scale [%g, %g]: min must be positive", s.Min, s.Max)
	}
	return nil
}

// Norm returns the colormap position of v; NaN stays NaN so that it gets the NaN colour.
func (s Scale) Norm(v float64) float64 {
	if v != v {
		return v
	}
	return s.normalizer()(v)
}

// normalizer returns a fast equivalent of Norm for colouring many values.
func (s Scale) normalizer() func(float64) float64 {
	if s.Log {
		l0 := math.Log10(s.Min)
		inv := 1 / (math.Log10(s.Max) - l0)
		return func(v float64) float64 {
			if v <= 0 {
				return 0
			}
			return (math.Log10(v) - l0) * inv
		}
	}
	m, inv := s.Min, 1/(s.Max-s.Min)
	if math.IsInf(s.Max-s.Min, 0) { // a range spanning most of float64: halves cannot overflow
		inv = 1 / (s.Max/2 - s.Min/2)
		return func(v float64) float64 { return (v/2 - m/2) * inv }
	}
	return func(v float64) float64 { return (v - m) * inv }
}

// AutoScale chooses a scale covering the finite values of data. Symmetric makes the range
// [−m, m] with m the largest magnitude, so zero sits in the middle of a diverging map; Log spans
// the positive values only (zeros and negatives then show at the low end). A constant field gets
// a small range around its value; data with no usable value gets [0, 1] (or [0.1, 1] on a log
// scale), so a diverged snapshot still draws. Symmetric and Log together are an error.
func AutoScale(data []float64, symmetric, log bool) (Scale, error) {
	if symmetric && log {
		return Scale{}, fmt.Errorf("auto scale: a log scale cannot be symmetric about zero")
	}
	// Plain comparisons rather than math.Min/Max: NaN and ±Inf are already excluded, and this loop
	// runs over every sample of every snapshot.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range data {
		if v != v || v > math.MaxFloat64 || v < -math.MaxFloat64 || (log && v <= 0) {
			continue
		}
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	switch {
	case lo > hi && log:
		return Scale{Min: 0.1, Max: 1, Log: true}, nil
	case lo > hi:
		return Scale{Min: 0, Max: 1}, nil
	case symmetric:
		m := math.Max(math.Abs(lo), math.Abs(hi))
		if m == 0 {
			m = 1
		}
		return Scale{Min: -m, Max: m}, nil
	case log:
		if hi/lo < 1+1e-9 {
			return Scale{Min: lo / math.Sqrt(10), Max: hi * math.Sqrt(10), Log: true}, nil
		}
		return Scale{Min: lo, Max: hi, Log: true}, nil
	case hi-lo <= 1e-12*math.Max(math.Abs(lo), math.Abs(hi)):
		w := math.Abs(lo) * 0.1
		if w == 0 {
			w = 1
		}
		return Scale{Min: lo - w, Max: hi + w}, nil
	}
	return Scale{Min: lo, Max: hi}, nil
}
