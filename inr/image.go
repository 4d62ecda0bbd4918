package inr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // register JPEG decoding
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/inrstudio/studio/internal/fsutil"
	"github.com/inrstudio/studio/internal/sysmem"
)

// Image is a decoded picture as float64 samples in [0, 1]: row-major, H rows of W pixels of C
// channels (1 for grayscale, 3 for colour; alpha is dropped).
type Image struct {
	W, H, C int
	Pix     []float64
	// Depth is the bit depth of the source (8 or 16), used when writing reconstructions back.
	Depth int
	// Orientation is the EXIF orientation (2–8) LoadImage turned a JPEG's stored pixels by so
	// that they stand as a viewer shows them; 0 when there was nothing to turn. Crops and resizes
	// keep it.
	Orientation int
}

// NewImage returns a black w×h image with c channels.
func NewImage(w, h, c, depth int) *Image {
	return &Image{W: w, H: h, C: c, Depth: depth, Pix: make([]float64, w*h*c)}
}

// At returns channel ch of pixel (x, y).
func (im *Image) At(x, y, ch int) float64 { return im.Pix[(y*im.W+x)*im.C+ch] }

// LoadImage reads a PNG or JPEG file (grayscale or colour, 8 or 16 bits per sample). A JPEG's
// EXIF orientation is applied (see Image.Orientation).
func LoadImage(path string) (*Image, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("image %s: no such file", path)
		}
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	im, err := decodeImage(data)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	return im, nil
}

// decodeBytesPerPixel bounds the memory of a decoded picture per pixel: Go's image (at most 8
// bytes, 16-bit RGBA) and the float64 samples (at most 3 channels of 8 bytes).
const decodeBytesPerPixel = 8 + 3*8

// availableMemory is the memory a decoded picture may take (tests replace it).
var availableMemory = sysmem.Available

// minImageSide is the smallest width or height that is worth fitting (PSNR and SSIM need a grid).
const minImageSide = 2

// DecodeImage decodes a PNG or JPEG stream, applying a JPEG's EXIF orientation.
func DecodeImage(r io.Reader) (*Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("cannot read image: %w", err)
	}
	return decodeImage(data)
}

// decodeImage decodes a PNG or JPEG file's bytes (DecodeImage).
func decodeImage(data []byte) (*Image, error) {
	if cfg, format, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		// A picture too large to hold (or a decompression bomb: a small file that claims
		// gigapixels) is refused before decoding allocates it.
		need := int64(cfg.Width) * int64(cfg.Height) * decodeBytesPerPixel
		if avail, ok := availableMemory(); ok && need > avail {
			return nil, fmt.Errorf("%s image is %d×%d: holding it needs about %.1f GiB and %.1f GiB is available: downscale the file",
				format, cfg.Width, cfg.Height, float64(need)/(1<<30), float64(avail)/(1<<30))
		}
	}
	src, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		switch {
		case errors.Is(err, image.ErrFormat):
			return nil, errors.New("not a PNG or JPEG image")
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF),
			strings.Contains(err.Error(), "not enough pixel data"):
			return nil, errors.New("truncated image data (the file ends early): re-export or re-download it")
		case strings.Contains(err.Error(), "non-positive dimension"):
			return nil, fmt.Errorf("image is 0×0 (empty): need at least %d×%d pixels", minImageSide, minImageSide)
		}
		return nil, fmt.Errorf("cannot decode image: %w", err)
	}
	b := src.Bounds()
	if b.Dx() < minImageSide || b.Dy() < minImageSide {
		return nil, fmt.Errorf("%s image is %d×%d: need at least %d×%d pixels", format, b.Dx(), b.Dy(), minImageSide, minImageSide)
	}
	im := fromImage(src, grayFile(src, format, data))
	if format == "jpeg" {
		im = im.oriented(jpegOrientation(data))
	}
	return im, nil
}

// grayFile says whether a picture that Go decodes as colour is grey in its file: a PNG of grey
// with alpha (colour type 4, which image/png returns as NRGBA), or with a palette of greys only.
// Such a picture is fitted with one channel, as a plain grey one is.
func grayFile(src image.Image, format string, data []byte) bool {
	if p, ok := src.(*image.Paletted); ok {
		for _, c := range p.Palette {
			r, g, b, _ := color.NRGBA64Model.Convert(c).RGBA()
			if r != g || g != b {
				return false
			}
		}
		return true
	}
	// The PNG signature (8 bytes), then the IHDR chunk: length, type, width, height, bit depth,
	// colour type.
	return format == "png" && len(data) > 25 && string(data[12:16]) == "IHDR" && data[25] == 4
}

// fromImage converts any image.Image to float samples, keeping 16-bit precision when present;
// gray takes one channel (the red one) of a picture that is grey in its file but not in Go's type.
func fromImage(src image.Image, gray bool) *Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	switch s := src.(type) {
	case *image.Gray:
		im := NewImage(w, h, 1, 8)
		for y := 0; y < h; y++ {
			row := s.Pix[y*s.Stride : y*s.Stride+w]
			for x, v := range row {
				im.Pix[y*w+x] = float64(v) / 255
			}
		}
		return im
	case *image.Gray16:
		im := NewImage(w, h, 1, 16)
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				o := y*s.Stride + 2*x
				im.Pix[y*w+x] = float64(uint16(s.Pix[o])<<8|uint16(s.Pix[o+1])) / 65535
			}
		}
		return im
	}
	depth := 8
	switch src.ColorModel() {
	case color.RGBA64Model, color.NRGBA64Model, color.Gray16Model:
		depth = 16
	}
	channels := 3
	if gray {
		channels = 1
	}
	im := NewImage(w, h, channels, depth)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := nrgba64At(src, b.Min.X+x, b.Min.Y+y)
			o := (y*w + x) * channels
			im.Pix[o] = float64(c.R) / 65535
			if !gray {
				im.Pix[o+1] = float64(c.G) / 65535
				im.Pix[o+2] = float64(c.B) / 65535
			}
		}
	}
	return im
}

// nrgba64At is the non-premultiplied colour of pixel (x, y), the samples a user sees whatever
// the alpha: read as stored from the non-premultiplied types image/png returns (the generic
// conversion goes through premultiplied 16-bit values and is off by up to 1/alpha), converted
// otherwise.
func nrgba64At(src image.Image, x, y int) color.NRGBA64 {
	switch s := src.(type) {
	case *image.NRGBA:
		c := s.NRGBAAt(x, y)
		return color.NRGBA64{uint16(c.R) * 0x101, uint16(c.G) * 0x101, uint16(c.B) * 0x101, uint16(c.A) * 0x101}
	case *image.NRGBA64:
		return s.NRGBA64At(x, y)
	}
	return color.NRGBA64Model.Convert(src.At(x, y)).(color.NRGBA64)
}

// ToImage converts to an image.Image with the given bit depth (8 or 16), clipping to [0, 1].
func (im *Image) ToImage(depth int) image.Image {
	r := image.Rect(0, 0, im.W, im.H)
	q8 := func(v float64) uint8 { return uint8(clip01(v)*255 + 0.5) }
	q16 := func(v float64) uint16 { return uint16(clip01(v)*65535 + 0.5) }
	switch {
	case im.C == 1 && depth == 16:
		out := image.NewGray16(r)
		for i, v := range im.Pix {
			out.SetGray16(i%im.W, i/im.W, color.Gray16{Y: q16(v)})
		}
		return out
	case im.C == 1:
		out := image.NewGray(r)
		for i, v := range im.Pix {
			out.Pix[(i/im.W)*out.Stride+i%im.W] = q8(v)
		}
		return out
	case depth == 16:
		out := image.NewRGBA64(r)
		for i := 0; i < im.W*im.H; i++ {
			p := im.Pix[i*3 : i*3+3]
			out.SetRGBA64(i%im.W, i/im.W, color.RGBA64{R: q16(p[0]), G: q16(p[1]), B: q16(p[2]), A: 0xffff})
		}
		return out
	default:
		out := image.NewRGBA(r)
		for i := 0; i < im.W*im.H; i++ {
			p := im.Pix[i*3 : i*3+3]
			o := (i/im.W)*out.Stride + (i%im.W)*4
			out.Pix[o], out.Pix[o+1], out.Pix[o+2], out.Pix[o+3] = q8(p[0]), q8(p[1]), q8(p[2]), 255
		}
		return out
	}
}

// SavePNG writes the image as a PNG at its source bit depth, atomically.
func (im *Image) SavePNG(path string) error {
	depth := im.Depth
	if depth != 16 {
		depth = 8
	}
	if ext := filepath.Ext(path); ext != ".png" {
		return fmt.Errorf("write %s: only .png output is supported", path)
	}
	return fsutil.WriteFile(path, func(w io.Writer) error { return png.Encode(w, im.ToImage(depth)) })
}

func clip01(v float64) float64 {
	switch {
	case v < 0 || v != v:
		return 0
	case v > 1:
		return 1
	}
	return v
}

// like returns a black w×h image with im's channels, depth and orientation.
func (im *Image) like(w, h int) *Image {
	out := NewImage(w, h, im.C, im.Depth)
	out.Orientation = im.Orientation
	return out
}

// CropSquare returns the centred square crop of side min(W, H).
func (im *Image) CropSquare() *Image {
	s := min(im.W, im.H)
	x0, y0 := (im.W-s)/2, (im.H-s)/2
	out := im.like(s, s)
	for y := 0; y < s; y++ {
		copy(out.Pix[y*s*im.C:(y+1)*s*im.C], im.Pix[((y0+y)*im.W+x0)*im.C:((y0+y)*im.W+x0+s)*im.C])
	}
	return out
}
