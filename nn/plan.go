package nn

import (
	"fmt"
	"slices"
)

// Pair names a second derivative ∂²/∂x_I∂x_J of the network output with respect to input
// coordinates I and J (I ≤ J after normalisation; (i,i) are the pure second derivatives that make
// the Laplacian).
type Pair struct{ I, J int }

// Plan says which input derivatives a problem carries through the network for an input of
// dimension Dim. A jet built on a plan has Blocks() row blocks: the values, then one block per
// first derivative (in the order of First), then one per second-derivative pair (in the order of
// Second). Every coordinate that appears in a pair also has its first derivative carried, because
// the chain rule for ∂ᵢⱼ needs ∂ᵢ and ∂ⱼ.
//
// A Plan is immutable after construction and may be shared by any number of jets and layers.
type Plan struct {
	dim    int
	first  []int  // coordinates with a first-derivative block, sorted
	second []Pair // pairs with I ≤ J, in the order given (duplicates removed)
	// firstBlock[c] is the block index of ∂_c, or -1.
	firstBlock []int
	// pairFirst[k] holds the block indices of ∂_I and ∂_J for the k-th pair.
	pairFirst [][2]int
}

// NewPlan builds a plan for inputs of dimension dim carrying the first derivatives with respect to
// the coordinates in first and the second derivatives in second. Coordinates needed by a pair are
// added to the first derivatives automatically; duplicates are removed.
func NewPlan(dim int, first []int, second []Pair) (*Plan, error) {
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
	for _, pr := range second {
		if err := inRange(pr.I); err != nil {
			return nil, err
		}
		if err := inRange(pr.J); err != nil {
			return nil, err
		}
		if pr.I > pr.J {
			pr.I, pr.J = pr.J, pr.I
		}
		need[pr.I], need[pr.J] = true, true
		if !slices.Contains(p.second, pr) {
			p.second = append(p.second, pr)
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
	p.pairFirst = make([][2]int, len(p.second))
	for k, pr := range p.second {
		p.pairFirst[k] = [2]int{p.firstBlock[pr.I], p.firstBlock[pr.J]}
	}
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

// Second lists the carried second-derivative pairs (I ≤ J), in block order.
func (p *Plan) Second() []Pair { return slices.Clone(p.second) }

// NumFirst is the number of first-derivative blocks.
func (p *Plan) NumFirst() int { return len(p.first) }

// NumSecond is the number of second-derivative blocks.
func (p *Plan) NumSecond() int { return len(p.second) }

// FirstBlock returns the block index of ∂/∂x_c, and whether it is carried.
func (p *Plan) FirstBlock(c int) (int, bool) {
	if c < 0 || c >= p.dim || p.firstBlock[c] < 0 {
		return 0, false
	}
	return p.firstBlock[c], true
}

// SecondBlock returns the block index of ∂²/∂x_i∂x_j (either order), and whether it is carried.
func (p *Plan) SecondBlock(i, j int) (int, bool) {
	if i > j {
		i, j = j, i
	}
	for k, pr := range p.second {
		if pr.I == i && pr.J == j {
			return 1 + len(p.first) + k, true
		}
	}
	return 0, false
}

// PairBlocks returns, for the k-th second-derivative pair (0-based; its block is SecondStart()+k),
// the block indices of the two first derivatives ∂ᵢ and ∂ⱼ it combines.
func (p *Plan) PairBlocks(k int) (bi, bj int) { return p.pairFirst[k][0], p.pairFirst[k][1] }

// firstCoord returns the coordinate of first-derivative block b (1 ≤ b ≤ NumFirst).
func (p *Plan) firstCoord(b int) int { return p.first[b-1] }

// SecondStart is the block index of the first second-derivative block (1 + NumFirst).
func (p *Plan) SecondStart() int { return 1 + len(p.first) }

// Equal reports whether two plans carry the same blocks in the same order.
func (p *Plan) Equal(q *Plan) bool {
	return p == q || (p.dim == q.dim && slices.Equal(p.first, q.first) && slices.Equal(p.second, q.second))
}

// String describes the plan, e.g. "dim 2: ∂0 ∂1 ∂00 ∂11".
func (p *Plan) String() string {
	s := fmt.Sprintf("dim %d:", p.dim)
	if p.Order() == 0 {
		return s + " values only"
	}
	for _, c := range p.first {
		s += fmt.Sprintf(" ∂%d", c)
	}
	for _, pr := range p.second {
		s += fmt.Sprintf(" ∂%d%d", pr.I, pr.J)
	}
	return s
}
