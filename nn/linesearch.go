package nn

import "math"

// wolfePoint is a trial step with the loss there and the directional derivative ∇f·d.
type wolfePoint struct{ t, f, g float64 }

// lineSearch finds a step t along o.d from o.x0 (loss f0, slope gtd0 < 0) satisfying the strong
// Wolfe conditions, starting from t. On return ps.Value and ps.Grad hold the accepted point and
// f its loss. ok is false when no point lowered the loss; the parameters are then back at the
// best point seen (the start when nothing was better). The search spends at most budget
// evaluations (and o.LineIters).
func (o *LBFGS) lineSearch(call func() (float64, error), f0, gtd0, t float64, budget int, res *LBFGSResult) (f float64, tOut float64, ok bool, err error) {
	ps := o.ps
	x, g := ps.Value, ps.Grad
	x0, d := o.x0, o.d
	budget = min(budget, o.LineIters)
	c1, c2 := o.C1, o.C2
	dMax := maxAbs(d)
	xMax := math.Max(1, maxAbs(x0))

	tBest, fBest := 0.0, f0
	phi := func(t float64) (wolfePoint, error) {
		for i, v := range x0 {
			x[i] = v + t*d[i]
		}
		f, err := call()
		if err != nil {
			return wolfePoint{}, err
		}
		gt := dot(g, d)
		if !finite(f) || !finite(gt) {
			f, gt = math.Inf(1), math.NaN()
		}
		if f < fBest {
			tBest, fBest = t, f
			copy(o.bestG, g)
		}
		return wolfePoint{t, f, gt}, nil
	}
	armijo := func(p wolfePoint) bool { return p.f <= f0+c1*p.t*gtd0 }
	curvature := func(p wolfePoint) bool { return math.Abs(p.g) <= -c2*gtd0 }

	evals := 0
	prev := wolfePoint{0, f0, gtd0}
	var lo, hi wolfePoint
	bracketed := false
	for evals < budget {
		cur, err := phi(t)
		if err != nil {
			return 0, 0, false, err
		}
		evals++
		if !armijo(cur) || (evals > 1 && cur.f >= prev.f) {
			lo, hi, bracketed = prev, cur, true
			break
		}
		if curvature(cur) {
			return cur.f, cur.t, true, nil
		}
		if cur.g >= 0 {
			lo, hi, bracketed = cur, prev, true
			break
		}
		next := cubicMin(prev, cur, cur.t+0.01*(cur.t-prev.t), 10*cur.t)
		prev, t = cur, next
	}
	if bracketed {
		insufficient := false
		for evals < budget {
			if math.Abs(hi.t-lo.t)*dMax <= 1e-16*xMax {
				break // the bracket has shrunk below the resolution of x
			}
			a, b := math.Min(lo.t, hi.t), math.Max(lo.t, hi.t)
			t = cubicMin(lo, hi, a, b)
			// Safeguard (as in PyTorch's strong-Wolfe search): a step too close to an end of the
			// bracket twice running is moved 10% inside it.
			eps := 0.1 * (b - a)
			if math.Min(b-t, t-a) < eps {
				if insufficient || t >= b || t <= a {
					if math.Abs(t-b) < math.Abs(t-a) {
						t = b - eps
					} else {
						t = a + eps
					}
					insufficient = false
				} else {
					insufficient = true
				}
			} else {
				insufficient = false
			}
			cur, err := phi(t)
			if err != nil {
				return 0, 0, false, err
			}
			evals++
			if !armijo(cur) || cur.f >= lo.f {
				hi = cur
				continue
			}
			if curvature(cur) {
				return cur.f, cur.t, true, nil
			}
			if cur.g*(hi.t-lo.t) >= 0 {
				hi = lo
			}
			lo = cur
		}
	}
	// No Wolfe point: settle for the best point seen, if it lowered the loss at all.
	for i, v := range x0 {
		x[i] = v + tBest*d[i]
	}
	if tBest == 0 {
		copy(g, o.g0)
		return f0, 0, false, nil
	}
	copy(g, o.bestG)
	return fBest, tBest, true, nil
}

// cubicMin returns the minimiser in [lo, hi] of the cubic interpolating f and its slope at the
// two points, or the midpoint when the cubic has no minimum there or the data are not finite.
func cubicMin(p1, p2 wolfePoint, lo, hi float64) float64 {
	if lo > hi {
		lo, hi = hi, lo
	}
	d1 := p1.g + p2.g - 3*(p1.f-p2.f)/(p1.t-p2.t)
	d2sq := d1*d1 - p1.g*p2.g
	if d2sq >= 0 {
		d2 := math.Sqrt(d2sq)
		var t float64
		if p1.t <= p2.t {
			t = p2.t - (p2.t-p1.t)*((p2.g+d2-d1)/(p2.g-p1.g+2*d2))
		} else {
			t = p1.t - (p1.t-p2.t)*((p1.g+d2-d1)/(p1.g-p2.g+2*d2))
		}
		if finite(t) {
			return math.Min(math.Max(t, lo), hi)
		}
	}
	return (lo + hi) / 2
}
