package nn

// Elementwise chain rule on jets for a function applied to every element of a pre-activation
// jet z, given its derivatives at the value block as σ⁽ᵏ⁾ = aₖ·dₖ (slices of one block's length,
// scalars aₖ let sin and cos share one array of sines and one of cosines).

// elemForward sets the derivative blocks (1…) of y from z:
// yᵢ = σ′zᵢ and yᵢⱼ = σ″zᵢzⱼ + σ′zᵢⱼ. The value block of y is the caller's.
func elemForward(y, z Jet, d1 []float64, a1 float64, d2 []float64, a2 float64) {
	plan := z.Plan
	for b := 1; b <= plan.NumFirst(); b++ {
		yb, zb := y.blockFlat(b), z.blockFlat(b)
		for p, v := range zb {
			yb[p] = a1 * d1[p] * v
		}
	}
	for k := range plan.NumSecond() {
		b := plan.secondStart() + k
		bi, bj := plan.pairBlocks(k)
		yb, zi, zj, zk := y.blockFlat(b), z.blockFlat(bi), z.blockFlat(bj), z.blockFlat(b)
		for p := range yb {
			yb[p] = a2*d2[p]*zi[p]*zj[p] + a1*d1[p]*zk[p]
		}
	}
}

// elemBackward adds into dz the gradient with respect to every block of z, given the gradient g
// of every block of y (g is only read):
//
//	dz  += g·σ′ + Σᵢ gᵢ·σ″·zᵢ + Σ gᵢⱼ·(σ‴·zᵢzⱼ + σ″·zᵢⱼ)
//	dzᵢ += gᵢ·σ′ + Σ_{pairs ∋ i} gᵢⱼ·σ″·z_other
//	dzᵢⱼ += gᵢⱼ·σ′
func elemBackward(dz, g, z Jet, d1 []float64, a1 float64, d2 []float64, a2 float64, d3 []float64, a3 float64) {
	plan := z.Plan
	dz0, g0 := dz.blockFlat(0), g.blockFlat(0)
	for p, v := range g0 {
		dz0[p] += a1 * d1[p] * v
	}
	for b := 1; b <= plan.NumFirst(); b++ {
		gb, zb, dzb := g.blockFlat(b), z.blockFlat(b), dz.blockFlat(b)
		for p, v := range gb {
			dz0[p] += a2 * v * d2[p] * zb[p]
			dzb[p] += a1 * v * d1[p]
		}
	}
	for k := range plan.NumSecond() {
		b := plan.secondStart() + k
		bi, bj := plan.pairBlocks(k)
		gk, zi, zj, zk := g.blockFlat(b), z.blockFlat(bi), z.blockFlat(bj), z.blockFlat(b)
		dzi, dzj, dzk := dz.blockFlat(bi), dz.blockFlat(bj), dz.blockFlat(b)
		for p, v := range gk {
			dz0[p] += v * (a3*d3[p]*zi[p]*zj[p] + a2*d2[p]*zk[p])
			dzi[p] += a2 * v * d2[p] * zj[p]
			dzj[p] += a2 * v * d2[p] * zi[p]
			dzk[p] += a1 * v * d1[p]
		}
	}
}
