package inr

import (
	"fmt"
	"math"
)

// PSNR is the standard peak signal-to-noise ratio in dB of pred against target, both on [0, 1]:
// the prediction is clipped to [0, 1], then −10·log10(MSE) over all samples. Identical signals
// give +Inf.
func PSNR(pred, target []float64) float64 {
	if len(pred) != len(target) || len(pred) == 0 {
		panic(fmt.Sprintf("inr: PSNR of %d against %d samples", len(pred), len(target)))
	}
	var s float64
	for i, p := range pred {
		d := clip01(p) - target[i]
		s += d * d
	}
	return -10 * math.Log10(s/float64(len(pred)))
}

// SSIM parameters of Wang et al. (2004), as pytorch_msssim and skimage (gaussian_weights) use.
const (
	ssimWindow = 11
	ssimSigma  = 1.5
	ssimK1     = 0.01
	ssimK2     = 0.03
)

// SSIM is the mean structural similarity of pred against target (same size, values on [0, 1],
// pred clipped), with an 11×11 Gaussian window of σ = 1.5 over the valid region (no padding),
// averaged over channels. Images smaller than the window use a window as large as the image.
func SSIM(pred, target *Image) float64 {
	if pred.W != target.W || pred.H != target.H || pred.C != target.C {
		panic(fmt.Sprintf("inr: SSIM of %d×%d×%d against %d×%d×%d", pred.W, pred.H, pred.C, target.W, target.H, target.C))
	}
	win := min(ssimWindow, pred.W, pred.H)
	g := gaussianWindow(win, ssimSigma)
	c1 := ssimK1 * ssimK1
	c2 := ssimK2 * ssimK2
	w, h := pred.W, pred.H
	ow, oh := w-win+1, h-win+1
	x := make([]float64, w*h)
	y := make([]float64, w*h)
	var total float64
	for ch := 0; ch < pred.C; ch++ {
		for i := 0; i < w*h; i++ {
			x[i] = clip01(pred.Pix[i*pred.C+ch])
			y[i] = target.Pix[i*pred.C+ch]
		}
		mx := filterValid(x, nil, w, h, g)
		my := filterValid(y, nil, w, h, g)
		sxx := filterValid(x, x, w, h, g)
		syy := filterValid(y, y, w, h, g)
		sxy := filterValid(x, y, w, h, g)
		var s float64
		for i := 0; i < ow*oh; i++ {
			vx := sxx[i] - mx[i]*mx[i]
			vy := syy[i] - my[i]*my[i]
			cxy := sxy[i] - mx[i]*my[i]
			s += ((2*mx[i]*my[i] + c1) * (2*cxy + c2)) / ((mx[i]*mx[i] + my[i]*my[i] + c1) * (vx + vy + c2))
		}
		total += s / float64(ow*oh)
	}
	return total / float64(pred.C)
}

func gaussianWindow(n int, sigma float64) []float64 {
	g := make([]float64, n)
	var sum float64
	for i := range g {
		d := float64(i) - float64(n-1)/2
		g[i] = math.Exp(-d * d / (2 * sigma * sigma))
		sum += g[i]
	}
	for i := range g {
		g[i] /= sum
	}
	return g
}

// filterValid convolves a (or a·b when b is not nil) with the separable window g over the valid
// region, returning (w−n+1)×(h−n+1) values.
func filterValid(a, b []float64, w, h int, g []float64) []float64 {
	n := len(g)
	ow, oh := w-n+1, h-n+1
	rows := make([]float64, h*ow)
	for y := 0; y < h; y++ {
		for x := 0; x < ow; x++ {
			var s float64
			for k, gk := range g {
				i := y*w + x + k
				v := a[i]
				if b != nil {
					v *= b[i]
				}
				s += gk * v
			}
			rows[y*ow+x] = s
		}
	}
	out := make([]float64, oh*ow)
	for y := 0; y < oh; y++ {
		for x := 0; x < ow; x++ {
			var s float64
			for k, gk := range g {
				s += gk * rows[(y+k)*ow+x]
			}
			out[y*ow+x] = s
		}
	}
	return out
}
