package main

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/inrstudio/studio/kernel"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "0.1.0-dev"

func init() { addCommand(newVersionCmd) }

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, Go version, platform and the active kernel implementation",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			name, reason := kernel.Selection()
			w := cmd.OutOrStdout()
			fmt.Fprintf(w, "inr %s\n", version)
			fmt.Fprintf(w, "go: %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
			fmt.Fprintf(w, "kernel: %s (%s)\n", name, reason)
			fmt.Fprintf(w, "kernels this CPU runs: %v; threads: %d (GOMAXPROCS)\n", kernel.Available(), kernel.Default().Threads())
			return nil
		},
	}
}
