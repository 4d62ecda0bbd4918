package inr

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/inrstudio/studio/nn"
)

// DefaultEvalEvery is how often Fit evaluates the full reconstruction when FitOptions.EvalEvery
// is 0.
const DefaultEvalEvery = 25

// Schedules lists the learning-rate schedules Fit accepts (nn.NewSchedule's names): constant
// (also "none"), wire (lr0·0.1^(t/steps), the WIRE family's), cosine (to 0), step (×0.1 every steps/3),
// exponential (tenfold decay over the run).
var Schedules = []string{"constant", "wire", "cosine", "step", "exponential"}

// FitOptions configures Fit. The zero value of every field but Arch and Steps means "the
// default".
type FitOptions struct {
	Arch   string // registered architecture name
	Config Config // nil: the architecture's defaults
	Steps  int    // optimisation steps (≥ 1)
	LR     float64
	// Schedule names the learning-rate schedule ("" is constant).
	Schedule string
	// Warmup is the number of steps of linear learning-rate warm-up (0: none): the rate ramps
	// from 1/Warmup of the schedule's to all of it (nn.Warmup).
	Warmup int
	// Batch is the number of random pixels per step; 0 (or ≥ the pixel count) is full batch, every
	// pixel in every step. Mini-batches are drawn without replacement within each pass over the
	// image (a fresh permutation per pass), from a generator seeded with Seed.
	Batch int
	Seed  uint64
	// Init, when not nil, supplies the starting weights instead of a fresh draw from Seed (a model
	// file written by an earlier fit: same architecture, settings, 2 inputs and the image's
	// channels). InitFrom names its file for the report.
	Init     *Model
	InitFrom string
	// EvalEvery is the number of steps between evaluations (full-grid reconstruction and PSNR);
	// the initial and the final state are always evaluated.
	EvalEvery int
	// KeepBest makes the result's model hold the weights of the best evaluation instead of the
	// last ones.
	KeepBest bool
	// Rollback, when not 0 (it must then be > 1), undoes loss spikes: a step whose loss is above
	// Rollback times the lowest loss so far, or whose loss or gradient is not finite, rewinds the
	// fit to the state that gave that lowest loss (the weights, and Adam's moments and step
	// count, so a schedule rewinds too) and halves the learning rate; the step is spent on it.
	// MaxRollbacks rollbacks in a row with no new lowest loss between them end the fit as
	// diverged; without Rollback a non-finite loss does. In mini-batches the losses compared are
	// batch losses.
	Rollback float64
	// TimeLimit, when not 0, ends the fit after the step during which its wall time (a resumed
	// fit's earlier time included, evaluations included) reaches it: the fit ends as a finished
	// one with fewer steps (Stop = StopTimeLimit; the final evaluation is made and no checkpoint
	// is kept), as a fixed time budget for comparing architectures asks.
	TimeLimit time.Duration
	// Observers receive a snapshot after every step (loss only) and at every evaluation (metrics
	// and the target, reconstruction and error fields).
	Observers []Observer
	// Checkpoint, when not empty, is the path of the checkpoint file Run keeps while the fit is
	// unfinished: written every CheckpointEvery of wall time (0: never periodically) and when the
	// fit is interrupted, removed when it completes or diverges. ReadCheckpoint and
	// Fitter.Resume continue from it. CheckpointCaller is recorded in it as given (the command
	// line keeps the image path and its flags there).
	Checkpoint       string
	CheckpointEvery  time.Duration
	CheckpointCaller map[string]string

	// renderByBatch makes a mini-batch fit render its evaluations in chunks of Batch points, as
	// EstimateMemory's probes need to tell the memory per point from the memory per pixel.
	renderByBatch bool
}

// minRenderRows is the fewest points a mini-batch fit renders an evaluation with at a time. A
// forward pass of a few points costs nearly what one of a thousand does (every layer packs its
// weights for the GEMM once per pass): rendering the 128² grid in batches of 1 point took 2.2 s
// against 30 ms in one pass, so `--batch 1` spent 99% of its time evaluating. The network's
// buffers grow to this many points (a few megabytes at 256-wide layers).
const minRenderRows = 1024

// renderRows is how many points a mini-batch fit with batch points per step renders at a time
// (EstimateMemory counts them as the points of a step).
func renderRows(batch, pixels int) int { return min(pixels, max(batch, minRenderRows)) }

// StopReason says why a fit ended.
type StopReason string

const (
	StopCompleted   StopReason = "completed"   // every step ran
	StopInterrupted StopReason = "interrupted" // the context was cancelled
	StopDiverged    StopReason = "diverged"    // the loss or the gradient became NaN or infinite
	StopTimeLimit   StopReason = "time_limit"  // FitOptions.TimeLimit was reached
)

// Evaluation is one full-grid evaluation: the PSNR of the weights after Step updates.
type Evaluation struct {
	Step int     `json:"step"`
	PSNR float64 `json:"psnr"`
}

// FitResult is what Fit returns.
type FitResult struct {
	Model          *Model
	Target         *Image // the image fitted
	Reconstruction *Image // the returned model's rendering of the training grid, on [0, 1] (clipped)
	Steps          int    // optimisation steps done
	Loss           []float64
	Evals          []Evaluation
	// PSNR is the returned model's; LastPSNR the weights' after the last step (they differ when
	// the best weights were kept or restored after a divergence; NaN if the last state diverged).
	PSNR, LastPSNR float64
	BestPSNR       float64
	BestStep       int
	SSIM           float64
	Seconds        float64
	LR             float64
	Schedule       string
	Range          string
	Stop           StopReason
	// KeptBest is true when Model holds the best evaluation's weights rather than the last ones
	// (KeepBest, or a divergence).
	KeptBest bool
	Batch    int // points per step
	// Rollbacks are the steps spent rewinding the fit (FitOptions.Rollback); the rate ended at
	// LR·2^−len(Rollbacks) (times the schedule's factor).
	Rollbacks []int
}

// ErrDiverged is wrapped by the error Fit returns when training diverges.
var ErrDiverged = errDiverged

// validate checks the options against the image and returns the resolved configuration.
func (o *FitOptions) validate() (Config, Training, error) {
	arch, err := LookupArch(o.Arch)
	if err != nil {
		return nil, Training{}, err
	}
	cfg := o.Config
	if cfg == nil {
		cfg = arch.NewConfig()
	}
	tr := cfg.Training()
	switch {
	case o.Steps < 1:
		return nil, tr, fmt.Errorf("steps %d: need at least 1", o.Steps)
	case o.LR < 0 || math.IsNaN(o.LR) || math.IsInf(o.LR, 0):
		return nil, tr, fmt.Errorf("learning rate %v: need a finite number > 0", o.LR)
	case o.Batch < 0:
		return nil, tr, fmt.Errorf("batch %d: need ≥ 0 (0 is full batch)", o.Batch)
	case o.EvalEvery < 0:
		return nil, tr, fmt.Errorf("eval-every %d: need ≥ 0", o.EvalEvery)
	case o.Warmup < 0 || o.Warmup > o.Steps:
		return nil, tr, fmt.Errorf("warmup %d: need 0 (none) to the number of steps (%d)", o.Warmup, o.Steps)
	case o.Rollback != 0 && !(o.Rollback > 1 && !math.IsInf(o.Rollback, 1)):
		return nil, tr, fmt.Errorf("rollback %v: need 0 (off) or a finite factor > 1 (1000: undo a loss that jumps a thousandfold)", o.Rollback)
	case o.TimeLimit < 0:
		return nil, tr, fmt.Errorf("time limit %v: need ≥ 0 (0: none)", o.TimeLimit)
	}
	if o.LR > 0 {
		tr.LR = o.LR
	}
	if !(tr.LR > 0) {
		return nil, tr, fmt.Errorf("model %s: learning rate %v: need > 0", o.Arch, tr.LR)
	}
	if o.Schedule == "none" {
		o.Schedule = "constant"
	}
	if _, err := nn.NewSchedule(o.Schedule, o.Steps); err != nil {
		return nil, tr, err
	}
	return cfg, tr, nil
}

// ValidateFit checks the options without fitting (the command line validates everything before
// it creates the output folder).
func ValidateFit(opt FitOptions) error {
	_, _, err := opt.validate()
	return err
}

// Fit fits a coordinate network to the image with Adam and returns the trained model and the
// run's figures. Cancelling ctx stops the loop after the current step; the result is then
// complete for the steps done (Stop = StopInterrupted) and the error is nil. A diverging loss
// stops the loop with an error wrapping ErrDiverged, and the result still holds the best state
// seen. Same image, options and thread count give bit-identical results.
func Fit(ctx context.Context, im *Image, opt FitOptions) (*FitResult, error) {
	f, err := NewFitter(im, opt)
	if err != nil {
		return nil, err
	}
	return f.Run(ctx)
}

// Fitter is one fit, prepared: the options are validated, the target is prepared and the model
// is built and initialised, so that a caller (the command line) can report every error before it
// creates anything. Run trains it once. After the first step, a step allocates nothing (unless
// observers are attached: each snapshot is a new value they may keep).
type Fitter struct {
	opt    FitOptions
	sig    *imageSignal
	model  *Model
	ps     *nn.ParamSet
	adam   *nn.Adam
	lr     float64
	sched  string
	batch  int
	full   bool
	chunk  int // points rendered at a time in mini-batches (renderRows)
	every  int
	plan   *nn.Plan
	inBuf  nn.JetBuffer
	gradB  nn.JetBuffer
	xb, tb []float64 // mini-batch coordinates and targets
	perm   []int
	pos    int
	rng    *rand.Rand
	src    *rand.PCG // rng's source (saved in checkpoints)
	fullIn nn.Jet    // the input jet of the whole grid (full batch)

	recon    []float64 // signal-space rendering of the grid at the last evaluation (unclipped)
	best     []float64 // parameter values of the best evaluation
	bestPSNR float64
	bestStep int
	lastEval int

	rb rewind // the state Rollback returns to

	loss  []float64
	evals []Evaluation
	start time.Time
	ran   bool

	resumed  bool      // Resume set the state (the steps done are len(loss))
	prior    float64   // seconds spent before Run (a resumed fit)
	lastCkpt time.Time // when Run last wrote a checkpoint (or started)
}

// NewFitter validates the options against the image and builds the model.
func NewFitter(im *Image, opt FitOptions) (*Fitter, error) {
	cfg, tr, err := opt.validate()
	if err != nil {
		return nil, err
	}
	if _, ok := cfg.(SignalAdapter); ok {
		// Adapt a copy: the caller's configuration may serve other fits (the memory estimate's
		// probes on 16-pixel images ran first and left relu_pe at their 2 levels).
		if cfg, err = cloneConfig(opt.Arch, cfg); err != nil {
			return nil, err
		}
		cfg.(SignalAdapter).AdaptTo([]int{im.W, im.H})
	}
	sig, err := newImageSignal(im, tr.Range)
	if err != nil {
		return nil, err
	}
	m, err := NewModel(opt.Arch, cfg, 2, im.C, opt.Seed)
	if err != nil {
		return nil, fmt.Errorf("cannot fit a %d×%d image with %d channel(s): %w", im.W, im.H, im.C, err)
	}
	if opt.Init != nil {
		if err := startFrom(m, opt.Init, opt.InitFrom); err != nil {
			return nil, err
		}
	}
	m.Norm = sig.norm
	ps, err := m.Net.ParamSet()
	if err != nil {
		return nil, fmt.Errorf("model %s: %w", opt.Arch, err)
	}
	sched := opt.Schedule
	if sched == "" {
		sched = "constant"
	}
	s, err := nn.NewSchedule(sched, opt.Steps)
	if err != nil {
		return nil, err
	}
	if opt.Warmup > 0 {
		s = nn.Warmup{Steps: opt.Warmup, Then: s}
	}
	adam := nn.NewAdam(ps, tr.LR)
	adam.Schedule = s
	p := sig.points()
	t := &Fitter{opt: opt, sig: sig, model: m, ps: ps, adam: adam, lr: tr.LR, sched: sched,
		batch: p, full: true, every: opt.EvalEvery, plan: nn.ValuePlan(2),
		recon: make([]float64, p*im.C), bestPSNR: math.Inf(-1), bestStep: -1, lastEval: -1, rb: rewind{loss: math.Inf(1)},
		loss: make([]float64, 0, opt.Steps)}
	if t.every == 0 {
		t.every = DefaultEvalEvery
	}
	if opt.Batch > 0 && opt.Batch < p {
		t.batch, t.full = opt.Batch, false
		t.chunk = renderRows(opt.Batch, p)
		if opt.renderByBatch {
			t.chunk = opt.Batch
		}
		t.xb = make([]float64, 2*opt.Batch)
		t.tb = make([]float64, im.C*opt.Batch)
		t.perm = make([]int, p)
		for i := range t.perm {
			t.perm[i] = i
		}
		t.pos = p                                   // shuffle before the first batch
		t.src = rand.NewPCG(opt.Seed, 0x6261746368) // a stream of its own ("batch")
		t.rng = rand.New(t.src)
	} else {
		t.fullIn = nn.NewInputJet(t.plan, sig.x)
	}
	return t, nil
}

// startFrom copies the weights of init (read from the file from) into the freshly built m.
func startFrom(m, init *Model, from string) error {
	if init.Arch != m.Arch || init.In != m.In || init.Out != m.Out {
		return fmt.Errorf("--init %s: a %s model with %d→%d values; this fit needs %s with %d→%d (an image with %d channel(s))",
			from, init.Arch, init.In, init.Out, m.Arch, m.In, m.Out, m.Out)
	}
	src := init.Net.State()
	tensors := make([]nn.Tensor, len(src))
	for i, p := range src {
		tensors[i] = nn.Tensor{Name: p.Name, Shape: p.Shape, Data: p.Value}
	}
	if err := nn.AssignTensors(m.Net.State(), tensors); err != nil {
		return fmt.Errorf("--init %s: %w", from, err)
	}
	return nil
}

// nextBatch gathers the next mini-batch into xb and tb.
func (t *Fitter) nextBatch() {
	p, c := len(t.perm), t.sig.im.C
	for i := range t.batch {
		if t.pos == p {
			// Fisher–Yates with the trainer's own generator (rand.Shuffle's closure would escape).
			for j := p - 1; j > 0; j-- {
				k := t.rng.IntN(j + 1)
				t.perm[j], t.perm[k] = t.perm[k], t.perm[j]
			}
			t.pos = 0
		}
		q := t.perm[t.pos]
		t.pos++
		copy(t.xb[2*i:2*i+2], t.sig.x.Row(q))
		copy(t.tb[c*i:c*i+c], t.sig.t.Row(q))
	}
}

// step runs one optimisation step and returns the loss. In full batch, when evalAt ≥ 0, the
// network's output (the grid rendered by the current weights, after evalAt updates) is recorded as
// that evaluation before the update: in full batch every evaluation but the last is free.
func (t *Fitter) step(evalAt int) (float64, error) {
	t.ps.ZeroGrad()
	var in nn.Jet
	var target []float64
	if t.full {
		in, target = t.fullIn, t.sig.t.Data
	} else {
		t.nextBatch()
		in = t.inBuf.Get(t.plan, t.batch, 2)
		copy(in.Data(), t.xb)
		target = t.tb
	}
	y := t.model.Net.Forward(in)
	dy := t.gradB.Like(y, y.Width())
	yv := y.Value()
	tm := yv
	tm.Data = target
	loss := nn.MSE{}.Eval(yv, tm, dy.Value(), 1, false)
	finite := !math.IsNaN(loss) && !math.IsInf(loss, 0)
	if t.full && evalAt >= 0 && finite {
		t.evaluateOutput(evalAt, yv.Data[:yv.Rows*yv.Cols], loss)
	}
	if t.opt.Rollback > 0 {
		if finite && loss < t.rb.loss {
			t.rb.save(t.ps.Value, t.adam, loss)
		} else if (!finite || loss > t.opt.Rollback*t.rb.loss) && t.rb.saved() {
			return loss, t.rollback(fmt.Sprintf("the loss is %v", loss))
		}
	}
	if !finite {
		return loss, fmt.Errorf("the loss is %v", loss)
	}
	t.model.Net.Backward(dy, false)
	if err := t.adam.Step(); err != nil {
		if t.opt.Rollback > 0 && t.rb.saved() {
			return loss, t.rollback("the gradient is not finite")
		}
		return loss, errors.New("the gradient is not finite")
	}
	return loss, nil
}

// rewind is the state FitOptions.Rollback returns to: the weights that gave the lowest loss so
// far and Adam's state before it stepped from them.
type rewind struct {
	loss    float64 // +Inf before the first save
	p, m, v []float64
	t       int
	at      []int // the steps that rolled back
	streak  int   // rollbacks since the last save
}

// MaxRollbacks is the number of rollbacks in a row (no new lowest loss between them, the rate
// down 2^MaxRollbacks-fold) after which a fit with FitOptions.Rollback stops as diverged.
const MaxRollbacks = 10

func (r *rewind) saved() bool { return r.p != nil }

// save records the weights p that gave loss and Adam's current state.
func (r *rewind) save(p []float64, a *nn.Adam, loss float64) {
	if r.p == nil {
		r.p, r.m, r.v = make([]float64, len(p)), make([]float64, len(p)), make([]float64, len(p))
	}
	m, v := a.Moments()
	copy(r.p, p)
	copy(r.m, m)
	copy(r.v, v)
	r.t, r.loss, r.streak = a.Steps(), loss, 0
}

// rollback rewinds the fit to the saved state and halves the learning rate (the step being
// taken, len(loss)+1, is spent on it). A spike after MaxRollbacks in a row instead returns an
// error saying why (the spike), and the fit stops as diverged.
func (t *Fitter) rollback(why string) error {
	if t.rb.streak >= MaxRollbacks {
		return fmt.Errorf("%s after %d rollbacks in a row (learning rate halved each time)", why, t.rb.streak)
	}
	copy(t.ps.Value, t.rb.p)
	_ = t.adam.Restore(t.rb.m, t.rb.v, t.rb.t) // same sizes: saved from this Adam
	t.rb.at = append(t.rb.at, len(t.loss)+1)
	t.rb.streak++
	t.adam.LR = rolledRate(t.lr, len(t.rb.at))
	return nil
}

// RollbackNote describes the fit's rollbacks for a report ("" when there were none).
func (r *FitResult) RollbackNote() string {
	n := len(r.Rollbacks)
	if n == 0 {
		return ""
	}
	steps := make([]string, n)
	for i, s := range r.Rollbacks {
		steps[i] = strconv.Itoa(s)
	}
	times := "once"
	if n > 1 {
		times = strconv.Itoa(n) + " times"
	}
	return fmt.Sprintf("loss spikes rolled back %s (step %s); the learning rate, halved each time, ended at %g (from %g)", times,
		strings.Join(steps, ", "), rolledRate(r.LR, n), r.LR)
}

// rolledRate is the base learning rate after n rollbacks (halving is exact, so a resumed fit
// recomputes it bit for bit).
func rolledRate(lr float64, n int) float64 { return math.Ldexp(lr, -n) }

func (t *Fitter) evalDue(k int) bool { return k%t.every == 0 || k == t.opt.Steps }

// SetObservers replaces the observers of the options (before Run).
func (t *Fitter) SetObservers(obs []Observer) { t.opt.Observers = obs }

// Model is the model being fitted.
func (t *Fitter) Model() *Model { return t.model }

// Run is the training loop; call it once. A resumed fitter continues after the checkpoint's
// steps.
func (t *Fitter) Run(ctx context.Context) (*FitResult, error) {
	if t.ran {
		return nil, errors.New("fit: Run called twice")
	}
	t.ran = true
	t.start = time.Now()
	t.lastCkpt = t.start
	stop := StopCompleted
	var failure, ckptErr error
	if !t.full && !t.resumed {
		t.evaluate(0)
	}
	for s := len(t.loss) + 1; s <= t.opt.Steps; s++ {
		if ctx.Err() != nil {
			stop = StopInterrupted
			break
		}
		done := s - 1 // updates applied so far
		evalAt := -1
		if t.evalDue(done) {
			evalAt = done
		}
		loss, err := t.step(evalAt)
		if err != nil {
			stop = StopDiverged
			failure = fmt.Errorf("%w at step %d: %v; try a lower learning rate than %g (--lr)", errDiverged, s, err, t.adam.Rate())
			break
		}
		t.loss = append(t.loss, loss)
		t.publishStep(s, loss)
		if !t.full && t.evalDue(s) {
			t.evaluate(s)
		}
		if s < t.opt.Steps && t.opt.TimeLimit > 0 && t.elapsed() >= t.opt.TimeLimit.Seconds() {
			stop = StopTimeLimit
			break
		}
		if s < t.opt.Steps && t.checkpointDue() {
			if err := t.writeCheckpoint(s); err != nil && ckptErr == nil {
				ckptErr = err
			}
			t.lastCkpt = time.Now()
		}
	}
	steps := len(t.loss)
	switch {
	case t.opt.Checkpoint == "":
	case stop == StopInterrupted:
		// before the final evaluation below, which a run never stopped would not have made
		if err := t.writeCheckpoint(steps); err != nil {
			ckptErr = err
		}
	default:
		ckptErr = t.dropCheckpoint()
	}
	if stop != StopDiverged && t.lastEval != steps {
		t.evaluate(steps)
	}
	lastPSNR := math.NaN()
	if stop != StopDiverged && len(t.evals) > 0 {
		lastPSNR = t.evals[len(t.evals)-1].PSNR
	}
	kept := false
	if (t.opt.KeepBest || stop == StopDiverged) && t.best != nil && t.bestStep != steps {
		copy(t.ps.Value, t.best)
		kept = true
	}
	res := t.result(steps, stop, lastPSNR, kept)
	t.publishDone(res)
	if failure == nil && ckptErr != nil {
		failure = ckptErr
	}
	return res, failure
}

// elapsed is the fit's time so far, a resumed fit's earlier time included.
func (t *Fitter) elapsed() float64 { return t.prior + time.Since(t.start).Seconds() }

func (t *Fitter) lastLoss() float64 {
	if len(t.loss) == 0 {
		return math.NaN()
	}
	return t.loss[len(t.loss)-1]
}

// evaluate renders the whole grid with the current weights and records the evaluation of the
// weights after k updates.
func (t *Fitter) evaluate(k int) {
	t.renderGrid()
	t.record(k, t.lastLoss())
}

// evaluateOutput records an evaluation from a full-batch forward pass's output y (network units).
func (t *Fitter) evaluateOutput(k int, y []float64, loss float64) {
	c := t.sig.im.C
	for i, v := range y {
		t.recon[i] = t.sig.norm.ToSignal(i%c, v)
	}
	t.record(k, loss)
}

// renderGrid fills recon with the current weights' rendering of the grid; in mini-batches
// chunk points at a time, through the training buffers.
func (t *Fitter) renderGrid() {
	if t.full {
		y := t.model.Net.Forward(t.fullIn).Value()
		c := t.sig.im.C
		for i, v := range y.Data[:y.Rows*y.Cols] {
			t.recon[i] = t.sig.norm.ToSignal(i%c, v)
		}
		return
	}
	p, c := t.sig.points(), t.sig.im.C
	for r0 := 0; r0 < p; r0 += t.chunk {
		n := min(t.chunk, p-r0)
		in := t.inBuf.Get(t.plan, n, 2)
		copy(in.Data(), t.sig.x.Data[2*r0:2*(r0+n)])
		y := t.model.Net.Forward(in).Value()
		for i, v := range y.Data[:n*c] {
			t.recon[r0*c+i] = t.sig.norm.ToSignal(i%c, v)
		}
	}
}

// record computes the PSNR of recon, keeps the best weights and publishes the evaluation.
func (t *Fitter) record(k int, loss float64) {
	psnr := PSNR(t.recon, t.sig.im.Pix)
	t.evals = append(t.evals, Evaluation{Step: k, PSNR: psnr})
	t.lastEval = k
	if psnr > t.bestPSNR {
		t.bestPSNR, t.bestStep = psnr, k
		if t.best == nil {
			t.best = make([]float64, len(t.ps.Value))
		}
		copy(t.best, t.ps.Value)
	}
	if len(t.opt.Observers) == 0 {
		return
	}
	s := &Snapshot{Step: k, Seconds: t.elapsed(), Loss: loss, Phase: "adam",
		Metrics: map[string]float64{"psnr": psnr, "best_psnr": t.bestPSNR},
		Fields:  t.fields()}
	for _, o := range t.opt.Observers {
		o.Observe(s)
	}
}

// fields returns copies of the target, the current reconstruction (clipped) and its error.
func (t *Fitter) fields() []Field {
	im := t.sig.im
	rec := make([]float64, len(t.recon))
	errs := make([]float64, im.W*im.H)
	for i, v := range t.recon {
		rec[i] = clip01(v)
	}
	for p := range errs {
		var s float64
		for ch := 0; ch < im.C; ch++ {
			s += math.Abs(rec[p*im.C+ch] - im.Pix[p*im.C+ch])
		}
		errs[p] = s / float64(im.C)
	}
	mk := func(name string, kind FieldKind, c int, data []float64, label string) Field {
		return Field{Name: name, Kind: kind, W: im.W, H: im.H, C: c, Data: data, X0: -1, X1: 1, Y0: -1, Y1: 1, Label: label}
	}
	return []Field{
		mk("target", FieldImage, im.C, append([]float64(nil), im.Pix...), "target"),
		mk("reconstruction", FieldImage, im.C, rec, "reconstruction"),
		mk("error", FieldScalar, 1, errs, "|reconstruction − target| (mean over channels)"),
	}
}

func (t *Fitter) publishStep(s int, loss float64) {
	if len(t.opt.Observers) == 0 {
		return
	}
	snap := &Snapshot{Step: s, Seconds: t.elapsed(), Loss: loss, Phase: "adam"}
	for _, o := range t.opt.Observers {
		o.Observe(snap)
	}
}

// result renders the returned weights and assembles the figures.
func (t *Fitter) result(steps int, stop StopReason, lastPSNR float64, kept bool) *FitResult {
	im := t.sig.im
	if kept || stop == StopDiverged || t.lastEval != steps {
		t.renderGrid()
	}
	rec := NewImage(im.W, im.H, im.C, im.Depth)
	for i, v := range t.recon {
		rec.Pix[i] = clip01(v)
	}
	psnr := PSNR(t.recon, im.Pix)
	if !kept && stop != StopDiverged {
		lastPSNR = psnr
	}
	res := &FitResult{
		Model: t.model, Target: im, Reconstruction: rec, Steps: steps, Loss: t.loss, Evals: t.evals,
		PSNR: psnr, LastPSNR: lastPSNR, BestPSNR: t.bestPSNR, BestStep: t.bestStep, SSIM: SSIM(rec, im),
		Seconds: t.elapsed(), LR: t.lr, Schedule: t.sched, Range: t.sig.norm.Range,
		Stop: stop, KeptBest: kept, Batch: t.batch, Rollbacks: t.rb.at,
	}
	return res
}

func (t *Fitter) publishDone(r *FitResult) {
	if len(t.opt.Observers) == 0 {
		return
	}
	s := &Snapshot{Step: r.Steps, Seconds: r.Seconds, Loss: t.lastLoss(), Phase: "adam", Done: true,
		Metrics: map[string]float64{"psnr": r.PSNR, "best_psnr": r.BestPSNR, "ssim": r.SSIM},
		Fields:  t.fields()}
	for _, o := range t.opt.Observers {
		o.Observe(s)
	}
}

// StepTimes runs warmup untimed steps and then n timed ones of the fitting loop's training step
// (forward, loss, backward, Adam) on the image with the given options, and returns their times:
// the figure `inr bench fit` reports.
func StepTimes(im *Image, opt FitOptions, warmup, n int) ([]StepTime, error) {
	if opt.Steps < warmup+n {
		opt.Steps = warmup + n
	}
	t, err := NewFitter(im, opt)
	if err != nil {
		return nil, err
	}
	for range warmup {
		if _, err := t.step(-1); err != nil {
			return nil, err
		}
	}
	times := make([]StepTime, n)
	for i := range times {
		if times[i], err = TimeStep(func() error { _, err := t.step(-1); return err }); err != nil {
			return nil, err
		}
	}
	return times, nil
}

// IsDiverged reports whether err comes from a diverging fit.
func IsDiverged(err error) bool { return errors.Is(err, errDiverged) }
