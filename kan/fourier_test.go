package kan

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFourierMatchesSincos compares the rotated harmonics with math.Sincos(k·x) at K = 270 (FKAN),
// on the coordinate range and beyond. Both sides carry an error of order k·|x|·ε (the reference
// from rounding k·x, the rotation from accumulating k products), so the tolerance is
// 4·k·(1+|x|)·ε.
func TestFourierMatchesSincos(t *testing.T) {
	const k = 270
	basis := mustBasis(NewFourier(k))
	rng := rand.New(rand.NewPCG(3, 3))
	xs := []float64{0, 1, -1, 1e-9, 7.5, -20}
	for range 40 {
		xs = append(xs, 2*rng.Float64()-1)
	}
	var worst float64
	for _, x := range xs {
		got := evalAll(basis, []float64{x}, 0)[0].Row(0)
		for j := 1; j <= k; j++ {
			s, c := math.Sincos(float64(j) * x)
			tol := 4 * float64(j) * (1 + math.Abs(x)) * eps
			ec, es := math.Abs(got[j-1]-c), math.Abs(got[k+j-1]-s)
			worst = math.Max(worst, math.Max(ec, es)/(float64(j)*(1+math.Abs(x))*eps))
			require.LessOrEqualf(t, ec, tol, "cos(%d·%v)", j, x)
			require.LessOrEqualf(t, es, tol, "sin(%d·%v)", j, x)
		}
	}
	t.Logf("worst error in units of k·(1+|x|)·ε: %.2g", worst)
}
