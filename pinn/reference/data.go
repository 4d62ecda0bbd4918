package reference

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Table is reference data read from a CSV file: named columns of equal length (coordinates and
// field values, e.g. x, t, u).
type Table struct {
	Names   []string
	Columns [][]float64
}

// Column returns the column with the given name.
func (t *Table) Column(name string) ([]float64, bool) {
	for i, n := range t.Names {
		if n == name {
			return t.Columns[i], true
		}
	}
	return nil, false
}

// Len is the number of rows.
func (t *Table) Len() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return len(t.Columns[0])
}

// ReadCSV reads a table whose first record names the columns and whose other records are
// numbers. Blank lines and lines starting with '#' are skipped; fields may be separated by
// commas (or, when the header has no comma, by whitespace). Errors name the line.
func ReadCSV(r io.Reader) (*Table, error) {
	br := bufio.NewReader(r)
	var lines []string
	var lineNo []int
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 1<<16), 1<<26)
	for n := 1; sc.Scan(); n++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		lines = append(lines, s)
		lineNo = append(lineNo, n)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	if len(lines) == 0 {
		return nil, errors.New("csv: no header")
	}
	split := func(s string) ([]string, error) {
		if !strings.Contains(lines[0], ",") {
			return strings.Fields(s), nil
		}
		rec, err := csv.NewReader(strings.NewReader(s)).Read()
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		return rec, err
	}
	header, err := split(lines[0])
	if err != nil {
		return nil, fmt.Errorf("csv: line %d: %w", lineNo[0], err)
	}
	seen := map[string]bool{}
	for i, h := range header {
		if h == "" {
			return nil, fmt.Errorf("csv: line %d: column %d has no name", lineNo[0], i+1)
		}
		if _, err := strconv.ParseFloat(h, 64); err == nil {
			return nil, fmt.Errorf("csv: line %d: the first record %q looks like data; the first line must name the columns", lineNo[0], lines[0])
		}
		if seen[h] {
			return nil, fmt.Errorf("csv: line %d: column name %q repeated", lineNo[0], h)
		}
		seen[h] = true
	}
	t := &Table{Names: header, Columns: make([][]float64, len(header))}
	for k, s := range lines[1:] {
		rec, err := split(s)
		n := lineNo[k+1]
		if err != nil {
			return nil, fmt.Errorf("csv: line %d: %w", n, err)
		}
		if len(rec) != len(header) {
			return nil, fmt.Errorf("csv: line %d: %d fields, the header has %d", n, len(rec), len(header))
		}
		for i, f := range rec {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				return nil, fmt.Errorf("csv: line %d, column %q: %q is not a number", n, header[i], f)
			}
			t.Columns[i] = append(t.Columns[i], v)
		}
	}
	return t, nil
}

// Array is a NumPy array read from a .npy file, as float64 in C (row-major) order.
type Array struct {
	Shape []int
	Data  []float64
}

// At returns element (i, j) of a 2-D array.
func (a *Array) At(i, j int) float64 { return a.Data[i*a.Shape[1]+j] }

// ReadNPY reads a NumPy .npy file (format versions 1–3) holding a 0-, 1- or 2-D array of
// little-endian float64 ('<f8') or float32 ('<f4', converted exactly) in C order. Other dtypes,
// big-endian data and Fortran order are reported as unsupported, naming what was found.
func ReadNPY(r io.Reader) (*Array, error) {
	var magic [8]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, fmt.Errorf("npy: header: %w", err)
	}
	if string(magic[:6]) != "\x93NUMPY" {
		return nil, errors.New("npy: not a .npy file (bad magic)")
	}
	var hlen int
	switch magic[6] {
	case 1:
		var b [2]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint16(b[:]))
	case 2, 3:
		var b [4]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return nil, fmt.Errorf("npy: header length: %w", err)
		}
		hlen = int(binary.LittleEndian.Uint32(b[:]))
	default:
		return nil, fmt.Errorf("npy: format version %d.%d not supported", magic[6], magic[7])
	}
	if hlen > 1<<20 {
		return nil, fmt.Errorf("npy: header of %d bytes is implausible", hlen)
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, fmt.Errorf("npy: header: %w", err)
	}
	descr, fortran, shape, err := parseNPYHeader(string(hdr))
	if err != nil {
		return nil, fmt.Errorf("npy: header %q: %w", strings.TrimSpace(string(hdr)), err)
	}
	var size int
	switch descr {
	case "<f8":
		size = 8
	case "<f4":
		size = 4
	default:
		return nil, fmt.Errorf("npy: dtype %q not supported (want little-endian float64 '<f8' or float32 '<f4')", descr)
	}
	if fortran {
		return nil, errors.New("npy: Fortran-order arrays are not supported; save with numpy.ascontiguousarray")
	}
	if len(shape) > 2 {
		return nil, fmt.Errorf("npy: %d-D array not supported (want 1-D or 2-D)", len(shape))
	}
	n := 1
	for _, s := range shape {
		if s < 0 || (s > 0 && n > (1<<31)/s) {
			return nil, fmt.Errorf("npy: shape %v too large", shape)
		}
		n *= s
	}
	// ReadAll grows as data arrives, so a corrupt header announcing a huge shape costs no memory
	// before the short read is detected.
	raw, err := io.ReadAll(io.LimitReader(r, int64(n)*int64(size)))
	if err != nil {
		return nil, fmt.Errorf("npy: data (%d values of shape %v): %w", n, shape, err)
	}
	if len(raw) != n*size {
		return nil, fmt.Errorf("npy: data (%d values of shape %v): %w after %d bytes", n, shape, io.ErrUnexpectedEOF, len(raw))
	}
	a := &Array{Shape: shape, Data: make([]float64, n)}
	for i := range a.Data {
		if size == 8 {
			a.Data[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		} else {
			a.Data[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
		}
	}
	return a, nil
}

// parseNPYHeader reads the Python dict literal of a .npy header, e.g.
// {'descr': '<f8', 'fortran_order': False, 'shape': (256, 100), }.
func parseNPYHeader(h string) (descr string, fortran bool, shape []int, err error) {
	s := strings.TrimSpace(h)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return "", false, nil, errors.New("not a dictionary")
	}
	s = s[1 : len(s)-1]
	found := map[string]bool{}
	for len(strings.TrimSpace(s)) > 0 {
		s = strings.TrimSpace(s)
		key, rest, ok := quoted(s)
		if !ok {
			return "", false, nil, fmt.Errorf("bad key at %q", s)
		}
		rest = strings.TrimSpace(rest)
		if !strings.HasPrefix(rest, ":") {
			return "", false, nil, fmt.Errorf("missing ':' after %q", key)
		}
		rest = strings.TrimSpace(rest[1:])
		switch key {
		case "descr":
			descr, rest, ok = quoted(rest)
			if !ok {
				return "", false, nil, errors.New("descr is not a string (structured dtypes are not supported)")
			}
		case "fortran_order":
			switch {
			case strings.HasPrefix(rest, "True"):
				fortran, rest = true, rest[4:]
			case strings.HasPrefix(rest, "False"):
				fortran, rest = false, rest[5:]
			default:
				return "", false, nil, errors.New("fortran_order is not True or False")
			}
		case "shape":
			end := strings.Index(rest, ")")
			if !strings.HasPrefix(rest, "(") || end < 0 {
				return "", false, nil, errors.New("shape is not a tuple")
			}
			shape = []int{}
			for _, f := range strings.Split(rest[1:end], ",") {
				f = strings.TrimSpace(f)
				if f == "" {
					continue
				}
				f = strings.TrimSuffix(f, "L") // Python 2 longs
				v, err := strconv.Atoi(f)
				if err != nil {
					return "", false, nil, fmt.Errorf("shape entry %q is not an integer", f)
				}
				shape = append(shape, v)
			}
			rest = rest[end+1:]
		default:
			return "", false, nil, fmt.Errorf("unexpected key %q", key)
		}
		found[key] = true
		rest = strings.TrimSpace(rest)
		rest = strings.TrimPrefix(rest, ",")
		s = rest
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !found[k] {
			return "", false, nil, fmt.Errorf("key %q missing", k)
		}
	}
	return descr, fortran, shape, nil
}

// quoted reads a Python string literal in single or double quotes at the start of s.
func quoted(s string) (val, rest string, ok bool) {
	if len(s) < 2 || (s[0] != '\'' && s[0] != '"') {
		return "", s, false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 {
		return "", s, false
	}
	return s[1 : end+1], s[end+2:], true
}

// ReadNPZ reads every array of a NumPy .npz archive (as written by numpy.savez, compressed or
// not), keyed by name without the .npy suffix: DeepXDE's Burgers.npz holds t, x and usol.
func ReadNPZ(r io.ReaderAt, size int64) (map[string]*Array, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("npz: %w", err)
	}
	out := map[string]*Array{}
	for _, f := range z.File {
		name := strings.TrimSuffix(f.Name, ".npy")
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("npz: %s: %w", f.Name, err)
		}
		a, err := ReadNPY(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("npz: %s: %w", f.Name, err)
		}
		out[name] = a
	}
	return out, nil
}

// ReadFile reads a reference data file by its extension: .csv (or .txt, .dat) as a Table, .npy
// as a single array named after the file, .npz as its arrays. Exactly one of the results is
// non-nil.
func ReadFile(path string) (*Table, map[string]*Array, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("reference data: %w", err)
	}
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".npy"):
		a, err := ReadNPY(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("reference data %s: %w", path, err)
		}
		base := path[strings.LastIndexAny(path, `/\`)+1:]
		return nil, map[string]*Array{strings.TrimSuffix(base, base[len(base)-4:]): a}, nil
	case strings.HasSuffix(lower, ".npz"):
		m, err := ReadNPZ(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, nil, fmt.Errorf("reference data %s: %w", path, err)
		}
		return nil, m, nil
	case strings.HasSuffix(lower, ".csv"), strings.HasSuffix(lower, ".txt"), strings.HasSuffix(lower, ".dat"):
		t, err := ReadCSV(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("reference data %s: %w", path, err)
		}
		return t, nil, nil
	}
	return nil, nil, fmt.Errorf("reference data %s: unknown extension (want .csv, .txt, .dat, .npy or .npz)", path)
}
