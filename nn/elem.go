package nn

// chunk is the number of elements per block that the elementwise jet loops process at a time:
// every block's slice of a chunk (4 KiB) stays in L1 while all the block formulas run on it,
// instead of one pass over memory per formula. The arithmetic per element is unchanged.
const chunk = 512

// The elementwise chain rule on jets, for layers in other packages (KAN bases, custom
// activations): a function σ applied to every element of a jet z, given its derivatives at the
// value block as σ⁽ᵏ⁾ = aₖ·dₖ (slices of one block's length; the scalars aₖ let sin and cos share
// one array of sines and one of cosines).

// ChainForward sets the derivative blocks (1…) of y = σ(z) from z (same plan, size and width):
// yᵢ = σ′zᵢ and yᵢⱼ = σ″zᵢzⱼ + σ′zᵢⱼ — for a combination block S = Σ C·∂ᵢ∂ⱼ,
// y_S = σ″·Σ C·zᵢzⱼ + σ′·z_S. The value block of y is the caller's.
func ChainForward(y, z Jet, d1 []float64, a1 float64, d2 []float64, a2 float64) {
	plan := z.Plan
	n := len(z.BlockData(0))
	yd, zd := y.Data(), z.Data()
	for c0 := 0; c0 < n; c0 += chunk {
		c1 := min(c0+chunk, n)
		e1 := d1[c0:c1]
		for b := 1; b <= plan.NumFirst(); b++ {
			yb, zb := yd[b*n+c0:b*n+c1], zd[b*n+c0:b*n+c1]
			for p, v := range zb {
				yb[p] = a1 * e1[p] * v
			}
		}
		for k := range plan.NumSecond() {
			b := plan.SecondStart() + k
			e2 := d2[c0:c1]
			yb, zk := yd[b*n+c0:b*n+c1], zd[b*n+c0:b*n+c1]
			for m, t := range plan.TermBlocks(k) {
				zi, zj := zd[t.Bi*n+c0:t.Bi*n+c1], zd[t.Bj*n+c0:t.Bj*n+c1]
				c := a2 * t.C
				if m == 0 {
					for p := range yb {
						yb[p] = c*e2[p]*zi[p]*zj[p] + a1*e1[p]*zk[p]
					}
					continue
				}
				for p := range yb {
					yb[p] += c * e2[p] * zi[p] * zj[p]
				}
			}
		}
	}
}

// ChainBackward adds into dz the gradient with respect to every block of z, given the gradient g
// of every block of y = σ(z) (g is only read):
//
//	dz  += g·σ′ + Σᵢ gᵢ·σ″·zᵢ + Σ gᵢⱼ·(σ‴·zᵢzⱼ + σ″·zᵢⱼ)
//	dzᵢ += gᵢ·σ′ + Σ_{pairs ∋ i} gᵢⱼ·σ″·z_other
//	dzᵢⱼ += gᵢⱼ·σ′
//
// (a combination block contributes each of its terms C·∂ᵢ∂ⱼ with the weight C).
func ChainBackward(dz, g, z Jet, d1 []float64, a1 float64, d2 []float64, a2 float64, d3 []float64, a3 float64) {
	plan := z.Plan
	n := len(z.BlockData(0))
	dzd, gd, zd := dz.Data(), g.Data(), z.Data()
	for c0 := 0; c0 < n; c0 += chunk {
		c1 := min(c0+chunk, n)
		sl := func(d []float64, b int) []float64 { return d[b*n+c0 : b*n+c1] }
		e1 := d1[c0:c1]
		dz0, g0 := sl(dzd, 0), sl(gd, 0)
		for p, v := range g0 {
			dz0[p] += a1 * e1[p] * v
		}
		if plan.Order() == 0 {
			continue
		}
		e2 := d2[c0:c1]
		for b := 1; b <= plan.NumFirst(); b++ {
			gb, zb, dzb := sl(gd, b), sl(zd, b), sl(dzd, b)
			for p, v := range gb {
				dz0[p] += a2 * v * e2[p] * zb[p]
				dzb[p] += a1 * v * e1[p]
			}
		}
		for k := range plan.NumSecond() {
			b := plan.SecondStart() + k
			e3 := d3[c0:c1]
			gk, zk, dzk := sl(gd, b), sl(zd, b), sl(dzd, b)
			for p, v := range gk {
				dz0[p] += v * a2 * e2[p] * zk[p]
				dzk[p] += a1 * v * e1[p]
			}
			for _, t := range plan.TermBlocks(k) {
				zi, zj, dzi, dzj := sl(zd, t.Bi), sl(zd, t.Bj), sl(dzd, t.Bi), sl(dzd, t.Bj)
				c3, c2 := a3*t.C, a2*t.C
				for p, v := range gk {
					dz0[p] += v * c3 * e3[p] * zi[p] * zj[p]
					dzi[p] += c2 * v * e2[p] * zj[p]
					dzj[p] += c2 * v * e2[p] * zi[p]
				}
			}
		}
	}
}

// chainBackwardInPlace overwrites g (the gradient of every block of y = σ(z)) with the gradient
// of every block of z, for σ⁽ᵏ⁾ = dₖ. Within each chunk the value block is done first, because it
// reads every block of g, which the later steps overwrite.
func chainBackwardInPlace(g, z Jet, d1, d2, d3 []float64) {
	plan := z.Plan
	n := len(z.BlockData(0))
	gd, zd := g.Data(), z.Data()
	nf, ns, s0 := plan.NumFirst(), plan.NumSecond(), plan.SecondStart()
	for c0 := 0; c0 < n; c0 += chunk {
		c1 := min(c0+chunk, n)
		sl := func(d []float64, b int) []float64 { return d[b*n+c0 : b*n+c1] }
		e1, e2 := d1[c0:c1], d2[c0:c1]
		g0 := sl(gd, 0)
		for p := range g0 {
			g0[p] *= e1[p]
		}
		for b := 1; b <= nf; b++ {
			gb, zb := sl(gd, b), sl(zd, b)
			for p, v := range gb {
				g0[p] += v * e2[p] * zb[p]
			}
		}
		for k := range ns {
			b := s0 + k
			e3 := d3[c0:c1]
			gk, zk := sl(gd, b), sl(zd, b)
			for p, v := range gk {
				g0[p] += v * e2[p] * zk[p]
			}
			for _, t := range plan.TermBlocks(k) {
				zi, zj := sl(zd, t.Bi), sl(zd, t.Bj)
				for p, v := range gk {
					g0[p] += v * t.C * e3[p] * zi[p] * zj[p]
				}
			}
		}
		// First-derivative blocks: gᵢ·σ′ plus, from every pair (i,j), gᵢⱼ·σ″·zⱼ (twice for i = j).
		for b := 1; b <= nf; b++ {
			gb := sl(gd, b)
			for p := range gb {
				gb[p] *= e1[p]
			}
		}
		for k := range ns {
			gk := sl(gd, s0+k)
			for _, t := range plan.TermBlocks(k) {
				zi, zj := sl(zd, t.Bi), sl(zd, t.Bj)
				gi, gj := sl(gd, t.Bi), sl(gd, t.Bj)
				for p, v := range gk {
					gi[p] += v * t.C * e2[p] * zj[p]
					gj[p] += v * t.C * e2[p] * zi[p]
				}
			}
		}
		for k := range ns {
			gk := sl(gd, s0+k)
			for p := range gk {
				gk[p] *= e1[p]
			}
		}
	}
}
