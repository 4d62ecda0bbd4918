package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/inrstudio/studio/nn/act"
)

// MLPConfig describes a fully connected network Widths[0] → … → Widths[last] whose hidden layers
// are dense+activation (fused for sine) and whose last layer is linear.
type MLPConfig struct {
	Widths     []int
	Act        act.Func // hidden activation
	FirstAct   act.Func // activation of the first layer (nil: Act), e.g. sine first, tanh after
	FirstScale float64  // fixed multiplier κ on the first layer's product (0 means 1)
	PerUnit    bool     // per-unit activation parameters
	Init       Init     // weights and biases of every layer but the first
	FirstInit  *Init    // the first layer's (nil: Init)
}

// NewMLP builds and initialises the network described by cfg, drawing weights from rng in layer
// order. Its parameters are named "<layer>.weight", "<layer>.bias" (and "<layer>.theta").
func NewMLP(cfg MLPConfig, rng *rand.Rand) (*Graph, error) {
	if len(cfg.Widths) < 2 {
		return nil, fmt.Errorf("mlp needs at least input and output widths, got %v", cfg.Widths)
	}
	for _, w := range cfg.Widths {
		if w < 1 {
			return nil, fmt.Errorf("mlp widths %v: every width must be ≥ 1", cfg.Widths)
		}
	}
	if cfg.Act == nil && len(cfg.Widths) > 2 {
		return nil, fmt.Errorf("mlp: no activation")
	}
	var layers []Layer
	last := len(cfg.Widths) - 2
	for k := 0; k <= last; k++ {
		in, out := cfg.Widths[k], cfg.Widths[k+1]
		init := cfg.Init
		if k == 0 && cfg.FirstInit != nil {
			init = *cfg.FirstInit
		}
		var d *Dense
		if k == last {
			d = NewDense(in, out, true)
			layers = append(layers, d)
		} else {
			f := cfg.Act
			if k == 0 && cfg.FirstAct != nil {
				f = cfg.FirstAct
			}
			l := NewDenseAct(in, out, true, f, cfg.PerUnit)
			d = l.Dense
			layers = append(layers, l)
		}
		if k == 0 && cfg.FirstScale != 0 {
			d.Scale = cfg.FirstScale
		}
		if err := InitDense(d, init, rng); err != nil {
			return nil, fmt.Errorf("mlp layer %d: %w", k, err)
		}
	}
	return Chain(layers...)
}
