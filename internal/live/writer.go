package live

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/inrstudio/studio/inr"
)

// WriterOptions configure a Writer.
type WriterOptions struct {
	// Interval is the least time between two writes of the live folder (0 means 100 ms): a
	// viewer needs no more, and a slow disk then costs at most one write per interval.
	Interval time.Duration
	// Control, when set, is the control the training loop obeys: the state then says that the run
	// can be paused and stopped from a viewer, and whether it is paused.
	Control *Control
	Signal  string // "image" or "pde": which panels a viewer shows
	Title   string // what is fitted, for the viewer's window title
	Axes    Axes   // names of the fields' axes (PDE runs)
	// Model, when set, is the network being trained. At a snapshot with pictures, at most once
	// per ModelEvery (0 means 2 s) and at the last one, Observe copies its weights (on the
	// training goroutine, between steps, where reading them is safe) and the writing goroutine
	// saves them as live/model.safetensors, so a viewer can query the network at any resolution
	// while the run goes.
	Model      *inr.Model
	ModelEvery time.Duration
}

// Axes name the axes of a run's fields: X across, Y up, and which of them is time ("x", "y" or
// "" for none), so a viewer labels them and puts its time slider on the right one.
type Axes struct {
	X    string `json:"x,omitempty"`
	Y    string `json:"y,omitempty"`
	Time string `json:"time,omitempty"`
}

// WriterStats count what a Writer did, for tests and diagnostics.
type WriterStats struct {
	Observed      int // snapshots received
	States        int // states written
	Fields        int // fields files written
	DroppedFields int // snapshots with fields that a newer one replaced before they were written
}

// Writer publishes a run's snapshots to the run folder's live folder for a viewer in another
// process. It is an inr.Observer: Observe only records the snapshot under a mutex and wakes the
// writing goroutine, so the training goroutine never waits for the disk. Every step's loss
// reaches the history file; of the snapshots that carry pictures only the newest is written
// when the disk falls behind. Close flushes everything and must be called when the run ends.
type Writer struct {
	dir, liveDir string
	opt          WriterOptions
	runID        string

	mu      sync.Mutex
	rows    []row
	latest  *inr.Snapshot // newest snapshot not yet written
	pics    *inr.Snapshot // newest snapshot with fields not yet written
	model   string
	weights [][]float64 // copied weights not yet saved
	copied  time.Time   // when weights were last copied
	stats   WriterStats
	closing bool

	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	// owned by the writing goroutine
	doc        stateDoc
	copyModel  *inr.Model
	spare      []row
	history    *os.File
	fieldFiles []string
	err        error
	beforeFile func(name string) // test hook: runs before each file write (a slow disk)
}

// NewWriter prepares dir/live (removing what an earlier run left there) and starts the writing
// goroutine.
func NewWriter(dir string, opt WriterOptions) (*Writer, error) {
	if opt.Interval <= 0 {
		opt.Interval = 100 * time.Millisecond
	}
	liveDir := filepath.Join(dir, LiveDir)
	if err := os.MkdirAll(liveDir, 0o755); err != nil {
		return nil, fmt.Errorf("live writer: %w", err)
	}
	if err := clearLive(liveDir); err != nil {
		return nil, fmt.Errorf("live writer: %w", err)
	}
	hist, err := os.OpenFile(filepath.Join(liveDir, historyFile), os.O_CREATE|os.O_TRUNC|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("live writer: %w", err)
	}
	var id [8]byte
	rand.Read(id[:])
	w := &Writer{dir: dir, liveDir: liveDir, opt: opt, runID: hex.EncodeToString(id[:]),
		wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}), history: hist}
	w.doc = stateDoc{Version: formatVersion, RunID: w.runID, PID: os.Getpid(), Signal: opt.Signal, Title: opt.Title,
		Controllable: opt.Control != nil, Loss: num(math.NaN()), Axes: opt.Axes}
	if opt.ModelEvery <= 0 {
		w.opt.ModelEvery = 2 * time.Second
	}
	go w.loop()
	return w, nil
}

// clearLive removes the files of an earlier run, except a control file (a Control may already
// watch it).
func clearLive(liveDir string) error {
	ents, err := os.ReadDir(liveDir)
	if err != nil {
		return err
	}
	for _, e := range ents {
		n := e.Name()
		if n == controlFile || e.IsDir() {
			continue
		}
		if n == seqFile || n == stateFile || n == historyFile || n == filepath.Base(liveModel) ||
			strings.HasPrefix(n, "fields-") || strings.HasPrefix(n, ".") {
			if err := os.Remove(filepath.Join(liveDir, n)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// Observe records the snapshot for the writing goroutine. It never touches the disk.
func (w *Writer) Observe(s *inr.Snapshot) {
	w.mu.Lock()
	w.rows = append(w.rows, rowOf(s))
	w.latest = s
	if len(s.Fields) > 0 {
		if w.pics != nil {
			w.stats.DroppedFields++
		}
		w.pics = s
		if m := w.opt.Model; m != nil && (s.Done || time.Since(w.copied) >= w.opt.ModelEvery) {
			w.weights = copyWeights(m, w.weights)
			w.copied = time.Now()
		}
	}
	w.stats.Observed++
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// SetModel records a model file (inside the run folder) holding the run's latest weights, for
// viewers that query the network at other resolutions.
func (w *Writer) SetModel(path string) {
	rel, err := filepath.Rel(w.dir, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = path
	}
	w.mu.Lock()
	w.model = rel
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Stats returns the counts so far.
func (w *Writer) Stats() WriterStats {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stats
}

// Close writes what is pending, stops the goroutine and returns the first write error.
func (w *Writer) Close() error {
	w.mu.Lock()
	already := w.closing
	w.closing = true
	w.mu.Unlock()
	if !already {
		close(w.quit)
	}
	<-w.done
	return w.err
}

func (w *Writer) loop() {
	defer close(w.done)
	defer w.history.Close()
	var changed <-chan struct{}
	if w.opt.Control != nil {
		changed = w.opt.Control.subscribe()
	}
	for {
		select {
		case <-w.wake:
		case <-changed:
		case <-w.quit:
			w.flush()
			return
		}
		w.flush()
		// Hold the next write back by the interval; what arrives meanwhile is coalesced.
		select {
		case <-time.After(w.opt.Interval):
		case <-w.quit:
			w.flush()
			return
		}
	}
}

// flush writes the pending rows, the newest fields and the state.
func (w *Writer) flush() {
	w.mu.Lock()
	rows, latest, pics, weights := w.rows, w.latest, w.pics, w.weights
	w.rows, w.latest, w.pics, w.weights = w.spare[:0], nil, nil, nil
	w.mu.Unlock()
	defer func() { w.spare = rows[:0] }()

	if weights != nil {
		if err := w.saveModel(weights); err != nil {
			w.fail(err)
		}
	}
	w.mu.Lock()
	model := w.model
	w.mu.Unlock()

	if pics != nil {
		if err := w.writeFields(pics); err != nil {
			w.fail(err)
		}
	}
	if len(rows) > 0 {
		if err := w.appendHistory(rows); err != nil {
			w.fail(err)
		}
	}
	d := &w.doc
	if latest != nil {
		d.Step, d.Seconds, d.Loss, d.Phase = latest.Step, num(latest.Seconds), num(latest.Loss), latest.Phase
		d.Done = d.Done || latest.Done
	}
	for _, r := range rows { // the newest terms and metrics, even when the newest snapshot has none
		if r.Terms != nil {
			d.Terms = r.Terms
		}
		if r.Metrics != nil {
			d.Metrics = r.Metrics
		}
	}
	paused := w.opt.Control != nil && w.opt.Control.Held() && !d.Done
	if latest == nil && pics == nil && paused == d.Paused && model == d.Model && d.Seq > 0 {
		return
	}
	d.Paused, d.Model = paused, model
	d.Seq++
	d.Updated = time.Now().UTC()
	b, err := json.Marshal(d)
	if err != nil {
		w.fail(fmt.Errorf("live state: %w", err))
		return
	}
	w.file(stateFile)
	if err := writeAtomic(filepath.Join(w.liveDir, stateFile), b); err != nil {
		w.fail(err)
		return
	}
	w.file(seqFile)
	if err := writeAtomic(filepath.Join(w.liveDir, seqFile), []byte(w.runID+" "+strconv.FormatInt(d.Seq, 10)+"\n")); err != nil {
		w.fail(err)
		return
	}
	w.mu.Lock()
	w.stats.States++
	w.mu.Unlock()
}

func (w *Writer) file(name string) {
	if w.beforeFile != nil {
		w.beforeFile(name)
	}
}

// writeFields writes the snapshot's fields to a new fields file and removes all but the two
// newest, so a reader that has just read state.json still finds the file it names.
func (w *Writer) writeFields(s *inr.Snapshot) error {
	n := w.doc.FieldsSeq + 1
	name := fieldsName(n)
	var buf strings.Builder
	if err := encodeFields(&buf, s.Fields); err != nil {
		return fmt.Errorf("live fields: %w", err)
	}
	w.file(name)
	if err := writeAtomic(filepath.Join(w.liveDir, name), []byte(buf.String())); err != nil {
		return err
	}
	w.doc.FieldsSeq, w.doc.FieldsFile, w.doc.FieldsStep = n, name, s.Step
	w.fieldFiles = append(w.fieldFiles, name)
	for len(w.fieldFiles) > 2 {
		os.Remove(filepath.Join(w.liveDir, w.fieldFiles[0]))
		w.fieldFiles = w.fieldFiles[1:]
	}
	w.mu.Lock()
	w.stats.Fields++
	w.mu.Unlock()
	return nil
}

// appendHistory appends the rows to history.jsonl; state.json then records the new length, so
// readers never read a line being written.
func (w *Writer) appendHistory(rows []row) error {
	var b []byte
	for _, r := range rows {
		line, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("live history: step %d: %w", r.Step, err)
		}
		b = append(append(b, line...), '\n')
	}
	w.file(historyFile)
	if _, err := w.history.Write(b); err != nil {
		// Cut a partial append off, so the next rows start where readers expect a line.
		w.history.Truncate(w.doc.HistoryBytes)
		return fmt.Errorf("write %s: %w", filepath.Join(w.liveDir, historyFile), err)
	}
	w.doc.HistoryBytes += int64(len(b))
	w.doc.HistoryRows += len(rows)
	return nil
}

// copyWeights copies the values of every tensor of m's state (reusing buf when it fits).
func copyWeights(m *inr.Model, buf [][]float64) [][]float64 {
	st := m.Net.State()
	if len(buf) != len(st) {
		buf = make([][]float64, len(st))
	}
	for i, p := range st {
		buf[i] = append(buf[i][:0], p.Value...)
	}
	return buf
}

// liveModel is the model file the writer keeps current, relative to the run folder.
var liveModel = filepath.Join(LiveDir, "model.safetensors")

// saveModel writes copied weights as the live model file, through a copy of the network built
// once from the trained model's architecture and configuration.
func (w *Writer) saveModel(weights [][]float64) error {
	src := w.opt.Model
	if w.copyModel == nil {
		m, err := inr.NewModel(src.Arch, src.Config, src.In, src.Out, 0)
		if err != nil {
			return fmt.Errorf("live model: %w", err)
		}
		m.Norm = src.Norm
		w.copyModel = m
	}
	st := w.copyModel.Net.State()
	if len(st) != len(weights) {
		return fmt.Errorf("live model: %d tensors copied for a network of %d", len(weights), len(st))
	}
	for i, p := range st {
		if len(p.Value) != len(weights[i]) {
			return fmt.Errorf("live model: tensor %s has %d values, copied %d", p.Name, len(p.Value), len(weights[i]))
		}
		copy(p.Value, weights[i])
	}
	w.file(liveModel)
	if err := w.copyModel.Save(filepath.Join(w.dir, liveModel), "live", nil); err != nil {
		return fmt.Errorf("live model: %w", err)
	}
	w.mu.Lock()
	if w.model == "" || w.model == liveModel {
		w.model = liveModel
	}
	w.mu.Unlock()
	return nil
}

func (w *Writer) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}
