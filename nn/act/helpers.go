package act

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/kernel/vmath"
)

// minNormal is the smallest positive normal float64. Results below it are flushed to zero:
// subnormal arithmetic is up to two orders of magnitude slower on x86 and Go has no
// flush-to-zero mode, so the exponential-tail activations (gauss, Gabor) clean up themselves.
const minNormal = 0x1p-1022

// ftz flushes a subnormal v to zero (and −0 to +0) and returns every other value unchanged. It
// branches, which costs nothing where underflow is rare (tanh's and the logistic's exponentials
// underflow only beyond |x| ≈ 350); ftzMask is the branch-free form for where it is not.
func ftz(v float64) float64 {
	if v > -minNormal && v < minNormal {
		return 0
	}
	return v
}

// ftzMask is ftz without a branch (vmath.FlushTiny): it tests the exponent field with integer
// arithmetic. The Gaussian's exponential underflows for about half of a layer's pre-activations
// (|30x| > 26.6), unpredictably element to element, and a mispredicted branch there cost more
// than the masks.
func ftzMask(v float64) float64 { return vmath.FlushTiny(v) }

// sliceChunk is how many elements the chunked slice paths take at a time: the kernel writes the
// elementary values (sine and cosine, exponentials, tanh) of a chunk into stack buffers, and the
// closed forms read them while they are still in L1.
const sliceChunk = 256

// chunkBuffers is the scratch of one chunked slice-path call: up to four chunks of elementary
// values. Passed to the kernel they cannot live on the stack, so they are recycled instead of
// allocated per call (a layer's evaluation makes a call per range of elements on each thread).
type chunkBuffers [4][sliceChunk]float64

var freeChunkBuffers = kernel.NewFreeList[chunkBuffers](64)

// sgn is the sign of x with sgn(0) = 0: the convention for the derivative of |x| at its kink.
func sgn(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// logistic holds the sigmoid family at z, computed from e = exp(−|z|) ∈ (0, 1] so that no
// quantity suffers cancellation or overflow for any finite z:
//
//	s = σ(z), c = 1 − σ(z) = σ(−z), p = σ′(z) = s·c.
//
// The orders ≥ 2 also need th = tanh(z/2) = s − c, which callers take from tanh itself:
// s − c cancels for small |z|.
type logistic struct{ s, c, p float64 }

func logisticFrom(z, e float64) logistic {
	e = ftz(e)
	r := 1 / (1 + e)
	er := e * r
	// Plain selects (compiled to conditional moves): the sign of z is unpredictable in a
	// layer's pre-activations, and a branch here would mispredict half the time.
	s, c := r, er
	if z < 0 {
		s, c = er, r
	}
	return logistic{s: s, c: c, p: er * r}
}

// sech2 returns sech²(x) = 4e/(1 + e)² from e = exp(−2|x|): full relative accuracy where
// 1 − tanh²x would round to zero (|x| ≳ 19).
func sech2(e float64) float64 {
	e = ftz(e)
	r := 1 / (1 + e)
	return 4 * e * r * r
}

// buffers picks, among the requested output slices in the preference order given, one to hold
// an elementary value and, when second is set, a different one for a second value (nil when
// there is none: the caller then computes that value per element).
func buffers(w [4][]float64, second bool, pref ...int) (a, b []float64) {
	for _, k := range pref {
		if w[k] == nil {
			continue
		}
		if a == nil {
			a = w[k]
		} else if second {
			return a, w[k]
		}
	}
	return a, nil
}

// cfgFinite reads a finite configuration value.
func cfgFinite(name string, cfg Config, key string) (float64, error) {
	v := cfg[key]
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("activation %s: %s must be finite, got %v", name, key, v)
	}
	return v, nil
}

// cfgPositive reads a finite, strictly positive configuration value.
func cfgPositive(name string, cfg Config, key string) (float64, error) {
	v, err := cfgFinite(name, cfg, key)
	if err != nil {
		return 0, err
	}
	if v <= 0 {
		return 0, fmt.Errorf("activation %s: %s must be positive, got %v", name, key, v)
	}
	return v, nil
}

// copyConfig returns an independent copy of cfg, so callers cannot mutate an activation.
func copyConfig(cfg Config) Config {
	out := make(Config, len(cfg))
	for k, v := range cfg {
		out[k] = v
	}
	return out
}

// fixed carries the parts every activation shares: its registry name, its configuration
// and its trainable parameters.
type fixed struct {
	name   string
	cfg    Config
	params []Param
}

func (f fixed) Name() string   { return f.name }
func (f fixed) Config() Config { return copyConfig(f.cfg) }

// Params returns a copy of the parameter list (nil when there are none).
func (f fixed) Params() []Param {
	if len(f.params) == 0 {
		return nil
	}
	return append([]Param(nil), f.params...)
}

// noParams is embedded by activations without trainable parameters.
type noParams struct{}

// EvalParamGrad has nothing to write: the activation has no parameters.
func (noParams) EvalParamGrad(float64, []float64, int, [][4]float64) {}
