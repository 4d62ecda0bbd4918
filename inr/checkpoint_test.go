package inr

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fit stopped and resumed from its checkpoint ends bit for bit where the same fit run in one
// go ends: weights, loss history, evaluations and best weights, in full batch and with
// mini-batches (whose generator and permutation the checkpoint carries), from the checkpoint an
// interrupt writes and from a periodic one.
func TestFitResumeBitIdentical(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  FitOptions
	}{
		{"full batch", FitOptions{Arch: "siren", Steps: 60, EvalEvery: 7}},
		{"mini-batch keep-best", FitOptions{Arch: "gauss", Steps: 60, EvalEvery: 9, Batch: 100, KeepBest: true, Seed: 3}},
		{"schedule", FitOptions{Arch: "finer", Steps: 60, EvalEvery: 10, Schedule: "cosine"}},
		{"warm-up", FitOptions{Arch: "wire", Steps: 60, EvalEvery: 10, Warmup: 50}},
		// rolls back at step 27, between the two checkpoints resumed from (TestFitRollback)
		{"rollback", FitOptions{Arch: "siren", Steps: 60, EvalEvery: 7, LR: 1e-3, Rollback: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			im := smallCamera(t, 16)
			whole, err := Fit(context.Background(), im, tc.opt)
			require.NoError(t, err)

			dir := t.TempDir()
			ckpt, periodic := filepath.Join(dir, CheckpointFile), filepath.Join(dir, "periodic.safetensors")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opt := tc.opt
			opt.Checkpoint, opt.CheckpointEvery = ckpt, time.Nanosecond // one after every step
			opt.CheckpointCaller = map[string]string{"image": "camera"}
			opt.Observers = []Observer{ObserverFunc(func(s *Snapshot) {
				if s.Fields != nil {
					return
				}
				if s.Step == 24 { // the checkpoint written after step 23
					data, err := os.ReadFile(ckpt)
					require.NoError(t, err)
					require.NoError(t, os.WriteFile(periodic, data, 0o644))
				}
				if s.Step == 41 {
					cancel()
				}
			})}
			part, err := Fit(ctx, im, opt)
			require.NoError(t, err)
			require.Equal(t, StopInterrupted, part.Stop)
			require.Equal(t, 41, part.Steps)

			for _, from := range []struct {
				path string
				done int
			}{{ckpt, 41}, {periodic, 23}} {
				c, res := resumeFit(t, im, from.path, "")
				require.Equal(t, from.done, c.Done)
				require.Equal(t, "camera", c.Caller["image"])
				assert.Equal(t, StopCompleted, res.Stop)
				assert.Equal(t, whole.Loss, res.Loss, "loss history from %s", from.path)
				assert.Equal(t, whole.Evals, res.Evals)
				assert.Equal(t, whole.BestStep, res.BestStep)
				assert.Equal(t, whole.PSNR, res.PSNR)
				assert.Equal(t, whole.KeptBest, res.KeptBest)
				assert.Equal(t, whole.Rollbacks, res.Rollbacks)
				assert.Equal(t, whole.Model.Net.State()[0].Value, res.Model.Net.State()[0].Value)
				wp, _ := whole.Model.Net.ParamSet()
				rp, _ := res.Model.Net.ParamSet()
				assert.Equal(t, wp.Value, rp.Value, "weights from %s", from.path)
			}
		})
	}
}

// Resuming refuses what would not continue the same fit, and a finished fit leaves no checkpoint.
func TestFitResumeRefusals(t *testing.T) {
	im := smallCamera(t, 16)
	dir := t.TempDir()
	ckpt := filepath.Join(dir, CheckpointFile)
	ctx, cancel := context.WithCancel(context.Background())
	base := FitOptions{Arch: "siren", Steps: 30, EvalEvery: 5, Checkpoint: ckpt}
	opt := base
	opt.Observers = []Observer{ObserverFunc(func(s *Snapshot) {
		if s.Step == 10 {
			cancel()
		}
	})}
	_, err := Fit(ctx, im, opt)
	require.NoError(t, err)
	c, err := ReadCheckpoint(ckpt)
	require.NoError(t, err)

	refused := 0
	for name, change := range map[string]func(o *FitOptions, im **Image){
		"steps":    func(o *FitOptions, _ **Image) { o.Steps = 31 },
		"lr":       func(o *FitOptions, _ **Image) { o.LR = 1e-3 },
		"schedule": func(o *FitOptions, _ **Image) { o.Schedule = "cosine" },
		"warmup":   func(o *FitOptions, _ **Image) { o.Warmup = 10 },
		"rollback": func(o *FitOptions, _ **Image) { o.Rollback = 100 },
		"seed":     func(o *FitOptions, _ **Image) { o.Seed = 9 },
		"image":    func(_ *FitOptions, im **Image) { *im = smallCamera(t, 17) },
		"settings": func(o *FitOptions, _ **Image) { o.Config = Config(nil); o.Arch = "gauss" },
	} {
		o, target := c.Options, im
		change(&o, &target)
		f, err := NewFitter(target, o)
		if err != nil {
			continue // refused before Resume (a model of another shape)
		}
		assert.Error(t, f.Resume(c), name)
		refused++
	}
	assert.Equal(t, 8, refused, "every change reaches Resume and is refused there")

	// run to the end: the checkpoint goes
	resumeFit(t, im, ckpt, ckpt)
	assert.NoFileExists(t, ckpt)
	_, err = ReadCheckpoint(ckpt)
	assert.ErrorContains(t, err, "no such file")

	// a plain model file is not a checkpoint
	model := filepath.Join(dir, "model.safetensors")
	require.NoError(t, c.Model.Save(model, "test", nil))
	_, err = ReadCheckpoint(model)
	assert.ErrorContains(t, err, "not a checkpoint")
}

// A fit interrupted before its first step resumes too (an empty loss history; in mini-batch mode
// the initial evaluation is not repeated).
func TestFitResumeBeforeFirstStep(t *testing.T) {
	im := smallCamera(t, 16)
	opt := FitOptions{Arch: "siren", Steps: 12, EvalEvery: 4, Batch: 50}
	whole, err := Fit(context.Background(), im, opt)
	require.NoError(t, err)
	opt.Checkpoint = filepath.Join(t.TempDir(), CheckpointFile)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	part, err := Fit(ctx, im, opt)
	require.NoError(t, err)
	require.Equal(t, 0, part.Steps)
	_, res := resumeFit(t, im, opt.Checkpoint, "")
	assert.Equal(t, whole.Evals, res.Evals)
	assert.Equal(t, whole.Loss, res.Loss)
	assert.Equal(t, whole.PSNR, res.PSNR)
}

// resumeFit reads the checkpoint at path, resumes the fit it holds on im (keeping its checkpoint
// at keep, "" for none) and runs it to the end.
func resumeFit(t *testing.T, im *Image, path, keep string) (*Checkpoint, *FitResult) {
	t.Helper()
	c, err := ReadCheckpoint(path)
	require.NoError(t, err)
	o := c.Options
	o.Checkpoint = keep
	f, err := NewFitter(im, o)
	require.NoError(t, err)
	require.NoError(t, f.Resume(c))
	res, err := f.Run(context.Background())
	require.NoError(t, err)
	return c, res
}

// The checkpoint carries the rollback state (the rewind point, the rollbacks so far, the streak
// and so the halved rate) exactly.
func TestFitResumeKeepsRollbackState(t *testing.T) {
	im := smallCamera(t, 16)
	ckpt := filepath.Join(t.TempDir(), CheckpointFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := FitOptions{Arch: "siren", Steps: 60, EvalEvery: 7, LR: 1e-3, Rollback: 2, Checkpoint: ckpt}
	opt.Observers = []Observer{ObserverFunc(func(s *Snapshot) {
		if s.Step == 28 { // the step after the rollback at 27 (TestFitRollback)
			cancel()
		}
	})}
	part, err := NewFitter(im, opt)
	require.NoError(t, err)
	res, err := part.Run(ctx)
	require.NoError(t, err)
	require.Equal(t, []int{27}, res.Rollbacks)

	c, err := ReadCheckpoint(ckpt)
	require.NoError(t, err)
	again, err := NewFitter(im, c.Options)
	require.NoError(t, err)
	require.NoError(t, again.Resume(c))
	require.Equal(t, part.rb, again.rb)
	require.Equal(t, 1, again.rb.streak)
	require.Equal(t, part.adam.LR, again.adam.LR)
	require.Equal(t, opt.LR/2, again.adam.LR)
}

// The checkpoint keeps the time limit, which counts the fit's earlier time: a resumed fit whose
// limit was already spent ends after one more step.
func TestFitResumeKeepsTimeLimit(t *testing.T) {
	im := smallCamera(t, 16)
	ckpt := filepath.Join(t.TempDir(), CheckpointFile)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opt := FitOptions{Arch: "siren", Steps: 60, EvalEvery: 7, TimeLimit: time.Hour, Checkpoint: ckpt}
	opt.Observers = []Observer{ObserverFunc(func(s *Snapshot) {
		if s.Step == 10 {
			cancel()
		}
	})}
	part, err := Fit(ctx, im, opt)
	require.NoError(t, err)
	require.Equal(t, StopInterrupted, part.Stop)
	c, err := ReadCheckpoint(ckpt)
	require.NoError(t, err)
	require.Equal(t, time.Hour, c.Options.TimeLimit)

	o := c.Options
	o.TimeLimit = time.Duration(c.doc.Seconds*float64(time.Second)) / 2 // already spent before the resume
	f, err := NewFitter(im, o)
	require.NoError(t, err)
	require.NoError(t, f.Resume(c))
	res, err := f.Run(context.Background())
	require.NoError(t, err)
	require.Equal(t, StopTimeLimit, res.Stop)
	require.Equal(t, c.Done+1, res.Steps)
}
