package inr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kan"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// SL²A-INR and FKAN start with a Kolmogorov–Arnold layer from package kan (a Chebyshev or a
// Fourier expansion of every input coordinate) followed by LayerNorm, then continue as MLPs.

func init() {
	Register(Arch{
		Name: "sl2a",
		Description: "SL²A-INR (Heidari et al. 2025): Chebyshev-KAN first layer on tanh(x) + LayerNorm, " +
			"low-rank ReLU layers fused with it, z(l+1) = ReLU(L(z1⊙z(l))), output W(z1⊙z)",
		NewConfig: func() Config { return &SL2AConfig{Width: 256, Degree: 256, Rank: 128, Hidden: 3, LR: 1e-3} },
	})
	Register(Arch{
		Name: "fkan",
		Description: "FKAN (Mehrabian et al. 2025): Fourier-KAN first layer Σk ak·cos(kx) + bk·sin(kx) + LayerNorm, " +
			"then dense layers with (z + tanh(30z))·σ(z), linear output",
		NewConfig: func() Config {
			return &FKANConfig{KANWidth: 128, Grid: 270, Widths: []int{256, 256, 256, 512}, Scale: 30, LR: 1e-4}
		},
	})
	Register(Arch{
		Name: "kan",
		Description: "B-spline KAN (Liu et al. 2024) in efficient-kan's fused form: every edge SiLU(x)·w_base + " +
			"s·Σm cm·Bm(x), cubic splines on a uniform grid; widths [2,10,1]-style as in pykan's PDE examples",
		NewConfig: func() Config {
			d := kan.DefaultBSplineConfig()
			return &KANConfig{Widths: []int{10}, Grid: d.Grid, Order: d.Order, GridRange: [2]float64{d.Lo, d.Hi}, Base: true, LR: 1e-3}
		},
	})
}

// KANConfig configures a network made only of B-spline KAN layers (kan.NewBSplineKANConfig):
// in → Widths… → out, each layer efficient-kan's KANLinear with Grid intervals of splines of
// order Order on GridRange (extended by Order knots each side; a spline is zero outside, the
// SiLU base branch is not), spline weights fitted to small noise, Kaiming-uniform base weights
// and scalers.
type KANConfig struct {
	Widths    []int      `json:"widths"` // hidden widths ([] is a single layer in → out)
	Grid      int        `json:"grid"`
	Order     int        `json:"order"`
	GridRange [2]float64 `json:"grid_range"`
	Base      bool       `json:"base"` // the SiLU base branch
	LR        float64    `json:"lr"`
}

// Training: targets on [-1, 1], Adam at 1e-3 (efficient-kan's examples; pykan itself trains with
// L-BFGS, which inr solve offers).
func (c *KANConfig) Training() Training { return Training{LR: c.LR, Range: "pm1"} }

// Build constructs the network.
func (c *KANConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	for _, w := range c.Widths {
		if w < 1 {
			return nil, fmt.Errorf("kan: widths %v must all be ≥ 1", c.Widths)
		}
	}
	if !(c.GridRange[0] < c.GridRange[1]) {
		return nil, fmt.Errorf("kan: grid_range %v must be [lo, hi] with lo < hi", c.GridRange)
	}
	cfg := kan.DefaultBSplineConfig()
	cfg.Grid, cfg.Order, cfg.Lo, cfg.Hi, cfg.Base = c.Grid, c.Order, c.GridRange[0], c.GridRange[1], c.Base
	widths := append(append([]int{in}, c.Widths...), out)
	layers := make([]nn.Layer, len(widths)-1)
	for i := range layers {
		l, err := kan.NewBSplineKANConfig(widths[i], widths[i+1], cfg, rng)
		if err != nil {
			return nil, fmt.Errorf("kan: %w", err)
		}
		layers[i] = l
	}
	return nn.Chain(layers...)
}

// SL2AConfig configures SL²A-INR as SL2A_INR.py builds it: z1 = LayerNorm(ChebyKAN(x)) with
// Chebyshev polynomials T_0…T_Degree of tanh(x) (xavier-uniform coefficients, no bias), then
// Hidden low-rank layers z ← ReLU(z1⊙z · U·V + b) starting from z = z1, and the output
// W·(z1⊙z) + b with PyTorch's default initialisation.
type SL2AConfig struct {
	Width  int     `json:"width"`
	Degree int     `json:"degree"` // K, the highest Chebyshev degree (train.py's --deg)
	Rank   int     `json:"rank"`
	Hidden int     `json:"hidden_layers"`
	LR     float64 `json:"lr"`
}

// Training: targets on [0, 1] at lr 1e-3 (SL²A's train.py).
func (c *SL2AConfig) Training() Training { return Training{LR: c.LR, Range: "01"} }

// Build constructs the network.
func (c *SL2AConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("sl2a", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	if c.Degree < 0 || c.Rank < 1 {
		return nil, fmt.Errorf("sl2a: degree %d and rank %d must be ≥ 0 and ≥ 1", c.Degree, c.Rank)
	}
	cheb, err := kan.NewChebyshevKAN(in, c.Width, c.Degree, rng)
	if err != nil {
		return nil, fmt.Errorf("sl2a: %w", err)
	}
	relu, err := act.New("relu", nil)
	if err != nil {
		return nil, err
	}
	g := nn.NewGraph(in)
	z1 := g.Apply(nn.NewLayerNorm(c.Width), g.Apply(cheb, g.Input()))
	z := z1
	for range c.Hidden {
		l, err := nn.NewLowRank(c.Width, c.Width, c.Rank, rng)
		if err != nil {
			return nil, fmt.Errorf("sl2a: %w", err)
		}
		z = g.Apply(nn.NewActivation(relu, c.Width, false), g.Apply(l, g.Mul(z1, z)))
	}
	last := nn.NewDense(c.Width, out, true)
	if err := nn.InitDense(last, nn.Init{Weight: "torch"}, rng); err != nil {
		return nil, err
	}
	return g.Build(g.Apply(last, g.Mul(z1, z)))
}

// FKANConfig configures FKAN as its notebook builds it: a Fourier-KAN layer in→KANWidth with
// Grid frequencies (coefficients N(0,1)/(√in·√Grid), zero bias) and LayerNorm, dense layers of the
// given Widths each followed by (z + tanh(Scale·z))·σ(z) with SIREN's hidden initialisation
// U(±√(6/fan_in)/Scale), and a linear output whose weights the notebook draws from
// U(±√(6/KANWidth)/Scale) (its fan is the KAN width, not the last layer's).
type FKANConfig struct {
	KANWidth int     `json:"kan_width"`
	Grid     int     `json:"grid"`
	Widths   []int   `json:"widths"`
	Scale    float64 `json:"scale"`
	LR       float64 `json:"lr"`
}

// Training: targets on [0, 1] at lr 1e-4 (the FKAN notebook).
func (c *FKANConfig) Training() Training { return Training{LR: c.LR, Range: "01"} }

// Build constructs the network.
func (c *FKANConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if c.KANWidth < 1 || c.Grid < 1 || len(c.Widths) == 0 {
		return nil, fmt.Errorf("fkan: kan_width %d, grid %d and widths %v must be positive and non-empty", c.KANWidth, c.Grid, c.Widths)
	}
	for _, w := range c.Widths {
		if w < 1 {
			return nil, fmt.Errorf("fkan: widths %v must all be ≥ 1", c.Widths)
		}
	}
	if !(c.Scale > 0) {
		return nil, fmt.Errorf("fkan: scale %v must be > 0", c.Scale)
	}
	fourier, err := kan.NewFourierKAN(in, c.KANWidth, c.Grid, true, rng)
	if err != nil {
		return nil, fmt.Errorf("fkan: %w", err)
	}
	f, err := act.New("fkan", act.Config{"scale": c.Scale})
	if err != nil {
		return nil, fmt.Errorf("fkan: %w", err)
	}
	layers := []nn.Layer{fourier, nn.NewLayerNorm(c.KANWidth)}
	prev := c.KANWidth
	for _, w := range c.Widths {
		l := nn.NewDenseAct(prev, w, true, f, false)
		if err := nn.InitDense(l.Dense, nn.Init{Weight: "siren_hidden", Omega: c.Scale}, rng); err != nil {
			return nil, fmt.Errorf("fkan: %w", err)
		}
		layers = append(layers, l)
		prev = w
	}
	last := nn.NewDense(prev, out, true)
	if err := nn.InitDense(last, nn.Init{Weight: "torch"}, rng); err != nil {
		return nil, fmt.Errorf("fkan: %w", err)
	}
	bound := math.Sqrt(6/float64(c.KANWidth)) / c.Scale
	for i := range last.W.Value {
		last.W.Value[i] = bound * (2*rng.Float64() - 1)
	}
	return nn.Chain(append(layers, last)...)
}
