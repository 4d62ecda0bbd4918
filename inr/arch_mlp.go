package inr

import (
	"fmt"
	"math/rand/v2"

	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

func init() {
	Register(Arch{
		Name:        "siren",
		Description: "SIREN (Sitzmann et al. 2020): sin(ω0·(W·x+b)) in every hidden layer, linear output",
		NewConfig:   func() Config { return &SirenConfig{Width: 256, Hidden: 3, FirstOmega: 30, HiddenOmega: 30, LR: 1e-4} },
	})
	Register(Arch{
		Name:        "mlp",
		Description: "multilayer perceptron with any registered activation (tanh by default), linear output",
		NewConfig: func() Config {
			return &MLPConfig{Widths: []int{64, 64, 64}, Activation: "tanh", Init: "glorot_normal", Bias: "zero", LR: 1e-3, Range: "pm1"}
		},
	})
}

// SirenConfig configures a SIREN: a first sine layer, Hidden more sine layers of Width units,
// and a linear output, with the paper's initialisation (first layer W ~ U(±1/n), the others
// U(±√(6/n)/ω0), PyTorch-default biases).
type SirenConfig struct {
	Width       int     `json:"width"`
	Hidden      int     `json:"hidden_layers"`
	FirstOmega  float64 `json:"first_omega"`
	HiddenOmega float64 `json:"hidden_omega"`
	LR          float64 `json:"lr"`
}

// Training: SIREN trains on targets in [-1, 1] at lr 1e-4 (siren's train_img.py).
func (c *SirenConfig) Training() Training { return Training{LR: c.LR, Range: "pm1"} }

// Build constructs the SIREN.
func (c *SirenConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("siren", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	first, err := act.New("sine", act.Config{"omega": c.FirstOmega})
	if err != nil {
		return nil, err
	}
	hidden, err := act.New("sine", act.Config{"omega": c.HiddenOmega})
	if err != nil {
		return nil, err
	}
	widths := []int{in}
	for i := 0; i <= c.Hidden; i++ {
		widths = append(widths, c.Width)
	}
	widths = append(widths, out)
	return nn.NewMLP(nn.MLPConfig{
		Widths:    widths,
		Act:       hidden,
		FirstAct:  first,
		Init:      nn.Init{Weight: "siren_hidden", Omega: c.HiddenOmega},
		FirstInit: &nn.Init{Weight: "siren_first"},
	}, rng)
}

// MLPConfig configures a plain MLP: hidden layers of the given widths with one activation, and a
// linear output.
type MLPConfig struct {
	Widths     []int      `json:"widths"`
	Activation string     `json:"activation"`
	ActConfig  act.Config `json:"activation_config,omitempty"`
	PerUnit    bool       `json:"per_unit,omitempty"` // per-unit activation parameters
	Init       string     `json:"init"`               // weight scheme (nn.InitSchemes)
	Bias       string     `json:"bias"`               // bias scheme: torch, zero, weight
	LR         float64    `json:"lr"`
	Range      string     `json:"range"`
}

// Training returns the configured learning rate and target range.
func (c *MLPConfig) Training() Training { return Training{LR: c.LR, Range: c.Range} }

// Build constructs the MLP.
func (c *MLPConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	f, err := act.New(c.Activation, c.ActConfig)
	if err != nil {
		return nil, fmt.Errorf("mlp: %w", err)
	}
	widths := append(append([]int{in}, c.Widths...), out)
	init := nn.Init{Weight: c.Init, Bias: c.Bias}
	if err := init.Validate(); err != nil {
		return nil, fmt.Errorf("mlp: %w", err)
	}
	return nn.NewMLP(nn.MLPConfig{Widths: widths, Act: f, PerUnit: c.PerUnit, Init: init}, rng)
}
