// Package inr holds the coordinate networks of the studio, the signals they fit and the fitting
// loop: the first thing a user does (`inr fit image.png`) as a library.
//
// # Architectures
//
// Architectures register by name (Register, LookupArch, Archs) with a configuration struct that
// holds the defaults of the authors' code (reference-psnr.md's configuration table): siren,
// wire (complex Gabor: real first layer, complex hidden layers, real part out), gauss, finer,
// relu_pe (NeRF positional encoding, levels derived from the image size when unset), relu_ff
// (Gaussian Fourier features, sigmoid output), spder, sl2a (Chebyshev-KAN first layer from package
// kan, LayerNorm, low-rank fusion layers), fkan (Fourier-KAN first layer from package kan),
// cauchy (XNet's per-unit Cauchy activation) and mlp. ConfigFor applies JSON overrides and
// SetOption one key=value; the configuration is saved in the model file, so LoadModel rebuilds a
// model from the file alone. TorchParamCount counts as PyTorch's numel (a complex weight once).
//
// # Signals and metrics
//
// Image (PNG/JPEG, grayscale or colour, 8 or 16 bits, samples on [0, 1]; a JPEG turned as its
// EXIF orientation says) with LoadImage, Resize (area averaging down, Catmull–Rom up) and
// CropSquare; PSNR (prediction clipped to [0, 1], −10·log10 MSE) and SSIM (Gaussian 11×11,
// σ = 1.5). Pixel coordinates are GridCoords: each axis on [−1, 1]. Targets are mapped to the
// architecture's range ([−1, 1] or [0, 1]) and back through the model's Normalization.
// EstimateMemory measures what a fit will need before it allocates it.
//
// # Fitting
//
// Fit (or NewFitter, then Run) trains with Adam at the architecture's learning rate, in full
// batch or seeded mini-batches, with an optional schedule; it evaluates the whole grid every
// EvalEvery steps (free in full batch: the training forward pass is the evaluation), keeps the
// best weights when asked, stops cleanly when its context is cancelled, reports a diverging loss
// as an error while returning the best state, and publishes Snapshots (loss every step; PSNR and
// the target, reconstruction and error fields at evaluations) to Observers such as a progress bar
// or the desktop viewer. The same seed and thread count give bit-identical runs. WriteRun writes
// the run folder (model file, target, reconstruction, error map, loss curve and table,
// metrics.json), every file atomically.
//
// # Model files
//
// Model.Save writes the weights with the architecture, its settings, the normalisation and the
// network as data (the "graph" metadata: nn.Graph.Spec), so that LoadModel rebuilds the model
// and python/inrstudio.py evaluates it with numpy or turns it into a PyTorch module; a fit's
// checkpoint loads as the model at its step. Predict evaluates a model at points,
// PredictDerivatives adds its exact input derivatives (the network's jets), RenderImage and
// RenderDerivative draw an image model, its gradient magnitude or its Laplacian at any size.
//
//	im, err := inr.LoadImage("assets/camera-128.png")
//	if err != nil {
//		return err
//	}
//	res, err := inr.Fit(ctx, im, inr.FitOptions{Arch: "siren", Steps: 300})
//	if err != nil {
//		return err
//	}
//	fmt.Printf("PSNR %.2f dB, SSIM %.4f\n", res.PSNR, res.SSIM)
//	big, err := res.Model.RenderImage(512, 512) // the network is continuous: any resolution
package inr
