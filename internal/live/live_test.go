package live

import (
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/inr"
)

// snap is a snapshot of step k whose loss is 1/k and whose fields (every evalEvery steps) hold
// the value k everywhere, so a reader can check that figures and pictures belong together.
func snap(k, evalEvery int, done bool) *inr.Snapshot {
	s := &inr.Snapshot{Step: k, Seconds: float64(k) / 100, Loss: 1 / float64(k), Phase: "adam", Done: done,
		Terms: map[string]float64{"data": 1 / float64(k)}}
	if evalEvery > 0 && k%evalEvery == 0 || done {
		d := make([]float64, 8*4)
		for i := range d {
			d[i] = float64(k)
		}
		s.Fields = []inr.Field{{Name: "reconstruction", Kind: inr.FieldImage, W: 8, H: 4, C: 1, Data: d, X0: -1, X1: 1, Y0: -1, Y1: 1}}
		s.Metrics = map[string]float64{"psnr": float64(k)}
	}
	return s
}

func pollUntil(t *testing.T, r *Reader, cond func(*State) bool) *State {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, err := r.Poll()
		require.NoError(t, err)
		if cond(r.State()) {
			return r.State()
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("state never reached the condition; last: step %d done %v", r.State().Step, r.State().Done)
	return nil
}

func TestWriterReaderRoundTrip(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond, Signal: "image", Title: "unit"})
	require.NoError(t, err)
	const n = 300
	for k := 1; k <= n; k++ {
		w.Observe(snap(k, 25, k == n))
	}
	require.NoError(t, w.Close())

	r, err := NewReader(dir)
	require.NoError(t, err)
	changed, err := r.Poll()
	require.NoError(t, err)
	require.True(t, changed)
	s := r.State()
	assert.Equal(t, SourceLive, s.Source)
	assert.Equal(t, "image", s.Signal)
	assert.Equal(t, "unit", s.Title)
	assert.True(t, s.Done)
	assert.Equal(t, n, s.Step)
	assert.Equal(t, 1/float64(n), s.Loss)
	assert.False(t, s.Controllable)
	require.Equal(t, n, s.History.Len(), "every step's loss reaches the history")
	for k := 1; k <= n; k++ {
		require.Equal(t, float64(k), s.History.Step[k-1])
		require.Equal(t, 1/float64(k), s.History.Loss[k-1])
		require.Equal(t, 1/float64(k), s.History.Terms["data"][k-1])
	}
	psnr := s.History.Metrics["psnr"]
	assert.Equal(t, 12, len(psnr.Step)) // steps 25, 50, …, 300
	assert.Equal(t, float64(n), s.Metrics["psnr"])
	f := s.Field("reconstruction")
	require.NotNil(t, f)
	assert.Equal(t, n, s.FieldsStep)
	assert.Equal(t, float64(n), f.Data[0])
	assert.Nil(t, s.Field("missing"))

	changed, err = r.Poll()
	require.NoError(t, err)
	assert.False(t, changed, "nothing new")
	assert.Error(t, r.Command(CommandPause), "a finished run cannot be paused")
}

// TestReaderSeesConsistentStates polls while a writer publishes as fast as it can: every state
// must be readable, steps and history only grow, and pictures always belong to the step the
// state says.
func TestReaderSeesConsistentStates(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Microsecond})
	require.NoError(t, err)
	r, err := NewReader(dir)
	require.NoError(t, err)
	const n = 3000
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for k := 1; k <= n; k++ {
			w.Observe(snap(k, 10, k == n))
			if k%50 == 0 {
				time.Sleep(time.Millisecond) // let the writer through now and then
			}
		}
	}()
	lastStep, lastLen, states := 0, 0, 0
	for !r.State().Done {
		changed, err := r.Poll()
		require.NoError(t, err)
		if !changed {
			continue
		}
		states++
		s := r.State()
		require.GreaterOrEqual(t, s.Step, lastStep)
		require.GreaterOrEqual(t, s.History.Len(), lastLen)
		// The history holds every step up to the one the state reports (rows are written first).
		require.GreaterOrEqual(t, s.History.Len(), s.Step)
		if f := s.Field("reconstruction"); f != nil {
			require.Equal(t, float64(s.FieldsStep), f.Data[len(f.Data)-1], "pictures belong to their step")
			require.Equal(t, float64(s.FieldsStep), f.Data[0])
		}
		lastStep, lastLen = s.Step, s.History.Len()
	}
	wg.Wait()
	require.NoError(t, w.Close())
	assert.Equal(t, n, r.State().History.Len())
	assert.Greater(t, states, 1, "the reader followed the run")
	ents, err := os.ReadDir(filepath.Join(dir, LiveDir))
	require.NoError(t, err)
	fieldFiles := 0
	for _, e := range ents {
		assert.NotContains(t, e.Name(), ".tmp-", "no temporary file left")
		if filepath.Ext(e.Name()) == ".bin" {
			fieldFiles++
		}
	}
	assert.LessOrEqual(t, fieldFiles, 2, "old fields files are removed")
}

// TestWriterNeverBlocksTraining holds the writer inside a file write (a disk that does not
// answer) and checks that Observe still returns, that intermediate pictures are dropped, and
// that no loss is lost once the disk answers again.
func TestWriterNeverBlocksTraining(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	stuck, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	w.beforeFile = func(string) {
		once.Do(func() {
			close(stuck)
			<-release
		})
	}
	w.Observe(snap(1, 1, false))
	<-stuck // the writer is now inside its first write, and stays there
	const n = 2000
	observed := make(chan struct{})
	go func() {
		for k := 2; k <= n; k++ {
			w.Observe(snap(k, 1, k == n))
		}
		close(observed)
	}()
	select {
	case <-observed:
	case <-time.After(20 * time.Second):
		t.Fatal("Observe blocked while the disk was stuck")
	}
	st := w.Stats()
	assert.Equal(t, n, st.Observed)
	assert.Equal(t, 0, st.States, "nothing could be written yet")
	close(release)
	require.NoError(t, w.Close())
	st = w.Stats()
	assert.GreaterOrEqual(t, st.DroppedFields, n-3, "pictures superseded while the disk was stuck are dropped")
	assert.LessOrEqual(t, st.Fields, 3)

	r, err := NewReader(dir)
	require.NoError(t, err)
	_, err = r.Poll()
	require.NoError(t, err)
	s := r.State()
	assert.True(t, s.Done)
	assert.Equal(t, n, s.History.Len(), "every loss reaches the history")
	require.NotNil(t, s.Field("reconstruction"))
	assert.Equal(t, float64(n), s.Field("reconstruction").Data[0], "the newest pictures are written")
}

func TestWriterReportsWriteErrors(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(filepath.Join(dir, LiveDir))) // the folder vanishes under the run
	w.Observe(snap(1, 1, true))
	assert.Error(t, w.Close())
	assert.Error(t, w.Close(), "Close is idempotent and keeps the error")
}

func TestNewWriterClearsEarlierRun(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	for k := 1; k <= 50; k++ {
		w.Observe(snap(k, 5, k == 50))
	}
	require.NoError(t, w.Close())
	r, err := NewReader(dir)
	require.NoError(t, err)
	pollUntil(t, r, func(s *State) bool { return s.Done })
	first := r.State().RunID

	w, err = NewWriter(dir, WriterOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	w.Observe(snap(1, 1, false))
	w.Observe(snap(2, 1, false))
	s := pollUntil(t, r, func(s *State) bool { return s.RunID != first && s.Step == 2 })
	assert.Equal(t, 2, s.History.Len(), "the new run's history starts afresh")
	assert.False(t, s.Done)
	assert.Equal(t, 2.0, s.Field("reconstruction").Data[0])
	require.NoError(t, w.Close())
}

func TestReaderNoticesDeadWriter(t *testing.T) {
	dir := t.TempDir()
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	w.Observe(snap(1, 1, false))
	require.NoError(t, w.Close())
	// Pretend a process that has exited wrote it.
	cmd := exec.Command("true")
	require.NoError(t, cmd.Run())
	path := filepath.Join(dir, LiveDir, stateFile)
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var d stateDoc
	require.NoError(t, json.Unmarshal(b, &d))
	d.PID = cmd.Process.Pid
	b, err = json.Marshal(d)
	require.NoError(t, err)
	require.NoError(t, writeAtomic(path, b))
	require.NoError(t, writeAtomic(filepath.Join(dir, LiveDir, seqFile), []byte("999\n")))

	r, err := NewReader(dir)
	require.NoError(t, err)
	_, err = r.Poll()
	require.NoError(t, err)
	assert.True(t, r.State().Stale)
	assert.False(t, r.State().Done)
}

func TestReaderOfEmptyFolderWaits(t *testing.T) {
	dir := t.TempDir()
	r, err := NewReader(dir)
	require.NoError(t, err)
	_, err = r.Poll()
	require.NoError(t, err)
	assert.Equal(t, SourceNone, r.State().Source)
	assert.True(t, math.IsNaN(r.State().Loss))
	// A run starting later is picked up.
	w, err := NewWriter(dir, WriterOptions{Interval: time.Millisecond})
	require.NoError(t, err)
	w.Observe(snap(7, 7, false))
	s := pollUntil(t, r, func(s *State) bool { return s.Step == 7 })
	assert.Equal(t, SourceLive, s.Source)
	require.NoError(t, w.Close())

	_, err = NewReader(filepath.Join(dir, "nope"))
	assert.Error(t, err)
	f := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(f, nil, 0o644))
	_, err = NewReader(f)
	assert.Error(t, err)
}
