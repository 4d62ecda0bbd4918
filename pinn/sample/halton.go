package sample

import "fmt"

// primes are the Halton bases, one per dimension.
var primes = [...]uint64{2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
	73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131}

// HaltonMaxDim is the number of dimensions (prime bases) Halton supports.
const HaltonMaxDim = len(primes)

// DefaultHaltonSkip is the number of leading points NewHalton drops: the origin (point 0, a
// corner of a box domain) and the start of the sequence, where the coordinates in the larger
// prime bases rise in lock-step (point i has coordinate i/p while i < p) and are strongly
// correlated.
const DefaultHaltonSkip = 20

// Halton is the Halton sequence: coordinate j of point i is the radical inverse of i in the j-th
// prime base.
type Halton struct{ index uint64 }

// NewHalton returns a Halton sequence starting after skip points (DefaultHaltonSkip is the usual
// choice).
func NewHalton(skip int) *Halton { return &Halton{index: uint64(max(skip, 0))} }

func (h *Halton) Count(n, d int) int { return n }
func (h *Halton) MaxDim() int        { return HaltonMaxDim }

// Fill writes the next len(dst)/d points.
func (h *Halton) Fill(dst []float64, d int) {
	if d > HaltonMaxDim {
		panic(fmt.Sprintf("sample: Halton points of dimension %d; at most %d are supported", d, HaltonMaxDim))
	}
	n := len(dst) / d
	for i := range n {
		for j := range d {
			dst[i*d+j] = radicalInverse(h.index, primes[j])
		}
		h.index++
	}
}

// radicalInverse mirrors the base-b digits of i about the radix point: i = Σ d_k b^k ↦
// Σ d_k b^(−k−1). Digits are accumulated as an integer numerator over b^K, then divided once, so
// the result is correctly rounded for the magnitudes used here.
func radicalInverse(i, b uint64) float64 {
	var num, den uint64 = 0, 1
	for i > 0 && den <= (1<<63)/b {
		num = num*b + i%b
		den *= b
		i /= b
	}
	return float64(num) / float64(den)
}
