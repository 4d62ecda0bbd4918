package inr

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// ImageInfo reports the size, channels and bit depth of the image a model was fitted to, from its
// file's metadata; ok is false for models of other signals.
func (m *Model) ImageInfo() (w, h, c, depth int, ok bool) {
	if m.Extra["signal"] != "image" || m.In != 2 {
		return 0, 0, 0, 0, false
	}
	get := func(k string) int {
		v, err := strconv.Atoi(m.Extra[k])
		if err != nil {
			return 0
		}
		return v
	}
	w, h, c, depth = get("width"), get("height"), get("channels"), get("bit_depth")
	if w < 1 || h < 1 || c != m.Out {
		return 0, 0, 0, 0, false
	}
	if depth != 16 {
		depth = 8
	}
	return w, h, c, depth, true
}

// MaxRenderPixels bounds a rendering: 8192², whose 3 channels are 1.5 GiB of float64.
const MaxRenderPixels = 1 << 26

// RenderBytes is the memory of a w×h rendering and of writing it as a PNG: the float64 samples
// and the 8- or 16-bit picture made from them. The network's working memory comes on top; it does
// not grow with the size (RenderImage evaluates predictChunk points at a time).
func (m *Model) RenderBytes(w, h int) int64 {
	return int64(w) * int64(h) * int64(m.Out) * int64(8+m.renderDepth()/8)
}

// renderDepth is the bit depth of a rendering: the fitted image's when the file records it, else 8.
func (m *Model) renderDepth() int {
	if _, _, _, d, ok := m.ImageInfo(); ok {
		return d
	}
	return 8
}

// RenderImage renders a model of two inputs and one or three outputs on a w×h grid over [−1, 1]²
// (any resolution: the network is continuous), values clipped to [0, 1]. The bit depth is the
// fitted image's when the file records it, else 8.
func (m *Model) RenderImage(w, h int) (*Image, error) {
	if err := m.checkRender(w, h); err != nil {
		return nil, err
	}
	out := NewImage(w, h, m.Out, m.renderDepth())
	pix := kernel.MatrixFrom(w*h, m.Out, out.Pix)
	m.predict(w*h, nn.ValuePlan(2), gridSource(w, h), func(p0 int, y nn.Jet) { m.writeSignal(pix, p0, y) })
	for i, v := range out.Pix {
		out.Pix[i] = clip01(v)
	}
	return out, nil
}

// Derivative fields RenderDerivative draws.
const (
	// ShowGradient is |∇u|, the norm of the gradient of the outputs with respect to the
	// coordinates (over all the outputs: √Σ_c |∇u_c|²).
	ShowGradient = "gradient"
	// ShowLaplacian is Δu = ∂xx u + ∂yy u, the mean over the outputs.
	ShowLaplacian = "laplacian"
)

// RenderDerivative renders the gradient magnitude (ShowGradient) or the Laplacian
// (ShowLaplacian) of an image model on a w×h grid over [−1, 1]², as RenderImage places the
// pixels: a row-major field, row 0 the top row, in signal units per unit of the [−1, 1]
// coordinates. They are exact (the network's jets), the pictures of the SIREN paper's first
// figure. The grid is evaluated a part at a time, so the memory is the field's and one part's.
func (m *Model) RenderDerivative(w, h int, show string) ([]float64, error) {
	if err := m.checkRender(w, h); err != nil {
		return nil, err
	}
	c := m.Out
	var plan *nn.Plan
	var pixel func(i int, y nn.Jet) float64
	switch show {
	case ShowGradient:
		plan = nn.GradientPlan(2) // blocks: u, ∂x, ∂y
		pixel = func(i int, y nn.Jet) float64 {
			gx, gy := y.Block(1).Row(i), y.Block(2).Row(i)
			var v float64
			for o, s := range m.Norm.Scale {
				v += s * s * (gx[o]*gx[o] + gy[o]*gy[o])
			}
			return math.Sqrt(v)
		}
	case ShowLaplacian:
		plan = nn.ForwardLaplacianPlan(2) // blocks: u, ∂x, ∂y, ∂xx+∂yy (one block, not two)
		lap, _ := plan.LaplacianBlock()
		pixel = func(i int, y nn.Jet) float64 {
			d := y.Block(lap).Row(i)
			var v float64
			for o, s := range m.Norm.Scale {
				v += s * d[o]
			}
			return v / float64(c)
		}
	default:
		return nil, fmt.Errorf("render: %q is not a derivative field (%s or %s)", show, ShowGradient, ShowLaplacian)
	}
	field := make([]float64, w*h)
	m.predict(w*h, plan, gridSource(w, h), func(p0 int, y nn.Jet) {
		for i := range y.N {
			field[p0+i] = pixel(i, y)
		}
	})
	return field, nil
}

// checkRender refuses what RenderImage and RenderDerivative cannot draw: a model that is not an
// image model, or a size outside 1×1 … MaxRenderPixels.
func (m *Model) checkRender(w, h int) error {
	if m.In != 2 || (m.Out != 1 && m.Out != 3) {
		return fmt.Errorf("render: a %d→%d model is not an image model (need 2 inputs and 1 or 3 outputs)", m.In, m.Out)
	}
	if w < 1 || h < 1 || w*h > MaxRenderPixels {
		return fmt.Errorf("render: size %d×%d must be at least 1×1 and at most %d pixels", w, h, MaxRenderPixels)
	}
	return nil
}

// gridSource gives the coordinates of the pixels of a w×h grid a part at a time, in one buffer
// of a part's size (the whole grid's would be 16 bytes per pixel, more than a rendering), for
// Model.predict.
func gridSource(w, h int) func(p0, c0, n, cols int) kernel.Matrix {
	x := kernel.NewMatrix(min(predictChunk, w*h), 2)
	return func(p0, _, n, _ int) kernel.Matrix {
		xc := x.View(0, 0, n, 2)
		gridRows(w, h, p0, xc)
		return xc
	}
}

// FieldNamer is implemented by configurations that know the names of their model's inputs and
// outputs (a PDE model: its variables and fields); `inr eval --points` writes them as the CSV
// header.
type FieldNamer interface {
	InputNames() []string
	OutputNames() []string
}

// InputNames returns the names of the model's inputs: the configuration's (FieldNamer, or a
// "vars" list in its JSON), else the file's "input_names" metadata (comma separated), else x, y
// for two inputs and x0, x1, … otherwise. Names are used only when there is one per input.
func (m *Model) InputNames() []string {
	return m.names(m.In, "input_names", "vars", func(f FieldNamer) []string { return f.InputNames() }, func(i int) string {
		if m.In == 2 {
			return [2]string{"x", "y"}[i]
		}
		return "x" + strconv.Itoa(i)
	})
}

// OutputNames returns the names of the outputs, found as InputNames' are (JSON key "fields",
// metadata "output_names"), else gray or r, g, b for images, else u (one output) or u0, u1, ….
func (m *Model) OutputNames() []string {
	_, _, _, _, img := m.ImageInfo()
	return m.names(m.Out, "output_names", "fields", func(f FieldNamer) []string { return f.OutputNames() }, func(i int) string {
		switch {
		case img && m.Out == 1:
			return "gray"
		case img && m.Out == 3:
			return [3]string{"r", "g", "b"}[i]
		case m.Out == 1:
			return "u"
		}
		return "u" + strconv.Itoa(i)
	})
}

func (m *Model) names(n int, metaKey, cfgKey string, fromNamer func(FieldNamer) []string, def func(int) string) []string {
	if f, ok := m.Config.(FieldNamer); ok {
		if v := fromNamer(f); len(v) == n {
			return v
		}
	}
	if m.Config != nil {
		var doc map[string]json.RawMessage
		if b, err := json.Marshal(m.Config); err == nil && json.Unmarshal(b, &doc) == nil {
			var v []string
			if json.Unmarshal(doc[cfgKey], &v) == nil && len(v) == n {
				return v
			}
		}
	}
	if v := m.Extra[metaKey]; v != "" {
		parts := strings.Split(v, ",")
		if len(parts) == n {
			for i := range parts {
				parts[i] = strings.TrimSpace(parts[i])
			}
			return parts
		}
	}
	out := make([]string, n)
	for i := range out {
		out[i] = def(i)
	}
	return out
}

// ReadPoints reads points of dim coordinates from CSV: one point per line, comma-separated
// numbers, optionally preceded by a header line of names (any line whose first field is not a
// number). Blank lines are skipped. name labels errors (the file's path). dim 0 takes the
// number of columns from the header or the first line and holds every line to it.
func ReadPoints(r io.Reader, name string, dim int) (header []string, x kernel.Matrix, err error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.Comment = '#'
	var vals []float64
	line := 0
	inferred := dim == 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			return nil, kernel.Matrix{}, fmt.Errorf("%s: %w", name, err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(vals) == 0 && header == nil {
			if _, err := strconv.ParseFloat(strings.TrimSpace(rec[0]), 64); err != nil {
				header = rec
				if dim == 0 {
					dim = len(header)
				}
				if len(header) != dim {
					return nil, kernel.Matrix{}, fmt.Errorf("%s: header has %d columns, the model takes %d inputs", name, len(header), dim)
				}
				continue
			}
		}
		if dim == 0 {
			dim = len(rec)
		}
		if len(rec) != dim {
			if inferred {
				return nil, kernel.Matrix{}, fmt.Errorf("%s: line %d has %d values where the first line has %d", name, line, len(rec), dim)
			}
			return nil, kernel.Matrix{}, fmt.Errorf("%s: line %d has %d values, the model takes %d inputs", name, line, len(rec), dim)
		}
		for k, f := range rec {
			v, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, kernel.Matrix{}, fmt.Errorf("%s: line %d, column %d: %q is not a finite number", name, line, k+1, f)
			}
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return nil, kernel.Matrix{}, fmt.Errorf("%s: no points", name)
	}
	return header, kernel.MatrixFrom(len(vals)/dim, dim, vals), nil
}

// WritePoints writes the inputs and the outputs as CSV with a header line.
func WritePoints(w io.Writer, inNames, outNames []string, x, y kernel.Matrix) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(append([]string(nil), inNames...), outNames...)); err != nil {
		return err
	}
	rec := make([]string, x.Cols+y.Cols)
	for i := 0; i < x.Rows; i++ {
		for k, v := range x.Row(i) {
			rec[k] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		for k, v := range y.Row(i) {
			rec[x.Cols+k] = strconv.FormatFloat(v, 'g', -1, 64)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
