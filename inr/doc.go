// Package inr holds the coordinate networks of the studio and the signals they fit: images
// (PNG/JPEG, grayscale or colour, 8 or 16 bits) with their resampling and metrics (PSNR, SSIM),
// the architecture registry, and the fitting loop.
//
//	im, err := inr.LoadImage("assets/camera-128.png")
//	// … fit a model, render pred as an *inr.Image …
//	fmt.Println(inr.PSNR(pred.Pix, im.Pix), inr.SSIM(pred, im))
package inr
