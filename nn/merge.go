package nn

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
)

func sameWidths(op string, in []int) (int, error) {
	for _, w := range in[1:] {
		if w != in[0] {
			return 0, fmt.Errorf("%s of widths %v: all inputs must have the same width", op, in)
		}
	}
	return in[0], nil
}

func checkSamePoints(op string, in []Jet) {
	for _, j := range in[1:] {
		if !j.same(in[0].Plan, in[0].N, j.Width()) {
			panic(fmt.Sprintf("nn: %s of jets with different plans or point counts", op))
		}
	}
}

// Sum is the merge y = Σₖ xₖ (every block is linear in the inputs).
type Sum struct {
	y     JetBuffer
	dcopy []JetBuffer
	ds    []Jet
}

// NewSum returns a sum merge.
func NewSum() *Sum { return &Sum{} }

func (s *Sum) OutWidth(in []int) (int, error) { return sameWidths("sum", in) }

func (s *Sum) Forward(in []Jet) Jet {
	checkSamePoints("sum", in)
	y := s.y.Like(in[0], in[0].Width())
	y.M.CopyFrom(in[0].M)
	for _, x := range in[1:] {
		addTo(y.Data(), x.Data())
	}
	return y
}

func (s *Sum) Backward(d Jet, need []bool) []Jet {
	if len(s.ds) != len(need) {
		s.ds = make([]Jet, len(need))
		s.dcopy = make([]JetBuffer, len(need))
	}
	first := true
	for k := range need {
		s.ds[k] = Jet{}
		if !need[k] {
			continue
		}
		if first {
			s.ds[k] = d // the first input may have dOut itself
			first = false
			continue
		}
		c := s.dcopy[k].Like(d, d.Width())
		c.M.CopyFrom(d.M)
		s.ds[k] = c
	}
	// Copies were taken before anyone can overwrite d: the consumers run after this returns.
	return s.ds
}

// Product is the elementwise product y = a⊙b, with the Leibniz rule on the blocks:
//
//	(ab)ᵢ = aᵢb + abᵢ,   (ab)ᵢⱼ = aᵢⱼb + aᵢbⱼ + aⱼbᵢ + abᵢⱼ
//
// (SL²A's fusion z₁⊙z_l, WIRE-style multiplicative filters).
type Product struct {
	a, b   Jet
	y      JetBuffer
	da, db JetBuffer
	ds     [2]Jet
}

// NewProduct returns a product merge.
func NewProduct() *Product { return &Product{} }

func (p *Product) OutWidth(in []int) (int, error) {
	if len(in) != 2 {
		return 0, fmt.Errorf("product of %d inputs: it takes two", len(in))
	}
	return sameWidths("product", in)
}

func (p *Product) Forward(in []Jet) Jet {
	checkSamePoints("product", in)
	a, b := in[0], in[1]
	p.a, p.b = a, b
	y := p.y.Like(a, a.Width())
	LeibnizForward(y, a, b)
	return y
}

// LeibnizForward sets y = a⊙b on every block of same-shaped jets (y must not be a or b):
// (ab)ᵢ = aᵢb + abᵢ, (ab)ᵢⱼ = aᵢⱼb + aᵢbⱼ + aⱼbᵢ + abᵢⱼ; a combination block S = Σ C·∂ᵢ∂ⱼ gets
// (ab)_S = a_S·b + a·b_S + Σ C·(aᵢbⱼ + aⱼbᵢ) — for the Laplacian Δ(ab) = bΔa + 2∇a·∇b + aΔb. Hard constraints of PINNs
// (u = g + d·N with known jets g and d) are products like this outside any graph.
func LeibnizForward(y, a, b Jet) {
	plan := a.Plan
	kernel.Mul(y.BlockData(0), a.BlockData(0), b.BlockData(0))
	for i := 1; i <= plan.NumFirst(); i++ {
		yi := y.BlockData(i)
		kernel.Mul(yi, a.BlockData(i), b.BlockData(0))
		kernel.MulAdd(yi, a.BlockData(0), b.BlockData(i))
	}
	for k := range plan.NumSecond() {
		blk := plan.SecondStart() + k
		yk := y.BlockData(blk)
		kernel.Mul(yk, a.BlockData(blk), b.BlockData(0))
		for _, t := range plan.TermBlocks(k) {
			if t.C == 1 {
				kernel.MulAdd(yk, a.BlockData(t.Bi), b.BlockData(t.Bj))
				kernel.MulAdd(yk, a.BlockData(t.Bj), b.BlockData(t.Bi))
				continue
			}
			mulAddScaled(yk, t.C, a.BlockData(t.Bi), b.BlockData(t.Bj))
			mulAddScaled(yk, t.C, a.BlockData(t.Bj), b.BlockData(t.Bi))
		}
		kernel.MulAdd(yk, a.BlockData(0), b.BlockData(blk))
	}
}

func (p *Product) Backward(d Jet, need []bool) []Jet {
	p.ds = [2]Jet{}
	if need[0] {
		p.ds[0] = p.da.Like(d, d.Width())
		LeibnizBackward(p.ds[0], d, p.b)
	}
	if need[1] {
		p.ds[1] = p.db.Like(d, d.Width())
		LeibnizBackward(p.ds[1], d, p.a)
	}
	return p.ds[:]
}

// LeibnizBackward sets dx (not g or o) to the gradient with respect to every block of one factor
// of y = x⊙o, given the gradient g of every block of y and the other factor o:
// dx = g·o + Σᵢ gᵢ·oᵢ + Σ gᵢⱼ·oᵢⱼ;  dxᵢ = gᵢ·o + Σ_{pairs ∋ i} gᵢⱼ·o_other;  dxᵢⱼ = gᵢⱼ·o
// (each term of a combination block with its weight C).
func LeibnizBackward(dx, g, o Jet) {
	plan := g.Plan
	ov := o.BlockData(0)
	for b := 0; b < plan.Blocks(); b++ {
		kernel.Mul(dx.BlockData(b), g.BlockData(b), ov)
	}
	for b := 1; b < plan.Blocks(); b++ {
		kernel.MulAdd(dx.BlockData(0), g.BlockData(b), o.BlockData(b))
	}
	for k := range plan.NumSecond() {
		blk := plan.SecondStart() + k
		for _, t := range plan.TermBlocks(k) {
			if t.C == 1 {
				kernel.MulAdd(dx.BlockData(t.Bi), g.BlockData(blk), o.BlockData(t.Bj))
				kernel.MulAdd(dx.BlockData(t.Bj), g.BlockData(blk), o.BlockData(t.Bi))
				continue
			}
			mulAddScaled(dx.BlockData(t.Bi), t.C, g.BlockData(blk), o.BlockData(t.Bj))
			mulAddScaled(dx.BlockData(t.Bj), t.C, g.BlockData(blk), o.BlockData(t.Bi))
		}
	}
}

// mulAddScaled sets dst += c·a⊙b (the weighted terms of combination blocks).
func mulAddScaled(dst []float64, c float64, a, b []float64) {
	dst, b = dst[:len(a)], b[:len(a)]
	for i, v := range a {
		dst[i] += c * v * b[i]
	}
}

// Concat joins its inputs along the width: y = [x₀ | x₁ | …] in every block.
type Concat struct {
	widths []int
	y      JetBuffer
	dx     []JetBuffer
	ds     []Jet
}

// NewConcat returns a concatenation merge.
func NewConcat() *Concat { return &Concat{} }

func (c *Concat) OutWidth(in []int) (int, error) {
	c.widths = append([]int(nil), in...)
	w := 0
	for _, v := range in {
		w += v
	}
	return w, nil
}

func (c *Concat) Forward(in []Jet) Jet {
	checkSamePoints("concat", in)
	total := 0
	for _, x := range in {
		total += x.Width()
	}
	y := c.y.Like(in[0], total)
	col := 0
	for _, x := range in {
		y.M.View(0, col, y.M.Rows, x.Width()).CopyFrom(x.M)
		col += x.Width()
	}
	return y
}

func (c *Concat) Backward(d Jet, need []bool) []Jet {
	if len(c.ds) != len(need) {
		c.ds = make([]Jet, len(need))
		c.dx = make([]JetBuffer, len(need))
	}
	col := 0
	for k, w := range c.widths {
		c.ds[k] = Jet{}
		if need[k] {
			dk := c.dx[k].Like(d, w)
			dk.M.CopyFrom(d.M.View(0, col, d.M.Rows, w))
			c.ds[k] = dk
		}
		col += w
	}
	return c.ds
}
