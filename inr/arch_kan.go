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
