package live

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/inrstudio/studio/inr"
)

// Reader follows a run folder for a viewer: the live folder while a Writer fills it (and after,
// since a finished run leaves it in place), or else the run's final outputs. Poll is cheap when
// nothing changed (one read of the few bytes of the sequence file).
type Reader struct {
	dir     string
	liveDir string

	seq   []byte // content of the sequence file at the last read
	retry bool   // the last read was incomplete (a fields file replaced meanwhile)

	doc      stateDoc
	runID    string
	histOff  int64
	hist     History
	fields   []inr.Field
	fieldsAt string // the fields file that fields came from, with its sequence number and step
	fieldsN  int64
	fieldsK  int

	final     finalStamp
	lastAlive time.Time

	cur *State
}

// NewReader returns a Reader of the run folder dir, which must exist (the run may not have
// written anything yet: State is then empty with Source SourceNone).
func NewReader(dir string) (*Reader, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("run folder: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("run folder %s: not a directory", dir)
	}
	return &Reader{dir: dir, liveDir: filepath.Join(dir, LiveDir), cur: &State{Dir: dir, Loss: nan()}}, nil
}

// Dir is the run folder.
func (r *Reader) Dir() string { return r.dir }

// State returns the newest state read. It is never modified afterwards.
func (r *Reader) State() *State { return r.cur }

// Command sends a request to the trainer writing the folder (see SendCommand). It fails when
// the run is finished or its trainer does not watch a Control.
func (r *Reader) Command(cmd Command) error {
	s := r.cur
	switch {
	case s.Source != SourceLive:
		return fmt.Errorf("run %s is not running live: nothing to %s", r.dir, cmd)
	case s.Done:
		return fmt.Errorf("run %s has finished", r.dir)
	case !s.Controllable:
		return fmt.Errorf("run %s was started without a control (pause and stop need `inr fit --view` or `inr-view fit`)", r.dir)
	}
	return SendCommand(r.dir, cmd)
}

// Poll reads what changed since the last call and reports whether State changed.
func (r *Reader) Poll() (bool, error) {
	// The content, not the modification time, tells a new state: two writes within one tick of
	// the file system's clock leave the same time and size.
	seq, err := os.ReadFile(filepath.Join(r.liveDir, seqFile))
	if errors.Is(err, os.ErrNotExist) {
		return r.pollFinal()
	}
	if err != nil {
		return false, fmt.Errorf("live: %w", err)
	}
	if !r.retry && bytes.Equal(seq, r.seq) {
		return r.checkAlive(), nil
	}
	r.seq, r.retry = seq, false
	b, err := os.ReadFile(filepath.Join(r.liveDir, stateFile))
	if err != nil {
		r.retry = true
		return false, fmt.Errorf("live: %w", err)
	}
	var d stateDoc
	if err := json.Unmarshal(b, &d); err != nil {
		r.retry = true
		return false, fmt.Errorf("live %s: %w", filepath.Join(r.liveDir, stateFile), err)
	}
	if d.Version != formatVersion {
		return false, fmt.Errorf("live %s: format version %d, this viewer reads %d (rebuild inr-view)", r.liveDir, d.Version, formatVersion)
	}
	if d.Seq == r.doc.Seq && d.RunID == r.doc.RunID {
		return false, nil
	}
	if d.RunID != r.runID { // a new run in this folder
		r.runID, r.histOff, r.hist = d.RunID, 0, History{}
		r.fields, r.fieldsAt, r.fieldsN, r.fieldsK = nil, "", 0, 0
	}
	if err := r.readHistory(d.HistoryBytes); err != nil {
		r.retry = true
		return false, err
	}
	if d.FieldsFile != "" && d.FieldsFile != r.fieldsAt {
		fs, err := readFieldsFile(filepath.Join(r.liveDir, d.FieldsFile))
		if err != nil {
			// The writer moved on and removed it: keep the previous pictures, read the next state.
			r.retry = true
		} else {
			r.fields, r.fieldsAt, r.fieldsN, r.fieldsK = fs, d.FieldsFile, d.FieldsSeq, d.FieldsStep
		}
	}
	r.doc = d
	r.cur = r.liveState()
	r.lastAlive = time.Now()
	return true, nil
}

// readHistory reads the history lines up to the length state.json vouches for.
func (r *Reader) readHistory(upto int64) error {
	if upto <= r.histOff {
		return nil
	}
	f, err := os.Open(filepath.Join(r.liveDir, historyFile))
	if err != nil {
		return fmt.Errorf("live: %w", err)
	}
	defer f.Close()
	buf := make([]byte, upto-r.histOff)
	if _, err := f.ReadAt(buf, r.histOff); err != nil && !(errors.Is(err, io.EOF)) {
		return fmt.Errorf("live %s: %w", f.Name(), err)
	}
	line := 0
	for len(buf) > 0 {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			break // cannot happen with a Writer's file; the rest is read next time
		}
		var rw row
		if err := json.Unmarshal(buf[:i], &rw); err != nil {
			return fmt.Errorf("live %s: byte %d: %w", f.Name(), r.histOff, err)
		}
		r.hist.add(rw)
		r.histOff += int64(i + 1)
		buf = buf[i+1:]
		line++
	}
	return nil
}

func readFieldsFile(path string) ([]inr.Field, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fs, err := decodeFields(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return fs, nil
}

func (r *Reader) liveState() *State {
	d := &r.doc
	s := &State{Source: SourceLive, Dir: r.dir, RunID: d.RunID, Seq: d.Seq, Signal: d.Signal, Title: d.Title, Axes: d.Axes,
		Step: d.Step, Seconds: float64(d.Seconds), Loss: float64(d.Loss), Terms: copyMap(d.Terms),
		Metrics: copyMap(d.Metrics), Phase: d.Phase, Done: d.Done, Paused: d.Paused, Controllable: d.Controllable,
		History: r.hist.frozen(), Fields: r.fields, FieldsStep: r.fieldsK, FieldsSeq: r.fieldsN, Updated: d.Updated}
	if s.Signal == "" {
		s.Signal = guessSignal(s.Fields)
	}
	if d.Model != "" {
		s.Model = d.Model
		if !filepath.IsAbs(s.Model) {
			s.Model = filepath.Join(r.dir, s.Model)
		}
	}
	if d.Done && (d.Model == "" || d.Model == liveModel) {
		// The run's own model file (the weights it kept) once it has written it.
		if m := findModel(r.dir); m != "" {
			s.Model = m
		}
	}
	if s.Model != "" {
		if st, err := os.Stat(s.Model); err == nil {
			s.ModelTime = st.ModTime()
		} else {
			s.Model = ""
		}
	}
	if d.PID != 0 && !d.Done && !processAlive(d.PID) {
		s.Stale = true
	}
	return s
}

// checkAlive notices, about once a second, that the process writing an unfinished run has gone.
func (r *Reader) checkAlive() bool {
	s := r.cur
	if s.Source != SourceLive || s.Done || s.Stale || r.doc.PID == 0 || time.Since(r.lastAlive) < time.Second {
		return false
	}
	r.lastAlive = time.Now()
	if processAlive(r.doc.PID) {
		return false
	}
	ns := *s
	ns.Stale = true
	r.cur = &ns
	return true
}

// guessSignal names the kind of run from its pictures when the writer did not say.
func guessSignal(fields []inr.Field) string {
	for _, f := range fields {
		switch f.Name {
		case "reconstruction", "target":
			return "image"
		case "solution", "residual":
			return "pde"
		}
	}
	return ""
}

func copyMap(m numMap) map[string]float64 {
	if m == nil {
		return nil
	}
	out := make(map[string]float64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
