package kan

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
)

// BSplineConfig describes an efficient-kan layer (sciml.md §3.7). DefaultBSplineConfig gives the
// reference defaults.
type BSplineConfig struct {
	Grid   int     // G, intervals of the grid (grid_size, 5)
	Order  int     // k, spline order (spline_order, 3)
	Lo, Hi float64 // grid range before extension (grid_range, [−1, 1])
	// ScaleNoise is the size of the noise the spline coefficients are fitted to at start-up
	// (scale_noise, 0.1): the spline part starts close to zero.
	ScaleNoise float64
	// ScaleBase and ScaleSpline set the Kaiming-uniform bounds of the base weight and the spline
	// scaler (scale_base, scale_spline, both 1): U(±√(6/(1+5s²))/√in), which is U(±1/√in) at 1.
	ScaleBase, ScaleSpline float64
	// Base keeps the SiLU base branch y += SiLU(x)·W_base (true in the reference).
	Base bool
}

// DefaultBSplineConfig is efficient-kan's KANLinear default.
func DefaultBSplineConfig() BSplineConfig {
	return BSplineConfig{Grid: 5, Order: 3, Lo: -1, Hi: 1, ScaleNoise: 0.1, ScaleBase: 1, ScaleSpline: 1, Base: true}
}

// NewBSplineKAN returns an efficient-kan layer in→out with G grid intervals and spline order k,
// the other settings at their defaults (DefaultBSplineConfig).
func NewBSplineKAN(in, out, g, k int, rng *rand.Rand) (*Expansion, error) {
	cfg := DefaultBSplineConfig()
	cfg.Grid, cfg.Order = g, k
	return NewBSplineKANConfig(in, out, cfg, rng)
}

// NewBSplineKANConfig returns the B-spline KAN layer
//
//	y_o = Σ_i W_base[i,o]·SiLU(x_i) + Σ_i S[i,o]·Σ_m W_spline[i,m,o]·B_m(x_i)
//
// with parameters (in this order) "base_weight" [in, out] (absent without the base branch),
// "spline_weight" [in, G+k, out] and "spline_scaler" [in, out] — efficient-kan's names; it stores
// them as (out, in), (out, in, G+k) and (out, in). Initialisation as in the reference:
//
//   - base_weight and spline_scaler: PyTorch's kaiming_uniform_ with a = √5·scale, i.e.
//     U(±√(6/(1+5·scale²))/√in), which is U(±1/√in) at scale 1;
//   - spline_weight: the minimum-norm least-squares spline through noise drawn from
//     (U[0,1) − ½)·ScaleNoise/G at the G+1 grid points (torch.linalg.lstsq on CPU).
//
// Random numbers are drawn in that order: base weight, noise (point, input, output), scaler.
func NewBSplineKANConfig(in, out int, cfg BSplineConfig, rng *rand.Rand) (*Expansion, error) {
	basis, err := NewBSpline(cfg.Grid, cfg.Order, cfg.Lo, cfg.Hi)
	if err != nil {
		return nil, fmt.Errorf("b-spline kan %d→%d: %w", in, out, err)
	}
	var terms []Term
	if cfg.Base {
		terms = append(terms, Term{Name: "base_weight", Basis: SiLU{}})
	}
	terms = append(terms, Term{Name: "spline_weight", Basis: basis, ScaleName: "spline_scaler"})
	e, err := NewExpansion(in, out, false, terms...)
	if err != nil {
		return nil, fmt.Errorf("b-spline kan: %w", err)
	}
	kaiming := func(dst []float64, scale float64) {
		bound := math.Sqrt(6/(1+5*scale*scale)) / math.Sqrt(float64(in))
		for i := range dst {
			dst[i] = bound * (2*rng.Float64() - 1)
		}
	}
	if cfg.Base {
		kaiming(e.Param("base_weight").Value, cfg.ScaleBase)
	}
	pts := cfg.Grid + 1
	noise := make([]float64, pts*in*out)
	for i := range noise {
		noise[i] = (rng.Float64() - 0.5) * cfg.ScaleNoise / float64(cfg.Grid)
	}
	fit, err := curveFit(basis)
	if err != nil {
		return nil, fmt.Errorf("b-spline kan %d→%d: %w", in, out, err)
	}
	nb := basis.Size()
	w := e.Param("spline_weight").Value
	for i := range in {
		for m := range nb {
			for o := range out {
				var v float64
				for j := range pts {
					v += fit.At(m, j) * noise[(j*in+i)*out+o]
				}
				w[(i*nb+m)*out+o] = v
			}
		}
	}
	kaiming(e.Param("spline_scaler").Value, cfg.ScaleSpline)
	return e, nil
}

// curveFit returns the B×(G+1) matrix P that maps values at the G+1 grid points lo + j·h to the
// least-squares spline coefficients of minimum norm (pykan's curve2coef): with A the collocation
// matrix (G+1)×B, P = Aᵀ(AAᵀ)⁻¹ when A is wide (k ≥ 1, the usual case), (AᵀA)⁻¹Aᵀ when it is tall.
func curveFit(b *BSpline) (kernel.Matrix, error) {
	pts, nb := b.g+1, b.Size()
	x := make([]float64, pts)
	for j := range x {
		x[j] = b.lo + float64(j)*b.h
	}
	a := kernel.NewMatrix(pts, nb)
	b.Eval(x, 0, []kernel.Matrix{a})
	p := kernel.NewMatrix(nb, pts)
	if pts <= nb {
		g := gram(a, false) // AAᵀ, pts×pts
		if err := cholesky(g); err != nil {
			return kernel.Matrix{}, fmt.Errorf("spline fit: %w", err)
		}
		// Column m of Pᵀ solves AAᵀ z = A[:, m].
		cholSolveColumns(g, a, func(m int, z []float64) { copy(p.Row(m), z) })
		return p, nil
	}
	g := gram(a, true) // AᵀA, nb×nb
	if err := cholesky(g); err != nil {
		return kernel.Matrix{}, fmt.Errorf("spline fit: %w", err)
	}
	z := make([]float64, nb)
	for j := range pts {
		copy(z, a.Row(j))
		cholSolve(g, z)
		for m := range nb {
			p.Set(m, j, z[m])
		}
	}
	return p, nil
}

// gram returns AAᵀ, or AᵀA when trans is true.
func gram(a kernel.Matrix, trans bool) kernel.Matrix {
	if trans {
		g := kernel.NewMatrix(a.Cols, a.Cols)
		kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, a, a, 0, g)
		return g
	}
	g := kernel.NewMatrix(a.Rows, a.Rows)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, a, a, 0, g)
	return g
}

// cholesky overwrites the lower triangle of the symmetric positive definite g with L, g = LLᵀ.
func cholesky(g kernel.Matrix) error {
	n := g.Rows
	for j := range n {
		d := g.At(j, j)
		for k := range j {
			d -= g.At(j, k) * g.At(j, k)
		}
		if !(d > 0) {
			return errors.New("collocation matrix is rank deficient")
		}
		d = math.Sqrt(d)
		g.Set(j, j, d)
		for i := j + 1; i < n; i++ {
			v := g.At(i, j)
			for k := range j {
				v -= g.At(i, k) * g.At(j, k)
			}
			g.Set(i, j, v/d)
		}
	}
	return nil
}

// cholSolveColumns solves LLᵀz = b[:, c] for every column c of b with the factor from cholesky,
// handing each solution to put (z is reused between calls).
func cholSolveColumns(l, b kernel.Matrix, put func(c int, z []float64)) {
	z := make([]float64, b.Rows)
	for c := range b.Cols {
		for r := range z {
			z[r] = b.At(r, c)
		}
		cholSolve(l, z)
		put(c, z)
	}
}

// cholSolve solves LLᵀz = z in place with the factor from cholesky.
func cholSolve(l kernel.Matrix, z []float64) {
	n := l.Rows
	for i := range n {
		v := z[i]
		for k := range i {
			v -= l.At(i, k) * z[k]
		}
		z[i] = v / l.At(i, i)
	}
	for i := n - 1; i >= 0; i-- {
		v := z[i]
		for k := i + 1; k < n; k++ {
			v -= l.At(k, i) * z[k]
		}
		z[i] = v / l.At(i, i)
	}
}
