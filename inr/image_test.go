package inr

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

const assets = "../assets"

func TestLoadImageKinds(t *testing.T) {
	cam, err := LoadImage(filepath.Join(assets, "camera-128.png"))
	require.NoError(t, err)
	require.Equal(t, [4]int{128, 128, 1, 8}, [4]int{cam.W, cam.H, cam.C, cam.Depth})
	cof, err := LoadImage(filepath.Join(assets, "coffee-128.png"))
	require.NoError(t, err)
	require.Equal(t, [4]int{128, 128, 3, 8}, [4]int{cof.W, cof.H, cof.C, cof.Depth})
	for _, v := range cof.Pix {
		require.True(t, v >= 0 && v <= 1)
	}
}

func TestSixteenBitRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []int{1, 3} {
		im := NewImage(5, 4, c, 16)
		for i := range im.Pix {
			im.Pix[i] = float64((i*7919)%65536) / 65535
		}
		path := filepath.Join(dir, "x.png")
		require.NoError(t, im.SavePNG(path))
		back, err := LoadImage(path)
		require.NoError(t, err)
		require.Equal(t, 16, back.Depth)
		require.Equal(t, c, back.C)
		for i := range im.Pix {
			require.InDelta(t, im.Pix[i], back.Pix[i], 0.5/65535, "sample %d", i)
		}
	}
}

func TestLoadImageErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		return p
	}
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1))))
	tiny := write("tiny.png", buf.Bytes())
	// Go's encoder refuses 0×0, so patch the 1×1 file's IHDR size fields and checksum.
	zero := append([]byte(nil), buf.Bytes()...)
	clear(zero[16:24])
	binary.BigEndian.PutUint32(zero[29:33], crc32.ChecksumIEEE(zero[12:29]))
	empty := write("empty.png", zero)
	full, err := os.ReadFile(filepath.Join(assets, "camera-128.png"))
	require.NoError(t, err)
	cases := []struct {
		path, want string
	}{
		{filepath.Join(dir, "missing.png"), "no such file"},
		{write("text.png", []byte("hello, not an image")), "not a PNG or JPEG"},
		{write("cut.png", full[:len(full)/2]), "truncated"},
		{tiny, "1×1"},
		{empty, "0×0"},
	}
	for _, c := range cases {
		_, err := LoadImage(c.path)
		require.Error(t, err, c.path)
		require.Contains(t, err.Error(), c.want)
		require.Contains(t, err.Error(), c.path, "the message names the file")
	}
}

// The prepared 128² target was made by area-averaging the 512² original; our resize must agree
// to within 8-bit rounding.
func TestResizeMatchesPreparedTarget(t *testing.T) {
	big, err := LoadImage(filepath.Join(assets, "camera.png"))
	require.NoError(t, err)
	want, err := LoadImage(filepath.Join(assets, "camera-128.png"))
	require.NoError(t, err)
	got, err := big.Resize(128, 128)
	require.NoError(t, err)
	var worst float64
	for i := range got.Pix {
		worst = math.Max(worst, math.Abs(got.Pix[i]-want.Pix[i]))
	}
	require.LessOrEqual(t, worst, 0.5/255+1e-9, "area averaging differs from the prepared target")
}

func TestResizeProperties(t *testing.T) {
	// A linear ramp stays linear under Catmull–Rom enlargement (away from the clamped borders),
	// and area shrinking preserves the mean exactly.
	im := NewImage(16, 9, 1, 8)
	for y := 0; y < im.H; y++ {
		for x := 0; x < im.W; x++ {
			im.Pix[y*im.W+x] = (float64(x) + 0.5) / 16
		}
	}
	up, err := im.Resize(64, 9)
	require.NoError(t, err)
	for x := 8; x < 56; x++ {
		require.InDelta(t, (float64(x)+0.5)/64, up.At(x, 4, 0), 1e-12, "x=%d", x)
	}
	down, err := im.Resize(5, 3)
	require.NoError(t, err)
	mean := func(p []float64) float64 {
		var s float64
		for _, v := range p {
			s += v
		}
		return s / float64(len(p))
	}
	require.InDelta(t, mean(im.Pix), mean(down.Pix), 1e-12)
	_, err = im.Resize(1, 5)
	require.ErrorContains(t, err, "at least")
}

func TestCropSquare(t *testing.T) {
	im := NewImage(6, 4, 3, 8)
	for i := range im.Pix {
		im.Pix[i] = float64(i)
	}
	sq := im.CropSquare()
	require.Equal(t, 4, sq.W)
	require.Equal(t, 4, sq.H)
	require.Equal(t, im.At(1, 0, 2), sq.At(0, 0, 2))
	require.Equal(t, im.At(4, 3, 0), sq.At(3, 3, 0))
}

func TestPSNR(t *testing.T) {
	target := []float64{0, 0.5, 1, 0.25}
	pred := []float64{0.1, 0.4, 1.3, 0.35} // clipped 1.3 → 1: errors 0.1, 0.1, 0, 0.1
	require.InDelta(t, -10*math.Log10(0.03/4), PSNR(pred, target), 1e-12)
	require.True(t, math.IsInf(PSNR(target, target), 1))
}

func TestSSIM(t *testing.T) {
	cam, err := LoadImage(filepath.Join(assets, "camera-128.png"))
	require.NoError(t, err)
	require.InDelta(t, 1, SSIM(cam, cam), 1e-12)

	// A constant shift c leaves variances and covariance unchanged, so SSIM reduces to the mean
	// of the luminance term (2μxμy+C1)/(μx²+μy²+C1) over the windows, with μy = μx + c.
	shift := 0.05
	flat := NewImage(20, 20, 1, 8)
	for i := range flat.Pix {
		flat.Pix[i] = 0.3 + 0.2*math.Sin(float64(i))
	}
	shifted := *flat
	shifted.Pix = make([]float64, len(flat.Pix))
	for i, v := range flat.Pix {
		shifted.Pix[i] = v + shift
	}
	g := gaussianWindow(11, 1.5)
	mu := filterValid(shifted.Pix, nil, 20, 20, g)
	var want float64
	c1 := 0.01 * 0.01
	for _, m := range mu {
		mx := m - shift
		want += (2*mx*m + c1) / (mx*mx + m*m + c1)
	}
	want /= float64(len(mu))
	require.InDelta(t, want, SSIM(&shifted, flat), 1e-12)

	// Noise lowers SSIM, more noise lowers it more.
	noisy := func(amp float64) *Image {
		out := *cam
		out.Pix = make([]float64, len(cam.Pix))
		for i, v := range cam.Pix {
			out.Pix[i] = v + amp*math.Sin(float64(i)*12.9898)
		}
		return &out
	}
	s1, s2 := SSIM(noisy(0.02), cam), SSIM(noisy(0.1), cam)
	require.Less(t, s2, s1)
	require.Less(t, s1, 1.0)
}

func TestToImageEightBit(t *testing.T) {
	im := NewImage(2, 2, 3, 8)
	copy(im.Pix, []float64{1, 0, 0, 0, 1, 0, 0, 0, 1, -0.5, 2, 0.5})
	got := im.ToImage(8)
	require.Equal(t, color.RGBA{255, 0, 0, 255}, got.At(0, 0))
	require.Equal(t, color.RGBA{0, 255, 128, 255}, got.At(1, 1))
}

// grayAlphaPNG writes a PNG of colour type 4 (grey with alpha) at the given bit depth: image/png
// reads it, but as NRGBA (NRGBA64 at 16 bits), and cannot write it.
func grayAlphaPNG(t *testing.T, w, h, depth int, grey func(x, y int) uint16) []byte {
	t.Helper()
	var raw bytes.Buffer
	for y := range h {
		raw.WriteByte(0) // filter: none
		for x := range w {
			v := grey(x, y)
			if depth == 16 {
				_ = binary.Write(&raw, binary.BigEndian, [2]uint16{v, 0xFFFF - uint16(x)})
			} else {
				raw.Write([]byte{uint8(v), uint8(255 - x)})
			}
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	_, err := zw.Write(raw.Bytes())
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, body []byte) {
		_ = binary.Write(&out, binary.BigEndian, uint32(len(body)))
		out.WriteString(typ)
		out.Write(body)
		_ = binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), body...)))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = byte(depth), 4
	chunk("IHDR", ihdr)
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// TestGreyFilesStayGrey: a PNG that is grey in its file — grey with alpha (8 and 16 bits) or
// with a palette of greys — is fitted with one channel like a plain grey one, at its depth and
// with its values; a palette with a colour in it gives three channels.
func TestGreyFilesStayGrey(t *testing.T) {
	const w, h = 7, 5
	for _, depth := range []int{8, 16} {
		max := 255
		if depth == 16 {
			max = 65535
		}
		grey := func(x, y int) uint16 { return uint16((x*31 + y*17) * max / (6*31 + 4*17)) }
		im, err := DecodeImage(bytes.NewReader(grayAlphaPNG(t, w, h, depth, grey)))
		require.NoError(t, err)
		require.Equal(t, [4]int{w, h, 1, depth}, [4]int{im.W, im.H, im.C, im.Depth})
		for y := range h {
			for x := range w {
				require.Equal(t, float64(grey(x, y))/float64(max), im.At(x, y, 0), "depth %d (%d, %d)", depth, x, y)
			}
		}
	}
	for _, c := range []struct {
		palette  color.Palette
		channels int
	}{
		{color.Palette{color.Gray{0}, color.Gray{90}, color.Gray{255}}, 1},
		{color.Palette{color.Gray{0}, color.RGBA{90, 20, 20, 255}, color.Gray{255}}, 3},
	} {
		p := image.NewPaletted(image.Rect(0, 0, w, h), c.palette)
		for i := range p.Pix {
			p.Pix[i] = uint8(i % 3)
		}
		var b bytes.Buffer
		require.NoError(t, png.Encode(&b, p))
		im, err := DecodeImage(&b)
		require.NoError(t, err)
		require.Equal(t, [2]int{c.channels, 8}, [2]int{im.C, im.Depth})
		require.InDelta(t, 90.0/255, im.At(1, 0, 0), 1e-15)
	}
}

// TestTranslucentColoursExact: the colour of a translucent pixel is read as stored, not through
// premultiplied values (which were off by up to 1/alpha).
func TestTranslucentColoursExact(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range src.Pix {
		src.Pix[i] = uint8(37*i + 11)
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, src))
	im, err := DecodeImage(&b)
	require.NoError(t, err)
	require.Equal(t, 3, im.C)
	for p := range 6 {
		for c := range 3 {
			require.Equal(t, float64(src.Pix[4*p+c])/255, im.Pix[3*p+c], "pixel %d channel %d (alpha %d)", p, c, src.Pix[4*p+3])
		}
	}
}

// TestHugeImageRefused: a PNG header claiming 100000×100000 pixels (a decompression bomb, or a
// picture larger than memory) is refused before decoding allocates anything, with the figures.
func TestHugeImageRefused(t *testing.T) {
	old := availableMemory
	availableMemory = func() (int64, bool) { return 16 << 30, true }
	t.Cleanup(func() { availableMemory = old })
	data := grayAlphaPNG(t, 4, 3, 8, func(x, y int) uint16 { return uint16(x + y) })
	binary.BigEndian.PutUint32(data[16:], 100000)
	binary.BigEndian.PutUint32(data[20:], 100000)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	_, err := DecodeImage(bytes.NewReader(data))
	require.EqualError(t, err, "png image is 100000×100000: holding it needs about 298.0 GiB and 16.0 GiB is available: downscale the file")
}
