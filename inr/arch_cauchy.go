package inr

import (
	"fmt"
	"math/rand/v2"

	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

func init() {
	Register(Arch{
		Name: "cauchy",
		Description: "Cauchy activation network (XNet, Li et al. 2024): (λ1·u + λ2)/(u² + d²), u = scale·z, " +
			"λ1, λ2, d trainable per unit (start 1); hidden_layers 0 is the single-layer XNet",
		NewConfig: func() Config { return &CauchyConfig{Width: 256, Hidden: 3, Scale: 30, LR: 1e-3} },
	})
}

// CauchyConfig configures the Cauchy-activation network: 1 + Hidden layers of Width units, each
// unit with its own trainable (λ1, λ2, d), and a linear output, PyTorch's default initialisation.
// There is no official INR code: the reference scales the pre-activation by 30 inside the
// activation, without which it stalls near 18 dB (reference-psnr.md).
type CauchyConfig struct {
	Width  int     `json:"width"`
	Hidden int     `json:"hidden_layers"`
	Scale  float64 `json:"scale"`
	LR     float64 `json:"lr"`
}

// Training: targets on [0, 1] at lr 1e-3 (the reference's choice).
func (c *CauchyConfig) Training() Training { return Training{LR: c.LR, Range: "01"} }

// Build constructs the network.
func (c *CauchyConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("cauchy", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	f, err := act.New("cauchy", act.Config{"scale": c.Scale})
	if err != nil {
		return nil, fmt.Errorf("cauchy: %w", err)
	}
	return nn.NewMLP(nn.MLPConfig{
		Widths:  hiddenWidths(in, out, c.Width, c.Hidden),
		Act:     f,
		PerUnit: true,
		Init:    nn.Init{Weight: "torch"},
	}, rng)
}
