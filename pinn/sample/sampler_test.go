package sample

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fill(s Sampler, n, d int) []float64 {
	dst := make([]float64, s.Count(n, d)*d)
	s.Fill(dst, d)
	return dst
}

func TestAllSamplersStayInUnitCube(t *testing.T) {
	for name, mk := range testSamplers() {
		for _, d := range []int{1, 2, 5} {
			x := fill(mk(), 1000, d)
			for _, v := range x {
				require.True(t, v >= 0 && v < 1, "%s d=%d: %g", name, d, v)
			}
		}
	}
}

func TestLHSIsStratified(t *testing.T) {
	const n, d = 97, 5
	s := NewLHS(42)
	for round := range 3 { // every Fill is a fresh Latin hypercube
		x := fill(s, n, d)
		for j := range d {
			seen := make([]int, n)
			for i := range n {
				seen[int(x[i*d+j]*n)]++
			}
			for k, c := range seen {
				require.Equal(t, 1, c, "round %d, dimension %d, stratum %d", round, j, k)
			}
		}
	}
}

// netCounts checks that each elementary box [i/2^a,(i+1)/2^a) × [j/2^b,(j+1)/2^b) with a+b = m
// holds exactly one of the 2^m points.
func assertNet2D(t *testing.T, pts []float64, d, j0, j1, m int) {
	t.Helper()
	n := 1 << m
	for a := 0; a <= m; a++ {
		b := m - a
		count := make([]int, n)
		for i := range n {
			u := int(pts[i*d+j0] * float64(int(1)<<a))
			v := int(pts[i*d+j1] * float64(int(1)<<b))
			count[u<<b|v]++
		}
		for k, c := range count {
			require.Equal(t, 1, c, "m=%d, box %d of %d×%d", m, k, 1<<a, 1<<b)
		}
	}
}

func TestSobolFirstTwoDimensionsAreANet(t *testing.T) {
	for _, scramble := range []bool{false, true} {
		for m := 1; m <= 10; m++ {
			pts := fill(NewSobol(uint64(m), scramble), 1<<m, 2)
			assertNet2D(t, pts, 2, 0, 1, m)
		}
	}
}

func TestSobolEveryDimensionIsStratified(t *testing.T) {
	// Each coordinate of a Sobol sequence is a (0,1)-sequence: the first 2^m values fall one in
	// each interval [k/2^m, (k+1)/2^m). A wrong direction number breaks this.
	const m = 10
	for _, scramble := range []bool{false, true} {
		pts := fill(NewSobol(77, scramble), 1<<m, SobolMaxDim)
		for j := range SobolMaxDim {
			seen := make([]int, 1<<m)
			for i := range 1 << m {
				seen[int(pts[i*SobolMaxDim+j]*(1<<m))]++
			}
			for k, c := range seen {
				require.Equal(t, 1, c, "scramble=%v dimension %d interval %d", scramble, j+1, k)
			}
		}
	}
}

func TestSobolDirectionNumbersAreValid(t *testing.T) {
	// V_k = m_k·2^(B−k) with m_k odd and below 2^k (so the k-th digit of V_k is 1).
	for j := range SobolMaxDim {
		v := directionNumbers(j)
		for k := 1; k <= sobolBits; k++ {
			vk := v[k-1]
			mk := vk >> (sobolBits - k)
			require.Zero(t, vk&(1<<(sobolBits-k)-1), "dimension %d, V_%d has bits below 2^-%d", j+1, k, k)
			require.Equal(t, uint64(1), mk&1, "dimension %d, m_%d is even", j+1, k)
			require.Less(t, mk, uint64(1)<<k, "dimension %d, m_%d ≥ 2^%d", j+1, k, k)
		}
	}
}

func TestSobolKnownPoints(t *testing.T) {
	// The classical (unscrambled, Gray-code ordered) Sobol points in 3 dimensions, as printed
	// by other Joe–Kuo implementations; derived by hand from m = (1), (1), (1, 3).
	want := [][]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
	}
	pts := fill(NewSobol(0, false), 8, 3)
	for i, w := range want {
		assert.Equal(t, w, pts[i*3:i*3+3], "point %d", i)
	}
	s := NewSobol(0, false)
	s.Skip(4)
	assert.Equal(t, want[4], fill(s, 1, 3))
}

func TestSobolScrambleIsDeterministicBySeed(t *testing.T) {
	a := fill(NewSobol(1, true), 64, 3)
	b := fill(NewSobol(1, true), 64, 3)
	c := fill(NewSobol(2, true), 64, 3)
	assert.Equal(t, a, b)
	assert.NotEqual(t, a, c)
	assert.Equal(t, fill(NewUniform(5), 10, 2), fill(NewUniform(5), 10, 2))
	assert.NotEqual(t, fill(NewUniform(5), 10, 2), fill(NewUniform(6), 10, 2))
	assert.Equal(t, fill(NewLHS(5), 10, 2), fill(NewLHS(5), 10, 2))
	assert.NotEqual(t, fill(NewLHS(5), 10, 2), fill(NewLHS(6), 10, 2))
}

func TestHalton(t *testing.T) {
	pts := fill(NewHalton(0), 5, 2)
	assert.Equal(t, []float64{0, 0, 0.5, 1. / 3, 0.25, 2. / 3, 0.75, 1. / 9, 0.125, 4. / 9}, pts)
	// The first b^m points of coordinate j hit every interval [k/b^m, (k+1)/b^m) once.
	for j, m := range []int{10, 6, 4, 3} {
		b := int(primes[j])
		n := ipow(b, m)
		x := fill(NewHalton(0), n, 4)
		seen := make([]int, n)
		for i := range n {
			seen[int(x[i*4+j]*float64(n)+1e-9)]++
		}
		for k, c := range seen {
			require.Equal(t, 1, c, "base %d interval %d", b, k)
		}
	}
	skipped := fill(NewHalton(DefaultHaltonSkip), 1, 2)
	assert.Equal(t, []float64{radicalInverse(20, 2), radicalInverse(20, 3)}, skipped)
}

func TestGrid(t *testing.T) {
	g := NewGrid()
	assert.Equal(t, 100, g.Count(100, 2))
	assert.Equal(t, 81, g.Count(90, 2))
	assert.Equal(t, 1000, g.Count(1100, 3))
	assert.Equal(t, 7, g.Count(7, 1))
	assert.Equal(t, []float64{0.25, 0.25, 0.25, 0.75, 0.75, 0.25, 0.75, 0.75}, fill(g, 4, 2))
	assert.Panics(t, func() { g.Fill(make([]float64, 10), 2) })
}

// starDiscrepancy is the exact star discrepancy of 2-D points: the largest difference between
// the fraction of points in an anchored box [0,a)×[0,b) and its area. The supremum is reached with
// a and b at point coordinates (or 1), counting the box open or closed.
func starDiscrepancy(pts []float64) float64 {
	n := len(pts) / 2
	xs := append([]float64{1}, make([]float64, 0, n)...)
	ys := append([]float64{1}, make([]float64, 0, n)...)
	for i := range n {
		xs = append(xs, pts[2*i])
		ys = append(ys, pts[2*i+1])
	}
	d := 0.0
	for _, a := range xs {
		for _, b := range ys {
			open, closed := 0, 0
			for i := range n {
				x, y := pts[2*i], pts[2*i+1]
				if x < a && y < b {
					open++
				}
				if x <= a && y <= b {
					closed++
				}
			}
			d = max(d, a*b-float64(open)/float64(n), float64(closed)/float64(n)-a*b)
		}
	}
	return d
}

func TestLowDiscrepancy(t *testing.T) {
	const n = 256
	dUniform := 0.0
	for seed := range uint64(5) { // the best of five random sets, to make the comparison hard
		d := starDiscrepancy(fill(NewUniform(seed), n, 2))
		if seed == 0 || d < dUniform {
			dUniform = d
		}
	}
	dSobol := starDiscrepancy(fill(NewSobol(0, false), n, 2))
	dScrambled := starDiscrepancy(fill(NewSobol(4, true), n, 2))
	dHalton := starDiscrepancy(fill(NewHalton(DefaultHaltonSkip), n, 2))
	dLHS := starDiscrepancy(fill(NewLHS(3), n, 2))
	t.Logf("star discrepancy, %d points in 2-D: uniform (best of 5) %.4f, LHS %.4f, Sobol %.4f, scrambled Sobol %.4f, Halton %.4f",
		n, dUniform, dLHS, dSobol, dScrambled, dHalton)
	// Random points have D* ≈ 1/√n (0.06 here); a (0,m,2)-net has D* = O(log n / n) ≈ 0.02.
	assert.Less(t, dSobol, dUniform/2)
	assert.Less(t, dScrambled, dUniform/2)
	assert.Less(t, dHalton, dUniform/2)
	assert.Less(t, dSobol, 0.02)
}

func TestUniformMoments(t *testing.T) {
	x := fill(NewUniform(123), 100000, 1)
	mean, sq := 0.0, 0.0
	for _, v := range x {
		mean += v
		sq += v * v
	}
	mean /= float64(len(x))
	sq /= float64(len(x))
	// std of the mean of U(0,1) is 1/√(12n) ≈ 9e-4; 5σ.
	assert.InDelta(t, 0.5, mean, 5*math.Sqrt(1/(12*1e5)))
	assert.InDelta(t, 1./3, sq, 0.005)
	_ = rand.New
}
