package render

import (
	"image/color"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// relativeLuminance is the sRGB (WCAG) luminance in [0, 1].
func relativeLuminance(c color.RGBA) float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

func TestColormapEndpoints(t *testing.T) {
	// Endpoints are matplotlib's published values ×255, rounded (viridis #440154 → #fde725,
	// magma #000004 → #fcfdbf) and Moreland's coolwarm ends (59,76,192) → (180,4,38) ±1 level.
	tests := []struct {
		cm        Colormap
		low, high color.RGBA
	}{
		{Viridis(), color.RGBA{68, 1, 84, 255}, color.RGBA{253, 231, 37, 255}},
		{Magma(), color.RGBA{0, 0, 4, 255}, color.RGBA{252, 253, 191, 255}},
		{CoolWarm(), color.RGBA{58, 76, 192, 255}, color.RGBA{180, 4, 38, 255}},
		{Gray(), color.RGBA{0, 0, 0, 255}, color.RGBA{255, 255, 255, 255}},
	}
	for _, tc := range tests {
		t.Run(tc.cm.Name(), func(t *testing.T) {
			assert.Equal(t, tc.low, tc.cm.At(0))
			assert.Equal(t, tc.high, tc.cm.At(1))
			assert.Equal(t, tc.low, tc.cm.At(-3), "below range clips to the low end")
			assert.Equal(t, tc.high, tc.cm.At(7), "above range clips to the high end")
			assert.Equal(t, tc.low, tc.cm.At(math.Inf(-1)))
			assert.Equal(t, tc.cm.NaNColor(), tc.cm.At(math.NaN()))
			assert.Equal(t, tc.high, tc.cm.Reversed().At(0))
			assert.Equal(t, tc.cm.Name()+"_r", tc.cm.Reversed().Name())
		})
	}
}

func TestColormapMonotoneLuminance(t *testing.T) {
	// viridis and magma were designed with lightness (CAM02-UCS J') increasing along the map. In
	// sRGB luminance after rounding to 8 bits, neighbouring entries may dip by a fraction of one
	// level of green (one level ≈ 2e-3 of luminance near the middle), so: never down by more than
	// 5e-4 from one entry to the next, and strictly up over every 8 entries.
	for _, cm := range []Colormap{Viridis(), Magma(), Gray()} {
		var l [256]float64
		for i := range l {
			l[i] = relativeLuminance(cm.Index(uint8(i)))
		}
		for i := 1; i < 256; i++ {
			require.Greater(t, l[i], l[i-1]-5e-4, "%s: luminance drops at entry %d", cm.Name(), i)
			if i >= 8 {
				require.Greater(t, l[i], l[i-8], "%s: luminance not increasing over entries %d…%d", cm.Name(), i-8, i)
			}
		}
		assert.Less(t, l[0], 0.06, "%s starts dark", cm.Name())
		assert.Greater(t, l[255], 0.7, "%s ends light", cm.Name())
	}
	// coolwarm rises to a neutral grey in the middle and falls again. Near the light middle one
	// 8-bit level of red moves luminance by ≈1.6e-3, hence the looser step tolerance there.
	cw := CoolWarm()
	lum := func(i int) float64 { return relativeLuminance(cw.Index(uint8(i))) }
	for i := 1; i < 128; i++ {
		require.Greater(t, lum(i), lum(i-1)-2e-3, "entry %d", i)
		if i >= 8 {
			require.Greater(t, lum(i), lum(i-8), "entries %d…%d", i-8, i)
		}
	}
	for i := 129; i < 256; i++ {
		require.Less(t, lum(i), lum(i-1)+2e-3, "entry %d", i)
		if i >= 136 {
			require.Less(t, lum(i), lum(i-8), "entries %d…%d", i-8, i)
		}
	}
	mid := cw.At(0.5)
	assert.InDelta(t, float64(mid.R), float64(mid.G), 4, "middle of coolwarm is neutral grey: %v", mid)
	assert.InDelta(t, float64(mid.G), float64(mid.B), 4, "middle of coolwarm is neutral grey: %v", mid)
}

func TestColormapNaNColourIsDistinct(t *testing.T) {
	// The NaN colour must not be mistaken for a value: it is at least 100 RGB units (Euclidean)
	// from every entry of its map.
	for _, name := range ColormapNames() {
		cm, err := ColormapByName(name)
		require.NoError(t, err)
		n := cm.NaNColor()
		for i := 0; i < 256; i++ {
			c := cm.Index(uint8(i))
			d := math.Sqrt(sq(float64(c.R)-float64(n.R)) + sq(float64(c.G)-float64(n.G)) + sq(float64(c.B)-float64(n.B)))
			require.Greater(t, d, 100.0, "%s: NaN colour %v too close to entry %d %v", name, n, i, c)
		}
	}
}

func sq(x float64) float64 { return x * x }

func TestColormapIndexing(t *testing.T) {
	// matplotlib's rule: entry floor(t·256), with t = 1 in the last entry.
	g := Gray()
	for _, tc := range []struct {
		t    float64
		want uint8
	}{{0, 0}, {0.5, 128}, {1.0 / 256, 1}, {0.999, 255}, {1, 255}, {0.25, 64}} {
		assert.Equal(t, tc.want, g.At(tc.t).R, "t=%g", tc.t)
	}
}

func TestColormapByName(t *testing.T) {
	for _, tc := range []struct {
		name, want string
	}{
		{"viridis", "viridis"}, {"Magma", "magma"}, {" coolwarm ", "coolwarm"}, {"gray", "gray"}, {"viridis_r", "viridis_r"},
	} {
		cm, err := ColormapByName(tc.name)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, cm.Name())
	}
	r, err := ColormapByName("magma_r")
	require.NoError(t, err)
	assert.Equal(t, Magma().At(0), r.At(1))

	_, err = ColormapByName("jet")
	require.Error(t, err)
	assert.ErrorContains(t, err, `"jet"`)
	assert.ErrorContains(t, err, "coolwarm, gray, magma, viridis")
	assert.Equal(t, []string{"coolwarm", "gray", "magma", "viridis"}, ColormapNames())

	custom := Viridis().WithNaNColor(color.RGBA{1, 2, 3, 255})
	assert.Equal(t, color.RGBA{1, 2, 3, 255}, custom.At(math.NaN()))
	assert.Equal(t, color.RGBA{255, 0, 255, 255}, Viridis().NaNColor(), "WithNaNColor must not change the registry")
}
