package inr

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
)

// GridCoords returns the coordinates of every pixel of a w×h image as a (w·h)×2 matrix in pixel
// order (row by row): column 0 is x = linspace(−1, 1, w)[col], column 1 is y = linspace(−1, 1,
// h)[row], the convention of every reference repository (each axis on [−1, 1] separately).
func GridCoords(w, h int) kernel.Matrix {
	x := kernel.NewMatrix(w*h, 2)
	gridRows(w, h, 0, x)
	return x
}

// gridRows writes the coordinates of pixels p0, p0+1, …, p0+x.Rows−1 of a w×h image (in pixel
// order, as GridCoords) into the rows of x, so that a large grid can be evaluated a part at a time.
func gridRows(w, h, p0 int, x kernel.Matrix) {
	for i := 0; i < x.Rows; i++ {
		p := p0 + i
		row := x.Row(i)
		row[0], row[1] = linspaceAt(p%w, w), linspaceAt(p/w, h)
	}
}

// linspaceAt is point i of n points evenly spaced on [−1, 1] (both ends included; with n odd one
// point sits at 0).
func linspaceAt(i, n int) float64 {
	if n == 1 {
		return 0
	}
	return -1 + 2*float64(i)/float64(n-1)
}

// imageSignal is an image prepared for fitting: the coordinates of its pixels and the targets in
// the network's range.
type imageSignal struct {
	im   *Image
	norm Normalization
	x    kernel.Matrix // P×2 coordinates
	t    kernel.Matrix // P×C targets in the network's range
}

func newImageSignal(im *Image, rng string) (*imageSignal, error) {
	if im == nil || im.W < minImageSide || im.H < minImageSide {
		return nil, fmt.Errorf("fit: need an image of at least %d×%d pixels", minImageSide, minImageSide)
	}
	if im.C != 1 && im.C != 3 {
		return nil, fmt.Errorf("fit: image has %d channels, want 1 or 3", im.C)
	}
	norm, err := RangeNormalization(rng, im.C)
	if err != nil {
		return nil, err
	}
	norm.Signal = fmt.Sprintf("image %dx%dx%d", im.W, im.H, im.C)
	s := &imageSignal{im: im, norm: norm, x: GridCoords(im.W, im.H), t: kernel.NewMatrix(im.W*im.H, im.C)}
	for i, v := range im.Pix {
		s.t.Data[i] = norm.ToNet(i%im.C, v)
	}
	return s, nil
}

// points is the number of pixels.
func (s *imageSignal) points() int { return s.im.W * s.im.H }
