package inr

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

func init() {
	Register(Arch{
		Name: "relu_pe",
		Description: "ReLU MLP on NeRF positional encoding [x, sin(2^i·πx), cos(2^i·πx)], i < L; " +
			"levels 0 derives L = floor(log2(max(H,W)/4)) from the image",
		NewConfig: func() Config { return &ReluPEConfig{Width: 256, Hidden: 3, LR: 1e-3} },
	})
	Register(Arch{
		Name: "relu_ff",
		Description: "ReLU MLP on Gaussian Fourier features [sin, cos](2πBv), B ~ N(0, σ²), v = (x+1)/2 " +
			"(Tancik et al. 2020), sigmoid output; 1 + hidden_layers ReLU layers",
		NewConfig: func() Config { return &ReluFFConfig{Width: 256, Hidden: 2, Features: 256, Sigma: 10, LR: 1e-4} },
	})
}

// SignalAdapter is implemented by configurations with a setting derived from the signal when the
// user leaves it unset (relu_pe's number of encoding levels follows the image size). The fitting
// loop calls AdaptTo with the signal's grid size per input dimension before building, so the
// resolved value is what the model file records.
type SignalAdapter interface {
	AdaptTo(grid []int)
}

// nyquistLevels is the SIREN repository's rule for NeRF encoding levels on a grid of n samples
// per side: floor(log2(n/4)), at least 1.
func nyquistLevels(n int) int {
	return max(1, int(math.Floor(math.Log2(float64(n)/4))))
}

// defaultPELevels is used when no signal size is known (a model built directly with NewModel):
// the rule at 256 samples per side.
const defaultPELevels = 6

// ReluPEConfig configures ReLU + NeRF positional encoding: the encoding (width in·(1+2L)), then
// 1 + Hidden ReLU layers of Width and a linear output, PyTorch's default initialisation.
type ReluPEConfig struct {
	Width  int `json:"width"`
	Hidden int `json:"hidden_layers"`
	// Levels is L, the number of octaves; 0 derives it from the signal (floor(log2(max side/4))).
	Levels int     `json:"levels"`
	LR     float64 `json:"lr"`
}

// Training: targets on [0, 1] at lr 1e-3 (FINER's PEMLP and SL²A's setting).
func (c *ReluPEConfig) Training() Training { return Training{LR: c.LR, Range: "01"} }

// AdaptTo sets Levels from the longest side of the grid when it is unset.
func (c *ReluPEConfig) AdaptTo(grid []int) {
	if c.Levels != 0 || len(grid) == 0 {
		return
	}
	n := 0
	for _, g := range grid {
		n = max(n, g)
	}
	c.Levels = nyquistLevels(n)
}

// Build constructs the network.
func (c *ReluPEConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("relu_pe", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	levels := c.Levels
	if levels == 0 {
		levels = defaultPELevels
	}
	if levels < 0 || levels > 30 {
		return nil, fmt.Errorf("relu_pe: levels %d must be in [0, 30]", c.Levels)
	}
	enc, err := nn.NewPositionalEncoding(in, levels)
	if err != nil {
		return nil, fmt.Errorf("relu_pe: %w", err)
	}
	layers := []nn.Layer{enc}
	mlp, err := reluStack(enc.OutWidth(), c.Width, c.Hidden+1, out, rng)
	if err != nil {
		return nil, fmt.Errorf("relu_pe: %w", err)
	}
	return nn.Chain(append(layers, mlp...)...)
}

// reluStack returns n dense+ReLU layers from in to width and a linear width→out layer, all with
// PyTorch's default initialisation.
func reluStack(in, width, n, out int, rng *rand.Rand) ([]nn.Layer, error) {
	relu, err := act.New("relu", nil)
	if err != nil {
		return nil, err
	}
	var layers []nn.Layer
	for k := range n {
		fi := width
		if k == 0 {
			fi = in
		}
		l := nn.NewDenseAct(fi, width, true, relu, false)
		if err := nn.InitDense(l.Dense, nn.Init{Weight: "torch"}, rng); err != nil {
			return nil, err
		}
		layers = append(layers, l)
	}
	last := nn.NewDense(width, out, true)
	if err := nn.InitDense(last, nn.Init{Weight: "torch"}, rng); err != nil {
		return nil, err
	}
	return append(layers, last), nil
}

// ReluFFConfig configures ReLU + Gaussian Fourier features: [sin, cos](2πBv) with Features rows of
// B ~ N(0, Sigma²) and v = (x+1)/2, then 1 + Hidden ReLU layers of Width, a linear layer and a
// sigmoid (the Tancik et al. demo network), PyTorch's default initialisation. B is a fixed buffer
// saved with the model, not a trained parameter.
type ReluFFConfig struct {
	Width    int     `json:"width"`
	Hidden   int     `json:"hidden_layers"`
	Features int     `json:"features"`
	Sigma    float64 `json:"sigma"`
	LR       float64 `json:"lr"`
}

// Training: targets on [0, 1] (sigmoid output) at lr 1e-4 (Tancik's demo).
func (c *ReluFFConfig) Training() Training { return Training{LR: c.LR, Range: "01"} }

// Build constructs the network.
func (c *ReluFFConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if err := checkStack("relu_ff", c.Width, c.Hidden); err != nil {
		return nil, err
	}
	enc, err := nn.NewFourierFeatures(in, c.Features, c.Sigma, true, rng)
	if err != nil {
		return nil, fmt.Errorf("relu_ff: %w", err)
	}
	mlp, err := reluStack(enc.OutWidth(), c.Width, c.Hidden+1, out, rng)
	if err != nil {
		return nil, fmt.Errorf("relu_ff: %w", err)
	}
	sig, err := act.New("sigmoid", nil)
	if err != nil {
		return nil, fmt.Errorf("relu_ff: %w", err)
	}
	layers := append([]nn.Layer{enc}, mlp...)
	layers = append(layers, nn.NewActivation(sig, out, false))
	return nn.Chain(layers...)
}
