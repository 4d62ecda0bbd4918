package kernel

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSelection prints the default implementation (bench-kernel.sh reads the "selected:" line)
// and checks that it is the highest-priority one this CPU supports.
func TestSelection(t *testing.T) {
	name, reason := Selection()
	t.Logf("selected: %s", name)
	require.NotEmpty(t, reason)
	avail := Available()
	require.Contains(t, avail, "generic")
	switch env := strings.TrimSpace(strings.ToLower(os.Getenv("INR_KERNEL"))); {
	case env == "":
		require.NoError(t, Check())
		assert.Equal(t, avail[0], name, "default should be the best available (reason %q)", reason)
	case Check() == nil:
		assert.Equal(t, env, name, "INR_KERNEL should be honoured")
	default:
		assert.Equal(t, avail[0], name, "a refused INR_KERNEL falls back to the best available")
	}
	assert.Subset(t, Known(), avail)
}

// TestChoose exercises INR_KERNEL handling against made-up CPUs, so that every branch runs on
// any test machine.
func TestChoose(t *testing.T) {
	none := cpuFeatures{Arch: "amd64"}
	avx2 := cpuFeatures{Arch: "amd64", AVX2: true, FMA: true}
	avx512 := cpuFeatures{Arch: "amd64", AVX2: true, FMA: true, AVX512F: true}
	arm := cpuFeatures{Arch: "arm64"}
	compiled := map[string]bool{}
	for _, n := range Known() {
		compiled[n] = true
	}

	impl, _, err := choose("", none)
	require.NoError(t, err)
	assert.Equal(t, "generic", impl.Name())

	impl, _, err = choose("", arm)
	require.NoError(t, err)
	assert.Equal(t, "generic", impl.Name())

	impl, reason, err := choose(" Generic ", avx512)
	require.NoError(t, err)
	assert.Equal(t, "generic", impl.Name())
	assert.Contains(t, reason, "INR_KERNEL")

	_, _, err = choose("avx9000", avx512)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `unknown kernel implementation "avx9000"`)
	assert.Contains(t, err.Error(), "generic")

	if !compiled["avx512"] {
		t.Skip("assembly implementations are not compiled into this GOARCH")
	}
	impl, _, err = choose("", avx2)
	require.NoError(t, err)
	assert.Equal(t, "avx2", impl.Name())
	impl, _, err = choose("", avx512)
	require.NoError(t, err)
	assert.Equal(t, "avx512", impl.Name())

	// Asking for AVX-512 on a CPU without it is an error that says why; the fallback still runs.
	impl, _, err = choose("avx512", avx2)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AVX-512F")
	assert.Contains(t, err.Error(), "INR_KERNEL=avx512")
	assert.Equal(t, "avx2", impl.Name())

	_, _, err = choose("avx2", cpuFeatures{Arch: "amd64", AVX2: true})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "FMA")

	_, _, err = choose("avx2", arm)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "amd64")
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("nope")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "known:")
	for _, n := range Available() {
		impl, err := Lookup(n)
		require.NoError(t, err)
		assert.Equal(t, n, impl.Name())
	}
}
