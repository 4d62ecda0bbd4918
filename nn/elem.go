package nn

// The elementwise chain rule on jets, for layers in other packages (KAN bases, custom
// activations): a function σ applied to every element of a jet z, given its derivatives at the
// value block as σ⁽ᵏ⁾ = aₖ·dₖ (slices of one block's length; the scalars aₖ let sin and cos share
// one array of sines and one of cosines).

// elemForward sets the derivative blocks (1…) of y from z:
// yᵢ = σ′zᵢ and yᵢⱼ = σ″zᵢzⱼ + σ′zᵢⱼ. The value block of y is the caller's.
func ChainForward(y, z Jet, d1 []float64, a1 float64, d2 []float64, a2 float64) {
	plan := z.Plan
	for b := 1; b <= plan.NumFirst(); b++ {
		yb, zb := y.BlockData(b), z.BlockData(b)
		for p, v := range zb {
			yb[p] = a1 * d1[p] * v
		}
	}
	for k := range plan.NumSecond() {
		b := plan.SecondStart() + k
		bi, bj := plan.PairBlocks(k)
		yb, zi, zj, zk := y.BlockData(b), z.BlockData(bi), z.BlockData(bj), z.BlockData(b)
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
func ChainBackward(dz, g, z Jet, d1 []float64, a1 float64, d2 []float64, a2 float64, d3 []float64, a3 float64) {
	plan := z.Plan
	dz0, g0 := dz.BlockData(0), g.BlockData(0)
	for p, v := range g0 {
		dz0[p] += a1 * d1[p] * v
	}
	for b := 1; b <= plan.NumFirst(); b++ {
		gb, zb, dzb := g.BlockData(b), z.BlockData(b), dz.BlockData(b)
		for p, v := range gb {
			dz0[p] += a2 * v * d2[p] * zb[p]
			dzb[p] += a1 * v * d1[p]
		}
	}
	for k := range plan.NumSecond() {
		b := plan.SecondStart() + k
		bi, bj := plan.PairBlocks(k)
		gk, zi, zj, zk := g.BlockData(b), z.BlockData(bi), z.BlockData(bj), z.BlockData(b)
		dzi, dzj, dzk := dz.BlockData(bi), dz.BlockData(bj), dz.BlockData(b)
		for p, v := range gk {
			dz0[p] += v * (a3*d3[p]*zi[p]*zj[p] + a2*d2[p]*zk[p])
			dzi[p] += a2 * v * d2[p] * zj[p]
			dzj[p] += a2 * v * d2[p] * zi[p]
			dzk[p] += a1 * v * d1[p]
		}
	}
}
