package floor

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// timeCalls reports the median call's CPU time in ms and amount/time in unit.
func timeCalls(b *testing.B, amount float64, unit string, call func()) {
	var ts []time.Duration
	for b.Loop() {
		t0 := cpuTime()
		call()
		ts = append(ts, cpuTime()-t0)
	}
	slices.Sort(ts)
	m := ts[len(ts)/2]
	b.ReportMetric(float64(m.Microseconds())/1e3, "ms")
	b.ReportMetric(amount/m.Seconds(), unit)
}

// alloc returns n float64s on 2 MiB boundaries from mmap, asking for huge pages when huge.
func alloc(b *testing.B, n int, huge bool) []float64 {
	const align = 2 << 20
	mem, err := syscall.Mmap(-1, 0, n*8+align, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = syscall.Munmap(mem) })
	off := (align - int(uintptr(unsafe.Pointer(&mem[0]))%align)) % align
	mem = mem[off : off+n*8]
	if huge {
		if err := syscall.Madvise(mem, 14 /* MADV_HUGEPAGE */); err != nil {
			b.Fatal(err)
		}
	}
	x := unsafe.Slice((*float64)(unsafe.Pointer(&mem[0])), n)
	for i := range x {
		x[i] = 1
	}
	return x
}

func BenchmarkFloor(b *testing.B) {
	if info, err := os.ReadFile("/proc/cpuinfo"); err != nil || !strings.Contains(string(info), " avx512f ") {
		b.Skip("needs AVX-512")
	}
	// 24e6 FMAs per call: G vector ops per second at the vector ports' peak.
	b.Run("fma-peak", func(b *testing.B) { timeCalls(b, 24e6/1e9, "Gop/s", func() { fmaLoop(1e6) }) })
	out := alloc(b, 1<<20, false)
	for _, nt := range []bool{true, false} {
		b.Run(fmt.Sprintf("write-8MiB/nt=%v", nt), func(b *testing.B) {
			timeCalls(b, 8<<20/1e9, "GB/s", func() { store(&out[0], 8<<20, nt) })
		})
	}
	for _, huge := range []bool{false, true} {
		x := alloc(b, 1<<24, huge)
		for _, regions := range []int{1, 2, 4} {
			b.Run(fmt.Sprintf("read-128MiB/huge=%v/regions=%d", huge, regions), func(b *testing.B) {
				timeCalls(b, 128<<20/1e9, "GB/s", func() { readSum(&x[0], 128<<20, regions) })
			})
		}
	}
}
