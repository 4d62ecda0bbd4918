package live

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"time"

	"github.com/inrstudio/studio/inr"
)

// The live folder DIR/live holds:
//
//	seq            the sequence number of the latest state, written last (readers poll its stat)
//	state.json     the latest figures, the paused flag, the length of the history file, the name
//	               of the fields file and of the latest model file
//	history.jsonl  one JSON line per reported step, appended (readers read only the bytes that
//	               state.json says are complete)
//	fields-N.bin   the pictures of evaluation N (the two newest are kept)
//	control        written by a viewer: the command for the trainer (run, pause, stop)
//
// Every file but history.jsonl is replaced whole (temporary file + rename), so a reader sees an
// old or a new version, never a torn one.
const (
	LiveDir     = "live"
	seqFile     = "seq"
	stateFile   = "state.json"
	historyFile = "history.jsonl"
	controlFile = "control"
	// formatVersion changes when a file's layout changes incompatibly.
	formatVersion = 1
)

// stateDoc is state.json.
type stateDoc struct {
	Version int       `json:"version"`
	RunID   string    `json:"run_id"`
	Seq     int64     `json:"seq"`
	PID     int       `json:"pid"`
	Updated time.Time `json:"updated"`

	Signal string `json:"signal,omitempty"`
	Title  string `json:"title,omitempty"`
	Axes   Axes   `json:"axes,omitempty"`

	Step    int    `json:"step"`
	Seconds num    `json:"seconds"`
	Loss    num    `json:"loss"`
	Terms   numMap `json:"terms,omitempty"`
	Metrics numMap `json:"metrics,omitempty"`
	Phase   string `json:"phase,omitempty"`
	Done    bool   `json:"done"`

	Paused       bool `json:"paused"`
	Controllable bool `json:"controllable"`

	HistoryBytes int64 `json:"history_bytes"`
	HistoryRows  int   `json:"history_rows"`

	FieldsFile string `json:"fields_file,omitempty"`
	FieldsSeq  int64  `json:"fields_seq,omitempty"`
	FieldsStep int    `json:"fields_step,omitempty"`

	// Model is a model file relative to the run folder.
	Model string `json:"model,omitempty"`
}

func fieldsName(n int64) string { return fmt.Sprintf("fields-%d.bin", n) }

// writeAtomic replaces path with data through a temporary file and a rename. Unlike the run
// folder's final outputs it does not fsync: the live files are for another process to read now,
// which a rename already makes safe, and a sync per write would cost the disk's latency several
// times a second.
func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// The fields file: the magic, the number of fields, then per field a little-endian uint32 length
// of its JSON description followed by the description and W·H·C float32 values. float32 halves
// the file against float64 and keeps seven significant digits, more than a picture shows.
const fieldsMagic = "INRLIVF1"

// maxFieldValues bounds what a fields file may claim, so a corrupt file cannot make a reader
// allocate gigabytes (4096² RGB fits).
const maxFieldValues = 1 << 26

type fieldDoc struct {
	Name  string        `json:"name"`
	Kind  inr.FieldKind `json:"kind"`
	W     int           `json:"w"`
	H     int           `json:"h"`
	C     int           `json:"c"`
	X0    num           `json:"x0"`
	X1    num           `json:"x1"`
	Y0    num           `json:"y0"`
	Y1    num           `json:"y1"`
	Label string        `json:"label,omitempty"`
	T     num           `json:"t"`
}

// encodeFields writes fields in the fields-file layout.
func encodeFields(w io.Writer, fields []inr.Field) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	bw.WriteString(fieldsMagic)
	var b4 [4]byte
	binary.LittleEndian.PutUint32(b4[:], uint32(len(fields)))
	bw.Write(b4[:])
	for i := range fields {
		f := &fields[i]
		if f.W <= 0 || f.H <= 0 || f.C <= 0 || f.W*f.H*f.C != len(f.Data) || len(f.Data) > maxFieldValues {
			return fmt.Errorf("field %q: %d values for %d×%d×%d", f.Name, len(f.Data), f.W, f.H, f.C)
		}
		meta, err := json.Marshal(fieldDoc{Name: f.Name, Kind: f.Kind, W: f.W, H: f.H, C: f.C,
			X0: num(f.X0), X1: num(f.X1), Y0: num(f.Y0), Y1: num(f.Y1), Label: f.Label, T: num(f.T)})
		if err != nil {
			return fmt.Errorf("field %q: %w", f.Name, err)
		}
		binary.LittleEndian.PutUint32(b4[:], uint32(len(meta)))
		bw.Write(b4[:])
		bw.Write(meta)
		for _, v := range f.Data {
			binary.LittleEndian.PutUint32(b4[:], math.Float32bits(float32(v)))
			bw.Write(b4[:])
		}
	}
	return bw.Flush()
}

// decodeFields reads a fields file.
func decodeFields(r io.Reader) ([]inr.Field, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head := make([]byte, len(fieldsMagic)+4)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, fmt.Errorf("fields: header: %w", err)
	}
	if string(head[:len(fieldsMagic)]) != fieldsMagic {
		return nil, fmt.Errorf("fields: not a fields file (magic %q)", head[:len(fieldsMagic)])
	}
	n := binary.LittleEndian.Uint32(head[len(fieldsMagic):])
	if n > 64 {
		return nil, fmt.Errorf("fields: %d fields claimed (at most 64)", n)
	}
	out := make([]inr.Field, 0, n)
	var b4 [4]byte
	for i := range int(n) {
		if _, err := io.ReadFull(br, b4[:]); err != nil {
			return nil, fmt.Errorf("fields: field %d: %w", i, err)
		}
		ml := binary.LittleEndian.Uint32(b4[:])
		if ml > 1<<16 {
			return nil, fmt.Errorf("fields: field %d: description of %d bytes", i, ml)
		}
		meta := make([]byte, ml)
		if _, err := io.ReadFull(br, meta); err != nil {
			return nil, fmt.Errorf("fields: field %d: %w", i, err)
		}
		var d fieldDoc
		if err := json.Unmarshal(meta, &d); err != nil {
			return nil, fmt.Errorf("fields: field %d: %w", i, err)
		}
		if d.W <= 0 || d.H <= 0 || d.C <= 0 || d.W > 1<<15 || d.H > 1<<15 || d.C > 4 || d.W*d.H*d.C > maxFieldValues {
			return nil, fmt.Errorf("fields: field %d (%q): bad size %d×%d×%d", i, d.Name, d.W, d.H, d.C)
		}
		raw := make([]byte, 4*d.W*d.H*d.C)
		if _, err := io.ReadFull(br, raw); err != nil {
			return nil, fmt.Errorf("fields: field %d (%q): %w", i, d.Name, err)
		}
		data := make([]float64, d.W*d.H*d.C)
		for k := range data {
			data[k] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:])))
		}
		out = append(out, inr.Field{Name: d.Name, Kind: d.Kind, W: d.W, H: d.H, C: d.C, Data: data,
			X0: float64(d.X0), X1: float64(d.X1), Y0: float64(d.Y0), Y1: float64(d.Y1), Label: d.Label, T: float64(d.T)})
	}
	return out, nil
}
