package multistage

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"

	"github.com/inrstudio/studio/internal/fsutil"
	"github.com/inrstudio/studio/nn"
)

// Architecture is the name a composite model file records in its metadata.
const Architecture = "multistage"

// fileConfig is the "config" JSON document of a composite model file: everything besides the
// weights that evaluation needs. Go writes float64 in JSON with the shortest decimal that reads
// back to the same bits, so ε, κ and the bounds survive the round trip exactly.
type fileConfig struct {
	Dim    int         `json:"dim"`
	Lo     []float64   `json:"lo"`
	Hi     []float64   `json:"hi"`
	Stages []fileStage `json:"stages"`
	Model  string      `json:"model"` // the formula, for a reader of the file
	Hidden string      `json:"hidden_activation"`
	Output string      `json:"output"`
}

type fileStage struct {
	Epsilon  float64 `json:"epsilon"`
	Kappa    float64 `json:"kappa"`
	Omega    float64 `json:"omega"`
	Widths   []int   `json:"widths"`
	FirstAct string  `json:"first_act"`
}

// stagePrefix names stage k's tensors: "stage0.0.weight" is stage 1's first-layer weight (an
// in×out matrix, so a layer is h·W + b), "stage0.0.bias" its bias, and so on layer by layer.
func stagePrefix(k int) string { return fmt.Sprintf("stage%d.", k) }

// Save writes the model in the studio's model-file layout (safetensors, see nn.Save): every
// stage's weights under "stage<k>." names and a config document with the bounds and, per stage,
// ε, κ, the widths and the first activation. Python evaluates it with numpy alone (doc.go).
func (c *Composite) Save(w io.Writer, version string) error {
	if len(c.Stages) == 0 {
		return fmt.Errorf("%w: the model has no stages to save", ErrBadInput)
	}
	cfg := fileConfig{Dim: c.Dim(), Lo: c.Lo, Hi: c.Hi, Hidden: "tanh", Output: "linear",
		Model: "u(x) = sum_k epsilon_k * net_k(2*(x-lo)/(hi-lo)-1); net_k first layer first_act(kappa_k*(h@W)+b), then tanh layers, linear output"}
	var params []*nn.Param
	for k, s := range c.Stages {
		cfg.Stages = append(cfg.Stages, fileStage{Epsilon: s.Epsilon, Kappa: s.Kappa, Omega: s.Omega, Widths: s.Widths, FirstAct: s.FirstAct})
		for _, p := range s.Net.Params() {
			params = append(params, &nn.Param{Name: stagePrefix(k) + p.Name, Shape: p.Shape, Value: p.Value})
		}
	}
	doc, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("multistage model file: %w", err)
	}
	return nn.Save(w, nn.Meta{Architecture: Architecture, Config: doc, Version: version,
		Extra: map[string]string{"stages": fmt.Sprint(len(c.Stages))}}, params)
}

// SaveFile writes the model file at path atomically.
func (c *Composite) SaveFile(path, version string) error {
	if err := fsutil.WriteFile(path, func(w io.Writer) error { return c.Save(w, version) }); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Load reads a composite model written by Save and rebuilds every stage network.
func Load(r io.Reader) (*Composite, error) {
	meta, tensors, err := nn.Load(r)
	if err != nil {
		return nil, err
	}
	return FromFile(meta, tensors)
}

// FromFile builds the composite that a model file's metadata and tensors (as nn.Load returns
// them) describe.
func FromFile(meta nn.Meta, tensors []nn.Tensor) (*Composite, error) {
	if meta.Architecture != Architecture {
		return nil, fmt.Errorf("%w: model file of architecture %q, not %q", ErrBadInput, meta.Architecture, Architecture)
	}
	var cfg fileConfig
	if err := json.Unmarshal(meta.Config, &cfg); err != nil {
		return nil, fmt.Errorf("%w: multistage model file: config: %w", ErrBadInput, err)
	}
	if len(cfg.Lo) != cfg.Dim {
		return nil, fmt.Errorf("%w: multistage model file: %d lower bounds for dimension %d", ErrBadInput, len(cfg.Lo), cfg.Dim)
	}
	c, err := NewComposite(cfg.Lo, cfg.Hi)
	if err != nil {
		return nil, fmt.Errorf("multistage model file: %w", err)
	}
	if len(cfg.Stages) == 0 {
		return nil, fmt.Errorf("%w: multistage model file has no stages", ErrBadInput)
	}
	byStage := make([][]nn.Tensor, len(cfg.Stages))
	for _, t := range tensors {
		var k int
		var rest string
		if n, _ := fmt.Sscanf(t.Name, "stage%d.", &k); n != 1 || k < 0 || k >= len(cfg.Stages) {
			return nil, fmt.Errorf("%w: multistage model file: tensor %q belongs to no stage", ErrBadInput, t.Name)
		}
		rest = strings.TrimPrefix(t.Name, stagePrefix(k))
		t.Name = rest
		byStage[k] = append(byStage[k], t)
	}
	for k, st := range cfg.Stages {
		if len(st.Widths) < 3 || st.Widths[0] != cfg.Dim || st.Widths[len(st.Widths)-1] != 1 {
			return nil, fmt.Errorf("%w: multistage model file: stage %d widths %v (need %d → hidden → 1)", ErrBadInput, k+1, st.Widths, cfg.Dim)
		}
		if !(st.Epsilon > 0) || math.IsInf(st.Epsilon, 0) {
			return nil, fmt.Errorf("%w: multistage model file: stage %d prefactor %v", ErrBadInput, k+1, st.Epsilon)
		}
		net, err := stageNet(st.Widths, st.FirstAct, st.Kappa, 0)
		if err != nil {
			return nil, fmt.Errorf("multistage model file: stage %d: %w", k+1, err)
		}
		if err := nn.AssignTensors(net.Params(), byStage[k]); err != nil {
			return nil, fmt.Errorf("multistage model file: stage %d: %w", k+1, err)
		}
		c.Stages = append(c.Stages, &Stage{Epsilon: st.Epsilon, Kappa: st.Kappa, Omega: st.Omega, Widths: st.Widths, FirstAct: st.FirstAct, Net: net})
	}
	return c, nil
}

// LoadFile reads the model file at path.
func LoadFile(path string) (*Composite, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("model file %s: no such file", path)
		}
		return nil, err
	}
	defer f.Close()
	c, err := Load(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}
