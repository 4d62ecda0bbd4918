package act

import "math"

func init() {
	Register(Entry{
		Name:        "gabor_real",
		Description: "real Gabor wavelet cos(omega·x)·exp(−(s·x)²) (WIRE's real variant with one linear map)",
		Defaults:    Config{"omega": 20, "s": 30},
		New: func(cfg Config) (any, error) {
			w, err := cfgFinite("gabor_real", cfg, "omega")
			if err != nil {
				return nil, err
			}
			s, err := cfgPositive("gabor_real", cfg, "s")
			if err != nil {
				return nil, err
			}
			return &gaborRealFunc{fixed: fixed{name: "gabor_real", cfg: cfg}, omega: w, gauss: gaussFunc{s: s, s2: s * s, s3: s * s * s}}, nil
		},
	})
}

// gaborRealFunc is σ = f·g with f = cos(ωx) and g = exp(−(sx)²), differentiated by Leibniz:
// σ⁽ⁿ⁾ = Σ C(n,k) f⁽ᵏ⁾ g⁽ⁿ⁻ᵏ⁾. Subnormal results are flushed to zero as in gauss.
type gaborRealFunc struct {
	fixed
	noParams
	omega float64
	gauss gaussFunc
}

func (f *gaborRealFunc) Eval(x float64, _ []float64, order int, d *[4]float64) {
	var g [4]float64
	f.gauss.Eval(x, nil, order, &g)
	w := f.omega
	s, c := math.Sincos(w * x)
	fd := [4]float64{c, -w * s, -w * w * c, w * w * w * s}
	d[0] = ftz(fd[0] * g[0])
	if order >= 1 {
		d[1] = ftz(fd[1]*g[0] + fd[0]*g[1])
	}
	if order >= 2 {
		d[2] = ftz(fd[2]*g[0] + 2*fd[1]*g[1] + fd[0]*g[2])
	}
	if order >= 3 {
		d[3] = ftz(fd[3]*g[0] + 3*fd[2]*g[1] + 3*fd[1]*g[2] + fd[0]*g[3])
	}
}
