package render

import (
	"image"
	"image/color"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFloatImageGray(t *testing.T) {
	// Clipping, rounding to the nearest level, NaN → 0.
	data := []float64{0, 0.5, 1, -1, 2, math.NaN(), 1.0 / 255, 0.499 / 255}
	img, err := FloatImage(data, 4, 2, 1, 8)
	require.NoError(t, err)
	g := img.(*image.Gray)
	assert.Equal(t, []uint8{0, 128, 255, 0, 255, 0, 1, 0}, g.Pix)

	img, err = FloatImage(data, 4, 2, 1, 16)
	require.NoError(t, err)
	g16 := img.(*image.Gray16)
	want := []uint16{0, 32768, 65535, 0, 65535, 0, 257, 128}
	for i, w := range want {
		assert.Equal(t, w, g16.Gray16At(i%4, i/4).Y, "pixel %d", i)
	}
}

func TestFloatImageRGB(t *testing.T) {
	data := []float64{1, 0, 0, 0, 0.5, 1}
	img, err := FloatImage(data, 2, 1, 3, 8)
	require.NoError(t, err)
	rgba := img.(*image.RGBA)
	assert.Equal(t, color.RGBA{255, 0, 0, 255}, rgba.RGBAAt(0, 0))
	assert.Equal(t, color.RGBA{0, 128, 255, 255}, rgba.RGBAAt(1, 0))

	img, err = FloatImage(data, 2, 1, 3, 16)
	require.NoError(t, err)
	assert.Equal(t, color.RGBA64{0, 32768, 65535, 65535}, img.(*image.RGBA64).RGBA64At(1, 0))

	for _, tc := range []struct {
		data          []float64
		w, h, c, bits int
		msg           string
	}{
		{data, 2, 2, 3, 8, "6 values for a 2×2×3 grid"},
		{data, 3, 1, 2, 8, "2 channels"},
		{data, 2, 1, 3, 12, "12 bits"},
		{data, 0, 1, 3, 8, "positive"},
	} {
		_, err := FloatImage(tc.data, tc.w, tc.h, tc.c, tc.bits)
		assert.ErrorContains(t, err, tc.msg)
	}
}

func TestColorize(t *testing.T) {
	img, err := Colorize([]float64{0, 5, 10, math.NaN()}, 2, 2, Gray(), Scale{Min: 0, Max: 10})
	require.NoError(t, err)
	assert.Equal(t, color.RGBA{0, 0, 0, 255}, img.RGBAAt(0, 0))
	assert.Equal(t, color.RGBA{128, 128, 128, 255}, img.RGBAAt(1, 0))
	assert.Equal(t, color.RGBA{255, 255, 255, 255}, img.RGBAAt(0, 1), "row 0 is the top row")
	assert.Equal(t, Gray().NaNColor(), img.RGBAAt(1, 1))

	_, err = Colorize([]float64{1}, 1, 1, Gray(), Scale{Min: 1, Max: 1})
	assert.ErrorContains(t, err, "min must be below max")
	_, err = Colorize([]float64{1}, 1, 1, Gray(), Scale{Min: 0, Max: 1, Log: true})
	assert.ErrorContains(t, err, "positive")
}

func TestErrorFieldAndMap(t *testing.T) {
	pred := []float64{0.5, 0.5, 0.5, 1, 1, 1, 0, 0, 0, 0.2, 0.4, 0.6}
	target := []float64{0.5, 0.5, 0.5, 0, 0, 0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3}
	abs, err := ErrorField(pred, target, 3, false)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0, 1, 0.5, 0.5 / 3}, abs, 1e-15) // mean of 0.1, 0.1, 0.3
	signed, err := ErrorField(pred, target, 3, true)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float64{0, 1, -0.5, 0.1}, signed, 1e-15)

	img, s, err := ErrorMap(pred, target, 2, 2, 3, ErrorMapOptions{})
	require.NoError(t, err)
	assert.Equal(t, Scale{Min: 0, Max: 1}, s, "|error| runs from 0 to its maximum")
	assert.Equal(t, Magma().At(0), img.RGBAAt(0, 0), "zero error is the dark end of magma")
	assert.Equal(t, Magma().At(1), img.RGBAAt(1, 0))

	img, s, err = ErrorMap(pred, target, 2, 2, 3, ErrorMapOptions{Signed: true})
	require.NoError(t, err)
	assert.Equal(t, Scale{Min: -1, Max: 1}, s, "signed error is symmetric")
	assert.Equal(t, CoolWarm().At(0.5), img.RGBAAt(0, 0), "zero error is the neutral middle")
	assert.Equal(t, CoolWarm().At(0.25), img.RGBAAt(0, 1))

	_, s, err = ErrorMap(pred, target, 2, 2, 3, ErrorMapOptions{Scale: Scale{Min: 0, Max: 4}})
	require.NoError(t, err)
	assert.Equal(t, Scale{Min: 0, Max: 4}, s, "a fixed scale is kept")

	_, err = ErrorField(pred, target[:9], 3, false)
	assert.ErrorContains(t, err, "12 predicted values but 9 target values")
	_, _, err = ErrorMap(pred, target, 3, 2, 3, ErrorMapOptions{})
	assert.ErrorContains(t, err, "3×2×3")
}

func TestAutoScale(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		data     []float64
		sym, log bool
		want     Scale
	}{
		{[]float64{-1, 3, nan, inf}, false, false, Scale{Min: -1, Max: 3}},
		{[]float64{-1, 3}, true, false, Scale{Min: -3, Max: 3}},
		{[]float64{0, -2, 1e-12, 1, nan}, false, true, Scale{Min: 1e-12, Max: 1, Log: true}},
		{[]float64{2, 2}, false, false, Scale{Min: 1.8, Max: 2.2}},
		{[]float64{0, 0}, false, false, Scale{Min: -1, Max: 1}},
		{[]float64{0, 0}, true, false, Scale{Min: -1, Max: 1}},
		{[]float64{nan}, false, false, Scale{Min: 0, Max: 1}},
		{[]float64{-1}, false, true, Scale{Min: 0.1, Max: 1, Log: true}},
	}
	for _, tc := range tests {
		got, err := AutoScale(tc.data, tc.sym, tc.log)
		require.NoError(t, err)
		assert.InDelta(t, tc.want.Min, got.Min, 1e-15, "%v", tc.data)
		assert.InDelta(t, tc.want.Max, got.Max, 1e-15, "%v", tc.data)
		assert.Equal(t, tc.want.Log, got.Log)
		require.NoError(t, got.Validate())
	}
	_, err := AutoScale(nil, true, true)
	assert.Error(t, err)
}
