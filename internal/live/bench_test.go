package live

import (
	"testing"
	"time"

	"github.com/inrstudio/studio/inr"
)

// BenchmarkWriterObserve is what the writer costs the training goroutine per snapshot: a step's
// loss, and an evaluation with three 128² pictures (the writing itself happens elsewhere).
func BenchmarkWriterObserve(b *testing.B) {
	for _, c := range []struct {
		name   string
		fields bool
	}{{"step", false}, {"evaluation", true}} {
		b.Run(c.name, func(b *testing.B) {
			w, err := NewWriter(b.TempDir(), WriterOptions{Interval: 50 * time.Millisecond})
			if err != nil {
				b.Fatal(err)
			}
			defer w.Close()
			var fields []inr.Field
			if c.fields {
				for _, n := range []string{"target", "reconstruction", "error"} {
					fields = append(fields, inr.Field{Name: n, Kind: inr.FieldImage, W: 128, H: 128, C: 1, Data: make([]float64, 128*128), X0: -1, X1: 1, Y0: -1, Y1: 1})
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				w.Observe(&inr.Snapshot{Step: i + 1, Loss: 1 / float64(i+1), Phase: "adam", Fields: fields})
			}
		})
	}
}
