package inr

import (
	"fmt"
	"math/rand/v2"

	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// Gauss, FINER and SPDER keep SIREN's skeleton (a first layer, hidden layers of one width, a
// linear output) and change the activation; each follows the initialisation of the code the
// reference numbers come from (reference-psnr.md, "The configurations behind these numbers").

func init() {
	Register(Arch{
		Name:        "gauss",
		Description: "Gaussian activation exp(−(s·z)²) in every hidden layer, PyTorch default init (WIRE/FINER/SL²A code)",
		NewConfig:   func() Config { return &GaussConfig{Width: 256, Hidden: 3, S: 30, LR: 1e-4} },
	})
	Register(Arch{
		Name: "finer",
		Description: "FINER (Liu et al. 2024): sin(ω0·(|z|+1)·z) with the scale |z|+1 detached, " +
			"SIREN init; first_bias_scale k draws the first bias from U(±k) (0: PyTorch default)",
		NewConfig: func() Config {
			return &FinerConfig{Width: 256, Hidden: 3, FirstOmega: 30, HiddenOmega: 30, Detach: true, LR: 5e-4}
		},
	})
	Register(Arch{
		Name:        "spder",
		Description: "SPDER (Shah & Sitawarin 2023): sin(u)·√|u|, u = ω0·z in every hidden layer, SIREN init, 5 hidden layers",
		NewConfig:   func() Config { return &SpderConfig{Width: 256, Hidden: 5, Omega: 30, LR: 1e-4} },
	})
}

// hiddenWidths returns [in, width × (hidden+1), out].
func hiddenWidths(in, out, width, hidden int) []int {
	w := []int{in}
	for i := 0; i <= hidden; i++ {
		w = append(w, width)
	}
	return append(w, out)
}

func checkStack(name string, width, hidden int) error {
	if width < 1 || hidden < 0 {
		return fmt.Errorf("%s: width %d and hidden_layers %d must be ≥ 1 and ≥ 0", name, width, hidden)
	}
	return nil
}

// GaussConfig configures the Gaussian-activation network: Hidden+1 layers of exp(−(S·z)²) and a
// linear output, every layer with PyTorch's nn.Linear initialisation.
type GaussConfig struct {
	Width  int     `json:"width"`
	Hidden int     `json:"hidden_layers"`
	S      float64 `json:"s"`
	LR     float64 `json:"lr"`
}

// Training: targets on [-1, 1] at lr 1e-4 (SL²A's train.py setting for Gauss).
func (c *GaussConfig) Training() Training { return Training{LR: c.LR, Range: "pm1"} }

// Build constructs the network.
func (c *GaussConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("gauss", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	f, err := act.New("gauss", act.Config{"s": c.S})
	if err != nil {
		return nil, fmt.Errorf("gauss: %w", err)
	}
	return nn.NewMLP(nn.MLPConfig{Widths: hiddenWidths(in, out, c.Width, c.Hidden), Act: f, Init: nn.Init{Weight: "torch"}}, rng)
}

// FinerConfig configures FINER: sin(ω·(|z|+1)·z) layers with SIREN's weight initialisation.
type FinerConfig struct {
	Width       int     `json:"width"`
	Hidden      int     `json:"hidden_layers"`
	FirstOmega  float64 `json:"first_omega"`
	HiddenOmega float64 `json:"hidden_omega"`
	// FirstBiasScale k > 0 draws the first layer's bias from U(±k) (FINER's first_bias_scale);
	// 0 keeps PyTorch's default U(±1/√fan_in), as the reference run does.
	FirstBiasScale float64 `json:"first_bias_scale"`
	// Detach treats the scale |z|+1 as a constant in the gradient, as FINER's code does.
	Detach bool    `json:"detach"`
	LR     float64 `json:"lr"`
}

// Training: targets on [-1, 1] at lr 5e-4 (FINER's run_finer.sh).
func (c *FinerConfig) Training() Training { return Training{LR: c.LR, Range: "pm1"} }

// Build constructs the network.
func (c *FinerConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("finer", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	if c.FirstBiasScale < 0 {
		return nil, fmt.Errorf("finer: first_bias_scale %v must be ≥ 0", c.FirstBiasScale)
	}
	detach := 0.0
	if c.Detach {
		detach = 1
	}
	first, err := act.New("finer", act.Config{"omega": c.FirstOmega, "detach": detach})
	if err != nil {
		return nil, fmt.Errorf("finer: %w", err)
	}
	hidden, err := act.New("finer", act.Config{"omega": c.HiddenOmega, "detach": detach})
	if err != nil {
		return nil, fmt.Errorf("finer: %w", err)
	}
	net, err := nn.NewMLP(nn.MLPConfig{
		Widths:    hiddenWidths(in, out, c.Width, c.Hidden),
		Act:       hidden,
		FirstAct:  first,
		Init:      nn.Init{Weight: "siren_hidden", Omega: c.HiddenOmega},
		FirstInit: &nn.Init{Weight: "siren_first"},
	}, rng)
	if err != nil {
		return nil, err
	}
	if k := c.FirstBiasScale; k > 0 {
		b := net.Params()[1] // the first layer's bias ("0.bias")
		for i := range b.Value {
			b.Value[i] = k * (2*rng.Float64() - 1)
		}
	}
	return net, nil
}

// SpderConfig configures SPDER: sin(u)·√|u| with u = Omega·z in every hidden layer, SIREN's
// initialisation, 1 + Hidden hidden layers (5 in the SPDER image script).
type SpderConfig struct {
	Width  int     `json:"width"`
	Hidden int     `json:"hidden_layers"`
	Omega  float64 `json:"omega"`
	LR     float64 `json:"lr"`
}

// Training: targets on [-1, 1] at lr 1e-4 (SPDER_image_batched.py).
func (c *SpderConfig) Training() Training { return Training{LR: c.LR, Range: "pm1"} }

// Build constructs the network.
func (c *SpderConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("spder", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	f, err := act.New("spder", act.Config{"omega": c.Omega})
	if err != nil {
		return nil, fmt.Errorf("spder: %w", err)
	}
	return nn.NewMLP(nn.MLPConfig{
		Widths:    hiddenWidths(in, out, c.Width, c.Hidden),
		Act:       f,
		Init:      nn.Init{Weight: "siren_hidden", Omega: c.Omega},
		FirstInit: &nn.Init{Weight: "siren_first"},
	}, rng)
}
