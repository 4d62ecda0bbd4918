package inr

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/stretchr/testify/require"
)

// exifSegment returns an APP1 EXIF segment whose first IFD holds a Make entry (an ASCII string
// stored after the IFD, as cameras write it) and then the orientation o, in byte order bo.
func exifSegment(bo binary.ByteOrder, o uint16) []byte {
	var t bytes.Buffer
	if bo == binary.LittleEndian {
		t.WriteString("II*\x00")
	} else {
		t.WriteString("MM\x00*")
	}
	put16 := func(v uint16) { _ = binary.Write(&t, bo, v) }
	put32 := func(v uint32) { _ = binary.Write(&t, bo, v) }
	put32(8) // IFD0 right after the header
	put16(2)
	maker := "Studio\x00"
	put16(0x010F) // Make, ASCII, stored at the offset after the IFD
	put16(2)
	put32(uint32(len(maker)))
	put32(8 + 2 + 2*12 + 4)
	put16(exifOrientationTag) // Orientation, SHORT, 1 value
	put16(3)
	put32(1)
	put16(o)
	put16(0)
	put32(0) // no next IFD
	t.WriteString(maker)
	body := append([]byte("Exif\x00\x00"), t.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(body)+2))
	return append(seg, body...)
}

// withSegments inserts segments after the SOI marker of a JPEG stream.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte(nil), jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

// testJPEG encodes a w×h colour picture with distinct corners.
func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			src.Set(x, y, color.RGBA{uint8(255 * x / (w - 1)), uint8(255 * y / (h - 1)), 90, 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, jpeg.Encode(&b, src, &jpeg.Options{Quality: 95}))
	return b.Bytes()
}

// TestOrientedCorners checks every orientation against the EXIF definition, stated as where
// the stored picture's top-left, top-right and bottom-left pixels are shown (the turn is affine
// in the pixel indices, so three corners fix it).
func TestOrientedCorners(t *testing.T) {
	const w, h = 5, 3
	im := NewImage(w, h, 2, 8)
	for i := range im.Pix {
		im.Pix[i] = float64(i)
	}
	type pt struct{ x, y int }
	tl, tr, bl := pt{0, 0}, pt{w - 1, 0}, pt{0, h - 1}
	// Display corners of a W×H result: TL, TR, BL, BR.
	for o, want := range map[int][3]string{
		1: {"TL", "TR", "BL"}, 2: {"TR", "TL", "BR"}, 3: {"BR", "BL", "TR"}, 4: {"BL", "BR", "TL"},
		5: {"TL", "BL", "TR"}, 6: {"TR", "BR", "TL"}, 7: {"BR", "TR", "BL"}, 8: {"BL", "TL", "BR"},
	} {
		t.Run(fmt.Sprint(o), func(t *testing.T) {
			out := im.oriented(o)
			if o >= 5 {
				require.Equal(t, [2]int{h, w}, [2]int{out.W, out.H})
			} else {
				require.Equal(t, [2]int{w, h}, [2]int{out.W, out.H})
			}
			corner := map[string]pt{"TL": {0, 0}, "TR": {out.W - 1, 0}, "BL": {0, out.H - 1}, "BR": {out.W - 1, out.H - 1}}
			for i, from := range []pt{tl, tr, bl} {
				to := corner[want[i]]
				for c := range im.C {
					require.Equal(t, im.At(from.x, from.y, c), out.At(to.x, to.y, c), "stored %v → shown %s", from, want[i])
				}
			}
			if o > 1 {
				require.Equal(t, o, out.Orientation)
			}
		})
	}
}

// TestJPEGOrientation decodes a JPEG carrying each orientation in both byte orders, after a JFIF
// segment as cameras write them: the picture is the plain decode turned, the orientation is
// recorded, and crops and resizes keep it. Damaged or absent EXIF leaves the picture as stored.
func TestJPEGOrientation(t *testing.T) {
	jpg := testJPEG(t, 24, 16)
	plain, err := DecodeImage(bytes.NewReader(jpg))
	require.NoError(t, err)
	require.Zero(t, plain.Orientation)
	jfif := []byte{0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := 1; o <= 8; o++ {
			im, err := DecodeImage(bytes.NewReader(withSegments(jpg, jfif, exifSegment(bo, uint16(o)))))
			require.NoError(t, err)
			want := plain.oriented(o)
			require.Equal(t, want.Pix, im.Pix, "%v orientation %d", bo, o)
			require.Equal(t, [2]int{want.W, want.H}, [2]int{im.W, im.H})
			if o == 1 {
				require.Zero(t, im.Orientation)
				continue
			}
			require.Equal(t, o, im.Orientation)
			require.Equal(t, o, im.CropSquare().Orientation)
			r, err := im.Resize(8, 12)
			require.NoError(t, err)
			require.Equal(t, o, r.Orientation)
		}
	}
	good := exifSegment(binary.BigEndian, 6)
	for name, seg := range map[string][]byte{
		"orientation 9":      exifSegment(binary.BigEndian, 9),
		"orientation 0":      exifSegment(binary.BigEndian, 0),
		"IFD past the end":   append(append([]byte(nil), good[:14]...), 0x7F, 0, 0, 0),
		"entries cut short":  append([]byte(nil), good[:len(good)-30]...),
		"not TIFF":           append(append([]byte(nil), good[:10]...), []byte("XX\x00*\x00\x00\x00\x08")...),
		"an empty APP1":      {0xFF, 0xE1, 0, 2},
		"APP1 longer than a": {0xFF, 0xE1, 0xFF, 0xF0, 'E', 'x', 'i', 'f', 0, 0},
	} {
		t.Run(name, func(t *testing.T) {
			// Segment lengths are fixed up for the truncated bodies (their TIFF data is damaged,
			// the JPEG framing is not), except the last case, whose length runs past the file.
			if name != "APP1 longer than a" && len(seg) > 4 {
				binary.BigEndian.PutUint16(seg[2:], uint16(len(seg)-2))
			}
			data := withSegments(jpg, seg)
			if name == "APP1 longer than a" {
				require.Equal(t, 1, jpegOrientation(data))
				return
			}
			im, err := DecodeImage(bytes.NewReader(data))
			require.NoError(t, err)
			require.Equal(t, plain.Pix, im.Pix)
			require.Zero(t, im.Orientation)
		})
	}
	require.Equal(t, 1, jpegOrientation(nil))
	require.Equal(t, 1, jpegOrientation([]byte{0xFF, 0xD8, 0xFF}))
}
