package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/inrstudio/studio/inr"
)

// progress shows a fit's snapshots: a bar redrawn in place on a terminal (step, loss, PSNR, it/s,
// ETA), plain log lines at evaluations otherwise (about ten per run), so that logs stay readable.
type progress struct {
	w        io.Writer
	total    int
	tty      bool
	lastDraw time.Time
	loss     float64
	psnr     float64
	best     float64
	logEvery int
	nextLog  int
	logged   int // the step of the last log line
}

func newProgress(w io.Writer, total int) *progress {
	p := &progress{w: w, total: total, psnr: math.NaN(), best: math.NaN(), loss: math.NaN(),
		logEvery: max(1, total/10), logged: -1}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.tty = true
	}
	return p
}

func (p *progress) Observe(s *inr.Snapshot) {
	if !math.IsNaN(s.Loss) {
		p.loss = s.Loss
	}
	evaluated := false
	if v, ok := s.Metrics["psnr"]; ok {
		p.psnr, evaluated = v, true
		if b, ok := s.Metrics["best_psnr"]; ok {
			p.best = b
		}
	}
	rate := 0.0
	if s.Seconds > 0 {
		rate = float64(s.Step) / s.Seconds
	}
	if p.tty {
		if !s.Done && time.Since(p.lastDraw) < 100*time.Millisecond {
			return
		}
		p.lastDraw = time.Now()
		fmt.Fprintf(p.w, "\r%s\x1b[K", p.line(s.Step, rate, true))
		if s.Done {
			fmt.Fprintln(p.w)
		}
		return
	}
	if (evaluated && s.Step >= p.nextLog) || (s.Done && s.Step != p.logged) {
		fmt.Fprintln(p.w, p.line(s.Step, rate, false))
		p.logged = s.Step
		for p.nextLog <= s.Step {
			p.nextLog += p.logEvery
		}
	}
}

func (p *progress) line(step int, rate float64, bar bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "step %*d/%d", len(fmt.Sprint(p.total)), step, p.total)
	if bar {
		const width = 24
		n := 0
		if p.total > 0 {
			n = min(width, step*width/p.total)
		}
		fmt.Fprintf(&b, " [%s%s]", strings.Repeat("=", n), strings.Repeat(" ", width-n))
	}
	fmt.Fprintf(&b, "  loss %.3e", p.loss)
	if !math.IsNaN(p.psnr) {
		fmt.Fprintf(&b, "  PSNR %.2f dB (best %.2f)", p.psnr, p.best)
	}
	if rate > 0 {
		fmt.Fprintf(&b, "  %.2f it/s", rate)
		if left := p.total - step; left > 0 {
			fmt.Fprintf(&b, "  ETA %s", time.Duration(float64(left)/rate*float64(time.Second)).Round(time.Second))
		}
	}
	return b.String()
}
