package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Sampler produces points of the unit cube [0,1)^d. Samplers are streams: each Fill continues
// where the last one stopped (new random numbers, or the next points of a low-discrepancy
// sequence), which is what periodic resampling wants. Every sampler is deterministic given its
// seed. A Sampler is not safe for concurrent use.
type Sampler interface {
	// Count is the number of points Fill makes when about n are wanted in dimension d: n for
	// every sampler except Grid, which rounds to a full grid.
	Count(n, d int) int
	// Fill writes len(dst)/d points of dimension d, row-major. len(dst)/d must be a value that
	// Count returns.
	Fill(dst []float64, d int)
	// MaxDim is the largest dimension the sampler supports (0: no limit).
	MaxDim() int
}

// seeded returns a PCG generator; the second word decorrelates streams of equal seeds used for
// different purposes.
func seeded(seed, stream uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, stream)) }

// Uniform draws independent uniform points: plain Monte Carlo.
type Uniform struct{ rng *rand.Rand }

// NewUniform returns a uniform sampler with the given seed.
func NewUniform(seed uint64) *Uniform { return &Uniform{rng: seeded(seed, 0x5eed0001)} }

func (s *Uniform) Count(n, d int) int { return n }
func (s *Uniform) MaxDim() int        { return 0 }
func (s *Uniform) Fill(dst []float64, d int) {
	for i := range dst {
		dst[i] = s.rng.Float64()
	}
}

// LHS is Latin hypercube sampling: in each dimension the n points fall one in each of the n
// strata [k/n, (k+1)/n), at a uniform position inside the stratum, with independent random
// permutations across dimensions.
type LHS struct {
	rng  *rand.Rand
	perm []int
}

// NewLHS returns a Latin hypercube sampler with the given seed.
func NewLHS(seed uint64) *LHS { return &LHS{rng: seeded(seed, 0x5eed0002)} }

func (s *LHS) Count(n, d int) int { return n }
func (s *LHS) MaxDim() int        { return 0 }
func (s *LHS) Fill(dst []float64, d int) {
	n := len(dst) / d
	if cap(s.perm) < n {
		s.perm = make([]int, n)
	}
	perm := s.perm[:n]
	for j := range d {
		for i := range perm {
			perm[i] = i
		}
		s.rng.Shuffle(n, func(a, b int) { perm[a], perm[b] = perm[b], perm[a] })
		for i, k := range perm {
			dst[i*d+j] = (float64(k) + s.rng.Float64()) / float64(n)
		}
	}
}

// Grid is a uniform tensor grid of cell centres, m points per axis: ((k + ½)/m). Centres keep
// the points off the domain boundary. It always produces the same points.
type Grid struct{}

// NewGrid returns the grid sampler.
func NewGrid() *Grid { return &Grid{} }

// Count rounds n to the nearest full grid m^d (m ≥ 1).
func (Grid) Count(n, d int) int {
	m := max(1, int(math.Round(math.Pow(float64(n), 1/float64(d)))))
	return ipow(m, d)
}

func (Grid) MaxDim() int { return 0 }

func (g Grid) Fill(dst []float64, d int) {
	n := len(dst) / d
	m := max(1, int(math.Round(math.Pow(float64(n), 1/float64(d)))))
	if ipow(m, d) != n {
		panic(fmt.Sprintf("sample: grid of %d points in dimension %d is not a full grid (use Count)", n, d))
	}
	for i := range n {
		k := i
		// The last coordinate varies fastest, like nested loops over the axes.
		for j := d - 1; j >= 0; j-- {
			dst[i*d+j] = (float64(k%m) + 0.5) / float64(m)
			k /= m
		}
	}
}

func ipow(m, d int) int {
	p := 1
	for range d {
		p *= m
	}
	return p
}
