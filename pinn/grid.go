package pinn

import (
	"fmt"
	"slices"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kan"
)

// extendGrid carries the solve to a B-spline KAN on grid g (train.grid_extension): it builds the
// solver of the same problem with the finer network, gives it the collocation points trained on
// so far (resampled and refined ones included), carries the parameters over (kan.CarryToGrid:
// the splines refitted so that each edge keeps its function on the grid range), and continues
// with it.
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
	if err := kan.CarryToGrid(s.model.Net.Params(), s2.model.Net.Params(), from, to); err != nil {
		return err
	}
	if s.unk != nil {
		copy(s2.unk.Value, s.unk.Value)
	}
	r.s, r.grid = s2, g
	return nil
}
