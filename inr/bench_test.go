package inr

import "testing"

// BenchmarkStep is one full-batch training step (forward, MSE, backward, Adam) of every
// registered architecture at its default configuration on the 128² camera target (run with
// -cpu 1 for one thread, as the quality table): the unit of the quality table's rows, and the
// step an activation's vectorisation is judged by.
func BenchmarkStep(b *testing.B) {
	for _, a := range Archs() {
		b.Run(a.Name, func(b *testing.B) { benchStep(b, a.Name, "camera-128.png") })
	}
}

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
