package pinn

import (
	"context"
	"fmt"
	"io"
	"math"
	"runtime"
	"time"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/pinn/sample"
)

// Options override a problem file's schedule for one solve.
type Options struct {
	AdamSteps       *int     // Adam steps (--steps)
	LBFGSIterations *int     // L-BFGS iterations
	Seed            *uint64  // network initialisation and sampling seed (--seed)
	TimeLimit       *float64 // seconds for the whole solve (0: none)
	// FieldsEvery publishes the solution, error and residual fields with every k-th snapshot
	// (0: only with the last one); they cost an evaluation on the reference points.
	FieldsEvery int
	// MetricsEvery measures the error against the reference with every k-th snapshot (0:
	// only at the end): one prediction at the reference points, shown in the log line.
	MetricsEvery int
	// Log receives one progress line per snapshot (nil: silent).
	Log io.Writer
}

// History is the loss curve: one row per Adam step and per L-BFGS iteration.
type History struct {
	Steps     []float64 // Adam steps, then Adam steps + L-BFGS iterations
	Total     []float64
	TermNames []string
	Terms     [][]float64 // Terms[k][i]: term k at row i (unweighted)
	AdamSteps int         // rows belonging to the Adam phase
}

// Result is a finished solve.
type Result struct {
	Problem *Problem
	Model   *inr.Model
	Metrics *Metrics
	History History
	// Eval holds the solution at the reference points (nil without a reference).
	Eval *Evaluation
}

// Solve trains the problem's network: Adam for the configured steps (with resampling and
// adaptive refinement as configured), then L-BFGS on fixed points, then for a B-spline KAN with
// train.grid_extension L-BFGS again on each finer grid; then it measures the solution against
// the reference. Observers receive a snapshot every train.log_every steps and a last one
// with Done set. Cancelling ctx stops training early and still evaluates what was reached.
func Solve(ctx context.Context, p *Problem, opt Options, observers ...inr.Observer) (*Result, error) {
	start := time.Now()
	seed, netSeed := p.Sampling.Seed, p.Network.Seed
	if opt.Seed != nil {
		seed, netSeed = *opt.Seed, *opt.Seed
	}
	s, err := newSolver(p, seed, netSeed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	tr := p.Train
	if opt.AdamSteps != nil {
		tr.AdamSteps = *opt.AdamSteps
	}
	if opt.LBFGSIterations != nil {
		tr.LBFGSIterations = *opt.LBFGSIterations
	}
	if opt.TimeLimit != nil {
		tr.TimeLimit = *opt.TimeLimit
	}
	run := &run{s: s, opt: opt, obs: observers, start: start, tr: tr, ctx: ctx}
	run.hist.TermNames, _ = s.terms()
	run.hist.Terms = make([][]float64, len(run.hist.TermNames))
	m := &Metrics{}
	if err := run.adam(m); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	run.hist.AdamSteps = len(run.hist.Steps)
	if err := run.lbfgs(m); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	for _, g := range tr.GridExtension {
		if run.expired() {
			break
		}
		if err := run.extendGrid(g); err != nil {
			return nil, fmt.Errorf("%s: grid extension to %d: %w", p.Path, g, err)
		}
		m.GridExtension = append(m.GridExtension, g)
		if err := run.lbfgs(m); err != nil {
			return nil, fmt.Errorf("%s: %w", p.Path, err)
		}
	}
	s = run.s // grid extension builds a new solver
	m.TrainSeconds = time.Since(start).Seconds()
	res := &Result{Problem: p, Model: s.model, Metrics: m, History: run.hist}
	if err := s.finishMetrics(m, res); err != nil {
		return nil, fmt.Errorf("%s: %w", p.Path, err)
	}
	m.Seconds = time.Since(start).Seconds()
	snap := run.snapshot("done", true)
	run.publish(snap)
	return res, nil
}

// run is the state of one training run.
type run struct {
	s      *solver
	opt    Options
	obs    []inr.Observer
	start  time.Time
	tr     Train
	ctx    context.Context
	hist   History
	step   int // rows recorded
	snaps  int
	loss   float64
	rounds int // adaptive refinements done
	grid   int // the KAN grid L-BFGS runs on after a grid extension (0: none yet)
}

// lbfgsPhase names the L-BFGS phase in snapshots: "lbfgs", or "grid G" after a grid extension
// (the viewer marks where each phase starts on the loss curve).
func (r *run) lbfgsPhase() string {
	if r.grid > 0 {
		return fmt.Sprintf("grid %d", r.grid)
	}
	return "lbfgs"
}

func (r *run) expired() bool {
	return r.ctx.Err() != nil || (r.tr.TimeLimit > 0 && time.Since(r.start).Seconds() >= r.tr.TimeLimit)
}

func (r *run) record(loss float64) {
	r.loss = loss
	r.step++
	r.hist.Steps = append(r.hist.Steps, float64(r.step))
	r.hist.Total = append(r.hist.Total, loss)
	k := 0
	for _, g := range r.s.groups {
		for _, t := range g.terms {
			r.hist.Terms[k] = append(r.hist.Terms[k], t.value)
			k++
		}
	}
}

func (r *run) adam(m *Metrics) error {
	s, tr := r.s, r.tr
	if tr.AdamSteps == 0 {
		return nil
	}
	t0 := time.Now()
	adam := nn.NewAdam(s.ps, tr.LR)
	sched, err := nn.NewSchedule(tr.Schedule, tr.AdamSteps)
	if err != nil {
		return err
	}
	adam.Schedule = sched
	smp := s.p.Sampling
	ad := smp.Adaptive
	if c := s.interior.causal; c != nil {
		c.on = true
		defer func() { c.on = false }()
	}
	for step := 0; step < tr.AdamSteps; step++ {
		if r.expired() {
			m.Stopped = "time limit or cancel during Adam"
			break
		}
		if step > 0 && smp.ResampleEvery > 0 && step%smp.ResampleEvery == 0 {
			s.resample()
		}
		if ad != nil && ad.Every > 0 && step > 0 && step%ad.Every == 0 && (ad.Rounds == 0 || r.rounds < ad.Rounds) {
			if err := s.refine(ad, uint64(step)); err != nil {
				return fmt.Errorf("adaptive refinement at step %d: %w", step, err)
			}
			r.rounds++
		}
		s.ps.ZeroGrad()
		loss, err := s.eval()
		if err != nil {
			return fmt.Errorf("adam step %d: %w", step+1, err)
		}
		r.record(loss)
		if err := adam.Step(); err != nil {
			return err
		}
		if (step+1)%tr.LogEvery == 0 {
			r.publish(r.snapshot("adam", false))
		}
	}
	m.AdamSteps = adam.Steps()
	m.AdamSeconds = time.Since(t0).Seconds()
	m.RefineRounds = r.rounds
	return nil
}

// lbfgs runs L-BFGS on fixed points. With adaptive refinement in the L-BFGS phase
// (sampling.adaptive.lbfgs_every), it runs in rounds: every lbfgs_every iterations the worst
// candidates are added to the interior points and L-BFGS restarts (its curvature pairs belong to
// the old loss), as DeepXDE's RAR examples alternate refinement and training.
func (r *run) lbfgs(m *Metrics) error {
	s, tr := r.s, r.tr
	if tr.LBFGSIterations == 0 || r.expired() {
		return nil
	}
	t0 := time.Now()
	ad := s.p.Sampling.Adaptive
	remaining := tr.LBFGSIterations
	var res nn.LBFGSResult
	for remaining > 0 && !r.expired() {
		o := nn.NewLBFGS(s.ps)
		o.MaxIter = remaining
		refine := ad != nil && ad.LBFGSEvery > 0 && (ad.Rounds == 0 || r.rounds < ad.Rounds)
		if refine {
			o.MaxIter = min(remaining, ad.LBFGSEvery)
		}
		o.MaxEval = 2 * o.MaxIter
		o.GradTol = tr.LBFGSTolerance
		o.History = tr.LBFGSHistory
		done := m.LBFGSIterations
		o.OnIter = func(iter int, loss float64) bool {
			r.record(loss)
			if (done+iter)%tr.LogEvery == 0 {
				r.publish(r.snapshot(r.lbfgsPhase(), false))
			}
			return !r.expired()
		}
		var err error
		res, err = o.Minimize(s.eval)
		if err != nil {
			return fmt.Errorf("L-BFGS: %w", err)
		}
		m.LBFGSIterations += res.Iterations
		m.LBFGSEvaluations += res.Evaluations
		remaining -= max(res.Iterations, 1)
		if !refine || r.expired() || remaining <= 0 {
			break
		}
		if err := s.refine(ad, uint64(1_000_000+m.LBFGSIterations)); err != nil {
			return fmt.Errorf("adaptive refinement at L-BFGS iteration %d: %w", m.LBFGSIterations, err)
		}
		r.rounds++
	}
	// Minimize leaves the best point in the parameters; re-evaluate so that the term values
	// reported are those of the final parameters.
	s.ps.ZeroGrad()
	if _, err := s.eval(); err != nil {
		return err
	}
	m.LBFGSStop = res.Reason.String()
	m.LBFGSSeconds += time.Since(t0).Seconds()
	m.LBFGSGradNorm = res.GradNorm
	m.RefineRounds = r.rounds
	return nil
}

// snapshot describes the current state; fields are evaluated on every FieldsEvery-th snapshot
// and on the last.
func (r *run) snapshot(phase string, done bool) *inr.Snapshot {
	names, vals := r.s.terms()
	terms := make(map[string]float64, len(names))
	for k, n := range names {
		terms[n] = vals[k]
	}
	snap := &inr.Snapshot{Step: r.step, Seconds: time.Since(r.start).Seconds(), Loss: r.loss, Terms: terms, Phase: phase, Done: done}
	r.snaps++
	if len(r.obs) > 0 && (done || (r.opt.FieldsEvery > 0 && r.snaps%r.opt.FieldsEvery == 0)) {
		if ev, err := r.s.evaluate(); err == nil && ev != nil {
			snap.Metrics = ev.metricsMap(r.s.p)
			snap.Fields = ev.fields(r.s.p)
		}
	} else if r.opt.MetricsEvery > 0 && r.snaps%r.opt.MetricsEvery == 0 {
		if m, err := r.s.quickMetrics(); err == nil {
			snap.Metrics = m
		}
	}
	return snap
}

func (r *run) publish(snap *inr.Snapshot) {
	if r.opt.Log != nil {
		fmt.Fprintf(r.opt.Log, "%-6s %7d  loss %.3e", snap.Phase, snap.Step, snap.Loss)
		names, vals := r.s.terms()
		for k, n := range names {
			fmt.Fprintf(r.opt.Log, "  %s %.2e", n, vals[k])
		}
		if c := r.s.interior.causal; c != nil && c.on {
			fmt.Fprintf(r.opt.Log, "  causal weight %.2e", c.minWeight())
		}
		if v, ok := snap.Metrics["rel_l2"]; ok {
			fmt.Fprintf(r.opt.Log, "  rel_l2 %.3e", v)
		}
		fmt.Fprintf(r.opt.Log, "  %.1fs\n", snap.Seconds)
	}
	for _, o := range r.obs {
		o.Observe(snap)
	}
}

// resample redraws the interior points (keeping RAR anchors) and, when configured, the
// condition points.
func (s *solver) resample() {
	for _, src := range s.sources {
		if src.set != nil && src.resample {
			src.set.Resample()
			src.fill()
		}
	}
}

// refine applies residual-based adaptive refinement to the interior points: candidates are drawn
// with a uniform sampler, their equation residual is evaluated, and RAR adds the worst ones while
// RAD redraws the whole interior set from them.
func (s *solver) refine(ad *Adaptive, round uint64) error {
	p := s.p
	cand, err := sample.Draw(p.Domain, sample.Interior, sample.NewUniform(s.seed*7919+round), ad.Candidates)
	if err != nil {
		return err
	}
	res, err := s.residualAt(cand.X)
	if err != nil {
		return err
	}
	switch ad.Method {
	case "rar":
		idx, err := sample.RAR(res, ad.Points)
		if err != nil {
			return err
		}
		s.anchors = append(s.anchors, cand.Select(idx).X...)
	case "rad":
		idx, err := sample.RAD(res, ad.Points, ad.K, ad.C, nn.NewRNG(s.seed*104729+round))
		if err != nil {
			return err
		}
		// The parser holds RAD's count to the interior set's size, so the set keeps its shape
		// and can still be resampled.
		copy(s.set.Points.X, cand.Select(idx).X)
	}
	s.fillInterior()
	return nil
}

// Threads is the number of threads a solve uses (GOMAXPROCS; the kernels follow it).
func Threads() int { return runtime.GOMAXPROCS(0) }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
