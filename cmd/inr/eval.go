package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/fitcli"
	"github.com/inrstudio/studio/internal/fsutil"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/multistage"
	"github.com/inrstudio/studio/nn"
	"github.com/inrstudio/studio/pinn/expr"
	"github.com/inrstudio/studio/render"
)

func init() { addCommand(newEvalCmd) }

type evalFlags struct {
	size, width, height int
	points, out         string
	threads             int
	derivatives         int
	show                string
}

func newEvalCmd() *cobra.Command {
	var f evalFlags
	cmd := &cobra.Command{
		Use:   "eval MODEL --out FILE",
		Short: "Evaluate a saved model: render an image model at any resolution, or any model at given points",
		Long: `Evaluate a model file written by inr (fit or solve) without the original command line.

Image models render on a grid over [-1,1]² at any resolution (super-resolution): --size N gives
the longer side N with the fitted image's aspect ratio, --width/--height set both sides; the
default is the fitted size. Any model evaluates at the points of a CSV file (--points: one point
per line, an optional header of input names) into a CSV of the inputs and the outputs;
--derivatives 1 adds every output's derivative with respect to every input (u_x, u_t, …), and
--derivatives 2 the second derivatives too (u_xx, u_xt, u_tt, …), exact (the network's jets,
not finite differences) and in the units of the outputs and inputs. --show gradient or --show
laplacian renders an image model's gradient magnitude |∇u| or Laplacian Δu instead of the image
(exact, from the network's jets), as a heatmap with a colour bar: the derivative pictures of the
SIREN paper's first figure.`,
		Example: `  inr eval runs/camera-128-siren/model.safetensors --size 512 --out camera-512.png
  inr eval runs/burgers/model.safetensors --points grid.csv --out values.csv
  inr eval runs/burgers/model.safetensors --points grid.csv --derivatives 2 --out derivs.csv
  inr eval runs/camera-128-siren/model.safetensors --show laplacian --size 256 --out laplacian.png`,
		Args: exactArgs(1, "MODEL (a model.safetensors file)"),
		RunE: func(cmd *cobra.Command, args []string) error { return runEval(cmd, args[0], f) },
	}
	fl := cmd.Flags()
	fl.IntVar(&f.size, "size", 0, "longer side of the rendering in pixels (0: the fitted size)")
	fl.IntVar(&f.width, "width", 0, "width of the rendering in pixels (with --height)")
	fl.IntVar(&f.height, "height", 0, "height of the rendering in pixels (with --width)")
	fl.StringVar(&f.points, "points", "", "CSV file of input points to evaluate the model at")
	fl.StringVarP(&f.out, "out", "o", "", "output file: .png for a rendering, .csv for --points (required)")
	fl.IntVar(&f.threads, "threads", 0, "worker threads (GOMAXPROCS; 0: all CPUs)")
	fl.IntVar(&f.derivatives, "derivatives", 0, "with --points: add the derivatives of the outputs up to this order (1 or 2)")
	fl.StringVar(&f.show, "show", "value", "what a rendering shows: value (the image), gradient (|∇u|) or laplacian (Δu), the last two as heatmaps")
	return cmd
}

func runEval(cmd *cobra.Command, path string, f evalFlags) error {
	if f.out == "" {
		return fmt.Errorf("--out is required (a .png file, or a .csv file with --points)")
	}
	if f.size < 0 || f.width < 0 || f.height < 0 || f.threads < 0 {
		return fmt.Errorf("--size, --width, --height and --threads must be ≥ 0")
	}
	if (f.width > 0) != (f.height > 0) {
		return fmt.Errorf("--width and --height go together")
	}
	if f.points != "" && (f.size > 0 || f.width > 0) {
		return fmt.Errorf("--points evaluates at given points: it takes no --size, --width or --height")
	}
	if f.derivatives < 0 || f.derivatives > 2 {
		return fmt.Errorf("--derivatives %d: 1 (first derivatives) or 2 (first and second)", f.derivatives)
	}
	if f.derivatives > 0 && f.points == "" {
		return fmt.Errorf("--derivatives goes with --points: the derivatives are written to the CSV")
	}
	switch f.show {
	case "value":
	case inr.ShowGradient, inr.ShowLaplacian:
		if f.points != "" {
			return fmt.Errorf("--show %s draws a rendering: with --points, use --derivatives", f.show)
		}
	default:
		return fmt.Errorf("--show %s: value, %s or %s", f.show, inr.ShowGradient, inr.ShowLaplacian)
	}
	if err := fsutil.CanWrite(f.out); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	setThreads(f.threads)
	_, m, c, err := loadModelFile(path)
	if err != nil {
		return err
	}
	if c != nil {
		if f.points == "" {
			return fmt.Errorf("%s is a multi-stage regression model: evaluate it at points with --points FILE.csv", path)
		}
		return evalPoints(cmd, multistagePoints(c), f)
	}
	if f.points != "" {
		return evalPoints(cmd, imagePoints(m), f)
	}
	if !strings.EqualFold(fileExt(f.out), ".png") {
		return fmt.Errorf("--out %s: a rendering is written as .png (use --points for CSV output)", f.out)
	}
	w, h := f.width, f.height
	if w == 0 {
		fw, fh, _, _, ok := m.ImageInfo()
		if !ok {
			if m.In != 2 || (m.Out != 1 && m.Out != 3) {
				return fmt.Errorf("%s is a %d→%d model, not an image model: evaluate it with --points", path, m.In, m.Out)
			}
			if f.size == 0 {
				return fmt.Errorf("%s does not record the image it was fitted to: give --size or --width/--height", path)
			}
			fw, fh = f.size, f.size
		}
		w, h = fw, fh
		if f.size > 0 {
			w, h = scaleToLonger(fw, fh, f.size)
		}
	}
	if err := checkRenderMemory(m, f, w, h); err != nil {
		return err
	}
	if f.show != "value" {
		return evalDerivative(cmd, path, m, f, w, h)
	}
	im, err := m.RenderImage(w, h)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := im.SavePNG(f.out); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d×%d, %d channel(s), %d-bit) from %s (%s)\n", f.out, w, h, im.C, im.Depth, path, m.Arch)
	return nil
}

// evalDerivative draws the gradient magnitude or the Laplacian of an image model on a w×h grid
// as a heatmap. The colour range stops at the 99th percentile of the magnitudes, so that a few
// extreme pixels (edges) do not wash the rest out; the colour bar says so.
func evalDerivative(cmd *cobra.Command, path string, m *inr.Model, f evalFlags, w, h int) error {
	field, err := m.RenderDerivative(w, h, f.show)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	mags := make([]float64, 0, len(field))
	for _, v := range field {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			mags = append(mags, math.Abs(v))
		}
	}
	top := 1.0
	if len(mags) > 0 {
		slices.Sort(mags)
		if p := mags[min(len(mags)-1, len(mags)*99/100)]; p > 0 {
			top = p
		}
	}
	what := strings.Join(m.OutputNames(), ", ")
	name := filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)) // the run folder and the file
	opt := render.HeatmapOptions{Width: 640, Height: 560, XLabel: "x", YLabel: "y", EqualAspect: true,
		Title: fmt.Sprintf("gradient magnitude of %s, %s", what, name), Label: "gradient magnitude (colours stop at the 99th percentile)",
		Colormap: render.Magma(), Min: 0, Max: top}
	if m.Out > 1 {
		opt.Label = "√Σ |∇c|² over the channels (colours stop at the 99th percentile)"
	}
	if f.show == inr.ShowLaplacian {
		opt.Title = fmt.Sprintf("Laplacian Δ%s, %s", what, name)
		opt.Label, opt.Colormap, opt.Min, opt.Max = "Laplacian (colours stop at the 99th percentile of |Δ|)", render.CoolWarm(), -top, top
		if m.Out > 1 {
			opt.Label = "mean Laplacian over the channels (colours stop at the 99th percentile of |Δ|)"
		}
	}
	img, err := render.Heatmap(render.Field{W: w, H: h, Data: field, X0: -1, X1: 1, Y0: 1, Y1: -1}, opt)
	if err != nil {
		return err
	}
	if err := render.WritePNG(f.out, img); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%s of %s on a %d×%d grid) from %s (%s)\n", f.out, f.show, what, w, h, path, m.Arch)
	return nil
}

// loadModelFile reads a model file written by inr: a multi-stage model (inr fit-fn) as a
// Composite, any other (fit, solve, a fit's checkpoint) as a Model; meta is the file's metadata.
func loadModelFile(path string) (meta nn.Meta, m *inr.Model, c *multistage.Composite, err error) {
	meta, tensors, err := inr.ReadModelFile(path)
	if err != nil {
		return meta, nil, nil, err
	}
	if meta.Architecture == multistage.Architecture {
		if c, err = multistage.FromFile(meta, tensors); err != nil {
			return meta, nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return meta, nil, c, nil
	}
	m, err = inr.ModelFromFile(path, meta, tensors)
	return meta, m, nil, err
}

// checkRenderMemory refuses, before it is made, a rendering larger than inr.MaxRenderPixels or
// needing more memory than the system has available (an 8192² colour rendering needs about 2 GiB).
func checkRenderMemory(m *inr.Model, f evalFlags, w, h int) error {
	what := fmt.Sprintf("--size %d", f.size)
	switch {
	case f.width > 0:
		what = fmt.Sprintf("--width %d --height %d", f.width, f.height)
	case f.size == 0:
		what = fmt.Sprintf("the fitted size %d×%d", w, h)
	}
	if int64(w)*int64(h) > inr.MaxRenderPixels {
		return fmt.Errorf("%s: a rendering has at most %d pixels (8192×8192), this one %d×%d", what, inr.MaxRenderPixels, w, h)
	}
	work, err := m.PredictMemory()
	if err != nil {
		return err
	}
	return fitcli.CheckRenderMemory(what, w, h, func(w, h int) int64 { return m.RenderBytes(w, h) + work })
}

// scaleToLonger returns the size whose longer side is n with the aspect ratio of w×h.
func scaleToLonger(w, h, n int) (int, int) {
	im := inr.Image{W: w, H: h}
	return im.FitSize(n)
}

// pointModel is what --points needs of a model: its inputs, the names of its columns, and its
// values (and derivatives) at points.
type pointModel struct {
	dim         int
	inputs      []string // the input names when the CSV has no header
	outputs     []string
	predict     func(x kernel.Matrix) (kernel.Matrix, error)
	derivatives func(x kernel.Matrix, order int) (kernel.Matrix, [][]int, error)
	about       string // what the model is, for the summary line
}

// evalPoints evaluates the model at the points of --points and writes the CSV of the inputs,
// the outputs and, with --derivatives, their derivatives.
func evalPoints(cmd *cobra.Command, m pointModel, f evalFlags) error {
	in, err := os.Open(f.points)
	if err != nil {
		return fmt.Errorf("--points: %w", err)
	}
	defer in.Close()
	header, x, err := inr.ReadPoints(in, f.points, m.dim)
	if err != nil {
		return err
	}
	names := m.inputs
	if header != nil {
		names = header
	}
	outNames := m.outputs
	var y kernel.Matrix
	if f.derivatives > 0 {
		var wrt [][]int
		if y, wrt, err = m.derivatives(x, f.derivatives); err != nil {
			return err
		}
		outNames = derivativeNames(outNames, names, wrt)
	} else if y, err = m.predict(x); err != nil {
		return err
	}
	err = fsutil.WriteFile(f.out, func(w io.Writer) error { return inr.WritePoints(w, names, outNames, x, y) })
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d points, columns %s) from %s (%s)\n", f.out, x.Rows,
		strings.Join(append(append([]string{}, names...), outNames...), ", "), cmd.Flags().Arg(0), m.about)
	return nil
}

// imagePoints is --points for a model of the inr package (an image or PDE model).
func imagePoints(m *inr.Model) pointModel {
	return pointModel{dim: m.In, inputs: m.InputNames(), outputs: m.OutputNames(), about: m.Arch,
		predict: func(x kernel.Matrix) (kernel.Matrix, error) {
			y := kernel.NewMatrix(x.Rows, m.Out)
			return y, m.Predict(x, y)
		},
		derivatives: m.PredictDerivatives}
}

// multistagePoints is --points for a model written by inr fit-fn (inputs x1, x2, … unless the
// CSV names them).
func multistagePoints(c *multistage.Composite) pointModel {
	var inputs []string
	for k := range c.Dim() {
		inputs = append(inputs, fmt.Sprintf("x%d", k+1))
	}
	return pointModel{dim: c.Dim(), inputs: inputs, outputs: []string{"u"},
		about: fmt.Sprintf("%s, %d stages", multistage.Architecture, len(c.Stages)),
		predict: func(x kernel.Matrix) (kernel.Matrix, error) {
			u, err := c.Predict(x)
			return kernel.Matrix{Rows: len(u), Cols: 1, Stride: 1, Data: u}, err
		},
		derivatives: c.PredictDerivatives}
}

// derivativeNames names the columns of PredictDerivatives: the outputs, then for each entry of
// wrt every output's derivative, as problem files name them (expr.DerivName: u_x, u_xt).
func derivativeNames(outs, ins []string, wrt [][]int) []string {
	names := slices.Clone(outs)
	for _, w := range wrt {
		for _, o := range outs {
			names = append(names, expr.DerivName(o, w, ins))
		}
	}
	return names
}

func fileExt(p string) string {
	if i := strings.LastIndexByte(p, '.'); i >= 0 && !strings.ContainsRune(p[i:], '/') {
		return p[i:]
	}
	return ""
}
