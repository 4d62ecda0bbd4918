package vmath

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFor(t *testing.T) {
	assert.Equal(t, "generic", For("generic").Name)
	assert.Equal(t, "generic", For("no-such-kernel").Name, "unknown names fall back to Generic")
	av := Available()
	require.NotEmpty(t, av)
	assert.Equal(t, "generic", av[0])
	for _, name := range []string{"avx2", "avx512"} {
		f := For(name) // must not fault even where the CPU lacks the instructions
		if _, ok := vectorFuncs(name); ok {
			assert.Equal(t, name, f.Name)
			assert.Contains(t, av, name)
		} else {
			t.Logf("%s not supported here: For falls back to %s", name, f.Name)
			assert.Equal(t, "generic", f.Name)
			assert.NotContains(t, av, name)
		}
	}
}

// TestSubnormalFlush: exp and sigmoid never return a subnormal number, including the Gauss /
// WIRE envelope exp(−(s·z)²) far from its centre; everything at or above 2⁻¹⁰²² is kept.
func TestSubnormalFlush(t *testing.T) {
	z := sweep(-2, 2, 200_001)
	arg := make([]float64, len(z))
	for i, v := range z {
		arg[i] = -(30 * v) * (30 * v) // Gauss activation, s = 30
	}
	forEachImpl(t, func(t *testing.T, f Funcs) {
		for _, fn := range []string{"exp", "sigmoid"} {
			out := make([]float64, len(arg))
			unary(f, fn)(out, arg)
			flushed, kept := 0, 0
			for i, v := range out {
				require.Falsef(t, v != 0 && math.Abs(v) < minNormal, "%s %s(%v) = %v is subnormal", f.Name, fn, arg[i], v)
				if v == 0 {
					require.Falsef(t, math.Signbit(v), "%s %s(%v) flushed to −0", f.Name, fn, arg[i])
					flushed++
				} else if v < 1e-300 {
					kept++
				}
			}
			assert.Positive(t, flushed, "%s %s: the sweep reaches the flush region", f.Name, fn)
			assert.Positive(t, kept, "%s %s: tiny normal results survive", f.Name, fn)
		}
	})
}
