package kernel

import "fmt"

// Matrix is a row-major float64 matrix view: element (i, j) is Data[i*Stride+j].
// Views share Data with the matrix they come from; nothing is copied.
type Matrix struct {
	Rows, Cols, Stride int
	Data               []float64
}

// NewMatrix returns a zeroed rows×cols matrix with Stride = cols.
func NewMatrix(rows, cols int) Matrix {
	if rows < 0 || cols < 0 {
		panic(fmt.Sprintf("kernel: negative matrix size %d×%d", rows, cols))
	}
	return Matrix{Rows: rows, Cols: cols, Stride: cols, Data: make([]float64, rows*cols)}
}

// MatrixFrom wraps data (len ≥ rows*cols) as a rows×cols matrix with Stride = cols.
func MatrixFrom(rows, cols int, data []float64) Matrix {
	if rows < 0 || cols < 0 || len(data) < rows*cols {
		panic(fmt.Sprintf("kernel: %d values cannot hold a %d×%d matrix", len(data), rows, cols))
	}
	return Matrix{Rows: rows, Cols: cols, Stride: cols, Data: data[:rows*cols]}
}

// View returns the r×c sub-matrix whose top-left element is (i, j), sharing storage.
func (m Matrix) View(i, j, r, c int) Matrix {
	if i < 0 || j < 0 || r < 0 || c < 0 || i+r > m.Rows || j+c > m.Cols {
		panic(fmt.Sprintf("kernel: view (%d,%d)+%d×%d outside %d×%d matrix", i, j, r, c, m.Rows, m.Cols))
	}
	if r == 0 || c == 0 {
		return Matrix{Rows: r, Cols: c, Stride: max(m.Stride, c)}
	}
	start := i*m.Stride + j
	end := (i+r-1)*m.Stride + j + c
	return Matrix{Rows: r, Cols: c, Stride: m.Stride, Data: m.Data[start:end:end]}
}

// Row returns row i as a slice of length Cols, sharing storage.
func (m Matrix) Row(i int) []float64 {
	off := i * m.Stride
	return m.Data[off : off+m.Cols : off+m.Cols]
}

// At returns element (i, j).
func (m Matrix) At(i, j int) float64 { return m.Data[i*m.Stride+j] }

// Set sets element (i, j) to v.
func (m Matrix) Set(i, j int, v float64) { m.Data[i*m.Stride+j] = v }

// Contiguous reports whether the rows are stored back to back (Stride == Cols or one row),
// so that the whole matrix is the slice Data[:Rows*Cols].
func (m Matrix) Contiguous() bool { return m.Stride == m.Cols || m.Rows <= 1 }

// Zero sets every element to zero.
func (m Matrix) Zero() {
	if m.Contiguous() {
		clear(m.Data[:m.Rows*m.Cols])
		return
	}
	for i := 0; i < m.Rows; i++ {
		clear(m.Row(i))
	}
}

// CopyFrom copies src (same shape) into m.
func (m Matrix) CopyFrom(src Matrix) {
	if src.Rows != m.Rows || src.Cols != m.Cols {
		panic(fmt.Sprintf("kernel: copy %d×%d into %d×%d", src.Rows, src.Cols, m.Rows, m.Cols))
	}
	for i := 0; i < m.Rows; i++ {
		copy(m.Row(i), src.Row(i))
	}
}

// Clone returns a contiguous copy of m.
func (m Matrix) Clone() Matrix {
	c := NewMatrix(m.Rows, m.Cols)
	c.CopyFrom(m)
	return c
}

// span returns the address range [lo, hi) of m's elements within its backing array, used to
// detect forbidden aliasing between GEMM operands.
func (m Matrix) span() (lo, hi uintptr) {
	if m.Rows == 0 || m.Cols == 0 || len(m.Data) == 0 {
		return 0, 0
	}
	lo = uintptr(unsafePointer(&m.Data[0]))
	last := (m.Rows-1)*m.Stride + m.Cols - 1
	hi = uintptr(unsafePointer(&m.Data[last])) + 8
	return lo, hi
}

func overlap(a, b Matrix) bool {
	alo, ahi := a.span()
	blo, bhi := b.span()
	return alo < bhi && blo < ahi
}

func (m Matrix) check(name string) {
	if m.Rows < 0 || m.Cols < 0 || (m.Rows > 1 && m.Stride < m.Cols) {
		panic(fmt.Sprintf("kernel: %s: bad shape %d×%d stride %d", name, m.Rows, m.Cols, m.Stride))
	}
	if m.Rows > 0 && m.Cols > 0 && len(m.Data) < (m.Rows-1)*m.Stride+m.Cols {
		panic(fmt.Sprintf("kernel: %s: %d values cannot hold %d×%d with stride %d", name, len(m.Data), m.Rows, m.Cols, m.Stride))
	}
}
