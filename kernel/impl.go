package kernel

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/inrstudio/studio/kernel/vmath"
)

// Impl is one implementation of the kernels, with a thread count. The zero thread count means
// "follow GOMAXPROCS at the time of each call".
type Impl struct {
	b       *backend
	threads int
}

// backend is what an implementation registers: its kernels and whether this CPU can run them.
type backend struct {
	name     string
	priority int                              // higher wins when several are supported
	support  func(cpuFeatures) (bool, string) // whether a CPU can run it, and why (not)
	vm       vmath.Funcs
	gemm     gemmKernels
	ops      vecOps
	// affineK is the outer-product kernel of thin first layers (see smallKAVX2), nil where
	// none exists; LinearSin streams through it.
	affineK func(rows, n, k int, a *float64, ars, aks int, b *float64, ldb int, bias *float64, c *float64, ldc int, alpha, beta float64, nt int)
	// linSin and linCos are the fused first-layer kernels (see linSinAVX512), nil where none
	// exists.
	linSin, linCos func(rows, n, k int, x *float64, xs int, w *float64, ldw int, out *float64, ldo int, nt int)
	// tanhJetFwd and tanhJetBwd are the fused tanh jet chain rules (see TanhJet) over a multiple
	// of 8 elements, nil where none exists (the Go loops run instead).
	tanhJetFwd func(y, q, z *float64, cnt, stride int, desc *int64)
	tanhJetBwd func(g, z, t, q *float64, cnt, stride int, desc *int64)
}

// backends is filled at init by the files of each implementation (registry only).
var backends = map[string]*backend{}

func register(b *backend) { backends[b.name] = b }

var (
	defaultImpl   *Impl
	defaultReason string
	selectErr     error
)

func init() {
	register(&backend{
		name:     "generic",
		priority: 0,
		support:  func(cpuFeatures) (bool, string) { return true, "pure Go, runs everywhere" },
		vm:       vmath.Generic(),
		gemm:     genericGemm,
		ops:      genericOps,
	})
	registerArch() // the assembly implementations of this GOARCH, if any
	defaultImpl, defaultReason, selectErr = choose(os.Getenv("INR_KERNEL"), host)
}

// choose picks the implementation asked for by env (empty: the best one f supports).
func choose(env string, f cpuFeatures) (*Impl, string, error) {
	env = strings.TrimSpace(strings.ToLower(env))
	if env != "" {
		impl, err := lookup(env, f)
		if err == nil {
			return impl, "forced by INR_KERNEL=" + env, nil
		}
		best, reason := best(f)
		return best, reason, fmt.Errorf("INR_KERNEL=%s: %w (unset INR_KERNEL to use %s)", env, err, best.Name())
	}
	impl, reason := best(f)
	return impl, reason, nil
}

func best(f cpuFeatures) (*Impl, string) {
	var pick *backend
	var why string
	for _, b := range backends {
		if ok, reason := b.support(f); ok && (pick == nil || b.priority > pick.priority) {
			pick, why = b, reason
		}
	}
	return &Impl{b: pick}, "best this CPU supports: " + why
}

// Lookup returns the named implementation, or an error naming the implementations this CPU
// supports when it cannot run the one asked for.
func Lookup(name string) (*Impl, error) { return lookup(name, host) }

func lookup(name string, f cpuFeatures) (*Impl, error) {
	b, ok := backends[name]
	if !ok {
		return nil, fmt.Errorf("unknown kernel implementation %q (known: %s)", name, strings.Join(Known(), ", "))
	}
	if ok, why := b.support(f); !ok {
		return nil, fmt.Errorf("kernel implementation %q cannot run on this CPU: %s (supported here: %s)",
			name, why, strings.Join(available(f), ", "))
	}
	return &Impl{b: b}, nil
}

// Known lists every implementation compiled into this binary, best first.
func Known() []string { return sortedNames(func(*backend) bool { return true }) }

// Available lists the implementations this CPU can run, best first.
func Available() []string { return available(host) }

func available(f cpuFeatures) []string {
	return sortedNames(func(b *backend) bool { ok, _ := b.support(f); return ok })
}

func sortedNames(keep func(*backend) bool) []string {
	var names []string
	for _, b := range backends {
		if keep(b) {
			names = append(names, b.name)
		}
	}
	// Insertion sort by descending priority: a handful of entries.
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && backends[names[j]].priority > backends[names[j-1]].priority; j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}

// Default returns the implementation the package-level functions use.
func Default() *Impl { return defaultImpl }

// Selection describes the default implementation and why it was chosen.
func Selection() (name, reason string) { return defaultImpl.Name(), defaultReason }

// Check reports an INR_KERNEL request that could not be honoured. Programs call it once at
// start-up and stop with its message; the library meanwhile runs the best supported kernel.
func Check() error { return selectErr }

// Name is the implementation's name: generic, avx2 or avx512.
func (k *Impl) Name() string { return k.b.name }

// WithThreads returns the same implementation limited to n worker goroutines
// (n ≤ 0: follow GOMAXPROCS).
func (k *Impl) WithThreads(n int) *Impl { return &Impl{b: k.b, threads: n} }

// Threads is the number of workers a call uses now.
func (k *Impl) Threads() int {
	if k.threads > 0 {
		return k.threads
	}
	return runtime.GOMAXPROCS(0)
}

// Vec returns the implementation's slice functions (single-threaded).
func (k *Impl) Vec() vmath.Funcs { return k.b.vm }
