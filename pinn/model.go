package pinn

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
)

// ModelArch is the architecture name of a solved PDE's model file: any registered network
// wrapped between the domain normalisation and the hard-constraint transform, so that the file
// alone rebuilds a model that takes physical coordinates and returns the constrained fields
// (`inr eval` needs nothing else).
const ModelArch = "pinn"

func init() {
	inr.Register(inr.Arch{
		Name:        ModelArch,
		Description: "PDE solution network (inr solve): domain normalisation to [-1, 1], an inner architecture, hard-constraint output transforms",
		NewConfig:   func() inr.Config { return &ModelConfig{} },
	})
}

// ModelConfig configures the "pinn" architecture: the inner network by name and configuration,
// the coordinate box it normalises, and the output transforms with the parameters they use.
type ModelConfig struct {
	Arch      string             `json:"arch"`
	Config    json.RawMessage    `json:"config"`
	Vars      []string           `json:"vars"`
	Fields    []string           `json:"fields"`
	Lo        []float64          `json:"lo"`
	Hi        []float64          `json:"hi"`
	Transform map[string]string  `json:"transform,omitempty"`
	Params    map[string]float64 `json:"params,omitempty"`
}

// newModelConfig describes the problem's network.
func newModelConfig(p *Problem) (*ModelConfig, error) {
	raw, err := json.Marshal(p.Network.Config)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", p.Network.Arch, err)
	}
	return &ModelConfig{Arch: p.Network.Arch, Config: raw, Vars: slices.Clone(p.Vars), Fields: slices.Clone(p.Fields),
		Lo: slices.Clone(p.Lo), Hi: slices.Clone(p.Hi), Transform: p.Transform, Params: p.Params}, nil
}

func (c *ModelConfig) inner() (inr.Config, error) {
	if c.Arch == ModelArch {
		return nil, fmt.Errorf("%s: the inner architecture cannot be %s itself", ModelArch, ModelArch)
	}
	return inr.ConfigFor(c.Arch, c.Config)
}

// Training returns the inner architecture's defaults.
func (c *ModelConfig) Training() inr.Training {
	if in, err := c.inner(); err == nil {
		return in.Training()
	}
	return inr.Training{LR: 1e-3, Range: "pm1"}
}

// Build constructs normalise → inner network → transform for in coordinates and out fields.
func (c *ModelConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if in != len(c.Vars) || out != len(c.Fields) || len(c.Lo) != in || len(c.Hi) != in {
		return nil, fmt.Errorf("%s: %d inputs and %d outputs for variables %v, fields %v and bounds %v–%v", ModelArch, in, out, c.Vars, c.Fields, c.Lo, c.Hi)
	}
	icfg, err := c.inner()
	if err != nil {
		return nil, err
	}
	inner, err := icfg.Build(in, out, rng)
	if err != nil {
		return nil, err
	}
	if inner.InWidth() != in || inner.OutWidth() != out {
		return nil, fmt.Errorf("%s: built %d→%d, need %d→%d", c.Arch, inner.InWidth(), inner.OutWidth(), in, out)
	}
	norm, err := nn.NewNormalize(c.Lo, c.Hi)
	if err != nil {
		return nil, err
	}
	g := nn.NewGraph(in)
	h := g.ApplyNamed("normalize", norm, g.Input())
	h = g.ApplyNamed("net", inner, h)
	if len(c.Transform) > 0 {
		t, err := newTransform(c.Vars, c.Fields, c.Params, c.Transform)
		if err != nil {
			return nil, err
		}
		h = g.Combine(t, g.Input(), h)
	}
	return g.Build(h)
}
