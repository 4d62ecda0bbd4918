package nn

import (
	"fmt"
	"math"
	"slices"

	"github.com/inrstudio/studio/kernel"
)

// Pair names a second derivative ∂²/∂x_I∂x_J of the network output with respect to input
// coordinates I and J (I ≤ J after normalisation; (i,i) are the pure second derivatives that make
// the Laplacian).
type Pair struct{ I, J int }

// Term is one weighted second derivative C·∂²/∂x_I∂x_J of a second-order block (I ≤ J after
// normalisation).
type Term struct {
	I, J int
	C    float64
}

// BlockTerm is a Term located in a jet: the block indices of the first derivatives ∂_I and ∂_J
// and the weight C. The chain rule of every nonlinear layer needs, for a second-order block, the
// sum Σ C·(∂_I a)(∂_J b) over its terms.
type BlockTerm struct {
	Bi, Bj int
	C      float64
}

// Plan says which input derivatives a problem carries through the network for an input of
// dimension Dim. A jet built on a plan has Blocks() row blocks: the values, then one block per
// first derivative (in the order of First), then one per second-order block. A second-order block
// carries either one second derivative ∂²/∂x_I∂x_J (a pair, NewPlan) or a fixed linear
// combination Σₘ Cₘ·∂²/∂x_Iₘ∂x_Jₘ of them (NewSumPlan): the Laplacian Σᵢ ∂ᵢᵢ as ONE block — the
// "forward Laplacian" — costs one block where the pairs cost one per coordinate, and every
// operator is linear, so the combination propagates through every layer exactly like a pair.
// Every coordinate that appears in a second-order block also has its first derivative carried,
// because the chain rule for ∂ᵢⱼ needs ∂ᵢ and ∂ⱼ.
//
// A Plan is immutable after construction and may be shared by any number of jets and layers.
type Plan struct {
	dim    int
	first  []int    // coordinates with a first-derivative block, sorted
	second [][]Term // per second-order block its terms (I ≤ J, distinct pairs), in the order given
	// firstBlock[c] is the block index of ∂_c, or -1.
	firstBlock []int
	// terms[k] locates the terms of the k-th second-order block.
	terms [][]BlockTerm
	// layout is the block structure for the kernel's fused jet passes.
	layout *kernel.JetLayout
}

// NewPlan builds a plan for inputs of dimension dim carrying the first derivatives with respect to
// the coordinates in first and the second derivatives in second, one block per pair. Coordinates
// needed by a pair are added to the first derivatives automatically; duplicates are removed.
func NewPlan(dim int, first []int, second []Pair) (*Plan, error) {
	sums := make([][]Term, len(second))
	for k, pr := range second {
		sums[k] = []Term{{I: pr.I, J: pr.J, C: 1}}
	}
	return NewSumPlan(dim, first, sums)
}

// NewSumPlan builds a plan whose k-th second-order block carries Σₘ second[k][m].C·∂²/∂x_I∂x_J
// (a pair is one term of weight 1). Terms of one block on the same pair are merged; weights must
// be finite and not zero, and a block needs at least one term. Blocks equal to an earlier one are
// removed, as are duplicate first derivatives.
func NewSumPlan(dim int, first []int, second [][]Term) (*Plan, error) {
	if dim < 1 {
		return nil, fmt.Errorf("derivative plan: input dimension %d < 1", dim)
	}
	inRange := func(c int) error {
		if c < 0 || c >= dim {
			return fmt.Errorf("derivative plan: coordinate %d outside [0, %d)", c, dim)
		}
		return nil
	}
	need := make([]bool, dim)
	for _, c := range first {
		if err := inRange(c); err != nil {
			return nil, err
		}
		need[c] = true
	}
	p := &Plan{dim: dim}
	for k, sum := range second {
		if len(sum) == 0 {
			return nil, fmt.Errorf("derivative plan: second-order block %d has no terms", k)
		}
		var blk []Term
		for _, t := range sum {
			if err := inRange(t.I); err != nil {
				return nil, err
			}
			if err := inRange(t.J); err != nil {
				return nil, err
			}
			if t.C == 0 || math.IsNaN(t.C) || math.IsInf(t.C, 0) {
				return nil, fmt.Errorf("derivative plan: second-order block %d: weight %v of ∂%d∂%d must be finite and non-zero", k, t.C, t.I, t.J)
			}
			if t.I > t.J {
				t.I, t.J = t.J, t.I
			}
			need[t.I], need[t.J] = true, true
			merged := false
			for m := range blk {
				if blk[m].I == t.I && blk[m].J == t.J {
					blk[m].C += t.C
					merged = true
				}
			}
			if !merged {
				blk = append(blk, t)
			}
		}
		if !slices.ContainsFunc(p.second, func(b []Term) bool { return slices.Equal(b, blk) }) {
			p.second = append(p.second, blk)
		}
	}
	p.firstBlock = make([]int, dim)
	for c := range dim {
		p.firstBlock[c] = -1
		if need[c] {
			p.firstBlock[c] = 1 + len(p.first)
			p.first = append(p.first, c)
		}
	}
	p.terms = make([][]BlockTerm, len(p.second))
	jt := make([][]kernel.JetTerm, len(p.second))
	for k, blk := range p.second {
		for _, t := range blk {
			bt := BlockTerm{Bi: p.firstBlock[t.I], Bj: p.firstBlock[t.J], C: t.C}
			p.terms[k] = append(p.terms[k], bt)
			jt[k] = append(jt[k], kernel.JetTerm{Bi: bt.Bi, Bj: bt.Bj, C: bt.C})
		}
	}
	p.layout = kernel.NewJetLayout(len(p.first), jt)
	return p, nil
}

// mustPlan is for the fixed plans below, whose arguments are valid whenever dim ≥ 1.
func mustPlan(dim int, first []int, second []Pair) *Plan {
	p, err := NewPlan(max(dim, 1), first, second)
	if err != nil {
		panic(err)
	}
	return p
}

// ValuePlan carries no derivatives: a jet on it is just the value matrix (image or audio fitting).
func ValuePlan(dim int) *Plan { return mustPlan(dim, nil, nil) }

// GradientPlan carries every first derivative (SDF Eikonal and normal losses).
func GradientPlan(dim int) *Plan { return mustPlan(dim, seq(dim), nil) }

// LaplacianPlan carries every first derivative and the pure second derivatives ∂ᵢᵢ.
func LaplacianPlan(dim int) *Plan {
	pairs := make([]Pair, dim)
	for i := range dim {
		pairs[i] = Pair{i, i}
	}
	return mustPlan(dim, seq(dim), pairs)
}

// ForwardLaplacianPlan carries every first derivative and the Laplacian Σᵢ ∂ᵢᵢ as one block
// (LaplacianBlock): what a PDE whose second derivatives all sit in a Laplacian needs, at
// 2 + dim blocks instead of LaplacianPlan's 1 + 2·dim.
func ForwardLaplacianPlan(dim int) *Plan {
	lap := make([]Term, max(dim, 1))
	for i := range lap {
		lap[i] = Term{I: i, J: i, C: 1}
	}
	p, err := NewSumPlan(max(dim, 1), seq(dim), [][]Term{lap})
	if err != nil {
		panic(err)
	}
	return p
}

// HessianPlan carries every first and every second derivative (I ≤ J).
func HessianPlan(dim int) *Plan {
	var pairs []Pair
	for i := range dim {
		for j := i; j < dim; j++ {
			pairs = append(pairs, Pair{i, j})
		}
	}
	return mustPlan(dim, seq(dim), pairs)
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// DerivativePlan returns the plan that carries every input derivative up to order (1: the
// gradient, GradientPlan; 2: also every second derivative, HessianPlan) and what each of its
// derivative blocks holds, in block order: {i} for ∂/∂x_i, then {i, j} (i ≤ j) for ∂²/∂x_i∂x_j.
func DerivativePlan(dim, order int) (*Plan, [][]int, error) {
	var p *Plan
	switch order {
	case 1:
		p = GradientPlan(dim)
	case 2:
		p = HessianPlan(dim)
	default:
		return nil, nil, fmt.Errorf("derivatives of order %d: 1 (the gradient) or 2 (and the second derivatives)", order)
	}
	var wrt [][]int
	for _, c := range p.First() {
		wrt = append(wrt, []int{c})
	}
	for _, q := range p.Second() {
		wrt = append(wrt, []int{q.I, q.J})
	}
	return p, wrt, nil
}

// Dim is the input dimension.
func (p *Plan) Dim() int { return p.dim }

// Blocks is the number of row blocks of a jet on this plan.
func (p *Plan) Blocks() int { return 1 + len(p.first) + len(p.second) }

// Order is the highest derivative order carried: 0, 1 or 2.
func (p *Plan) Order() int {
	switch {
	case len(p.second) > 0:
		return 2
	case len(p.first) > 0:
		return 1
	}
	return 0
}

// First lists the coordinates whose first derivative is carried, in block order.
func (p *Plan) First() []int { return slices.Clone(p.first) }

// Second lists the pairs (I ≤ J) of the second-order blocks that carry one second derivative, in
// block order; blocks that carry a combination (NewSumPlan) are not listed (see SecondTerms).
func (p *Plan) Second() []Pair {
	var out []Pair
	for _, blk := range p.second {
		if isPair(blk) {
			out = append(out, Pair{blk[0].I, blk[0].J})
		}
	}
	return out
}

// isPair reports whether a block's terms are one second derivative of weight 1.
func isPair(blk []Term) bool { return len(blk) == 1 && blk[0].C == 1 }

// SecondTerms returns the terms of the k-th second-order block (0-based; its block is
// SecondStart()+k): one term of weight 1 for a pair. The slice must not be modified.
func (p *Plan) SecondTerms(k int) []Term { return p.second[k] }

// TermBlocks returns the terms of the k-th second-order block located in a jet: for each term the
// blocks of its two first derivatives and its weight. The slice must not be modified.
func (p *Plan) TermBlocks(k int) []BlockTerm { return p.terms[k] }

// NumFirst is the number of first-derivative blocks.
func (p *Plan) NumFirst() int { return len(p.first) }

// NumSecond is the number of second-order blocks.
func (p *Plan) NumSecond() int { return len(p.second) }

// FirstBlock returns the block index of ∂/∂x_c, and whether it is carried.
func (p *Plan) FirstBlock(c int) (int, bool) {
	if c < 0 || c >= p.dim || p.firstBlock[c] < 0 {
		return 0, false
	}
	return p.firstBlock[c], true
}

// SecondBlock returns the block index of ∂²/∂x_i∂x_j (either order) carried as a pair, and
// whether it is carried.
func (p *Plan) SecondBlock(i, j int) (int, bool) {
	if i > j {
		i, j = j, i
	}
	for k, blk := range p.second {
		if isPair(blk) && blk[0].I == i && blk[0].J == j {
			return 1 + len(p.first) + k, true
		}
	}
	return 0, false
}

// SumBlock returns the block index of the second-order block carrying exactly the combination
// terms (in any order; pairs normalised to I ≤ J), and whether the plan carries it.
func (p *Plan) SumBlock(terms []Term) (int, bool) {
	norm := func(t Term) Term {
		if t.I > t.J {
			t.I, t.J = t.J, t.I
		}
		return t
	}
	for k, blk := range p.second {
		if len(blk) != len(terms) {
			continue
		}
		all := true
		for _, t := range terms {
			if !slices.Contains(blk, norm(t)) {
				all = false
				break
			}
		}
		if all {
			return 1 + len(p.first) + k, true
		}
	}
	return 0, false
}

// LaplacianBlock returns the block index of the Laplacian Σᵢ ∂ᵢᵢ over every coordinate carried as
// one block (ForwardLaplacianPlan), and whether the plan carries it.
func (p *Plan) LaplacianBlock() (int, bool) {
	lap := make([]Term, p.dim)
	for i := range lap {
		lap[i] = Term{I: i, J: i, C: 1}
	}
	return p.SumBlock(lap)
}

// PairBlocks returns, for the k-th second-order block (0-based; its block is SecondStart()+k)
// when it carries a pair ∂ᵢ∂ⱼ, the block indices of the two first derivatives ∂ᵢ and ∂ⱼ. It
// panics on a combination block: layers use TermBlocks, which covers both.
func (p *Plan) PairBlocks(k int) (bi, bj int) {
	if !isPair(p.second[k]) {
		panic(fmt.Sprintf("nn: second-order block %d of plan (%v) is a combination: use TermBlocks", k, p))
	}
	return p.terms[k][0].Bi, p.terms[k][0].Bj
}

// firstCoord returns the coordinate of first-derivative block b (1 ≤ b ≤ NumFirst).
func (p *Plan) firstCoord(b int) int { return p.first[b-1] }

// SecondStart is the block index of the first second-derivative block (1 + NumFirst).
func (p *Plan) SecondStart() int { return 1 + len(p.first) }

// Equal reports whether two plans carry the same blocks in the same order.
func (p *Plan) Equal(q *Plan) bool {
	return p == q || (p.dim == q.dim && slices.Equal(p.first, q.first) &&
		slices.EqualFunc(p.second, q.second, func(a, b []Term) bool { return slices.Equal(a, b) }))
}

// String describes the plan, e.g. "dim 2: ∂0 ∂1 ∂00 ∂11", or "dim 2: ∂0 ∂1 ∂00+∂11" with the
// Laplacian as one block.
func (p *Plan) String() string {
	s := fmt.Sprintf("dim %d:", p.dim)
	if p.Order() == 0 {
		return s + " values only"
	}
	for _, c := range p.first {
		s += fmt.Sprintf(" ∂%d", c)
	}
	for _, blk := range p.second {
		s += " "
		for m, t := range blk {
			switch {
			case m > 0 && t.C == 1:
				s += "+"
			case t.C == -1:
				s += "-"
			case m > 0 && t.C > 0:
				s += fmt.Sprintf("+%g·", t.C)
			case t.C != 1:
				s += fmt.Sprintf("%g·", t.C)
			}
			s += fmt.Sprintf("∂%d%d", t.I, t.J)
		}
	}
	return s
}
