package kernel

import "strings"

// cpuFeatures is what the implementations need to know about the processor. It is read once
// from the hardware at start-up (hostFeatures) and can be built by hand in tests, so that the
// selection logic is exercised for CPUs other than the one running the tests.
type cpuFeatures struct {
	Arch string // GOARCH the binary was built for
	// AVX2 and FMA as reported by CPUID, with the OS saving YMM state.
	AVX2, FMA bool
	// AVX512F as reported by CPUID, with the OS saving the ZMM and mask state
	// (golang.org/x/sys/cpu only sets it when XCR0 enables opmask, ZMM_Hi256 and Hi16_ZMM).
	AVX512F bool
}

// host is the processor the program runs on, read once at init.
var host = hostFeatures()

func supportAVX2(f cpuFeatures) (bool, string) {
	if f.Arch != "amd64" {
		return false, "needs amd64, this binary is " + f.Arch
	}
	var missing []string
	if !f.AVX2 {
		missing = append(missing, "AVX2")
	}
	if !f.FMA {
		missing = append(missing, "FMA")
	}
	if len(missing) > 0 {
		return false, "CPU or OS lacks " + strings.Join(missing, " and ")
	}
	return true, "AVX2+FMA assembly kernels"
}

func supportAVX512(f cpuFeatures) (bool, string) {
	if f.Arch != "amd64" {
		return false, "needs amd64, this binary is " + f.Arch
	}
	if !f.AVX512F {
		return false, "CPU or OS lacks AVX-512F (ZMM state must be enabled by the OS)"
	}
	// The thin-shape kernels shared with the AVX2 implementation use AVX2 and FMA, which
	// every AVX-512 processor has; check anyway rather than assume.
	if ok, why := supportAVX2(f); !ok {
		return false, why
	}
	return true, "AVX-512F assembly kernels"
}
