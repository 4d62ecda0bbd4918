package act

import (
	"fmt"
	"math"
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
	a := math.Abs(x)
	k := f.omega * (a + 1)
	s, c := math.Sincos(k * x)
	d[0] = s
	if order == 0 {
		return
	}
	if f.detach {
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
