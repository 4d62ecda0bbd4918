// Command inr is the INR Studio command line: fit coordinate networks to images, solve PDEs
// from problem files, evaluate saved models and print benchmark tables. It never links the
// desktop viewer (that is the separate inr-view binary) and builds with CGO_ENABLED=0.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/kernel"
)

func main() {
	root := newRoot()
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "inr:", err)
		os.Exit(exitCode(err))
	}
}

func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "inr",
		Short: "INR Studio: implicit neural representations and scientific ML in float64",
		Long: `INR Studio fits coordinate networks (SIREN, WIRE, SPDER, SL²A, FKAN, Cauchy XNet, …)
to images and solves PDEs with physics-informed networks, in float64, on the CPU.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return kernel.Check()
		},
	}
	for _, newCmd := range commands {
		root.AddCommand(newCmd())
	}
	return root
}

// commands holds the constructors of the subcommands; each command's file adds its own in init,
// so commands are added without editing this file.
var commands []func() *cobra.Command

func addCommand(newCmd func() *cobra.Command) { commands = append(commands, newCmd) }
