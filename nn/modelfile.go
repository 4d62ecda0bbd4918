package nn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/inrstudio/studio/internal/fsutil"
)

// Model files use the safetensors layout, so that Python reads them with a few lines (or the
// safetensors package): an 8-byte little-endian header length, a JSON header padded with spaces
// to a multiple of 8 bytes, then the raw little-endian float64 data of every tensor. The header
// maps each tensor name to {"dtype": "F64", "shape": [...], "data_offsets": [begin, end]} (byte
// offsets into the data section) and holds a "__metadata__" map of strings; the studio stores
// there the architecture name, its full configuration and the signal normalisation as JSON
// documents, and the software version, which is enough to rebuild the model from the file alone.

// Meta is what a model file records besides the weights.
type Meta struct {
	Architecture  string            // registry name of the architecture, e.g. "siren"
	Config        json.RawMessage   // the architecture's full configuration (a JSON document)
	Normalization json.RawMessage   // how the signal was normalised (a JSON document), may be empty
	Version       string            // software version that wrote the file
	Extra         map[string]string // any other metadata strings
}

// Tensor is a named float64 array read from a model file.
type Tensor struct {
	Name  string
	Shape []int
	Data  []float64
}

const (
	metaKey       = "__metadata__"
	maxHeaderSize = 100 << 20 // safetensors' own limit
	formatName    = "inr-studio"
)

type tensorInfo struct {
	DType       string  `json:"dtype"`
	Shape       []int64 `json:"shape"`
	DataOffsets []int64 `json:"data_offsets"`
}

// Save writes params (in order) and meta to w in the safetensors layout.
func Save(w io.Writer, meta Meta, params []*Param) error {
	header := map[string]any{}
	md := map[string]string{"format": formatName}
	for k, v := range meta.Extra {
		md[k] = v
	}
	if meta.Architecture != "" {
		md["architecture"] = meta.Architecture
	}
	if meta.Version != "" {
		md["version"] = meta.Version
	}
	for key, doc := range map[string]json.RawMessage{"config": meta.Config, "normalization": meta.Normalization} {
		if len(doc) == 0 {
			continue
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, doc); err != nil {
			return fmt.Errorf("model file: %s is not valid JSON: %w", key, err)
		}
		md[key] = compact.String()
	}
	header[metaKey] = md
	var off int64
	for _, p := range params {
		if p.Name == "" || p.Name == metaKey {
			return fmt.Errorf("model file: invalid tensor name %q", p.Name)
		}
		if _, dup := header[p.Name]; dup {
			return fmt.Errorf("model file: tensor %q appears twice", p.Name)
		}
		shape := make([]int64, len(p.Shape))
		for i, s := range p.Shape {
			shape[i] = int64(s)
		}
		n := int64(len(p.Value)) * 8
		header[p.Name] = tensorInfo{DType: "F64", Shape: shape, DataOffsets: []int64{off, off + n}}
		off += n
	}
	hj, err := json.Marshal(header)
	if err != nil {
		return fmt.Errorf("model file: header: %w", err)
	}
	if pad := (8 - len(hj)%8) % 8; pad > 0 {
		hj = append(hj, bytes.Repeat([]byte{' '}, pad)...)
	}
	bw := bufio.NewWriter(w)
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hj)))
	bw.Write(lenBuf[:])
	bw.Write(hj)
	var b [8]byte
	for _, p := range params {
		for _, v := range p.Value {
			binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
			bw.Write(b[:])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("model file: write: %w", err)
	}
	return nil
}

// SaveFile writes the model file at path atomically (a temporary file renamed into place).
func SaveFile(path string, meta Meta, params []*Param) error {
	return fsutil.WriteFile(path, func(w io.Writer) error { return Save(w, meta, params) })
}

// Load reads a model file. Every malformed input (truncated file, oversized or invalid header,
// a dtype other than F64, offsets outside the data or disagreeing with the shape) is an error.
func Load(r io.Reader) (Meta, []Tensor, error) {
	var meta Meta
	var lenBuf [8]byte
	if _, err := io.ReadFull(r, lenBuf[:]); err != nil {
		return meta, nil, fmt.Errorf("model file: reading the header length: %w (truncated or not a safetensors file)", err)
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	if hlen > maxHeaderSize {
		return meta, nil, fmt.Errorf("model file: header length %d exceeds the %d-byte limit (not a safetensors file?)", hlen, maxHeaderSize)
	}
	// Read through a limit rather than into a buffer of the declared size, so that a short file
	// claiming a huge header costs only what it holds.
	hj, err := io.ReadAll(io.LimitReader(r, int64(hlen)))
	if err != nil {
		return meta, nil, fmt.Errorf("model file: reading the %d-byte header: %w", hlen, err)
	}
	if uint64(len(hj)) != hlen {
		return meta, nil, fmt.Errorf("model file: header of %d bytes, but only %d follow (file truncated)", hlen, len(hj))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hj, &raw); err != nil {
		return meta, nil, fmt.Errorf("model file: header is not a JSON object: %w", err)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return meta, nil, fmt.Errorf("model file: reading tensor data: %w", err)
	}
	if m, ok := raw[metaKey]; ok {
		var md map[string]string
		if err := json.Unmarshal(m, &md); err != nil {
			return meta, nil, fmt.Errorf("model file: %s must map names to strings: %w", metaKey, err)
		}
		meta, err = parseMeta(md)
		if err != nil {
			return meta, nil, err
		}
	}
	names := make([]string, 0, len(raw))
	for name := range raw {
		if name != metaKey {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	tensors := make([]Tensor, 0, len(names))
	begins := map[string]int64{}
	for _, name := range names {
		t, begin, err := readTensor(name, raw[name], data)
		if err != nil {
			return meta, nil, err
		}
		tensors = append(tensors, t)
		begins[name] = begin
	}
	// Keep file order (by data offset), which is the order the parameters were saved in.
	sort.SliceStable(tensors, func(i, j int) bool { return begins[tensors[i].Name] < begins[tensors[j].Name] })
	return meta, tensors, nil
}

func readTensor(name string, rawInfo json.RawMessage, data []byte) (Tensor, int64, error) {
	var info tensorInfo
	if err := json.Unmarshal(rawInfo, &info); err != nil {
		return Tensor{}, 0, fmt.Errorf("model file: tensor %q: bad entry: %w", name, err)
	}
	if info.DType != "F64" {
		return Tensor{}, 0, fmt.Errorf("model file: tensor %q has dtype %q; the studio reads float64 (F64) only", name, info.DType)
	}
	if len(info.DataOffsets) != 2 {
		return Tensor{}, 0, fmt.Errorf("model file: tensor %q: data_offsets must be [begin, end]", name)
	}
	n := int64(1)
	shape := make([]int, len(info.Shape))
	for i, s := range info.Shape {
		if s < 0 || s > math.MaxInt32 {
			return Tensor{}, 0, fmt.Errorf("model file: tensor %q: bad dimension %d in shape %v", name, s, info.Shape)
		}
		shape[i] = int(s)
		n *= s
		if n > int64(len(data))/8+1 {
			return Tensor{}, 0, fmt.Errorf("model file: tensor %q: shape %v needs more data than the file holds (%d bytes)", name, info.Shape, len(data))
		}
	}
	begin, end := info.DataOffsets[0], info.DataOffsets[1]
	if begin < 0 || end < begin || end-begin != 8*n {
		return Tensor{}, 0, fmt.Errorf("model file: tensor %q: data_offsets [%d, %d] do not hold %d float64 values of shape %v", name, begin, end, n, info.Shape)
	}
	if end > int64(len(data)) {
		return Tensor{}, 0, fmt.Errorf("model file: tensor %q ends at byte %d of a %d-byte data section (file truncated)", name, end, len(data))
	}
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = math.Float64frombits(binary.LittleEndian.Uint64(data[begin+8*int64(i):]))
	}
	return Tensor{Name: name, Shape: shape, Data: vals}, begin, nil
}

func parseMeta(md map[string]string) (Meta, error) {
	meta := Meta{Extra: map[string]string{}}
	for k, v := range md {
		switch k {
		case "architecture":
			meta.Architecture = v
		case "version":
			meta.Version = v
		case "config", "normalization":
			if !json.Valid([]byte(v)) {
				return meta, fmt.Errorf("model file: metadata %q is not a JSON document", k)
			}
			if k == "config" {
				meta.Config = json.RawMessage(v)
			} else {
				meta.Normalization = json.RawMessage(v)
			}
		case "format":
		default:
			meta.Extra[k] = v
		}
	}
	return meta, nil
}

// LoadFile reads the model file at path.
func LoadFile(path string) (Meta, []Tensor, error) {
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, nil, err
	}
	defer f.Close()
	meta, ts, err := Load(bufio.NewReader(f))
	if err != nil {
		return meta, nil, fmt.Errorf("%s: %w", path, err)
	}
	return meta, ts, nil
}

// AssignTensors copies tensors into the parameters of the same name. Every parameter must be
// present with the same shape, and every tensor must belong to a parameter; otherwise nothing is
// changed and the error lists what is wrong.
func AssignTensors(params []*Param, tensors []Tensor) error {
	byName := make(map[string]Tensor, len(tensors))
	for _, t := range tensors {
		byName[t.Name] = t
	}
	var problems []string
	known := map[string]bool{}
	for _, p := range params {
		known[p.Name] = true
		t, ok := byName[p.Name]
		if !ok {
			problems = append(problems, fmt.Sprintf("parameter %s %v is missing from the file", p.Name, p.Shape))
			continue
		}
		if !sameShape(p.Shape, t.Shape) {
			problems = append(problems, fmt.Sprintf("parameter %s has shape %v in the model, %v in the file", p.Name, p.Shape, t.Shape))
		}
	}
	for _, t := range tensors {
		if !known[t.Name] {
			problems = append(problems, fmt.Sprintf("the file has tensor %s %v that the model does not", t.Name, t.Shape))
		}
	}
	if len(problems) > 0 {
		return errors.New("model file does not match the model: " + strings.Join(problems, "; "))
	}
	for _, p := range params {
		copy(p.Value, byName[p.Name].Data)
	}
	return nil
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
