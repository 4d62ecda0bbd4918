package act

import (
	"fmt"
	"math"

	"github.com/inrstudio/studio/kernel"
)

func init() {
	Register(Entry{
		Name: "finer",
		Description: "FINER variable-periodic sine sin(omega·(|x|+1)·x); detach=1 (default) treats the scale " +
			"|x|+1 as a constant in derivatives, as FINER's code does",
		Defaults: Config{"omega": 30, "detach": 1},
		New: func(cfg Config) (any, error) {
			w, err := cfgFinite("finer", cfg, "omega")
			if err != nil {
				return nil, err
			}
			det := cfg["detach"]
			if det != 0 && det != 1 {
				return nil, fmt.Errorf("activation finer: detach must be 0 or 1, got %v", det)
			}
			return &finerFunc{fixed: fixed{name: "finer", cfg: cfg}, omega: w, detach: det == 1}, nil
		},
	})
}

// finerFunc is FINER's σ(x) = sin(g(x)), g(x) = ω(|x| + 1)·x (Liu et al., CVPR 2024).
//
// With detach = 0, Eval returns the true derivatives. With g′ = ω(2|x| + 1), g″ = 2ω·sgn(x),
// g‴ = 0 away from 0:
//
//	σ′ = cos(g)·g′, σ″ = −sin(g)·g′² + cos(g)·g″, σ‴ = −cos(g)·g′³ − 3 sin(g)·g′·g″.
//
// g″ jumps at 0; sgn(0) = 0 gives σ″(0) = 0, the mean of the one-sided limits ±2ω, and
// σ‴(0) = −ω³ (the Dirac term of g‴ at 0 is dropped).
//
// With detach = 1 (FINER's code: scale = (|x| + 1).detach()), σ itself is unchanged but Eval
// returns the derivatives of v ↦ sin(k·v) at frozen k = ω(|x| + 1):
//
//	d[1] = k·cos(kx), d[2] = −k²·sin(kx), d[3] = −k³·cos(kx).
//
// This is exactly what autograd computes through the reference code (to any order, since the
// detached factor is a constant there); it is not the derivative of σ. Training gradients then
// match FINER's PyTorch runs; input-derivative losses (PDE residuals, SDF normals) should use
// detach = 0.
type finerFunc struct {
	fixed
	noParams
	omega  float64
	detach bool
}

func (f *finerFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	s, c := math.Sincos(f.arg(x))
	f.derive(x, s, c, order, d)
}

// arg is g(x) = ω(|x| + 1)·x.
func (f *finerFunc) arg(x float64) float64 { return f.omega * (math.Abs(x) + 1) * x }

// derive fills d from x and s, c = sin, cos of g(x).
func (f *finerFunc) derive(x, s, c float64, order int, d *[4]float64) {
	d[0] = s
	if order == 0 {
		return
	}
	a := math.Abs(x)
	if f.detach {
		k := f.omega * (a + 1)
		d[1] = k * c
		if order >= 2 {
			d[2] = -k * k * s
		}
		if order >= 3 {
			d[3] = -k * k * k * c
		}
		return
	}
	g1 := f.omega * (2*a + 1)
	g2 := 2 * f.omega * sgn(x)
	d[1] = c * g1
	if order >= 2 {
		d[2] = -s*g1*g1 + c*g2
	}
	if order >= 3 {
		d[3] = -c*g1*g1*g1 - 3*s*g1*g2
	}
}

// EvalSlice takes the sine and cosine of g from the kernel, a chunk at a time.
func (f *finerFunc) EvalSlice(x, _ []float64, order int, d [4][]float64) {
	w := wanted(order, d, len(x))
	bufs := freeChunkBuffers.Get()
	defer freeChunkBuffers.Put(bufs)
	ub, sb, cb := &bufs[0], &bufs[1], &bufs[2]
	var r [4]float64
	for lo := 0; lo < len(x); lo += sliceChunk {
		xs := x[lo:min(lo+sliceChunk, len(x))]
		u, s, c := ub[:len(xs)], sb[:len(xs)], cb[:len(xs)]
		for i, v := range xs {
			u[i] = f.arg(v)
		}
		kernel.SinCos(s, c, u)
		for i, v := range xs {
			f.derive(v, s[i], c[i], order, &r)
			scatter(w, lo+i, &r)
		}
	}
}
