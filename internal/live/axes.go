package live

import "github.com/inrstudio/studio/pinn"

// ProblemAxes names the axes of a PDE problem's pictures the way package pinn lays them out: x
// across and y up for spatial problems, time across and space up for one space dimension in
// time, the coordinate alone for 1-D problems.
func ProblemAxes(p *pinn.Problem) Axes {
	v := p.Vars
	switch {
	case len(v) == 1:
		return Axes{X: v[0]}
	case p.Time && len(v) == 2:
		return Axes{X: v[1], Y: v[0], Time: "x"}
	case len(v) >= 2:
		return Axes{X: v[0], Y: v[1]}
	}
	return Axes{}
}
