package inr

import "testing"

// BenchmarkWireStep is one full-batch WIRE training step (forward, MSE, backward, Adam) on the
// 128² camera target at the default configuration (run with -cpu 1 for one thread, as the table): the unit of the quality table's
// WIRE rows, and the step the Gabor activation's vectorisation is judged by.
func BenchmarkWireStep(b *testing.B) { benchStep(b, "wire", "camera-128.png") }

// BenchmarkGaussStep is the same for the Gauss network, the other exp-bound activation.
func BenchmarkGaussStep(b *testing.B) { benchStep(b, "gauss", "camera-128.png") }

func benchStep(b *testing.B, arch, img string) {
	im, err := LoadImage("../assets/" + img)
	if err != nil {
		b.Fatal(err)
	}
	f, err := NewFitter(im, FitOptions{Arch: arch, Steps: 300})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := f.step(-1); err != nil { // warm-up: buffers are allocated in the first step
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := f.step(-1); err != nil {
			b.Fatal(err)
		}
	}
}
