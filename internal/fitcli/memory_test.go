package fitcli

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

const camera512 = "../../assets/camera.png"

// prepare runs Prepare on the command line args (flags only) for the image at path.
func prepare(t *testing.T, path string, args ...string) (*Prepared, error) {
	t.Helper()
	fl := pflag.NewFlagSet("fit", pflag.ContinueOnError)
	var f Flags
	f.Register(fl)
	require.NoError(t, fl.Parse(append(args, "--out", t.TempDir())))
	return Prepare(path, f, fl.Changed)
}

// withAvailable makes the fits of a test see avail bytes of available memory.
func withAvailable(t *testing.T, avail int64) {
	old := availableMemory
	availableMemory = func() (int64, bool) { return avail, true }
	t.Cleanup(func() { availableMemory = old })
}

// TestMemoryRefusal: a full-batch fit of the 512² camera needs about 6.4 GiB with SIREN. With
// 3 GiB available it is refused with one message that names the image, the need, and a --size
// and a --batch; each suggestion, taken, is accepted.
func TestMemoryRefusal(t *testing.T) {
	withAvailable(t, 3<<30)
	_, err := prepare(t, camera512, "--steps", "1")
	require.Error(t, err)
	msg := err.Error()
	require.Contains(t, msg, "image "+camera512+" is 512×512 (262144 pixels): a full-batch fit with siren needs about 6.")
	require.Contains(t, msg, "GiB of memory, and 3.00 GiB is available; fit it with --size ")
	size := regexp.MustCompile(`--size (\d+) \(`).FindStringSubmatch(msg)
	batch := regexp.MustCompile(`--batch (\d+) \(`).FindStringSubmatch(msg)
	require.Len(t, size, 2, msg)
	require.Len(t, batch, 2, msg)
	require.Equal(t, "256", size[1], "384² needs 3.6 GiB, over 3/4 of 3 GiB")
	for _, alt := range [][]string{{"--size", size[1]}, {"--batch", batch[1]}} {
		p, err := prepare(t, camera512, append([]string{"--steps", "1"}, alt...)...)
		require.NoError(t, err, "%v", alt)
		require.NotNil(t, p.Fitter)
	}
	// A batch that is still too large is refused with a smaller one suggested.
	_, err = prepare(t, camera512, "--steps", "1", "--batch", "200000")
	require.ErrorContains(t, err, "a fit in batches of 200000 points with siren needs about")
	require.Contains(t, err.Error(), "--batch "+batch[1]+" ")
}

// TestMemoryNoAlternative: when nothing would fit, the message says what is left to do.
func TestMemoryNoAlternative(t *testing.T) {
	withAvailable(t, 1<<20)
	_, err := prepare(t, camera512, "--steps", "1")
	require.ErrorContains(t, err, "free memory or choose a smaller network (--set)")
	require.NotContains(t, err.Error(), "--size ")
}

// TestMemoryUnknown: where the system reports nothing, nothing is refused.
func TestMemoryUnknown(t *testing.T) {
	old := availableMemory
	availableMemory = func() (int64, bool) { return 0, false }
	t.Cleanup(func() { availableMemory = old })
	p, err := prepare(t, camera512, "--steps", "1", "--size", "64")
	require.NoError(t, err)
	require.NotNil(t, p.Fitter)
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 B", 999: "999 B", 1000: "0.98 KiB", 10 << 20: "10.0 MiB", 3 << 30: "3.00 GiB",
		6914897592: "6.44 GiB", 1 << 40: "1.00 TiB", 300 << 30: "300 GiB",
	} {
		require.Equal(t, want, HumanBytes(n), "%d", n)
	}
	require.False(t, strings.Contains(HumanBytes(999<<20), "e+"))
}

// TestMemoryCheckLeavesTheModelAlone: the memory estimate fits the model on 16-pixel images
// first; relu_pe derives its encoding levels from the image, and the fit of the 128² camera must
// still get floor(log2(128/4)) = 5 of them (it once got the probes' 2).
func TestMemoryCheckLeavesTheModelAlone(t *testing.T) {
	p, err := prepare(t, "../../assets/camera-128.png", "--model", "relu_pe", "--steps", "1")
	require.NoError(t, err)
	require.Positive(t, p.Memory, "the memory estimate ran")
	cfg, ok := p.Fitter.Model().Config.(*inr.ReluPEConfig)
	require.True(t, ok)
	require.Equal(t, 5, cfg.Levels)
	require.Equal(t, 203521, p.Fitter.Model().NumParams(), "22 encoded inputs, 4 ReLU layers of 256, 1 output")
}

// TestRenderMemoryRefusal: a rendering that needs more than the available memory is refused
// with the largest --size that needs at most three quarters of it; one that fits is not.
func TestRenderMemoryRefusal(t *testing.T) {
	need := func(w, h int) int64 { return int64(w*h)*26 + 100<<20 } // 3 channels of 8+2 bytes, and the network
	withAvailable(t, 1<<30)
	require.NoError(t, CheckRenderMemory("--size 4096", 4096, 2048, need))
	err := CheckRenderMemory("--size 8192", 8192, 4096, need)
	require.EqualError(t, err, "--size 8192: rendering 8192×4096 pixels needs about 1.03 GiB of memory, and 1.00 GiB is available; render at --size 6144 (6144×3072, about 668 MiB) or free memory")
	withAvailable(t, 64<<20)
	require.EqualError(t, CheckRenderMemory("--size 32", 32, 32, need), "--size 32: rendering 32×32 pixels needs about 170 MiB of memory, and 64.0 MiB is available; free memory")
}
