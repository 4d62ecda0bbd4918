package inr

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// Normalization maps network outputs to signal values: signal = Scale·net + Offset per output
// (for images trained on [-1, 1]: Scale = Offset = ½). Inputs are already in the network's
// coordinates (images: [-1, 1]²; PDE solvers put their domain normalisation inside the network).
type Normalization struct {
	Range  string    `json:"range,omitempty"` // "pm1" or "01" for images
	Scale  []float64 `json:"scale"`
	Offset []float64 `json:"offset"`
	// Signal describes what was fitted (e.g. "image 128x128x1"), for people reading the file.
	Signal string `json:"signal,omitempty"`
}

// RangeNormalization returns the normalisation of a signal on [0, 1] trained on rng ("pm1" or "01").
func RangeNormalization(rng string, outputs int) (Normalization, error) {
	n := Normalization{Range: rng, Scale: make([]float64, outputs), Offset: make([]float64, outputs)}
	for i := range n.Scale {
		switch rng {
		case "pm1":
			n.Scale[i], n.Offset[i] = 0.5, 0.5
		case "01":
			n.Scale[i], n.Offset[i] = 1, 0
		default:
			return Normalization{}, fmt.Errorf("target range %q: use pm1 or 01", rng)
		}
	}
	return n, nil
}

// ToNet maps a signal value of output o to the network's target.
func (n Normalization) ToNet(o int, v float64) float64 { return (v - n.Offset[o]) / n.Scale[o] }

// ToSignal maps a network output of output o to the signal.
func (n Normalization) ToSignal(o int, v float64) float64 { return n.Scale[o]*v + n.Offset[o] }

// Model is a network with what is needed to rebuild and use it: its architecture and
// configuration, its input and output sizes, and the signal normalisation.
type Model struct {
	Arch    string
	Config  Config
	In, Out int
	Net     *nn.Graph
	Norm    Normalization
	// Extra holds the model file's other metadata strings (the fitted signal's size, field names,
	// …): LoadModel fills it and Save writes it, merged with Save's own argument.
	Extra map[string]string
}

// NewModel builds the architecture with cfg (nil: the architecture's defaults) for in inputs and
// out outputs, initialised with seed.
func NewModel(arch string, cfg Config, in, out int, seed uint64) (*Model, error) {
	if cfg == nil {
		a, err := LookupArch(arch)
		if err != nil {
			return nil, err
		}
		cfg = a.NewConfig()
	}
	net, err := cfg.Build(in, out, nn.NewRNG(seed))
	if err != nil {
		if strings.HasPrefix(err.Error(), arch+":") {
			return nil, err // the architecture's own message names it
		}
		return nil, fmt.Errorf("model %s: %w", arch, err)
	}
	if net.InWidth() != in || net.OutWidth() != out {
		return nil, fmt.Errorf("model %s: built %d→%d, need %d→%d", arch, net.InWidth(), net.OutWidth(), in, out)
	}
	norm := Normalization{Scale: make([]float64, out), Offset: make([]float64, out)}
	for i := range norm.Scale {
		norm.Scale[i] = 1
	}
	return &Model{Arch: arch, Config: cfg, In: in, Out: out, Net: net, Norm: norm}, nil
}

// NumParams is the number of trainable scalars.
func (m *Model) NumParams() int { return nn.CountParams(m.Net.Params()) }

// modelExtra keys of the model file metadata.
const (
	metaIn  = "inputs"
	metaOut = "outputs"
	// metaGraph is the network's description (nn.Graph.Spec as JSON): what each layer computes,
	// for readers without this package (python/inrstudio.py).
	metaGraph = "graph"
	// metaBuffers names the tensors that are fixed, not trained (Fourier features' B, a domain
	// normalisation's scale and shift), comma separated: what a reader that trains the model
	// (python/inrstudio.py's to_torch) must leave alone.
	metaBuffers = "buffers"
)

// Save writes the model file (safetensors layout, readable from Python) atomically.
func (m *Model) Save(path, version string, extra map[string]string) error {
	return m.save(path, version, extra, m.Net.State())
}

// save writes the model's metadata with the tensors params (the model's state, possibly followed
// by others: a checkpoint's trainer state).
func (m *Model) save(path, version string, extra map[string]string, params []*nn.Param) error {
	cfg, err := json.Marshal(m.Config)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	norm, err := json.Marshal(m.Norm)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	ex := map[string]string{}
	for k, v := range m.Extra {
		ex[k] = v
	}
	ex[metaIn], ex[metaOut] = fmt.Sprint(m.In), fmt.Sprint(m.Out)
	graph, err := json.Marshal(m.Net.Spec())
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	ex[metaGraph] = string(graph)
	var bufs []string
	for _, b := range m.Net.Buffers() {
		bufs = append(bufs, b.Name)
	}
	ex[metaBuffers] = strings.Join(bufs, ",")
	for k, v := range extra {
		ex[k] = v
	}
	meta := nn.Meta{Architecture: m.Arch, Config: cfg, Normalization: norm, Version: version, Extra: ex}
	return nn.SaveFile(path, meta, params)
}

// LoadModel rebuilds a model from its file alone.
func LoadModel(path string) (*Model, error) {
	meta, tensors, err := ReadModelFile(path)
	if err != nil {
		return nil, err
	}
	return ModelFromFile(path, meta, tensors)
}

// ReadModelFile reads the metadata and tensors of the model file at path (a missing file is
// named as such), for callers that look at the architecture before building.
func ReadModelFile(path string) (nn.Meta, []nn.Tensor, error) {
	meta, tensors, err := nn.LoadFile(path)
	if err != nil && errors.Is(err, fs.ErrNotExist) {
		return meta, nil, fmt.Errorf("model file %s: no such file", path)
	}
	return meta, tensors, err
}

// ModelFromFile builds the model that the metadata and tensors read from the file at path
// describe (path labels errors). A fit's checkpoint gives the model as it stood at the
// checkpoint.
func ModelFromFile(path string, meta nn.Meta, tensors []nn.Tensor) (*Model, error) {
	if meta.Architecture == "" {
		return nil, fmt.Errorf("model %s: no architecture recorded (not written by inr?)", path)
	}
	cfg, err := ConfigFor(meta.Architecture, meta.Config)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	var in, out int
	if _, err := fmt.Sscan(meta.Extra[metaIn], &in); err != nil {
		return nil, fmt.Errorf("model %s: bad or missing %q metadata", path, metaIn)
	}
	if _, err := fmt.Sscan(meta.Extra[metaOut], &out); err != nil {
		return nil, fmt.Errorf("model %s: bad or missing %q metadata", path, metaOut)
	}
	m, err := NewModel(meta.Architecture, cfg, in, out, 0)
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	if len(meta.Normalization) > 0 {
		if err := json.Unmarshal(meta.Normalization, &m.Norm); err != nil {
			return nil, fmt.Errorf("model %s: normalization: %w", path, err)
		}
		if len(m.Norm.Scale) != out || len(m.Norm.Offset) != out {
			return nil, fmt.Errorf("model %s: normalization has %d scales for %d outputs", path, len(m.Norm.Scale), out)
		}
	}
	if _, ok := meta.Extra[ckptMeta]; ok {
		// A fit's checkpoint: the model's weights after its last update, with the trainer's
		// state besides, which a model does not hold.
		tensors = slices.DeleteFunc(slices.Clone(tensors), func(t nn.Tensor) bool { return strings.HasPrefix(t.Name, ckptPrefix) })
	}
	if err := nn.AssignTensors(m.Net.State(), tensors); err != nil {
		return nil, fmt.Errorf("model %s: %w", path, err)
	}
	m.Extra = map[string]string{}
	for k, v := range meta.Extra {
		if k != metaIn && k != metaOut {
			m.Extra[k] = v
		}
	}
	return m, nil
}

// predictChunk bounds the points evaluated at once, so rendering at any resolution needs bounded
// memory (activations of a 256-wide network: ~2 KiB per point per layer). 4096 renders as fast
// as 16384 and with a third of the memory (1024² `inr eval`, two threads, peak resident set:
// SIREN 4.2 s, 117 MB against 290; SL²A 9.0 s, 232 MB against 737; 102 and 216 MB since the
// input jet is made once per rendering rather than once per part).
const predictChunk = 4096

// Predict evaluates the network at the coordinates x (N×In) and writes signal values
// (normalisation applied) into out (N×Out). It uses its own buffers: call it from one goroutine
// at a time per model, and not during a training step on the same network.
func (m *Model) Predict(x, out kernel.Matrix) error {
	if x.Cols != m.In || out.Cols != m.Out || out.Rows != x.Rows {
		return fmt.Errorf("predict: %d×%d coordinates into %d×%d outputs for a %d→%d model",
			x.Rows, x.Cols, out.Rows, out.Cols, m.In, m.Out)
	}
	m.predict(x.Rows, nn.ValuePlan(m.In), x.View, func(r0 int, y nn.Jet) { m.writeSignal(out, r0, y) })
	return nil
}

// PredictDerivatives evaluates the model at x (N×In) with its derivatives with respect to the
// inputs up to order (1: the gradient; 2: also every second derivative ∂²/∂x_i∂x_j, i ≤ j),
// exactly: they are the network's jets, not finite differences. It returns an
// N×(Out·(1+len(wrt))) matrix holding, for each point, the Out signal values (as Predict) and
// then, for each entry of wrt ({i} for ∂/∂x_i, then {i, j} for ∂²/∂x_i∂x_j), the derivatives
// of the Out signal values (the normalisation's scale applied).
func (m *Model) PredictDerivatives(x kernel.Matrix, order int) (kernel.Matrix, [][]int, error) {
	if x.Cols != m.In {
		return kernel.Matrix{}, nil, fmt.Errorf("predict: %d×%d coordinates for a %d→%d model", x.Rows, x.Cols, m.In, m.Out)
	}
	plan, wrt, err := nn.DerivativePlan(m.In, order)
	if err != nil {
		return kernel.Matrix{}, nil, err
	}
	out := kernel.NewMatrix(x.Rows, m.Out*plan.Blocks())
	m.predict(x.Rows, plan, x.View, func(r0 int, y nn.Jet) { m.writeSignal(out, r0, y) })
	return out, wrt, nil
}

// predict evaluates the network on plan at n points, predictChunk at a time, with one input jet:
// coords(r0, 0, k, In) gives the coordinates of points r0 … r0+k−1 (k×In, the signature of
// kernel.Matrix.View), and use(r0, y) receives their output jet, valid until the next part.
func (m *Model) predict(n int, plan *nn.Plan, coords func(r0, c0, k, cols int) kernel.Matrix, use func(r0 int, y nn.Jet)) {
	var in nn.Jet
	for r0 := 0; r0 < n; r0 += predictChunk {
		k := min(predictChunk, n-r0)
		if in.N != k {
			in = nn.NewJet(plan, k, m.In)
		}
		in.SetInput(coords(r0, 0, k, m.In))
		use(r0, m.Net.Forward(in))
	}
}

// writeSignal writes the output jet y of points r0, r0+1, … into those rows of out: the Out
// values of every block of y's plan in turn, the signal values first (the normalisation
// applied), then the derivatives (scaled by it).
func (m *Model) writeSignal(out kernel.Matrix, r0 int, y nn.Jet) {
	for b := range y.Blocks() {
		blk := y.Block(b)
		for i := range y.N {
			src, dst := blk.Row(i), out.Row(r0 + i)[b*m.Out:(b+1)*m.Out]
			for o := range dst {
				if b == 0 {
					dst[o] = m.Norm.ToSignal(o, src[o])
				} else {
					dst[o] = m.Norm.Scale[o] * src[o]
				}
			}
		}
	}
}

// errDiverged is returned (wrapped) when a loss or gradient becomes NaN or infinite.
var errDiverged = errors.New("training diverged")
