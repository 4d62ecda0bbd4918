package reference

import (
	"fmt"
	"math"
)

func init() {
	register("burgers", "Burgers 1-D, u(x,0) = −sin πx, exact (Cole–Hopf)", []string{"nu", "nodes"},
		func(p map[string]float64) (Solution, error) {
			nodes, err := intParam(p, "nodes", BurgersNodes)
			if err != nil {
				return nil, err
			}
			return NewBurgers(param(p, "nu", BurgersNu), nodes)
		})
	register("allen-cahn", "Allen–Cahn 1-D, u(x,0) = x² cos πx, Fourier/ETDRK4", []string{"eps", "gamma", "modes", "dt"},
		func(p map[string]float64) (Solution, error) {
			modes, err := intParam(p, "modes", DefaultAllenCahnModes)
			if err != nil {
				return nil, err
			}
			return SolveAllenCahn(AllenCahnConfig{Eps: param(p, "eps", 1e-4), Gamma: param(p, "gamma", 5),
				Modes: modes, Dt: param(p, "dt", DefaultAllenCahnDt)})
		})
	register("kovasznay", "Kovasznay flow, steady Navier–Stokes (u, v, p)", []string{"re"},
		func(p map[string]float64) (Solution, error) { return NewKovasznay(param(p, "re", 20)) })
	register("poisson2d", "Poisson 2-D, u = sin πx sin πy on [−1,1]²", nil,
		func(map[string]float64) (Solution, error) { return Poisson2D{}, nil })
	register("helmholtz2d", "Helmholtz 2-D, u = sin(a1 πx) sin(a2 πy) on [−1,1]²", []string{"a1", "a2", "k"},
		func(p map[string]float64) (Solution, error) {
			return Helmholtz2D{A1: param(p, "a1", 1), A2: param(p, "a2", 4), K: param(p, "k", 1)}, nil
		})
	register("heat1d", "heat 1-D, u = exp(−π²αt) sin πx on [0,1]²", []string{"alpha"},
		func(p map[string]float64) (Solution, error) { return Heat1D{Alpha: param(p, "alpha", 0.4)}, nil })
	register("wave1d", "wave 1-D, u = sin πx cos cπt + b sin aπx cos acπt on [0,1]²", []string{"c", "a", "b"},
		func(p map[string]float64) (Solution, error) {
			return Wave1D{C: param(p, "c", 2), A: param(p, "a", 4), B: param(p, "b", 0.5)}, nil
		})
	register("ode-exp", "ODE u′ = u + x, u(0) = 0: u = eˣ − x − 1 on [−1,1]", nil,
		func(map[string]float64) (Solution, error) { return ODEExp{}, nil })
	register("laplace-disk", "Laplace on the unit disk, u = r² cos 2θ = x² − y²", nil,
		func(map[string]float64) (Solution, error) { return NewLaplaceDisk(nil, 16) })
}

// intParam reads an integer-valued parameter.
func intParam(p map[string]float64, name string, def int) (int, error) {
	v, ok := p[name]
	if !ok {
		return def, nil
	}
	if v != math.Trunc(v) || math.Abs(v) > 1<<30 {
		return 0, fmt.Errorf("parameter %s = %g: want an integer", name, v)
	}
	return int(v), nil
}
