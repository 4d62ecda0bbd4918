package inr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/inrstudio/studio/nn"
)

// Arch is a registered coordinate-network architecture. Architectures register themselves at
// init (like image formats with image.RegisterFormat), so `inr fit --model NAME` and loading a
// model file find them by name without a central switch.
type Arch struct {
	Name        string
	Description string
	// NewConfig returns a fresh configuration holding the architecture's defaults (the values of
	// the original authors' code for image fitting). It is a pointer to a struct with JSON tags.
	NewConfig func() Config
}

// Config is an architecture's configuration: everything needed to rebuild the network, stored as
// JSON in model files.
type Config interface {
	// Build constructs and initialises the network mapping in coordinates to out values.
	Build(in, out int, rng *rand.Rand) (*nn.Graph, error)
	// Training gives the defaults the architecture trains with.
	Training() Training
}

// Training holds an architecture's training defaults.
type Training struct {
	LR float64 // Adam learning rate of the reference code
	// Range is the target range the network is trained on: "pm1" ([-1, 1]) or "01" ([0, 1]).
	Range string
}

var archs = map[string]Arch{}

// Register adds an architecture. It is called from init functions only.
func Register(a Arch) {
	if _, dup := archs[a.Name]; dup {
		panic("inr: duplicate architecture " + a.Name)
	}
	archs[a.Name] = a
}

// Archs lists the registered architectures, sorted by name.
func Archs() []Arch {
	out := make([]Arch, 0, len(archs))
	for _, a := range archs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupArch returns the architecture called name, or an error listing the known ones.
func LookupArch(name string) (Arch, error) {
	a, ok := archs[name]
	if !ok {
		names := make([]string, 0, len(archs))
		for n := range archs {
			names = append(names, n)
		}
		sort.Strings(names)
		return Arch{}, fmt.Errorf("unknown model %q (known: %s; `inr models` lists them)", name, strings.Join(names, ", "))
	}
	return a, nil
}

// ConfigFor returns the architecture's default configuration with the JSON document overrides
// applied on top (nil or empty: the defaults). Unknown keys are an error naming the key.
func ConfigFor(name string, overrides json.RawMessage) (Config, error) {
	a, err := LookupArch(name)
	if err != nil {
		return nil, err
	}
	cfg := a.NewConfig()
	if len(bytes.TrimSpace(overrides)) == 0 {
		return cfg, nil
	}
	dec := json.NewDecoder(bytes.NewReader(overrides))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		return nil, fmt.Errorf("model %s configuration: %w", name, err)
	}
	return cfg, nil
}

// cloneConfig returns a copy of cfg, a configuration of the architecture name.
func cloneConfig(name string, cfg Config) (Config, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("model %s configuration: %w", name, err)
	}
	return ConfigFor(name, b)
}

// SetOption applies one key=value override (value in JSON syntax, or a bare string) to cfg, as
// the command line's --set does.
func SetOption(name string, cfg Config, key, value string) error {
	v := strings.TrimSpace(value)
	if !json.Valid([]byte(v)) {
		b, _ := json.Marshal(v)
		v = string(b)
	}
	doc := fmt.Sprintf("{%q: %s}", key, v)
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		keys, _ := ConfigKeys(cfg)
		msg := err.Error()
		var te *json.UnmarshalTypeError
		switch {
		case strings.Contains(msg, "unknown field"):
			msg = fmt.Sprintf("model %s has no setting %q", name, key)
		case errors.As(err, &te):
			msg = fmt.Sprintf("setting %s takes a value of type %s, not %s", key, te.Type, value)
		}
		return fmt.Errorf("%s (settings: %s)", msg, strings.Join(keys, ", "))
	}
	return nil
}

// ConfigKeys lists the JSON keys of a configuration.
func ConfigKeys(cfg Config) ([]string, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}
