package inr

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/inrstudio/studio/nn"
)

// CheckpointFile is the name of the checkpoint a fit keeps in its run folder while it is not
// finished (see FitOptions.Checkpoint).
const CheckpointFile = "checkpoint.safetensors"

// A checkpoint is a model file (safetensors: the model's tensors and metadata, so Python and
// `inr eval` read it like any model file) with the trainer's state added: tensors named
// "checkpoint.*" (Adam's moments, the best weights, the loss history, the evaluations, the
// mini-batch permutation, the state --rollback returns to) and a "checkpoint" metadata document
// (checkpointDoc). Resuming from it continues the fit bit for bit: same thread count, same
// results as a run never stopped.
const (
	ckptPrefix = "checkpoint."
	ckptMeta   = "checkpoint"
)

// checkpointDoc is the "checkpoint" metadata: what the fit was asked to do (which must match on
// resume) and where the trainer stood.
type checkpointDoc struct {
	Steps     int     `json:"steps"`
	LR        float64 `json:"lr"`
	Schedule  string  `json:"schedule"`
	Warmup    int     `json:"warmup,omitempty"`
	Batch     int     `json:"batch"`
	Seed      uint64  `json:"seed"`
	EvalEvery int     `json:"eval_every"`
	KeepBest  bool    `json:"keep_best"`
	Rollback  float64 `json:"rollback,omitempty"`
	// TimeLimit is FitOptions.TimeLimit in seconds: a resumed fit keeps it unless told otherwise.
	TimeLimit float64 `json:"time_limit,omitempty"`
	InitFrom  string  `json:"init,omitempty"`
	Target    string  `json:"target_sha256"` // of the prepared target's pixels (size and channels included)

	Done      int               `json:"done"` // updates applied
	AdamSteps int               `json:"adam_steps"`
	Seconds   float64           `json:"seconds"`
	BestStep  int               `json:"best_step"`
	LastEval  int               `json:"last_eval"`
	BatchPos  int               `json:"batch_pos,omitempty"`
	RNG       []byte            `json:"rng,omitempty"`             // the mini-batch generator (PCG state)
	Rollbacks []int             `json:"rollbacks,omitempty"`       // the steps that rolled back (Rollback)
	RewindTo  int               `json:"rewind_to,omitempty"`       // Adam's step count in the state Rollback returns to
	Streak    int               `json:"rollback_streak,omitempty"` // rollbacks since that state was saved
	Caller    map[string]string `json:"caller,omitempty"`
}

// Checkpoint is a checkpoint file as read back: the model it holds (architecture, settings and
// the weights after Done updates), the fit's settings, and what the caller recorded with it
// (FitOptions.CheckpointCaller: the command line's image path and flags).
type Checkpoint struct {
	Path    string
	Model   *Model
	Options FitOptions // Arch, Config, Steps, LR, Schedule, Warmup, Batch, Seed, EvalEvery, KeepBest, Rollback, TimeLimit, InitFrom
	Done    int
	Caller  map[string]string

	doc     checkpointDoc
	tensors map[string][]float64
}

// parseCheckpointDoc reads a checkpoint's trainer metadata.
func parseCheckpointDoc(raw string) (checkpointDoc, error) {
	var doc checkpointDoc
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return doc, fmt.Errorf("bad %q metadata: %w", ckptMeta, err)
	}
	return doc, nil
}

// CheckpointProgress reads from a model file's metadata (Model.Extra, or nn.Meta.Extra) how far
// the fit of a checkpoint had gone: done of steps updates. ok is false for a file that is not a
// checkpoint (or whose trainer metadata does not parse).
func CheckpointProgress(extra map[string]string) (done, steps int, ok bool) {
	raw, found := extra[ckptMeta]
	if !found {
		return 0, 0, false
	}
	doc, err := parseCheckpointDoc(raw)
	if err != nil {
		return 0, 0, false
	}
	return doc.Done, doc.Steps, true
}

// ReadCheckpoint reads the checkpoint file at path.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	meta, tensors, err := nn.LoadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("checkpoint %s: no such file (a fit keeps one only while it is unfinished)", path)
		}
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	raw, ok := meta.Extra[ckptMeta]
	if !ok {
		return nil, fmt.Errorf("checkpoint %s: a model file without trainer state (not a checkpoint)", path)
	}
	delete(meta.Extra, ckptMeta)
	doc, err := parseCheckpointDoc(raw)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	var model []nn.Tensor
	state := map[string][]float64{}
	for _, t := range tensors {
		if name, ok := strings.CutPrefix(t.Name, ckptPrefix); ok {
			state[name] = t.Data
		} else {
			model = append(model, t)
		}
	}
	m, err := ModelFromFile(path, meta, model)
	if err != nil {
		return nil, err
	}
	opt := FitOptions{Arch: m.Arch, Config: m.Config, Steps: doc.Steps, LR: doc.LR, Schedule: doc.Schedule, Warmup: doc.Warmup,
		Batch: doc.Batch, Seed: doc.Seed, EvalEvery: doc.EvalEvery, KeepBest: doc.KeepBest, Rollback: doc.Rollback, InitFrom: doc.InitFrom,
		TimeLimit: time.Duration(doc.TimeLimit * float64(time.Second))}
	return &Checkpoint{Path: path, Model: m, Options: opt, Done: doc.Done, Caller: doc.Caller, doc: doc, tensors: state}, nil
}

// targetDigest fingerprints the prepared target: a resumed fit must see the same pixels.
func targetDigest(im *Image) string {
	h := sha256.New()
	var b [8]byte
	for _, v := range []int{im.W, im.H, im.C} {
		binary.LittleEndian.PutUint64(b[:], uint64(v))
		h.Write(b[:])
	}
	for _, v := range im.Pix {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeCheckpoint saves the trainer's state after done updates to the path of the options,
// atomically.
func (t *Fitter) writeCheckpoint(done int) error {
	doc := checkpointDoc{Steps: t.opt.Steps, LR: t.opt.LR, Schedule: t.opt.Schedule, Warmup: t.opt.Warmup, Batch: t.opt.Batch,
		Seed: t.opt.Seed, EvalEvery: t.opt.EvalEvery, KeepBest: t.opt.KeepBest, Rollback: t.opt.Rollback, InitFrom: t.opt.InitFrom,
		TimeLimit: t.opt.TimeLimit.Seconds(),
		Target:    targetDigest(t.sig.im), Done: done, AdamSteps: t.adam.Steps(), Seconds: t.elapsed(),
		BestStep: t.bestStep, LastEval: t.lastEval, Caller: t.opt.CheckpointCaller, Rollbacks: t.rb.at, RewindTo: t.rb.t, Streak: t.rb.streak}
	if t.src != nil {
		rng, err := t.src.MarshalBinary()
		if err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		doc.RNG, doc.BatchPos = rng, t.pos
	}
	js, err := json.Marshal(doc)
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	params := t.model.Net.State()
	add := func(name string, data []float64) {
		params = append(params, &nn.Param{Name: ckptPrefix + name, Shape: []int{len(data)}, Value: data})
	}
	m, v := t.adam.Moments()
	add("adam_m", m)
	add("adam_v", v)
	add("loss", t.loss)
	if t.best != nil {
		add("best", t.best)
		add("best_psnr", []float64{t.bestPSNR})
	}
	steps, psnr := make([]float64, len(t.evals)), make([]float64, len(t.evals))
	for i, e := range t.evals {
		steps[i], psnr[i] = float64(e.Step), e.PSNR
	}
	add("eval_steps", steps)
	add("eval_psnr", psnr)
	if t.rb.saved() {
		add("rewind_weights", t.rb.p)
		add("rewind_adam_m", t.rb.m)
		add("rewind_adam_v", t.rb.v)
		add("rewind_loss", []float64{t.rb.loss})
	}
	if t.perm != nil {
		perm := make([]float64, len(t.perm))
		for i, p := range t.perm {
			perm[i] = float64(p)
		}
		add("batch_perm", perm)
	}
	// The image's size and the steps done, as a model file records them: `inr eval` and
	// `inr info` read a checkpoint as the model at that step.
	extra := fitMeta(t.sig.im, t.opt.Seed, done)
	extra[ckptMeta] = string(js)
	return t.model.save(t.opt.Checkpoint, "", extra, params)
}

// Resume sets the fitter (built by NewFitter with the checkpoint's options, from the same
// target) to the state the checkpoint recorded, weights included, so that Run continues from
// there. Anything that would make the continuation differ from the run that wrote it is an
// error, and leaves the fitter as it was.
func (t *Fitter) Resume(c *Checkpoint) error {
	d := c.doc
	bad := func(what string, was, now any) error {
		return fmt.Errorf("checkpoint %s: the fit it was written by had %s %v, this one %v", c.Path, what, was, now)
	}
	switch {
	case t.ran:
		return errors.New("resume: the fit has already run")
	case c.Model.Arch != t.model.Arch || c.Model.In != t.model.In || c.Model.Out != t.model.Out:
		return bad("model", fmt.Sprintf("%s %d→%d", c.Model.Arch, c.Model.In, c.Model.Out),
			fmt.Sprintf("%s %d→%d", t.model.Arch, t.model.In, t.model.Out))
	case d.Target != targetDigest(t.sig.im):
		return fmt.Errorf("checkpoint %s: the target image differs from the one it was fitting (file, --size or --crop changed?)", c.Path)
	case d.Done < 0 || d.Done >= d.Steps:
		return fmt.Errorf("checkpoint %s: %d of %d steps done: nothing to resume", c.Path, d.Done, d.Steps)
	}
	cfgWas, _ := json.Marshal(c.Model.Config)
	cfgNow, _ := json.Marshal(t.model.Config)
	for _, s := range []struct {
		what     string
		was, now any
	}{
		{"settings", string(cfgWas), string(cfgNow)}, {"--steps", d.Steps, t.opt.Steps}, {"--lr", d.LR, t.opt.LR},
		{"--schedule", d.Schedule, t.opt.Schedule}, {"--warmup", d.Warmup, t.opt.Warmup}, {"--batch", d.Batch, t.opt.Batch}, {"--seed", d.Seed, t.opt.Seed},
		{"--eval-every", d.EvalEvery, t.opt.EvalEvery}, {"--keep-best", d.KeepBest, t.opt.KeepBest}, {"--rollback", d.Rollback, t.opt.Rollback},
	} {
		if s.was != s.now {
			return bad(s.what, s.was, s.now)
		}
	}
	n := len(t.ps.Value)
	need := func(name string, size int) ([]float64, error) {
		v, ok := c.tensors[name]
		if !ok || len(v) != size {
			return nil, fmt.Errorf("checkpoint %s: %s%s missing or of the wrong size", c.Path, ckptPrefix, name)
		}
		return v, nil
	}
	m, err := need("adam_m", n)
	if err != nil {
		return err
	}
	v, err := need("adam_v", n)
	if err != nil {
		return err
	}
	loss, err := need("loss", d.Done)
	if err != nil {
		return err
	}
	steps, err := need("eval_steps", len(c.tensors["eval_psnr"]))
	if err != nil {
		return err
	}
	var best, bestPSNR []float64
	if _, ok := c.tensors["best"]; ok {
		if best, err = need("best", n); err != nil {
			return err
		}
		if bestPSNR, err = need("best_psnr", 1); err != nil {
			return err
		}
	}
	var rw [3][]float64 // the state Rollback returns to: the weights and Adam's moments
	var rwLoss []float64
	if _, ok := c.tensors["rewind_weights"]; ok {
		for i, name := range []string{"rewind_weights", "rewind_adam_m", "rewind_adam_v"} {
			if rw[i], err = need(name, n); err != nil {
				return err
			}
		}
		if rwLoss, err = need("rewind_loss", 1); err != nil {
			return err
		}
	}
	if d.RewindTo < 0 || d.Streak < 0 || d.Streak > len(d.Rollbacks) || len(d.Rollbacks) > 0 && rw[0] == nil {
		return fmt.Errorf("checkpoint %s: rollback state missing or out of range", c.Path)
	}
	var perm []float64
	var src rand.PCG
	if t.perm != nil {
		if perm, err = need("batch_perm", len(t.perm)); err != nil {
			return err
		}
		if err := src.UnmarshalBinary(d.RNG); err != nil {
			return fmt.Errorf("checkpoint %s: mini-batch generator: %w", c.Path, err)
		}
		if d.BatchPos < 0 || d.BatchPos > len(t.perm) {
			return fmt.Errorf("checkpoint %s: mini-batch position %d out of range", c.Path, d.BatchPos)
		}
	}
	if d.AdamSteps < 0 {
		return fmt.Errorf("checkpoint %s: Adam at step %d", c.Path, d.AdamSteps)
	}
	// Every check is done; startFrom checks the weights' shapes before it copies them.
	if err := startFrom(t.model, c.Model, c.Path); err != nil {
		return err
	}
	if err := t.adam.Restore(m, v, d.AdamSteps); err != nil {
		return fmt.Errorf("checkpoint %s: %w", c.Path, err) // cannot happen: sizes and step checked above
	}
	if t.perm != nil {
		*t.src = src
		for i, p := range perm {
			t.perm[i] = int(p)
		}
		t.pos = d.BatchPos
	}
	t.loss = append(t.loss[:0], loss...)
	t.evals = t.evals[:0]
	for i, s := range steps {
		t.evals = append(t.evals, Evaluation{Step: int(s), PSNR: c.tensors["eval_psnr"][i]})
	}
	if best != nil {
		t.best = append([]float64(nil), best...)
		t.bestPSNR = bestPSNR[0]
	}
	if rw[0] != nil {
		t.rb.p = append([]float64(nil), rw[0]...)
		t.rb.m = append([]float64(nil), rw[1]...)
		t.rb.v = append([]float64(nil), rw[2]...)
		t.rb.loss, t.rb.t, t.rb.streak = rwLoss[0], d.RewindTo, d.Streak
	}
	t.rb.at = append([]int(nil), d.Rollbacks...)
	t.adam.LR = rolledRate(t.lr, len(t.rb.at))
	t.bestStep, t.lastEval, t.prior = d.BestStep, d.LastEval, d.Seconds
	t.resumed = true
	return nil
}

// checkpointDue says whether Run writes a checkpoint now: the options ask for them and the
// interval has passed since the last one (or the start).
func (t *Fitter) checkpointDue() bool {
	return t.opt.Checkpoint != "" && t.opt.CheckpointEvery > 0 && time.Since(t.lastCkpt) >= t.opt.CheckpointEvery
}

// dropCheckpoint removes the checkpoint of a fit that ended (completed or diverged): resuming it
// could only repeat the ending.
func (t *Fitter) dropCheckpoint() error {
	if t.opt.Checkpoint == "" {
		return nil
	}
	if err := os.Remove(t.opt.Checkpoint); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}
