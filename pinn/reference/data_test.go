package reference

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/inrstudio/studio/internal/pytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadCSV(t *testing.T) {
	in := "# Burgers reference\nx, t, u\n-1, 0, 1.2246467991473532e-16\n\n0.5,0.25,-0.75\n1e-3 , 1 , 2\n"
	tab, err := ReadCSV(strings.NewReader(in))
	require.NoError(t, err)
	assert.Equal(t, []string{"x", "t", "u"}, tab.Names)
	assert.Equal(t, 3, tab.Len())
	u, ok := tab.Column("u")
	require.True(t, ok)
	assert.Equal(t, []float64{1.2246467991473532e-16, -0.75, 2}, u)
	_, ok = tab.Column("v")
	assert.False(t, ok)

	ws, err := ReadCSV(strings.NewReader("x y u\n1 2 3\n4\t5  6\n"))
	require.NoError(t, err)
	assert.Equal(t, [][]float64{{1, 4}, {2, 5}, {3, 6}}, ws.Columns)

	for _, c := range []struct{ in, want string }{
		{"", "no header"},
		{"x,u\n1,2\n3\n", "line 3: 1 fields, the header has 2"},
		{"x,u\n1,abc\n", `line 2, column "u": "abc" is not a number`},
		{"x,x\n1,2\n", `column name "x" repeated`},
		{"1,2\n3,4\n", "looks like data"},
		{"x,\n1,2\n", "column 2 has no name"},
	} {
		_, err := ReadCSV(strings.NewReader(c.in))
		assert.ErrorContains(t, err, c.want, "input %q", c.in)
	}
}

// npy builds a .npy file: version 1 (or 2 when v2 is set) header with the given dict, then data.
func npy(dict string, data []byte, v2 bool) []byte {
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	pre := 10
	if v2 {
		pre = 12
	}
	h := dict
	for (pre+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	if v2 {
		b.Write([]byte{2, 0})
		binary.Write(&b, binary.LittleEndian, uint32(len(h)))
	} else {
		b.Write([]byte{1, 0})
		binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	}
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

func f8(vals ...float64) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, vals)
	return b.Bytes()
}

func TestReadNPY(t *testing.T) {
	vals := []float64{1, -2.5, math.Pi, 1e-300, 0, 7}
	a, err := ReadNPY(bytes.NewReader(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", f8(vals...), false)))
	require.NoError(t, err)
	assert.Equal(t, []int{2, 3}, a.Shape)
	assert.Equal(t, vals, a.Data)
	assert.Equal(t, 7.0, a.At(1, 2))

	a, err = ReadNPY(bytes.NewReader(npy(`{"descr": "<f8", "shape": (6,), "fortran_order": False}`, f8(vals...), true)))
	require.NoError(t, err, "version 2 header, double quotes, other key order")
	assert.Equal(t, []int{6}, a.Shape)

	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, []float32{0.1, -3})
	a, err = ReadNPY(bytes.NewReader(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", b.Bytes(), false)))
	require.NoError(t, err)
	assert.Equal(t, []float64{float64(float32(0.1)), -3}, a.Data, "float32 widened exactly")

	a, err = ReadNPY(bytes.NewReader(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", f8(42), false)))
	require.NoError(t, err)
	assert.Equal(t, []float64{42}, a.Data)

	for _, c := range []struct {
		file []byte
		want string
	}{
		{npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", f8(1), false), `dtype "<i8" not supported`},
		{npy("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", f8(1), false), `dtype ">f8" not supported`},
		{npy("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", f8(1), false), "Fortran-order arrays are not supported"},
		{npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }", f8(1), false), "3-D array not supported"},
		{npy("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", f8(1, 2), false), "data (3 values of shape [3])"},
		{npy("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", f8(1), false), "structured dtypes are not supported"},
		{npy("{'descr': '<f8', 'shape': (1,), }", f8(1), false), `key "fortran_order" missing`},
		{[]byte("PK\x03\x04 not npy"), "bad magic"},
		{[]byte("\x93NUMPY\x09\x00"), "format version 9.0 not supported"},
	} {
		_, err := ReadNPY(bytes.NewReader(c.file))
		assert.ErrorContains(t, err, c.want)
	}
}

func TestReadNPZAndFile(t *testing.T) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for i, name := range []string{"x.npy", "usol.npy"} {
		hdr := &zip.FileHeader{Name: name, Method: zip.Store}
		if i == 1 {
			hdr.Method = zip.Deflate // numpy.savez_compressed
		}
		w, err := z.CreateHeader(hdr)
		require.NoError(t, err)
		_, err = w.Write(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f8(float64(i), 5), false))
		require.NoError(t, err)
	}
	require.NoError(t, z.Close())
	m, err := ReadNPZ(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	assert.Equal(t, []float64{0, 5}, m["x"].Data)
	assert.Equal(t, []float64{1, 5}, m["usol"].Data)

	dir := t.TempDir()
	npz := filepath.Join(dir, "ref.npz")
	require.NoError(t, os.WriteFile(npz, buf.Bytes(), 0o644))
	tab, arrs, err := ReadFile(npz)
	require.NoError(t, err)
	assert.Nil(t, tab)
	assert.Len(t, arrs, 2)

	one := filepath.Join(dir, "usol.NPY")
	require.NoError(t, os.WriteFile(one, npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8(3), false), 0o644))
	_, arrs, err = ReadFile(one)
	require.NoError(t, err)
	assert.Equal(t, []float64{3}, arrs["usol"].Data)

	csvPath := filepath.Join(dir, "ref.csv")
	require.NoError(t, os.WriteFile(csvPath, []byte("x,u\n0,1\n"), 0o644))
	tab, _, err = ReadFile(csvPath)
	require.NoError(t, err)
	assert.Equal(t, 1, tab.Len())

	_, _, err = ReadFile(filepath.Join(dir, "ref.mat"))
	assert.ErrorContains(t, err, "ref.mat")
	bad := filepath.Join(dir, "bad.csv")
	require.NoError(t, os.WriteFile(bad, []byte("x,u\n0\n"), 0o644))
	_, _, err = ReadFile(bad)
	assert.ErrorContains(t, err, "bad.csv: csv: line 2")
}

// TestReadFilesWrittenByNumPy reads arrays written by NumPy itself (pytest.Python: skipped,
// saying why, without numpy).
func TestReadFilesWrittenByNumPy(t *testing.T) {
	py := pytest.Python(t)
	dir := t.TempDir()
	script := fmt.Sprintf(`
import numpy as np
d = %q
x = np.linspace(-1, 1, 256)
t = np.arange(100) / 100
usol = -np.sin(np.pi * x)[:, None] * np.exp(-t)[None, :]
np.save(d + '/usol.npy', usol)
np.save(d + '/x32.npy', x.astype(np.float32))
np.save(d + '/fortran.npy', np.asfortranarray(usol))
np.save(d + '/ints.npy', np.arange(3))
np.savez_compressed(d + '/burgers.npz', x=x[:, None], t=t[:, None], usol=usol)
`, dir)
	out, err := exec.Command(py, "-c", script).CombinedOutput()
	require.NoError(t, err, "%s", out)

	x := linspace(-1, 1, 256)
	check := func(a *Array) {
		require.Equal(t, []int{256, 100}, a.Shape)
		for _, ij := range [][2]int{{0, 0}, {17, 42}, {255, 99}} {
			i, j := ij[0], ij[1]
			// NumPy's sin and exp may differ from Go's by an ulp.
			assert.InDelta(t, -math.Sin(math.Pi*x[i])*math.Exp(-float64(j)/100), a.At(i, j), 1e-15)
		}
	}
	_, arrs, err := ReadFile(filepath.Join(dir, "usol.npy"))
	require.NoError(t, err)
	check(arrs["usol"])

	_, arrs, err = ReadFile(filepath.Join(dir, "x32.npy"))
	require.NoError(t, err)
	for i, v := range arrs["x32"].Data {
		require.Equal(t, float64(float32(x[i])), v)
	}

	_, arrs, err = ReadFile(filepath.Join(dir, "burgers.npz"))
	require.NoError(t, err)
	check(arrs["usol"])
	assert.Equal(t, []int{256, 1}, arrs["x"].Shape)
	assert.Equal(t, 0.99, arrs["t"].Data[99])

	_, _, err = ReadFile(filepath.Join(dir, "fortran.npy"))
	assert.ErrorContains(t, err, "Fortran-order")
	_, _, err = ReadFile(filepath.Join(dir, "ints.npy"))
	assert.ErrorContains(t, err, `dtype "<i8" not supported`)
}

func FuzzReadNPY(f *testing.F) {
	f.Add(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", f8(1, 2), false))
	f.Add([]byte("\x93NUMPY\x01\x00\x05\x00{'a'}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ReadNPY(bytes.NewReader(b))
		if err == nil {
			n := 1
			for _, s := range a.Shape {
				n *= s
			}
			require.Len(t, a.Data, n)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add("x,u\n1,2\n")
	f.Add("a b\n1 2\n3 4\n")
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ReadCSV(strings.NewReader(s))
		if err == nil {
			for _, c := range tab.Columns {
				require.Len(t, c, tab.Len())
			}
		}
	})
}
