// Command initstats prints the statistics of a studio model's initial weights per tensor, in the
// format of scripts/peers/torch_quality.py --stats, to compare the two initialisations:
//
//	go run ./scripts/peers/initstats -model wire -channels 1 -seed 0 [-save init.safetensors]
//
// Lines: "stat <name> <n> <mean> <std> <min> <max>" (std with Bessel's correction, as torch's).
package main

import (
	"flag"
	"fmt"
	"math"
	"os"

	"github.com/inrstudio/studio/inr"
)

func main() {
	model := flag.String("model", "wire", "architecture")
	channels := flag.Int("channels", 1, "output channels (1 camera, 3 coffee)")
	seed := flag.Uint64("seed", 0, "seed")
	save := flag.String("save", "", "also write the initial model to this file (for torch_wire_check.py --init)")
	flag.Parse()
	arch, err := inr.LookupArch(*model)
	if err != nil {
		fmt.Fprintln(os.Stderr, "initstats:", err)
		os.Exit(1)
	}
	m, err := inr.NewModel(*model, arch.NewConfig(), 2, *channels, *seed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "initstats:", err)
		os.Exit(1)
	}
	if *save != "" {
		if err := m.Save(*save, "initstats", nil); err != nil {
			fmt.Fprintln(os.Stderr, "initstats:", err)
			os.Exit(1)
		}
	}
	for _, p := range m.Net.Params() {
		v := p.Value
		mean, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for _, x := range v {
			mean += x
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		mean /= float64(len(v))
		ss := 0.0
		for _, x := range v {
			ss += (x - mean) * (x - mean)
		}
		std := math.Sqrt(ss / float64(max(1, len(v)-1)))
		fmt.Printf("stat %s %d %.6f %.6f %.6f %.6f\n", p.Name, len(v), mean, std, lo, hi)
	}
}
