package render

import (
	"image"
	"image/color"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checker returns a w×h image of alternating black and white pixels.
func checker(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8(255 * ((x + y) % 2))
			img.SetRGBA(x, y, color.RGBA{v, v, v, 255})
		}
	}
	return img
}

func TestZoomIsPixelExact(t *testing.T) {
	src := checker(5, 3)
	z, err := Zoom(src, 4)
	require.NoError(t, err)
	require.Equal(t, image.Rect(0, 0, 20, 12), z.Rect)
	for y := 0; y < 12; y++ {
		for x := 0; x < 20; x++ {
			require.Equal(t, src.RGBAAt(x/4, y/4), z.RGBAAt(x, y), "(%d, %d)", x, y)
		}
	}
	_, err = Zoom(src, 0)
	assert.Error(t, err)
}

func TestResize(t *testing.T) {
	// A uniform image stays uniform under every filter; a checkerboard halved with a smoothing
	// filter becomes mid-grey (±8 levels for the filters' edge handling), not black or white.
	uni := image.NewUniform(color.RGBA{10, 200, 30, 255})
	src := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := 0; i < len(src.Pix); i += 4 {
		copy(src.Pix[i:], []uint8{10, 200, 30, 255})
	}
	for _, m := range []Interp{Nearest, Bilinear, CatmullRom} {
		out, err := Resize(src, 13, 5, m)
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, 13, 5), out.Rect)
		r, g, b, a := uni.RGBA()
		for y := 0; y < 5; y++ {
			for x := 0; x < 13; x++ {
				r2, g2, b2, a2 := out.At(x, y).RGBA()
				require.Equal(t, [4]uint32{r >> 8, g >> 8, b >> 8, a >> 8}, [4]uint32{r2 >> 8, g2 >> 8, b2 >> 8, a2 >> 8}, "filter %d", m)
			}
		}
	}
	half, err := Resize(checker(16, 16), 8, 8, Bilinear)
	require.NoError(t, err)
	c := half.RGBAAt(4, 4)
	assert.InDelta(t, 128, int(c.R), 8)

	_, err = Resize(src, 0, 4, Bilinear)
	assert.ErrorContains(t, err, "size")
	_, err = Resize(src, 4, 4, Interp(9))
	assert.ErrorContains(t, err, "filter")
}

func TestGrid(t *testing.T) {
	red := image.NewRGBA(image.Rect(0, 0, 40, 30))
	blue := image.NewRGBA(image.Rect(0, 0, 20, 30))
	for i := 0; i < len(red.Pix); i += 4 {
		copy(red.Pix[i:], []uint8{255, 0, 0, 255})
	}
	for i := 0; i < len(blue.Pix); i += 4 {
		copy(blue.Pix[i:], []uint8{0, 0, 255, 255})
	}
	out, err := Grid([]Panel{{"target", red}, {"reconstruction", blue}, {"", red}}, GridOptions{Cols: 2, Gap: 10, TextSize: 12})
	require.NoError(t, err)
	// Two columns, two rows; cells as wide as the widest title or image.
	titleW := MeasureText("reconstruction", TextOptions{Size: 12, Bold: true}).X
	cellW := max(40, titleW)
	assert.Equal(t, 10+2*(cellW+10), out.Rect.Dx())
	// Panel 2 (blue, 20 wide) sits centred in the second cell, below its title.
	titleH := MeasureText("x", TextOptions{Size: 12, Bold: true}).Y + 5
	x := 10 + cellW + 10 + (cellW-20)/2
	y := 10 + titleH
	assert.Equal(t, color.RGBA{0, 0, 255, 255}, out.RGBAAt(x, y))
	assert.Equal(t, color.RGBA{0, 0, 255, 255}, out.RGBAAt(x+19, y+29))
	assert.Equal(t, color.RGBA{255, 255, 255, 255}, out.RGBAAt(x-1, y), "left of the panel is background")
	assert.True(t, hasDark(out, image.Rect(10, 10, 10+cellW, 10+titleH)), "first title drawn")

	_, err = Grid(nil, GridOptions{})
	assert.Error(t, err)
	_, err = Grid([]Panel{{"x", nil}}, GridOptions{})
	assert.ErrorContains(t, err, "no image")
}

func TestDrawText(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 200, 60))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	r := DrawText(img, "Loss 1e-3", 100, 30, TextOptions{Size: 16, HAlign: AlignCenter, VAlign: VAlignMiddle})
	size := MeasureText("Loss 1e-3", TextOptions{Size: 16})
	assert.Equal(t, size.X, r.Dx())
	assert.InDelta(t, 100, (r.Min.X+r.Max.X)/2, 1, "centred horizontally")
	assert.InDelta(t, 30, (r.Min.Y+r.Max.Y)/2, 1, "centred vertically")
	assert.True(t, hasDark(img, r), "text has ink")
	// Nothing is drawn outside the returned box.
	for y := 0; y < 60; y++ {
		for x := 0; x < 200; x++ {
			if !(image.Pt(x, y).In(r)) {
				require.Equal(t, color.RGBA{255, 255, 255, 255}, img.RGBAAt(x, y), "(%d, %d)", x, y)
			}
		}
	}
	// Wider for longer strings and bigger sizes.
	assert.Greater(t, MeasureText("Loss 1e-3 ", TextOptions{Size: 16}).X, size.X)
	assert.Greater(t, MeasureText("Loss 1e-3", TextOptions{Size: 24}).X, size.X)
}
