package panel

import (
	"image"
	"testing"
)

// BenchmarkCompose measures the frames a viewer composes while a fit runs: a new step (only the
// loss curve and the status line change) and a new evaluation (every panel is drawn anew).
func BenchmarkCompose(b *testing.B) {
	size := image.Pt(1280, 800)
	b.Run("step", func(b *testing.B) {
		s := imageState(5000)
		c := NewComposer()
		v := NewView()
		ctx := &Context{State: s, View: v}
		if _, err := c.Compose(ctx, size, Chrome{}); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := range b.N {
			s2 := *s
			n := len(s.History.Step) - 1 - i%2 // a different history length each time
			s2.History.Step, s2.History.Loss = s.History.Step[:n], s.History.Loss[:n]
			ctx.State = &s2
			if _, err := c.Compose(ctx, size, Chrome{Status: "step"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("evaluation", func(b *testing.B) {
		s := imageState(5000)
		c := NewComposer()
		ctx := &Context{State: s, View: NewView()}
		b.ReportAllocs()
		for i := range b.N {
			s2 := *s
			s2.FieldsSeq = int64(i + 2)
			ctx.State = &s2
			if _, err := c.Compose(ctx, size, Chrome{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
