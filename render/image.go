package render

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// checkGrid validates a w×h grid of values with the given number of channels.
func checkGrid(what string, n, w, h, channels int) error {
	switch {
	case w <= 0 || h <= 0:
		return fmt.Errorf("%s: size %d×%d must be positive", what, w, h)
	case channels <= 0:
		return fmt.Errorf("%s: %d channels", what, channels)
	case w > 1<<15 || h > 1<<15:
		return fmt.Errorf("%s: size %d×%d larger than 32768 on a side", what, w, h)
	case n != w*h*channels:
		return fmt.Errorf("%s: %d values for a %d×%d×%d grid (want %d)", what, n, w, h, channels, w*h*channels)
	}
	return nil
}

// FloatImage turns values in [0, 1] into an image: one channel gives grey, three give RGB
// (interleaved per pixel, r g b r g b …), rows top to bottom. Values are clipped to [0, 1] and
// rounded to the nearest level; NaN becomes 0. bits is 8 (*image.Gray, *image.RGBA) or 16
// (*image.Gray16, *image.RGBA64), the latter for reconstructions whose error is below 1/255.
func FloatImage(data []float64, w, h, channels, bits int) (image.Image, error) {
	if err := checkGrid("float image", len(data), w, h, channels); err != nil {
		return nil, err
	}
	if channels != 1 && channels != 3 {
		return nil, fmt.Errorf("float image: %d channels (want 1 or 3)", channels)
	}
	if bits != 8 && bits != 16 {
		return nil, fmt.Errorf("float image: %d bits per channel (want 8 or 16)", bits)
	}
	r := image.Rect(0, 0, w, h)
	switch {
	case channels == 1 && bits == 8:
		img := image.NewGray(r)
		for i, v := range data {
			img.Pix[i] = uint8(quantize(v, 255))
		}
		return img, nil
	case channels == 1:
		img := image.NewGray16(r)
		for i, v := range data {
			q := quantize(v, 65535)
			img.Pix[2*i], img.Pix[2*i+1] = uint8(q>>8), uint8(q)
		}
		return img, nil
	case bits == 8:
		img := image.NewRGBA(r)
		for i := 0; i < w*h; i++ {
			p := img.Pix[4*i : 4*i+4 : 4*i+4]
			p[0], p[1], p[2], p[3] = uint8(quantize(data[3*i], 255)), uint8(quantize(data[3*i+1], 255)), uint8(quantize(data[3*i+2], 255)), 255
		}
		return img, nil
	}
	img := image.NewRGBA64(r)
	for i := 0; i < w*h; i++ {
		p := img.Pix[8*i : 8*i+8 : 8*i+8]
		for c := 0; c < 3; c++ {
			q := quantize(data[3*i+c], 65535)
			p[2*c], p[2*c+1] = uint8(q>>8), uint8(q)
		}
		p[6], p[7] = 0xff, 0xff
	}
	return img, nil
}

// quantize maps v ∈ [0, 1] to the nearest of the levels 0 … top, clipping and sending NaN to 0.
func quantize(v float64, top float64) uint32 {
	switch {
	case !(v > 0): // also NaN
		return 0
	case v >= 1:
		return uint32(top)
	}
	return uint32(v*top + 0.5)
}

// Colorize paints a w×h grid of values (row-major, row 0 at the top, one pixel per value) through
// a colormap: the undecorated picture the viewer zooms, and the body of every heatmap.
func Colorize(data []float64, w, h int, cm Colormap, s Scale) (*image.RGBA, error) {
	if err := checkGrid("colorize", len(data), w, h, 1); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, fmt.Errorf("colorize: %w", err)
	}
	cm = cm.orDefault()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	norm := s.normalizer()
	for i, v := range data {
		var c color.RGBA
		if v != v {
			c = cm.nan
		} else {
			c = cm.lut[lutIndex(norm(v))]
		}
		p := img.Pix[4*i : 4*i+4 : 4*i+4]
		p[0], p[1], p[2], p[3] = c.R, c.G, c.B, c.A
	}
	return img, nil
}

// ErrorField returns the per-pixel error between a prediction and its target, both laid out as
// pixels × channels: the mean over channels of pred − target when signed, of |pred − target|
// otherwise. NaN in either input gives NaN, which the maps show in their NaN colour.
func ErrorField(pred, target []float64, channels int, signed bool) ([]float64, error) {
	if len(pred) != len(target) {
		return nil, fmt.Errorf("error field: %d predicted values but %d target values", len(pred), len(target))
	}
	if channels <= 0 || len(pred)%channels != 0 {
		return nil, fmt.Errorf("error field: %d values do not split into %d channels", len(pred), channels)
	}
	out := make([]float64, len(pred)/channels)
	inv := 1 / float64(channels)
	for i := range out {
		s := 0.0
		for c := 0; c < channels; c++ {
			d := pred[i*channels+c] - target[i*channels+c]
			if !signed {
				d = math.Abs(d)
			}
			s += d
		}
		out[i] = s * inv
	}
	return out, nil
}

// ErrorMapOptions choose how an error map is coloured.
type ErrorMapOptions struct {
	Signed   bool     // pred − target on a diverging map instead of |pred − target|
	Colormap Colormap // zero means magma for |error|, coolwarm for signed error
	Scale    Scale    // fixed range when Min < Max; otherwise [0, max] or [−m, m] from the data
}

// ErrorMap colours the error between a w×h prediction and its target (pixels × channels, rows top
// to bottom) and returns the picture with the scale it used, so a caller can label it or keep the
// range fixed from one snapshot to the next.
func ErrorMap(pred, target []float64, w, h, channels int, opt ErrorMapOptions) (*image.RGBA, Scale, error) {
	if err := checkGrid("error map", len(pred), w, h, channels); err != nil {
		return nil, Scale{}, err
	}
	field, err := ErrorField(pred, target, channels, opt.Signed)
	if err != nil {
		return nil, Scale{}, err
	}
	s := opt.Scale
	if !(s.Min < s.Max) {
		if s, err = AutoScale(field, opt.Signed, false); err != nil {
			return nil, Scale{}, err
		}
		if !opt.Signed {
			s.Min = 0
		}
	}
	cm := opt.Colormap
	if !cm.valid() {
		cm = Magma()
		if opt.Signed {
			cm = CoolWarm()
		}
	}
	img, err := Colorize(field, w, h, cm, s)
	if err != nil {
		return nil, Scale{}, fmt.Errorf("error map: %w", err)
	}
	return img, s, nil
}
