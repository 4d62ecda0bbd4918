package inr

import (
	"fmt"
	"math"
)

// Resize returns the image resampled to w×h. Shrinking averages over each output pixel's
// footprint (area averaging, as OpenCV's INTER_AREA and the reference targets use: no aliasing);
// enlarging uses Catmull–Rom cubic interpolation. Each axis is resampled separately.
func (im *Image) Resize(w, h int) (*Image, error) {
	if w < minImageSide || h < minImageSide {
		return nil, fmt.Errorf("resize to %d×%d: need at least %d×%d pixels", w, h, minImageSide, minImageSide)
	}
	if w == im.W && h == im.H {
		out := *im
		out.Pix = append([]float64(nil), im.Pix...)
		return &out, nil
	}
	wx := resampleWeights(im.W, w)
	wy := resampleWeights(im.H, h)
	// Horizontal pass: H rows × w columns.
	tmp := make([]float64, im.H*w*im.C)
	for y := 0; y < im.H; y++ {
		for x, taps := range wx {
			for ch := 0; ch < im.C; ch++ {
				var s float64
				for _, t := range taps {
					s += t.w * im.Pix[(y*im.W+t.i)*im.C+ch]
				}
				tmp[(y*w+x)*im.C+ch] = s
			}
		}
	}
	out := im.like(w, h)
	for y, taps := range wy {
		for x := 0; x < w; x++ {
			for ch := 0; ch < im.C; ch++ {
				var s float64
				for _, t := range taps {
					s += t.w * tmp[(t.i*w+x)*im.C+ch]
				}
				out.Pix[(y*w+x)*im.C+ch] = clip01(s)
			}
		}
	}
	return out, nil
}

// FitSize returns the size whose longer side is n, keeping the aspect ratio.
func (im *Image) FitSize(n int) (w, h int) {
	if im.W >= im.H {
		return n, max(1, int(math.Round(float64(n)*float64(im.H)/float64(im.W))))
	}
	return max(1, int(math.Round(float64(n)*float64(im.W)/float64(im.H)))), n
}

type tap struct {
	i int
	w float64
}

// resampleWeights gives, for each of out output samples, the source samples and weights.
func resampleWeights(in, out int) [][]tap {
	taps := make([][]tap, out)
	scale := float64(in) / float64(out)
	if scale >= 1 {
		// Area: output i covers source [i·scale, (i+1)·scale).
		for i := range taps {
			lo, hi := float64(i)*scale, float64(i+1)*scale
			for j := int(lo); j < in && float64(j) < hi; j++ {
				overlap := math.Min(hi, float64(j+1)) - math.Max(lo, float64(j))
				if overlap > 1e-12 {
					taps[i] = append(taps[i], tap{j, overlap / scale})
				}
			}
		}
		return taps
	}
	// Catmull–Rom, pixel centres aligned: source position of output centre i.
	for i := range taps {
		pos := (float64(i)+0.5)*scale - 0.5
		base := int(math.Floor(pos))
		var sum float64
		for j := base - 1; j <= base+2; j++ {
			wt := catmullRom(pos - float64(j))
			if wt == 0 {
				continue
			}
			taps[i] = append(taps[i], tap{min(max(j, 0), in-1), wt})
			sum += wt
		}
		for k := range taps[i] {
			taps[i][k].w /= sum
		}
	}
	return taps
}

// catmullRom is the Keys cubic convolution kernel with a = −1/2.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}
