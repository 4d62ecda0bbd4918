package nn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
)

// NewRNG returns the studio's seeded generator (PCG): the same seed gives bit-identical weights,
// samples and therefore training runs.
func NewRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15)) }

// Init names how a weight matrix and its bias are initialised.
//
// Weight schemes (fan_in, fan_out of the layer; PyTorch's conventions, inr-architectures.md §0):
//
//	torch            U(±1/√fan_in)                       (nn.Linear default)
//	glorot_uniform   U(±√(6/(fan_in+fan_out)))            (Xavier uniform)
//	glorot_normal    N(0, 2/(fan_in+fan_out)) cut at 2σ   (the multi-stage networks' truncated normal)
//	he_normal        N(0, 2/fan_in)                       (Kaiming, ReLU gain)
//	he_uniform       U(±√(6/fan_in))
//	siren_first      U(±1/fan_in)                          (SIREN's first layer, no square root)
//	siren_hidden     U(±√(6/fan_in)/Omega)                 (SIREN's other layers, the last included)
//	orthogonal       rows or columns orthonormal (QR of a Gaussian matrix), the LSUV pre-init
//	zero             0
//
// Bias schemes: "torch" (U(±1/√fan_in), the default: every SIREN-style repository keeps PyTorch's
// bias), "zero", or "weight" (the weight's distribution, e.g. the PINN code's truncated normal).
// Gain multiplies the weight scale (1 when zero).
type Init struct {
	Weight string
	Bias   string
	Omega  float64
	Gain   float64
}

var weightSchemes = map[string]bool{
	"torch": true, "glorot_uniform": true, "glorot_normal": true, "he_normal": true, "he_uniform": true,
	"siren_first": true, "siren_hidden": true, "orthogonal": true, "zero": true,
}

// InitSchemes lists the weight schemes, sorted.
func InitSchemes() []string {
	var s []string
	for k := range weightSchemes {
		s = append(s, k)
	}
	sort.Strings(s)
	return s
}

// Validate reports an unknown scheme or a missing constant.
func (in Init) Validate() error {
	if !weightSchemes[in.Weight] {
		return fmt.Errorf("unknown weight initialisation %q (known: %s)", in.Weight, strings.Join(InitSchemes(), ", "))
	}
	switch in.Bias {
	case "", "torch", "zero", "weight":
	default:
		return fmt.Errorf("unknown bias initialisation %q (known: torch, zero, weight)", in.Bias)
	}
	if in.Weight == "siren_hidden" && !(in.Omega > 0) {
		return fmt.Errorf("siren_hidden initialisation needs omega > 0, got %v", in.Omega)
	}
	return nil
}

// sampler returns a function drawing one weight, or nil for orthogonal.
func (in Init) sampler(fanIn, fanOut int) func(rng *rand.Rand) float64 {
	gain := in.Gain
	if gain == 0 {
		gain = 1
	}
	fi, fo := float64(max(fanIn, 1)), float64(max(fanOut, 1))
	uniform := func(bound float64) func(*rand.Rand) float64 {
		return func(r *rand.Rand) float64 { return bound * (2*r.Float64() - 1) }
	}
	switch in.Weight {
	case "torch":
		return uniform(gain / math.Sqrt(fi))
	case "glorot_uniform":
		return uniform(gain * math.Sqrt(6/(fi+fo)))
	case "glorot_normal":
		sigma := gain * math.Sqrt(2/(fi+fo))
		return func(r *rand.Rand) float64 { return sigma * truncNormal(r) }
	case "he_normal":
		sigma := gain * math.Sqrt(2/fi)
		return func(r *rand.Rand) float64 { return sigma * r.NormFloat64() }
	case "he_uniform":
		return uniform(gain * math.Sqrt(6/fi))
	case "siren_first":
		return uniform(gain / fi)
	case "siren_hidden":
		return uniform(gain * math.Sqrt(6/fi) / in.Omega)
	case "zero":
		return func(*rand.Rand) float64 { return 0 }
	}
	return nil
}

// truncNormal draws N(0,1) conditioned on |x| ≤ 2, by rejection (TensorFlow's truncated_normal).
func truncNormal(r *rand.Rand) float64 {
	for {
		if x := r.NormFloat64(); math.Abs(x) <= 2 {
			return x
		}
	}
}

// Fill initialises w (fanIn×fanOut, or any tensor with those fans) and b (may be nil).
func (in Init) Fill(w, b []float64, fanIn, fanOut int, rng *rand.Rand) error {
	if err := in.Validate(); err != nil {
		return err
	}
	if in.Weight == "orthogonal" {
		orthogonal(w, fanIn, len(w)/max(fanIn, 1), in.Gain, rng)
	} else {
		draw := in.sampler(fanIn, fanOut)
		for i := range w {
			w[i] = draw(rng)
		}
	}
	switch in.Bias {
	case "", "torch":
		bound := 1 / math.Sqrt(float64(max(fanIn, 1)))
		for i := range b {
			b[i] = bound * (2*rng.Float64() - 1)
		}
	case "zero":
		clear(b)
	case "weight":
		draw := in.sampler(fanIn, fanOut)
		if draw == nil { // orthogonal weights: the bias follows PyTorch's default scale
			draw = Init{Weight: "torch"}.sampler(fanIn, fanOut)
		}
		for i := range b {
			b[i] = draw(rng)
		}
	}
	return nil
}

// InitDense initialises a dense layer's weight and bias.
func InitDense(d *Dense, in Init, rng *rand.Rand) error {
	var b []float64
	if d.B != nil {
		b = d.B.Value
	}
	if err := in.Fill(d.W.Value, b, d.in, d.out, rng); err != nil {
		return fmt.Errorf("dense %d→%d: %w", d.in, d.out, err)
	}
	return nil
}

// orthogonal fills the r×c matrix w with orthonormal rows (r ≤ c) or columns (r > c), times gain,
// by modified Gram–Schmidt on a Gaussian matrix (PyTorch's orthogonal_ up to the sign convention).
func orthogonal(w []float64, r, c int, gain float64, rng *rand.Rand) {
	if gain == 0 {
		gain = 1
	}
	// Work on the vectors along the longer side: k = min(r, c) vectors of length L = max(r, c).
	k, l := min(r, c), max(r, c)
	at := func(v, e int) *float64 { // element e of vector v
		if r <= c {
			return &w[v*c+e] // rows
		}
		return &w[e*c+v] // columns
	}
	for i := range w {
		w[i] = rng.NormFloat64()
	}
	for v := range k {
		for pass := 0; pass < 2; pass++ { // re-orthogonalise once for accuracy
			for u := range v {
				var dot float64
				for e := range l {
					dot += *at(v, e) * *at(u, e)
				}
				for e := range l {
					*at(v, e) -= dot * *at(u, e)
				}
			}
		}
		var norm float64
		for e := range l {
			norm += *at(v, e) * *at(v, e)
		}
		norm = math.Sqrt(norm)
		for e := range l {
			*at(v, e) /= norm
		}
	}
	for i := range w {
		w[i] *= gain
	}
}
