//go:build amd64

package kernel

import "golang.org/x/sys/cpu"

func hostFeatures() cpuFeatures {
	return cpuFeatures{
		Arch:    "amd64",
		AVX2:    cpu.X86.HasAVX2,
		FMA:     cpu.X86.HasFMA,
		AVX512F: cpu.X86.HasAVX512F,
	}
}
