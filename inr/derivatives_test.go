package inr

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
)

// TestPredictDerivatives checks the exact input derivatives against central differences of
// Predict (first order) and of the exact gradient (second order), on architectures whose jets go
// through different layers: SIREN (the fused sine layer's general path), WIRE (the complex Gabor
// layer's general chain rule), SL²A (Chebyshev KAN, LayerNorm, products, ReLU) and a tanh MLP,
// each with a normalisation that scales the outputs.
func TestPredictDerivatives(t *testing.T) {
	for _, arch := range []string{"siren", "wire", "sl2a", "mlp"} {
		t.Run(arch, func(t *testing.T) {
			cfg, err := ConfigFor(arch, nil)
			require.NoError(t, err)
			if arch != "mlp" {
				require.NoError(t, SetOption(arch, cfg, "width", "24"))
			}
			if arch == "sl2a" {
				require.NoError(t, SetOption(arch, cfg, "rank", "6"))
				require.NoError(t, SetOption(arch, cfg, "degree", "8"))
			}
			if arch == "siren" || arch == "wire" {
				// Gentler frequencies keep the central differences' truncation error small.
				require.NoError(t, SetOption(arch, cfg, map[string]string{"siren": "first_omega", "wire": "omega"}[arch], "3"))
				if arch == "wire" {
					require.NoError(t, SetOption(arch, cfg, "s", "3"))
				}
			}
			m, err := NewModel(arch, cfg, 2, 3, 4)
			require.NoError(t, err)
			m.Norm, err = RangeNormalization("pm1", 3)
			require.NoError(t, err)
			rng := rand.New(rand.NewPCG(1, 2))
			x := kernel.NewMatrix(9, 2)
			for i := range x.Data {
				x.Data[i] = 1.8*rng.Float64() - 0.9
			}
			d2, wrt, err := m.PredictDerivatives(x, 2)
			require.NoError(t, err)
			require.Equal(t, [][]int{{0}, {1}, {0, 0}, {0, 1}, {1, 1}}, wrt)
			require.Equal(t, 3*6, d2.Cols)
			d1, wrt1, err := m.PredictDerivatives(x, 1)
			require.NoError(t, err)
			require.Equal(t, [][]int{{0}, {1}}, wrt1)
			values := kernel.NewMatrix(x.Rows, 3)
			require.NoError(t, m.Predict(x, values))

			const h = 1e-5
			shifted := func(c int, dx float64) kernel.Matrix {
				y := kernel.NewMatrix(x.Rows, 2)
				y.CopyFrom(x)
				for i := range y.Rows {
					y.Set(i, c, y.At(i, c)+dx)
				}
				return y
			}
			for i := range x.Rows {
				for o := range 3 {
					// Predict takes the value-only fast paths (SIREN's fused sine, WIRE's Gabor
					// layer), whose sines and exponentials may differ from the general path's in
					// the last bits.
					assert.InDelta(t, values.At(i, o), d2.At(i, o), 1e-13, "values as Predict")
					assert.Equal(t, d1.At(i, 3+o), d2.At(i, 3+o), "the gradient on either plan")
				}
			}
			for c := range 2 {
				yp, ym := kernel.NewMatrix(x.Rows, 3), kernel.NewMatrix(x.Rows, 3)
				require.NoError(t, m.Predict(shifted(c, h), yp))
				require.NoError(t, m.Predict(shifted(c, -h), ym))
				gp, _, err := m.PredictDerivatives(shifted(c, h), 1)
				require.NoError(t, err)
				gm, _, err := m.PredictDerivatives(shifted(c, -h), 1)
				require.NoError(t, err)
				for i := range x.Rows {
					for o := range 3 {
						fd := (yp.At(i, o) - ym.At(i, o)) / (2 * h)
						exact := d2.At(i, 3*(1+c)+o)
						assert.InDelta(t, fd, exact, 1e-6*math.Max(1, math.Abs(exact)), "∂/∂x%d of output %d at point %d", c, o, i)
						// ∂²/∂x_c∂x_k from the gradient's differences: blocks (0,0), (0,1), (1,1).
						for k := range 2 {
							fd2 := (gp.At(i, 3*(1+k)+o) - gm.At(i, 3*(1+k)+o)) / (2 * h)
							a, b := min(c, k), max(c, k)
							blk := 3 + a + b // (0,0) → 3, (0,1) → 4, (1,1) → 5
							exact2 := d2.At(i, 3*blk+o)
							assert.InDelta(t, fd2, exact2, 1e-5*math.Max(1, math.Abs(exact2)), "∂²/∂x%d∂x%d of output %d at point %d", a, b, o, i)
						}
					}
				}
			}
		})
	}
	m, err := NewModel("mlp", nil, 2, 1, 1)
	require.NoError(t, err)
	_, _, err = m.PredictDerivatives(kernel.NewMatrix(3, 2), 3)
	assert.ErrorContains(t, err, "order 3")
	_, _, err = m.PredictDerivatives(kernel.NewMatrix(3, 1), 1)
	assert.ErrorContains(t, err, "3×1 coordinates for a 2→1 model")
}

// TestRenderDerivative: the gradient magnitude and Laplacian pictures of a colour model hold, at
// each pixel of the grid RenderImage uses, √Σ_c |∇u_c|² and the mean of Δu_c from
// PredictDerivatives at that pixel's coordinates.
func TestRenderDerivative(t *testing.T) {
	m, err := NewModel("siren", nil, 2, 3, 3)
	require.NoError(t, err)
	m.Norm, err = RangeNormalization("pm1", 3)
	require.NoError(t, err)
	const w, h = 7, 5
	grad, err := m.RenderDerivative(w, h, ShowGradient)
	require.NoError(t, err)
	lap, err := m.RenderDerivative(w, h, ShowLaplacian)
	require.NoError(t, err)
	x := GridCoords(w, h)
	d, _, err := m.PredictDerivatives(x, 2) // u, ∂x, ∂y, ∂xx, ∂xy, ∂yy per channel
	require.NoError(t, err)
	for p := range w * h {
		var g2, l float64
		for c := range 3 {
			gx, gy := d.At(p, 3+c), d.At(p, 6+c)
			g2 += gx*gx + gy*gy
			l += d.At(p, 9+c) + d.At(p, 15+c)
		}
		assert.InDelta(t, math.Sqrt(g2), grad[p], 1e-12*math.Max(1, grad[p]), "gradient at pixel %d", p)
		assert.InDelta(t, l/3, lap[p], 1e-9*math.Max(1, math.Abs(lap[p])), "laplacian at pixel %d", p)
	}
	assert.Greater(t, grad[12], 0.0)
	_, err = m.RenderDerivative(w, h, "curl")
	assert.ErrorContains(t, err, `"curl" is not a derivative field (gradient or laplacian)`)
	pde, err := NewModel("mlp", nil, 3, 1, 1)
	require.NoError(t, err)
	_, err = pde.RenderDerivative(w, h, ShowGradient)
	assert.ErrorContains(t, err, "not an image model")
}
