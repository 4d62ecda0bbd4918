package act

import (
	"math"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// registered is the complete list of names; adding an activation means adding it here and
// giving it test cases.
var registered = []string{
	"abs", "apa", "cauchy", "elu", "finer", "fkan", "gabor_complex", "gabor_real", "gauss", "gelu",
	"leaky_relu", "linear", "mish", "rational", "relu", "relu2", "selu", "sigmoid", "silu", "sine",
	"softplus", "spder", "spder_atan", "swish", "tanh", "xatlu", "xgelu", "xsilu",
}

func TestNamesListsEverything(t *testing.T) {
	want := append([]string(nil), registered...)
	sort.Strings(want)
	assert.Equal(t, want, Names())
	for _, n := range Names() {
		e, ok := Lookup(n)
		require.True(t, ok, n)
		assert.Equal(t, n, e.Name)
		assert.NotEmpty(t, e.Description, n)
		v, err := e.New(e.Defaults)
		require.NoError(t, err, n)
		switch f := v.(type) {
		case Func:
			assert.Equal(t, n, f.Name())
			assert.Equal(t, e.Defaults, f.Config(), n)
		case PairFunc:
			assert.Equal(t, n, f.Name())
			assert.Equal(t, e.Defaults, f.Config(), n)
		default:
			t.Errorf("%s: constructor returned %T", n, v)
		}
	}
}

func TestUnknownNamesAndKeys(t *testing.T) {
	_, err := New("sinus", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown activation "sinus"`)
	assert.Contains(t, err.Error(), "sine", "the message lists the known names")

	_, err = NewPair("nope", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown activation "nope"`)

	_, err = New("sine", Config{"omga": 3})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `activation sine has no setting "omga"`)
	assert.Contains(t, err.Error(), "settings: omega")

	_, err = New("relu", Config{"slope": 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `activation relu has no setting "slope"`)

	_, err = NewPair("sine", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "real-valued")
}

func TestBadConfigValues(t *testing.T) {
	bad := []struct {
		name string
		cfg  Config
		msg  string
	}{
		{"sine", Config{"omega": math.NaN()}, "omega must be finite"},
		{"sine", Config{"omega": math.Inf(1)}, "omega must be finite"},
		{"gauss", Config{"s": 0}, "s must be positive"},
		{"gauss", Config{"s": -2}, "s must be positive"},
		{"softplus", Config{"beta": 0}, "beta must be positive"},
		{"leaky_relu", Config{"slope": math.NaN()}, "slope must be finite"},
		{"elu", Config{"alpha": math.Inf(-1)}, "alpha must be finite"},
	}
	for _, b := range bad {
		_, err := New(b.name, b.cfg)
		require.Error(t, err, "%s %v", b.name, b.cfg)
		assert.Contains(t, err.Error(), b.msg)
		assert.Contains(t, err.Error(), b.name)
	}
}

// TestConfigAndParamsAreCopies: an activation is immutable once built.
func TestConfigAndParamsAreCopies(t *testing.T) {
	for _, n := range Names() {
		f, err := New(n, nil)
		if err != nil {
			continue
		}
		c := f.Config()
		c["omega"] = 12345
		assert.NotEqual(t, 12345.0, f.Config()["omega"], n)
		if p := f.Params(); len(p) > 0 {
			init := p[0].Init
			p[0].Init = 12345
			assert.Equal(t, init, f.Params()[0].Init, n)
		}
	}
}
