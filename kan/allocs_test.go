package kan

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// allocSplit runs f n times with every allocation sampled and returns the objects allocated per
// run whose stack passes through package kernel, and the others (with their sites). The split
// holds this package to zero while the kernel's parallel loops (owned elsewhere) may still
// allocate their goroutine closures; when the kernel allocates nothing the caller also asserts
// testing.AllocsPerRun == 0. Only stacks through this package's code are counted.
func allocSplit(n int, f func()) (kern, own float64, sites []string) {
	old := runtime.MemProfileRate
	runtime.MemProfileRate = 1
	defer func() { runtime.MemProfileRate = old }()
	snapshot := func() map[[32]uintptr]int64 {
		runtime.GC()
		runtime.GC()
		k, _ := runtime.MemProfile(nil, true)
		var recs []runtime.MemProfileRecord
		for {
			recs = make([]runtime.MemProfileRecord, k+50)
			var ok bool
			if k, ok = runtime.MemProfile(recs, true); ok {
				recs = recs[:k]
				break
			}
		}
		m := map[[32]uintptr]int64{}
		for _, r := range recs {
			m[r.Stack0] += r.AllocObjects
		}
		return m
	}
	before := snapshot()
	for range n {
		f()
	}
	after := snapshot()
	var nk, no int64
	for stack, c := range after {
		d := c - before[stack]
		if d <= 0 {
			continue
		}
		inKernel, inKAN := false, false
		var desc []string
		pcs := stack[:]
		for i, pc := range pcs {
			if pc == 0 {
				pcs = pcs[:i]
				break
			}
		}
		frames := runtime.CallersFrames(pcs)
		for {
			fr, more := frames.Next()
			inKernel = inKernel || strings.Contains(fr.Function, "/kernel.")
			inKAN = inKAN || strings.Contains(fr.Function, "/kan.(*Expansion)")
			if len(desc) < 4 {
				desc = append(desc, fmt.Sprintf("%s:%d", fr.Function, fr.Line))
			}
			if !more {
				break
			}
		}
		switch {
		case !inKAN:
		case inKernel:
			nk += d
		default:
			no += d
			sites = append(sites, fmt.Sprintf("%d× %s", d, strings.Join(desc, " ← ")))
		}
	}
	return float64(nk) / float64(n), float64(no) / float64(n), sites
}

// TestStepAllocatesNothing: after the first call a forward+backward pass (with the input
// gradient, on second-order jets, and alternating between two plans) allocates nothing in this
// package; and nothing at all when the kernel's loops do not.
func TestStepAllocatesNothing(t *testing.T) {
	exp := must[*Expansion](t)
	rng := nn.NewRNG(1)
	layers := map[string]*Expansion{
		"chebyshev": exp(NewChebyshevKAN(2, 16, 12, rng)),
		"fourier":   exp(NewFourierKAN(2, 16, 9, true, rng)),
		"bspline":   exp(NewBSplineKAN(2, 16, 5, 3, rng)),
	}
	for _, name := range []string{"chebyshev", "fourier", "bspline"} {
		l := layers[name]
		for _, n := range []int{37, 3000} {
			t.Run(fmt.Sprintf("%s/N=%d", name, n), func(t *testing.T) {
				x := kernel.NewMatrix(n, 2)
				r := rand.New(rand.NewPCG(2, 2))
				for i := range x.Data {
					x.Data[i] = 2*r.Float64() - 1
				}
				lap, val := nn.NewInputJet(nn.HessianPlan(2), x), nn.NewInputJet(nn.ValuePlan(2), x)
				var gl, gv nn.JetBuffer
				step := func() {
					for _, in := range []nn.Jet{lap, val} {
						y := l.Forward(in)
						g := &gv
						if in.Plan.Order() > 0 {
							g = &gl
						}
						dy := g.Like(y, y.Width())
						dy.M.CopyFrom(y.M)
						l.Backward(dy, true)
					}
				}
				step()
				kern, own, sites := allocSplit(5, step)
				require.Zero(t, own, "allocations per step in package kan:\n%s", strings.Join(sites, "\n"))
				if kern > 0 {
					t.Logf("the kernel package allocates %.0f objects per step (its parallel loops; not this package's)", kern)
					return
				}
				require.Zero(t, testing.AllocsPerRun(5, step))
			})
		}
	}
}
