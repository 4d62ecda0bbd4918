package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/inr"
)

func init() { addCommand(newModelsCmd) }

func newModelsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "models",
		Short: "List the architectures with their defaults and parameter counts",
		Long: `List the registered architectures: the parameter count of a 2→1 (grayscale image) model, the
default learning rate and target range, and the settings that --set key=value and --config change.
relu_pe is counted at 256² (its encoding levels follow the image size).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w := cmd.OutOrStdout()
			tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tPARAMS (2→1)\tLR\tRANGE\tSETTINGS")
			archs := inr.Archs()
			for _, a := range archs {
				cfg := a.NewConfig()
				if ad, ok := cfg.(inr.SignalAdapter); ok {
					ad.AdaptTo([]int{256, 256})
				}
				tr := cfg.Training()
				m, err := inr.NewModel(a.Name, cfg, 2, 1, 0)
				if err != nil {
					// A wrapper that only other commands build (inr solve's "pinn"): no defaults to show.
					fmt.Fprintf(tw, "%s\t—\t—\t—\t(built by another command; see below)\n", a.Name)
					continue
				}
				params := groupDigits(m.NumParams())
				if t := inr.TorchParamCount(m.Net); t != m.NumParams() {
					params = fmt.Sprintf("%s (%s real)", groupDigits(t), groupDigits(m.NumParams()))
				}
				settings, err := settingsLine(a.NewConfig())
				if err != nil {
					return err
				}
				fmt.Fprintf(tw, "%s\t%s\t%g\t%s\t%s\n", a.Name, params, tr.LR, inr.RangeName(tr.Range), settings)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(w)
			for _, a := range archs {
				fmt.Fprintf(w, "%-8s %s\n", a.Name, a.Description)
			}
			fmt.Fprintln(w, "\nPARAMS counts a complex weight once, as PyTorch does (WIRE); \"real\" is the number of float64 scalars.")
			return nil
		},
	}
}

// settingsLine writes a configuration as key=value pairs (the lr is its own column).
func settingsLine(cfg inr.Config) (string, error) {
	b, err := json.Marshal(cfg)
	if err != nil {
		return "", err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return "", err
	}
	keys, err := inr.ConfigKeys(cfg)
	if err != nil {
		return "", err
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if k == "lr" {
			continue
		}
		parts = append(parts, k+"="+string(m[k]))
	}
	return strings.Join(parts, " "), nil
}

// groupDigits writes n with thousands separators, as the reference tables do (198,401).
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
