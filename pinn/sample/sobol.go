package sample

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// sobolBits is the precision of a Sobol coordinate: 52 bits, so that a coordinate k/2^52 is an
// exact float64 in [0, 1) and scrambled points are as fine as float64 allows.
const sobolBits = 52

// joeKuo holds the primitive polynomials and initial direction numbers of Joe and Kuo
// (new-joe-kuo-6.21201, "Constructing Sobol sequences with better two-dimensional projections",
// SIAM J. Sci. Comput. 30, 2008) for dimensions 2 to 32: degree s, the coefficient word a of the
// polynomial's inner terms, and m_1..m_s. Dimension 1 is van der Corput (all m_k = 1).
var joeKuo = [][]uint64{
	{1, 0, 1},
	{2, 1, 1, 3},
	{3, 1, 1, 3, 1},
	{3, 2, 1, 1, 1},
	{4, 1, 1, 1, 3, 3},
	{4, 4, 1, 3, 5, 13},
	{5, 2, 1, 1, 5, 5, 17},
	{5, 4, 1, 1, 5, 5, 5},
	{5, 7, 1, 1, 7, 11, 19},
	{5, 11, 1, 1, 5, 1, 1},
	{5, 13, 1, 1, 1, 3, 11},
	{5, 14, 1, 3, 5, 5, 31},
	{6, 1, 1, 3, 3, 9, 7, 49},
	{6, 13, 1, 1, 1, 15, 21, 21},
	{6, 16, 1, 3, 1, 13, 27, 49},
	{6, 19, 1, 1, 1, 15, 7, 5},
	{6, 22, 1, 3, 1, 15, 13, 25},
	{6, 25, 1, 1, 5, 5, 19, 61},
	{7, 1, 1, 3, 7, 11, 23, 15, 103},
	{7, 4, 1, 3, 7, 13, 13, 15, 69},
	{7, 7, 1, 1, 3, 13, 7, 35, 63},
	{7, 8, 1, 3, 5, 9, 1, 25, 53},
	{7, 14, 1, 3, 1, 13, 9, 35, 107},
	{7, 19, 1, 3, 1, 5, 27, 61, 31},
	{7, 21, 1, 1, 5, 11, 19, 41, 61},
	{7, 28, 1, 3, 5, 3, 3, 13, 69},
	{7, 31, 1, 1, 7, 13, 1, 19, 1},
	{7, 32, 1, 3, 7, 5, 13, 19, 59},
	{7, 37, 1, 1, 3, 9, 25, 29, 41},
	{7, 41, 1, 3, 5, 13, 23, 1, 55},
	{7, 42, 1, 3, 7, 3, 13, 59, 17},
}

// SobolMaxDim is the number of dimensions the built-in direction numbers cover.
const SobolMaxDim = 32

// directionNumbers returns V_1..V_sobolBits for dimension j (0-based), each V_k = m_k·2^(B−k)
// with the m_k continued by the recurrence of the primitive polynomial.
func directionNumbers(j int) []uint64 {
	v := make([]uint64, sobolBits+1) // 1-based
	if j == 0 {
		for k := 1; k <= sobolBits; k++ {
			v[k] = 1 << (sobolBits - k)
		}
		return v[1:]
	}
	row := joeKuo[j-1]
	s, a, m := int(row[0]), row[1], row[2:]
	for k := 1; k <= s; k++ {
		v[k] = m[k-1] << (sobolBits - k)
	}
	for k := s + 1; k <= sobolBits; k++ {
		v[k] = v[k-s] ^ (v[k-s] >> s)
		for l := 1; l < s; l++ {
			if (a>>(s-1-l))&1 == 1 {
				v[k] ^= v[k-l]
			}
		}
	}
	return v[1:]
}

// Sobol is the Sobol low-discrepancy sequence with Joe–Kuo direction numbers, optionally
// scrambled. Points 0..2^m−1 of any two of the first dimensions form a (t, m, 2)-net; in the
// first two dimensions t = 0, so every elementary box of area 2^−m holds exactly one point.
//
// Unscrambled, point 0 is the origin (a corner of a box domain); scrambling (a random linear
// matrix scramble plus a digital shift, Matoušek's LMS) keeps the net property and makes the
// points an unbiased random sample, which is the usual choice for collocation.
type Sobol struct {
	v     [SobolMaxDim][]uint64
	shift [SobolMaxDim]uint64
	index uint64
}

// NewSobol returns a Sobol sequence starting at point 0. With scramble false the seed is unused
// and the points are the classical ones.
func NewSobol(seed uint64, scramble bool) *Sobol {
	s := &Sobol{}
	var rng *rand.Rand
	if scramble {
		rng = seeded(seed, 0x5eed0003)
	}
	for j := range SobolMaxDim {
		v := directionNumbers(j)
		if scramble {
			v = lmsScramble(v, rng)
			s.shift[j] = rng.Uint64() >> (64 - sobolBits)
		}
		s.v[j] = v
	}
	return s
}

// lmsScramble multiplies every direction number by a random lower-triangular binary matrix with
// unit diagonal. Digit r of the result (counted from the most significant) mixes digits 1..r of
// the input, so the elementary intervals — and with them the net property — are preserved.
func lmsScramble(v []uint64, rng *rand.Rand) []uint64 {
	var rows [sobolBits]uint64
	for r := range sobolBits {
		// digit r+1 is integer bit B−1−r; the row keeps it and randomly mixes in the bits above.
		self := uint64(1) << (sobolBits - 1 - r)
		above := ^(self<<1 - 1) & (1<<sobolBits - 1)
		rows[r] = self | (rng.Uint64() & above)
	}
	out := make([]uint64, len(v))
	for k, x := range v {
		var y uint64
		for r := range sobolBits {
			if bits.OnesCount64(rows[r]&x)&1 == 1 {
				y |= 1 << (sobolBits - 1 - r)
			}
		}
		out[k] = y
	}
	return out
}

func (s *Sobol) Count(n, d int) int { return n }
func (s *Sobol) MaxDim() int        { return SobolMaxDim }

// Skip advances the sequence by n points.
func (s *Sobol) Skip(n int) { s.index += uint64(n) }

// Fill writes the next len(dst)/d points.
func (s *Sobol) Fill(dst []float64, d int) {
	if d > SobolMaxDim {
		panic(fmt.Sprintf("sample: Sobol points of dimension %d; at most %d are supported", d, SobolMaxDim))
	}
	n := len(dst) / d
	const scale = 1.0 / (1 << sobolBits)
	for i := range n {
		g := s.index ^ (s.index >> 1) // Gray code: consecutive points differ in one direction number
		for j := range d {
			x := s.shift[j]
			for gg, k := g, 0; gg != 0; gg, k = gg>>1, k+1 {
				if gg&1 == 1 {
					x ^= s.v[j][k]
				}
			}
			dst[i*d+j] = float64(x) * scale
		}
		s.index++
	}
}
