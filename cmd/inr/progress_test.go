package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

// Off a terminal the progress prints about ten log lines per run, at evaluations, and the last
// state once; on a terminal it redraws one line in place.
func TestProgressLines(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, 100)
	for s := 0; s <= 100; s++ {
		p.Observe(&inr.Snapshot{Step: s, Seconds: float64(s) / 10, Loss: 1 / float64(s+1)})
		if s%5 == 0 {
			p.Observe(&inr.Snapshot{Step: s, Seconds: float64(s) / 10, Loss: 1 / float64(s+1),
				Metrics: map[string]float64{"psnr": float64(s), "best_psnr": float64(s)}, Fields: []inr.Field{{}}})
		}
	}
	p.Observe(&inr.Snapshot{Step: 100, Seconds: 10, Loss: 0.01, Done: true, Metrics: map[string]float64{"psnr": 100, "best_psnr": 100}})
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 11, "steps 0, 10, …, 100, the last one not repeated by Done")
	require.Contains(t, lines[5], "step  50/100")
	require.Contains(t, lines[5], "PSNR 50.00 dB")
	require.Contains(t, lines[5], "10.00 it/s")
	require.Contains(t, lines[5], "ETA 5s")

	buf.Reset()
	p = newProgress(&buf, 10)
	p.tty = true
	p.Observe(&inr.Snapshot{Step: 5, Seconds: 1, Loss: 0.5})
	p.Observe(&inr.Snapshot{Step: 10, Seconds: 2, Loss: 0.25, Done: true})
	out := buf.String()
	require.True(t, strings.HasPrefix(out, "\r"), "the bar redraws in place")
	require.Contains(t, out, "[============            ]")
	require.True(t, strings.HasSuffix(out, "\n"), "the last draw ends the line")
}
