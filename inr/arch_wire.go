package inr

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/inrstudio/studio/nn"
)

func init() {
	Register(Arch{
		Name: "wire",
		Description: "WIRE (Saragadam et al. 2023): complex Gabor wavelet exp(iω0·z − |s0·z|²); real first layer, " +
			"complex hidden layers, output Re(complex linear); width 181 = int(256/√2) for parameter parity",
		NewConfig: func() Config { return &WireConfig{Width: 181, Hidden: 3, Omega: 20, S: 30, LR: 5e-3} },
	})
}

// WireConfig configures WIRE as the original code builds it: a real linear layer in→Width
// followed by the Gabor wavelet of its (real) output, Hidden complex linear layers each followed
// by the wavelet, and a complex linear output whose real part is the prediction. Every layer keeps
// PyTorch's default initialisation (real and imaginary parts each U(±1/√fan_in)).
type WireConfig struct {
	Width  int     `json:"width"`
	Hidden int     `json:"hidden_layers"`
	Omega  float64 `json:"omega"` // ω0, the wavelet's frequency
	S      float64 `json:"s"`     // s0, the wavelet's inverse width
	LR     float64 `json:"lr"`
}

// Training: targets on [0, 1] at lr 5e-3 (the best rate of FINER's WIRE sweep, within WIRE's
// advised 5e-3…2e-2).
func (c *WireConfig) Training() Training { return Training{LR: c.LR, Range: "01"} }

// Build constructs the network. Complex features travel as [Re | Im] column pairs.
func (c *WireConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("wire", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	g := nn.NewGraph(in)
	first := nn.NewDense(in, c.Width, true)
	if err := nn.InitDense(first, nn.Init{Weight: "torch"}, rng); err != nil {
		return nil, fmt.Errorf("wire: %w", err)
	}
	h := g.Apply(first, g.Input())
	psi, err := newGaborLayer(c.Omega, c.S, c.Width, true)
	if err != nil {
		return nil, err
	}
	h = g.Apply(psi, h)
	for range c.Hidden {
		l, err := nn.NewComplexDense(c.Width, c.Width, nn.ComplexToComplex, rng)
		if err != nil {
			return nil, fmt.Errorf("wire: %w", err)
		}
		h = g.Apply(l, h)
		psi, err := newGaborLayer(c.Omega, c.S, c.Width, false)
		if err != nil {
			return nil, err
		}
		h = g.Apply(psi, h)
	}
	last, err := nn.NewComplexDense(c.Width, out, nn.ComplexToReal, rng)
	if err != nil {
		return nil, fmt.Errorf("wire: %w", err)
	}
	return g.Build(g.Apply(last, h))
}

// TorchParamCount counts parameters as PyTorch's numel does, a complex entry once: the studio
// stores each complex weight as two real tensors ("…weight_re", "…weight_im"), so the imaginary
// halves are left out. For real networks it equals the number of trainable scalars.
func TorchParamCount(net *nn.Graph) int {
	n := 0
	for _, p := range net.Params() {
		if strings.HasSuffix(p.Name, "weight_im") || strings.HasSuffix(p.Name, "bias_im") {
			continue
		}
		n += p.Size()
	}
	return n
}
