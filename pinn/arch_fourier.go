package pinn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/nn/act"
)

// FourierMLPArch is the name of the embedded MLP architecture.
const FourierMLPArch = "fourier_mlp"

func init() {
	inr.Register(inr.Arch{
		Name: FourierMLPArch,
		Description: "MLP (tanh by default; optionally Wang et al.'s modified MLP) on a fixed embedding of its inputs: " +
			"periodic axes as cos/sin(kπx̂), sin/cos(fπx̂) frequencies per axis, Gaussian Fourier features",
		NewConfig: func() inr.Config {
			return &FourierMLPConfig{Widths: []int{64, 64, 64}, Activation: "tanh", Init: "glorot_normal", LR: 1e-3}
		},
	})
}

// FourierMLPConfig configures an MLP on an embedding of its inputs x̂ (in a PDE model: the
// coordinates normalised to [−1, 1]). The embedding is [x̂_rest | sin(πf x̂_j) | cos(πf x̂_j)] for
// every axis j and each of its frequencies f, where x̂_rest are the axes not listed as periodic.
// A periodic axis is not passed through and must have whole frequencies, so the network is
// exactly periodic along it (period 2 on x̂, the whole domain) with all derivatives: the
// periodic boundary condition holds by construction (the embedding of Dong & Ni 2021 and jaxpi).
// Features > 0 then maps that embedding e to Gaussian Fourier features [sin(Be), cos(Be)],
// B ~ N(0, σ²) (Tancik et al. 2020; Wang, Wang & Perdikaris 2021), which replace it.
//
// Modified selects the modified MLP of Wang, Teng & Perdikaris (2021): two gates U = σ(W_u e),
// V = σ(W_v e) of the embedding, and every hidden layer h ← σ(Wh)⊙U + (1 − σ(Wh))⊙V.
type FourierMLPConfig struct {
	Widths     []int  `json:"widths"`
	Activation string `json:"activation"`
	Init       string `json:"init"`
	// Periodic lists the input axes (0 = first coordinate) embedded periodically.
	Periodic []int `json:"periodic,omitempty"`
	// Frequencies lists, per input axis, the multiples f of π of its sine/cosine pairs; a
	// periodic axis without any gets f = 1.
	Frequencies [][]float64 `json:"frequencies,omitempty"`
	Features    int         `json:"features,omitempty"`
	Sigma       float64     `json:"sigma,omitempty"`
	Modified    bool        `json:"modified,omitempty"`
	// Separable builds one network per axis and multiplies their Rank output features.
	Separable bool `json:"separable,omitempty"`
	Rank      int  `json:"rank,omitempty"`
	// Odd (Even) lists axes whose reflection x̂ → −x̂ changes the sign of (keeps) the output:
	// u = (N(x̂) ∓ N(Rx̂))/2 holds the symmetry exactly.
	Odd  []int   `json:"odd,omitempty"`
	Even []int   `json:"even,omitempty"`
	LR   float64 `json:"lr"`
}

// Training returns the learning rate; targets are unscaled.
func (c *FourierMLPConfig) Training() inr.Training { return inr.Training{LR: c.LR, Range: "pm1"} }

// Build constructs embedding → MLP for in coordinates and out values, made even or odd when the
// configuration asks for it.
func (c *FourierMLPConfig) Build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if len(c.Odd) > 0 && len(c.Even) > 0 {
		return nil, fmt.Errorf("%s: give odd or even axes, not both", FourierMLPArch)
	}
	if len(c.Odd) == 0 && len(c.Even) == 0 {
		return c.build(in, out, rng)
	}
	a, err := c.build(in, out, rng)
	if err != nil {
		return nil, err
	}
	// The twin's own initial values are never used: its parameters alias a's.
	b, err := c.build(in, out, nn.NewRNG(0))
	if err != nil {
		return nil, err
	}
	sym, err := newSymmetric(a, b, append(slices.Clone(c.Odd), c.Even...), len(c.Odd) > 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FourierMLPArch, err)
	}
	g := nn.NewGraph(in)
	return g.Build(g.ApplyNamed("sym", sym, g.Input()))
}

func (c *FourierMLPConfig) build(in, out int, rng *rand.Rand) (*nn.Graph, error) {
	if len(c.Widths) == 0 {
		return nil, fmt.Errorf("%s: no hidden layers (widths)", FourierMLPArch)
	}
	for _, w := range c.Widths {
		if w < 1 {
			return nil, fmt.Errorf("%s: widths %v must be ≥ 1", FourierMLPArch, c.Widths)
		}
	}
	if c.Modified && slices.ContainsFunc(c.Widths, func(w int) bool { return w != c.Widths[0] }) {
		return nil, fmt.Errorf("%s: the modified MLP needs equal widths, got %v", FourierMLPArch, c.Widths)
	}
	f, err := act.New(c.Activation, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", FourierMLPArch, err)
	}
	init := nn.Init{Weight: c.Init, Bias: "zero"}
	if err := init.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", FourierMLPArch, err)
	}
	b := &fourierBuilder{c: c, g: nn.NewGraph(in), f: f, init: init, rng: rng}
	if c.Separable {
		if c.Modified || c.Features > 0 {
			return nil, fmt.Errorf("%s: a separable network takes neither modified nor features", FourierMLPArch)
		}
		return b.separable(in, out)
	}
	h, width, err := b.embed(b.g.Input(), in, -1, "")
	if err != nil {
		return nil, err
	}
	if c.Features > 0 {
		if !(c.Sigma > 0) || math.IsInf(c.Sigma, 0) {
			return nil, fmt.Errorf("%s: sigma %v must be positive with %d features", FourierMLPArch, c.Sigma, c.Features)
		}
		bm := make([]float64, width*c.Features)
		for i := range bm {
			bm[i] = c.Sigma * rng.NormFloat64()
		}
		ff, err := newEmbedding(width, nil, bm, nil)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", FourierMLPArch, err)
		}
		h = b.g.ApplyNamed("fourier", ff, h)
		width = ff.OutWidth()
	}
	if !c.Modified {
		if h, width, err = b.stack("", h, width); err != nil {
			return nil, err
		}
	} else if h, width, err = b.modified(h, width); err != nil {
		return nil, err
	}
	if h, err = b.apply("out", width, out, nil, h); err != nil {
		return nil, err
	}
	return b.g.Build(h)
}

// fourierBuilder assembles the graph of a FourierMLPConfig.
type fourierBuilder struct {
	c    *FourierMLPConfig
	g    *nn.Graph
	f    act.Func
	init nn.Init
	rng  *rand.Rand
}

// apply adds a dense layer (with activation f, or linear when f is nil) on node x.
func (b *fourierBuilder) apply(name string, from, to int, f act.Func, x nn.Node) (nn.Node, error) {
	var l nn.Layer
	var d *nn.Dense
	if f == nil {
		d = nn.NewDense(from, to, true)
		l = d
	} else {
		da := nn.NewDenseAct(from, to, true, f, false)
		d, l = da.Dense, da
	}
	if err := nn.InitDense(d, b.init, b.rng); err != nil {
		return 0, fmt.Errorf("%s %s: %w", FourierMLPArch, name, err)
	}
	return b.g.ApplyNamed(name, l, x), nil
}

// stack adds the hidden layers on h.
func (b *fourierBuilder) stack(prefix string, h nn.Node, width int) (nn.Node, int, error) {
	var err error
	for k, w := range b.c.Widths {
		if h, err = b.apply(fmt.Sprintf("%slayer%d", prefix, k), width, w, b.f, h); err != nil {
			return 0, 0, err
		}
		width = w
	}
	return h, width, nil
}

// modified adds the modified MLP's gates and hidden layers on the embedding e.
func (b *fourierBuilder) modified(e nn.Node, width int) (nn.Node, int, error) {
	w := b.c.Widths[0]
	u, err := b.apply("gate_u", width, w, b.f, e)
	if err != nil {
		return 0, 0, err
	}
	v, err := b.apply("gate_v", width, w, b.f, e)
	if err != nil {
		return 0, 0, err
	}
	// h ← z⊙U + (1 − z)⊙V = V + z⊙(U − V); U − V is the same for every layer.
	minus := make([]float64, w)
	for i := range minus {
		minus[i] = -1
	}
	neg, err := nn.NewAffine(minus, make([]float64, w))
	if err != nil {
		return 0, 0, err
	}
	diff := b.g.Add(u, b.g.ApplyNamed("gate_neg", neg, v))
	h := e
	for k := range b.c.Widths {
		z, err := b.apply(fmt.Sprintf("layer%d", k), width, w, b.f, h)
		if err != nil {
			return 0, 0, err
		}
		h = b.g.Add(v, b.g.Mul(z, diff))
		width = w
	}
	return h, width, nil
}

// separable builds one MLP per input axis, each on that axis's embedding alone, ending in Rank
// linear features; the features of the axes are multiplied and a linear layer sums them:
// u = Σ_r c_r Π_j φ_{j,r}(x̂_j) (the separable PINN of Cho et al. 2023).
func (b *fourierBuilder) separable(in, out int) (*nn.Graph, error) {
	rank := b.c.Rank
	if rank == 0 {
		rank = b.c.Widths[len(b.c.Widths)-1]
	}
	if rank < 1 {
		return nil, fmt.Errorf("%s: rank %d", FourierMLPArch, rank)
	}
	var prod nn.Node
	for j := range in {
		prefix := fmt.Sprintf("axis%d.", j)
		h, width, err := b.embed(b.g.Input(), in, j, prefix)
		if err != nil {
			return nil, err
		}
		if h, width, err = b.stack(prefix, h, width); err != nil {
			return nil, err
		}
		if h, err = b.apply(prefix+"features", width, rank, nil, h); err != nil {
			return nil, err
		}
		if j == 0 {
			prod = h
		} else {
			prod = b.g.Mul(prod, h)
		}
	}
	h, err := b.apply("out", rank, out, nil, prod)
	if err != nil {
		return nil, err
	}
	return b.g.Build(h)
}

// embed applies the deterministic embedding of the inputs (only axis `only` when ≥ 0) on h; with
// no embedding configured and all axes, h is returned as it is.
func (b *fourierBuilder) embed(h nn.Node, in, only int, prefix string) (nn.Node, int, error) {
	emb, err := b.c.embedding(in, only)
	if err != nil {
		return 0, 0, err
	}
	if emb == nil {
		return h, in, nil
	}
	return b.g.ApplyNamed(prefix+"embed", emb, h), emb.OutWidth(), nil
}

// embedding builds the deterministic (periodic and frequency) embedding, or nil when the
// configuration asks for none.
func (c *FourierMLPConfig) embedding(in, only int) (*embedding, error) {
	if len(c.Periodic) == 0 && len(c.Frequencies) == 0 && only < 0 {
		return nil, nil
	}
	if len(c.Frequencies) > in {
		return nil, fmt.Errorf("%s: frequencies for %d axes, the input has %d", FourierMLPArch, len(c.Frequencies), in)
	}
	periodic := make([]bool, in)
	for _, j := range c.Periodic {
		if j < 0 || j >= in {
			return nil, fmt.Errorf("%s: periodic axis %d of %d inputs", FourierMLPArch, j, in)
		}
		periodic[j] = true
	}
	var keep []int
	var cols [][2]float64 // (axis, frequency)
	for j := range in {
		if only >= 0 && j != only {
			continue
		}
		if !periodic[j] {
			keep = append(keep, j)
		}
		var fs []float64
		if j < len(c.Frequencies) {
			fs = c.Frequencies[j]
		}
		if periodic[j] && len(fs) == 0 {
			fs = []float64{1}
		}
		for _, fr := range fs {
			if periodic[j] && (fr != math.Trunc(fr) || fr == 0) {
				return nil, fmt.Errorf("%s: periodic axis %d has frequency %v; it must be a whole number ≠ 0", FourierMLPArch, j, fr)
			}
			if math.IsNaN(fr) || math.IsInf(fr, 0) {
				return nil, fmt.Errorf("%s: axis %d: frequency %v", FourierMLPArch, j, fr)
			}
			cols = append(cols, [2]float64{float64(j), fr})
		}
	}
	m := len(cols)
	a := make([]float64, in*m)
	for k, col := range cols {
		a[int(col[0])*m+k] = math.Pi * col[1]
	}
	return newEmbedding(in, keep, a, nil)
}
