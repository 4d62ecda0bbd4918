package pinn

import (
	"fmt"
	"slices"
	"strings"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kan"
)

// extendGrid carries the solve to a B-spline KAN on grid g (train.grid_extension): it builds the
// solver of the same problem with the finer network, gives it the collocation points trained on
// so far (resampled and refined ones included), copies every parameter and refits the spline
// coefficients to the new grid (kan.RefitCoefficients, which keeps each edge's function on the
// grid range), and continues with it.
func (r *run) extendGrid(g int) error {
	s := r.s
	cfg, ok := s.p.Network.Config.(*inr.KANConfig)
	if !ok {
		return fmt.Errorf("the network is %s, not a B-spline KAN", s.p.Network.Arch)
	}
	next := *cfg
	next.Widths, next.Grid = slices.Clone(cfg.Widths), g
	q := *s.p
	q.Network.Config = &next
	s2, err := buildSolver(&q, s.seed, s.netSeed, !s.noFold)
	if err != nil {
		return err
	}
	s2.set.Points.X = slices.Clone(s.set.Points.X)
	s2.anchors = slices.Clone(s.anchors)
	s2.fillInterior()

	from, err := kan.NewBSpline(cfg.Grid, cfg.Order, cfg.GridRange[0], cfg.GridRange[1])
	if err != nil {
		return err
	}
	to, err := kan.NewBSpline(g, cfg.Order, cfg.GridRange[0], cfg.GridRange[1])
	if err != nil {
		return err
	}
	old, fresh := s.model.Net.Params(), s2.model.Net.Params()
	if len(old) != len(fresh) {
		return fmt.Errorf("the refined network has %d parameters, the trained one %d", len(fresh), len(old))
	}
	for i, p := range fresh {
		o := old[i]
		switch {
		case o.Name != p.Name:
			return fmt.Errorf("parameter %s of the refined network is %s in the trained one", p.Name, o.Name)
		case len(o.Value) == len(p.Value):
			copy(p.Value, o.Value)
		case strings.HasSuffix(p.Name, "spline_weight") && len(p.Shape) == 3:
			c, err := kan.RefitCoefficients(o.Value, p.Shape[0], p.Shape[2], from, to)
			if err != nil {
				return fmt.Errorf("%s: %w", p.Name, err)
			}
			copy(p.Value, c)
		default:
			return fmt.Errorf("parameter %s changes shape %v → %v", p.Name, o.Shape, p.Shape)
		}
	}
	if s.unk != nil {
		copy(s2.unk.Value, s.unk.Value)
	}
	r.s, r.grid = s2, g
	return nil
}
