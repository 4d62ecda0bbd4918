package render

import (
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"strconv"

	"github.com/inrstudio/studio/internal/fsutil"
)

// EncodePNG writes img to w as PNG. 16-bit images (Gray16, RGBA64) stay 16-bit.
func EncodePNG(w io.Writer, img image.Image) error {
	if img == nil {
		return fmt.Errorf("encode png: nil image")
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("encode png: %w", err)
	}
	return nil
}

// WritePNG writes img to path as PNG atomically: a failed encode or a killed process leaves the
// previous file (or none) in place, never a truncated picture.
func WritePNG(path string, img image.Image) error {
	return fsutil.WriteFile(path, func(w io.Writer) error { return EncodePNG(w, img) })
}

// Column is one named series of values, such as a loss term recorded at every snapshot.
type Column struct {
	Name   string
	Values []float64
}

// EncodeLossCSV writes a loss table as CSV: a header "step,<name>,…" and one row per step.
// Integral steps are written without a decimal point and values in the shortest form that reads
// back to the same float64 (NaN and ±Inf as NaN, +Inf, -Inf), so nothing is lost to rounding.
func EncodeLossCSV(w io.Writer, steps []float64, cols ...Column) error {
	for i, c := range cols {
		if c.Name == "" {
			return fmt.Errorf("loss csv: column %d has no name", i+1)
		}
		if len(c.Values) != len(steps) {
			return fmt.Errorf("loss csv: column %q has %d values for %d steps", c.Name, len(c.Values), len(steps))
		}
	}
	cw := csv.NewWriter(w)
	rec := make([]string, 1+len(cols))
	rec[0] = "step"
	for i, c := range cols {
		rec[i+1] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return fmt.Errorf("loss csv: %w", err)
	}
	for r, s := range steps {
		rec[0] = formatStep(s)
		for i, c := range cols {
			rec[i+1] = strconv.FormatFloat(c.Values[r], 'g', -1, 64)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("loss csv: row %d: %w", r+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("loss csv: %w", err)
	}
	return nil
}

// formatStep prints whole step numbers as integers (1000, not 1e+03).
func formatStep(s float64) string {
	if s == math.Trunc(s) && math.Abs(s) < 1<<53 {
		return strconv.FormatInt(int64(s), 10)
	}
	return strconv.FormatFloat(s, 'g', -1, 64)
}

// WriteLossCSV writes the loss table to path atomically (see EncodeLossCSV).
func WriteLossCSV(path string, steps []float64, cols ...Column) error {
	return fsutil.WriteFile(path, func(w io.Writer) error { return EncodeLossCSV(w, steps, cols...) })
}
