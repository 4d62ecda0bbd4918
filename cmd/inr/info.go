package main

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/nn"
)

func init() { addCommand(newInfoCmd) }

func newInfoCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "info MODEL",
		Short: "Describe a model file: architecture, settings, what it was fitted to, and its layers with their parameters",
		Long: `Describe a model file written by inr (fit, solve, fit-fn, or a fit's checkpoint) without evaluating
it: the architecture and its settings, the parameter count, what was fitted and how the outputs map
to the signal, and the network layer by layer (what each computes and how many parameters it
holds), as the file's graph metadata records it for readers in other languages
(python/inrstudio.py).`,
		Example: `  inr info runs/demo-camera-siren/model.safetensors
  inr info runs/burgers/model.safetensors`,
		Args: exactArgs(1, "MODEL (a model.safetensors file)"),
		RunE: func(cmd *cobra.Command, args []string) error { return runInfo(cmd.OutOrStdout(), args[0]) },
	}
}

func runInfo(w io.Writer, path string) error {
	meta, m, c, err := loadModelFile(path)
	if err != nil {
		return err
	}
	if c != nil {
		params := 0
		for _, s := range c.Stages {
			params += nn.CountParams(s.Net.Params())
		}
		fmt.Fprintf(w, "%s: multi-stage regression model (inr fit-fn), %d input(s) on %v–%v, %d stages, %s parameters (inr %s)\n",
			path, c.Dim(), c.Lo, c.Hi, len(c.Stages), groupDigits(params), meta.Version)
		for k, s := range c.Stages {
			fmt.Fprintf(w, "  stage %d: ε %.3g, κ %.3g, widths %v, first activation %s\n", k+1, s.Epsilon, s.Kappa, s.Widths, s.FirstAct)
		}
		return nil
	}
	params := groupDigits(m.NumParams())
	if t := inr.TorchParamCount(m.Net); t != m.NumParams() {
		params = fmt.Sprintf("%s (%s real)", groupDigits(t), groupDigits(m.NumParams()))
	}
	fmt.Fprintf(w, "%s: %s, %d → %d, %s parameters (inr %s)\n", path, m.Arch, m.In, m.Out, params, meta.Version)
	if fw, fh, c, depth, ok := m.ImageInfo(); ok {
		fmt.Fprintf(w, "fitted to: a %d×%d image, %d channel(s), %d-bit", fw, fh, c, depth)
	} else {
		fmt.Fprintf(w, "inputs %s, outputs %s", strings.Join(m.InputNames(), ", "), strings.Join(m.OutputNames(), ", "))
	}
	for _, k := range []string{"seed", "steps"} {
		if v := m.Extra[k]; v != "" {
			fmt.Fprintf(w, ", %s %s", k, v)
		}
	}
	if v := m.Extra["saved_model"]; v != "" {
		fmt.Fprintf(w, ", the %s weights", v)
	}
	fmt.Fprintln(w)
	if done, steps, ok := inr.CheckpointProgress(m.Extra); ok {
		fmt.Fprintf(w, "an unfinished fit's checkpoint: %d of %d steps done; continue it with inr fit --resume <its run folder>\n", done, steps)
	}
	// The run folder's metrics.json belongs to its model.safetensors (not to another file saved
	// beside it, such as a model tuned elsewhere).
	if filepath.Base(path) == inr.ModelFile {
		if run := runFigures(filepath.Join(filepath.Dir(path), inr.MetricsFile)); run != "" {
			fmt.Fprintf(w, "its run (metrics.json beside it): %s\n", run)
		}
	}
	if settings, err := settingsLine(m.Config); err == nil && settings != "" {
		fmt.Fprintf(w, "settings: %s\n", settings)
	}
	var norm []string
	for o := range m.Out {
		if m.Norm.Scale[o] != 1 || m.Norm.Offset[o] != 0 {
			norm = append(norm, fmt.Sprintf("%s = %g·net + %g", m.OutputNames()[o], m.Norm.Scale[o], m.Norm.Offset[o]))
		}
	}
	if len(norm) > 0 {
		fmt.Fprintf(w, "outputs: %s\n", strings.Join(norm, ", "))
	}
	fmt.Fprintln(w, "layers:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	sizes := map[string]int{}
	for _, p := range m.Net.Params() {
		sizes[p.Name] = p.Size()
	}
	describeGraph(tw, m.Net.Spec(), "", "  ", sizes)
	return tw.Flush()
}

// runFigures summarises the metrics.json of a fit or a solve ("" when there is none or it is
// not one): the figures a reader of the model wants first.
func runFigures(path string) string {
	raw, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var m map[string]any
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	num := func(k string) (float64, bool) {
		v, ok := m[k].(float64)
		return v, ok
	}
	var parts []string
	if v, ok := num("psnr"); ok {
		parts = append(parts, fmt.Sprintf("PSNR %.2f dB", v))
	}
	if v, ok := num("best_psnr"); ok {
		s := fmt.Sprintf("best %.2f dB", v)
		if st, ok := num("best_step"); ok {
			s += fmt.Sprintf(" at step %d", int(st))
		}
		parts = append(parts, s)
	}
	if v, ok := num("ssim"); ok {
		parts = append(parts, fmt.Sprintf("SSIM %.4f", v))
	}
	if v, ok := num("rel_l2"); ok {
		parts = append(parts, fmt.Sprintf("relative L2 error %.3e", v))
	}
	if v, ok := num("max_error"); ok {
		parts = append(parts, fmt.Sprintf("max error %.3e", v))
	}
	if v, ok := num("seconds"); ok && len(parts) > 0 {
		parts = append(parts, fmt.Sprintf("%.1f s", v))
	}
	return strings.Join(parts, ", ")
}

// describeGraph writes a line per node of a graph's Spec (nested graphs indented): its name,
// what it computes, its output width and its trainable parameters.
func describeGraph(w io.Writer, g nn.Spec, prefix, indent string, sizes map[string]int) {
	nodes, _ := g["nodes"].([]nn.Spec)
	if len(nodes) == 0 {
		return // not a graph's Spec
	}
	names := make([]string, len(nodes))
	for i, n := range nodes {
		names[i] = fmt.Sprint(n["name"])
	}
	for _, n := range nodes[1:] {
		name := fmt.Sprint(n["name"])
		full := prefix + name
		count := 0
		for k, v := range sizes {
			if strings.HasPrefix(k, full+".") {
				count += v
			}
		}
		var from []string
		if ins, ok := n["inputs"].([]int); ok && (len(ins) > 1 || n["op"] == "transform") {
			for _, i := range ins {
				from = append(from, names[i])
			}
		}
		fmt.Fprintf(w, "%s%s\t%s\t→ %v\t%s\n", indent, name, opSummary(n, from), n["width"], groupDigits(count))
		switch n["op"] {
		case "graph":
			describeGraph(w, n, full+".", indent+"  ", sizes)
		case "symmetric":
			if inner, ok := n["net"].(nn.Spec); ok {
				describeGraph(w, inner, full+".", indent+"  ", sizes)
			}
		}
	}
}

// opSummary says in a few words what a node computes; from names the inputs of a merge.
func opSummary(n nn.Spec, from []string) string {
	act := func() string {
		a, ok := n["activation"].(nn.Spec)
		if !ok {
			return ""
		}
		cfg, _ := a["config"].(map[string]float64)
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(cfg)) {
			parts = append(parts, fmt.Sprintf("%s=%g", k, cfg[k]))
		}
		s := fmt.Sprint(a["name"])
		if len(parts) > 0 {
			s += "(" + strings.Join(parts, ", ") + ")"
		}
		if n["per_unit"] == true {
			s += " per unit"
		}
		return s
	}
	switch op := fmt.Sprint(n["op"]); op {
	case "dense":
		return fmt.Sprintf("dense %v→%v", n["in"], n["out"])
	case "dense_act":
		return fmt.Sprintf("dense %v→%v, %s", n["in"], n["out"], act())
	case "activation", "complex_activation":
		return act()
	case "low_rank":
		return fmt.Sprintf("low-rank dense %v→%v, rank %v", n["in"], n["out"], n["rank"])
	case "kan":
		var bases []string
		for _, t := range n["terms"].([]nn.Spec) {
			b := t["basis"].(nn.Spec)
			switch b["name"] {
			case "fourier":
				bases = append(bases, fmt.Sprintf("Fourier K=%v", b["frequencies"]))
			case "chebyshev":
				bases = append(bases, fmt.Sprintf("Chebyshev degree %v", b["degree"]))
			case "bspline":
				bases = append(bases, fmt.Sprintf("B-spline G=%v k=%v", b["grid"], b["order"]))
			default:
				bases = append(bases, fmt.Sprint(b["name"]))
			}
		}
		return fmt.Sprintf("KAN %v→%v, %s", n["in"], n["out"], strings.Join(bases, " + "))
	case "encoding":
		if n["kind"] == "positional" {
			return fmt.Sprintf("positional encoding, %v levels", n["levels"])
		}
		return fmt.Sprintf("Fourier features, %v frequencies", n["features"])
	case "complex_dense":
		return fmt.Sprintf("complex dense %v→%v (%s)", n["in"], n["out"], strings.ReplaceAll(fmt.Sprint(n["mode"]), "_", " "))
	case "layer_norm":
		return "layer norm"
	case "affine":
		return "fixed affine map x·a + c"
	case "sum", "product", "concat":
		return op + " of " + strings.Join(from, ", ")
	case "graph":
		return "network"
	case "embedding":
		return fmt.Sprintf("sin/cos embedding, %v frequencies", n["frequencies"])
	case "symmetric":
		kind := "even"
		if n["sign"] == -1.0 {
			kind = "odd"
		}
		return fmt.Sprintf("%s in axes %v", kind, n["axes"])
	case "transform":
		exprs, _ := n["expressions"].(map[string]string)
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(exprs)) {
			parts = append(parts, k+" = "+exprs[k])
		}
		return "hard constraints (" + strings.Join(from, ", ") + "): " + strings.Join(parts, "; ")
	case "opaque":
		return fmt.Sprintf("%v (not described)", n["type"])
	default:
		return op
	}
}
