//go:build !amd64

package kernel

import "runtime"

func hostFeatures() cpuFeatures { return cpuFeatures{Arch: runtime.GOARCH} }
