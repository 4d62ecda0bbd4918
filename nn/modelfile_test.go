package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inrstudio/studio/internal/pytest"
	"github.com/stretchr/testify/require"
)

func sampleParams() []*Param {
	w := NewParam("0.weight", 3, 4)
	b := NewParam("0.bias", 4)
	k := NewParam("1.coef", 2, 1, 3)
	s := NewParam("2.scale")
	for i := range w.Value {
		w.Value[i] = float64(i)/3 - 1
	}
	copy(b.Value, []float64{math.Copysign(0, -1), math.Inf(1), 5e-324, -1e300})
	for i := range k.Value {
		k.Value[i] = math.Sqrt(float64(i + 2))
	}
	s.Value[0] = math.Pi
	return []*Param{w, b, k, s}
}

func sampleMeta() Meta {
	return Meta{
		Architecture:  "siren",
		Config:        json.RawMessage(`{"widths": [2, 256, 256, 1], "omega0": 30}`),
		Normalization: json.RawMessage(`{"kind":"minmax","lo":0,"hi":255}`),
		Version:       "0.1.0-test",
		Extra:         map[string]string{"note": "round trip"},
	}
}

func TestModelFileRoundTrip(t *testing.T) {
	params := sampleParams()
	var buf bytes.Buffer
	require.NoError(t, Save(&buf, sampleMeta(), params))
	raw := buf.Bytes()
	hlen := binary.LittleEndian.Uint64(raw)
	require.Zero(t, hlen%8, "header padded to a multiple of 8 bytes")
	require.Equal(t, int(8+hlen)+8*(12+4+6+1), len(raw))

	meta, tensors, err := Load(bytes.NewReader(raw))
	require.NoError(t, err)
	require.Equal(t, "siren", meta.Architecture)
	require.Equal(t, "0.1.0-test", meta.Version)
	require.JSONEq(t, string(sampleMeta().Config), string(meta.Config))
	require.JSONEq(t, string(sampleMeta().Normalization), string(meta.Normalization))
	require.Equal(t, map[string]string{"note": "round trip"}, meta.Extra)
	require.Len(t, tensors, len(params))
	for i, p := range params {
		require.Equal(t, p.Name, tensors[i].Name, "tensors come back in file order")
		require.Equal(t, p.Shape, tensors[i].Shape)
		for k, v := range p.Value {
			require.Equal(t, math.Float64bits(v), math.Float64bits(tensors[i].Data[k]), "%s[%d] bit-exact", p.Name, k)
		}
	}

	// Loading into a fresh model of the same shapes restores every value.
	fresh := sampleParams()
	for _, p := range fresh {
		clear(p.Value)
	}
	require.NoError(t, AssignTensors(fresh, tensors))
	for i := range fresh {
		require.Equal(t, params[i].Value[0], fresh[i].Value[0])
	}
}

func TestAssignTensorsMismatch(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Save(&buf, Meta{}, sampleParams()))
	_, tensors, err := Load(&buf)
	require.NoError(t, err)

	wrong := sampleParams()
	wrong[0] = NewParam("0.weight", 4, 3)
	wrong = append(wrong[:3], NewParam("3.extra", 2))
	before := append([]float64(nil), wrong[1].Value...)
	err = AssignTensors(wrong, tensors)
	require.Error(t, err)
	for _, want := range []string{"0.weight has shape [4 3] in the model, [3 4] in the file", "3.extra [2] is missing", "tensor 2.scale [] that the model does not"} {
		require.Contains(t, err.Error(), want)
	}
	require.Equal(t, before, wrong[1].Value, "nothing is assigned when the file does not match")
}

func TestModelFileBadInput(t *testing.T) {
	var good bytes.Buffer
	require.NoError(t, Save(&good, sampleMeta(), sampleParams()))
	header := func(h string, data []byte) []byte {
		var b bytes.Buffer
		binary.Write(&b, binary.LittleEndian, uint64(len(h)))
		b.WriteString(h)
		b.Write(data)
		return b.Bytes()
	}
	eight := make([]byte, 8)
	cases := []struct {
		name string
		file []byte
		want string
	}{
		{"empty", nil, "header length"},
		{"short length", []byte{1, 2, 3}, "header length"},
		{"header overflow", binary.LittleEndian.AppendUint64(nil, math.MaxUint64), "exceeds"},
		{"header past the end", binary.LittleEndian.AppendUint64(nil, 1000), "truncated"},
		{"truncated data", good.Bytes()[:good.Len()-5], "truncated"},
		{"not json", header("{oops", nil), "not a JSON object"},
		{"wrong dtype", header(`{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, eight), `dtype "F32"`},
		{"offsets disagree with shape", header(`{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}`, eight), "do not hold 2"},
		{"negative dimension", header(`{"w":{"dtype":"F64","shape":[-1],"data_offsets":[0,8]}}`, eight), "bad dimension"},
		{"huge shape", header(`{"w":{"dtype":"F64","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}`, eight), "more data than the file holds"},
		{"offsets past data", header(`{"w":{"dtype":"F64","shape":[2],"data_offsets":[8,24]}}`, eight), "truncated"},
		{"bad offsets", header(`{"w":{"dtype":"F64","shape":[1],"data_offsets":[0]}}`, eight), "data_offsets"},
		{"metadata not strings", header(`{"__metadata__":{"a":1}}`, nil), "map names to strings"},
		{"config not json", header(`{"__metadata__":{"config":"{x"}}`, nil), "not a JSON document"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := Load(bytes.NewReader(c.file))
			require.Error(t, err)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

func FuzzLoad(f *testing.F) {
	var good bytes.Buffer
	if err := Save(&good, sampleMeta(), sampleParams()); err != nil {
		f.Fatal(err)
	}
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:40])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		meta, ts, err := Load(bytes.NewReader(data))
		if err != nil {
			return
		}
		// Whatever loads must save again and load to the same tensors.
		params := make([]*Param, len(ts))
		for i, tn := range ts {
			params[i] = &Param{Name: tn.Name, Shape: tn.Shape, Value: tn.Data}
		}
		var buf bytes.Buffer
		if err := Save(&buf, meta, params); err != nil {
			return // e.g. a tensor named like the metadata key cannot be written back
		}
		_, ts2, err := Load(&buf)
		if err != nil || len(ts2) != len(ts) {
			t.Fatalf("reload: %v", err)
		}
	})
}

func TestModelFileAtomicSave(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	require.NoError(t, SaveFile(path, sampleMeta(), sampleParams()))
	meta, ts, err := LoadFile(path)
	require.NoError(t, err)
	require.Equal(t, "siren", meta.Architecture)
	require.Len(t, ts, 4)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1, "no temporary file left behind")

	// A bad tensor name fails the write and leaves the previous file intact.
	bad := append(sampleParams(), NewParam("__metadata__", 1))
	require.Error(t, SaveFile(path, sampleMeta(), bad))
	_, ts, err = LoadFile(path)
	require.NoError(t, err)
	require.Len(t, ts, 4)
}

// TestModelFileReadableFromPython parses a model file with nothing but json, struct and numpy,
// as a Python user would, and compares every value bit for bit.
func TestModelFileReadableFromPython(t *testing.T) {
	py := pytest.Python(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "model.safetensors")
	params := sampleParams()
	require.NoError(t, SaveFile(path, sampleMeta(), params))
	want := map[string]any{}
	for _, p := range params {
		bits := make([]string, len(p.Value))
		for i, v := range p.Value {
			bits[i] = hex64(math.Float64bits(v))
		}
		want[p.Name] = map[string]any{"shape": p.Shape, "bits": bits}
	}
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	script := `
import json, struct, sys
import numpy as np
path, want = sys.argv[1], json.loads(sys.argv[2])
raw = open(path, "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
header = json.loads(raw[8:8 + n])
data = raw[8 + n:]
meta = header.pop("__metadata__")
assert meta["architecture"] == "siren", meta
assert json.loads(meta["config"])["omega0"] == 30, meta
assert set(header) == set(want), (sorted(header), sorted(want))
for name, info in header.items():
    assert info["dtype"] == "F64", info
    b, e = info["data_offsets"]
    arr = np.frombuffer(data[b:e], dtype="<f8").reshape(info["shape"])
    assert list(arr.shape) == want[name]["shape"], (name, arr.shape)
    got = ["%016x" % v for v in arr.reshape(-1).view("<u8")]
    assert got == want[name]["bits"], (name, got, want[name]["bits"])
print("ok", len(header))
`
	out, err := exec.Command(py, "-c", script, path, string(wantJSON)).CombinedOutput()
	require.NoError(t, err, "python: %s", out)
	require.Equal(t, "ok 4", strings.TrimSpace(string(out)))
}

func hex64(v uint64) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 16)
	for i := 15; i >= 0; i-- {
		b[i] = digits[v&15]
		v >>= 4
	}
	return string(b)
}

// TestModelFileRebuildsNetwork saves a network with a buffer (Fourier features) and loads it into
// a freshly built network of the same shape but other weights: the outputs agree bit for bit.
func TestModelFileRebuildsNetwork(t *testing.T) {
	build := func(seed uint64) *Graph {
		rng := NewRNG(seed)
		ff, err := NewFourierFeatures(2, 8, 3, true, rng)
		require.NoError(t, err)
		mlp := sirenNet(t, 16, 2, seed)
		net, err := Chain(ff, mustDense(t, rng, 16, 2, true, 1), mlp)
		require.NoError(t, err)
		return net
	}
	a, b := build(1), build(2)
	dir := t.TempDir()
	path := filepath.Join(dir, "net.safetensors")
	require.NoError(t, SaveFile(path, Meta{Architecture: "test"}, a.State()))
	_, tensors, err := LoadFile(path)
	require.NoError(t, err)
	require.NoError(t, AssignTensors(b.State(), tensors))
	x := gridInput(ValuePlan(2), 25)
	ya := a.Forward(x).M.Clone()
	yb := b.Forward(x).M.Clone()
	require.Equal(t, ya.Data, yb.Data)
}
