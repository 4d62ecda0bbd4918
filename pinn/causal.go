package pinn

import "math"

// causal is causal training (Wang, Sankaran & Perdikaris 2022, "Respecting causality is all you
// need for training physics-informed neural networks") for the interior points of a
// time-dependent problem. The time interval is split into M bins; with L_i the weighted mean
// square residual of the points in bin i, the loss is
//
//	(1/M) Σ_i W_i L_i,   W_i = exp(−ε Σ_{k<i} L_k),
//
// where the weights W_i are constants for the gradient. A later time only counts once the earlier
// ones are solved, so the network cannot settle on a wrong late-time state that the equation
// allows (the classic failure on Allen–Cahn). It is applied during Adam; L-BFGS, which needs one
// fixed objective, minimises the plain loss afterwards — by then the weights are all near 1.
type causal struct {
	bins int
	eps  float64
	t0   float64
	t1   float64
	on   bool

	bin   []int     // per point
	count []int     // points per bin
	loss  []float64 // L_i
	w     []float64 // W_i
	pw    []float64 // per point: W_{bin}·n/(M·n_bin), the factor on its mean-square gradient
}

// assign sorts the points (time is coordinate tcol of each d-vector) into bins.
func (c *causal) assign(pts []float64, d int) {
	n := len(pts) / d
	if cap(c.bin) < n {
		c.bin = make([]int, n)
		c.pw = make([]float64, n)
	}
	c.bin, c.pw = c.bin[:n], c.pw[:n]
	if len(c.count) != c.bins {
		c.count = make([]int, c.bins)
		c.loss = make([]float64, c.bins)
		c.w = make([]float64, c.bins)
	}
	clear(c.count)
	for i := range n {
		t := pts[i*d+d-1]
		b := int(math.Floor((t - c.t0) / (c.t1 - c.t0) * float64(c.bins)))
		b = min(max(b, 0), c.bins-1)
		c.bin[i] = b
		c.count[b]++
	}
}

// weigh computes the bin losses from the terms' residuals, the causal weights and the per-point
// factors, and returns the causal loss.
func (c *causal) weigh(g *group) float64 {
	clear(c.loss)
	for i, t := range g.terms {
		if t.pairs > 0 || t.weight == 0 {
			continue
		}
		for _, ch := range g.chunks {
			bins := c.bin[ch.lo:ch.hi]
			for j, r := range ch.terms[i].r {
				c.loss[bins[j]] += t.weight * r * r
			}
		}
	}
	total, cum := 0.0, 0.0
	m := float64(c.bins)
	for b := range c.loss {
		if c.count[b] > 0 {
			c.loss[b] /= float64(c.count[b])
		}
		c.w[b] = math.Exp(-c.eps * cum)
		cum += c.loss[b]
		total += c.w[b] * c.loss[b] / m
	}
	n := float64(len(c.bin))
	for i, b := range c.bin {
		c.pw[i] = c.w[b] * n / (m * float64(c.count[b]))
	}
	return total
}

// minWeight is the smallest causal weight (that of the last bin): near 1 once every time is
// solved.
func (c *causal) minWeight() float64 {
	if len(c.w) == 0 {
		return 1
	}
	return c.w[len(c.w)-1]
}
