package pinn

import (
	"fmt"
	"slices"

	"github.com/inrstudio/studio/nn"
)

// fold carries a field's second derivatives as combination blocks when the group's equations read
// them only through constant-coefficient linear combinations: Poisson's u_xx + u_yy becomes one
// jet block Δu (the "forward Laplacian", nn.NewSumPlan) instead of two, a fifth less work in every
// layer of a 2-D problem.
//
// For every field, every program term that reads its second derivatives must be affine in them
// with constant coefficients (expr.Program.AffineIn): r = r₀ + Σ cₛ·s. Normalised by its first
// non-zero coefficient c₁, the combination L = Σ (cₛ/c₁)·s becomes a block, and the program is fed
// L for its first such input and zero columns for the others, so it computes r₀ + c₁·L — the same
// residual — and its adjoint with respect to that input is the gradient of L. The fold is made
// only when it saves blocks (fewer distinct combinations over the group's terms than second
// derivatives read) and never for periodic terms. A hard-constraint transform carries the
// combination through its layer (transform.blockExpr).
func (g *group) fold() {
	if g.noFold {
		return
	}
	for f := range g.fieldCount() {
		g.foldField(f)
	}
	g.compactSymbols()
}

// fieldCount is one more than the largest field index the group's symbols use.
func (g *group) fieldCount() int {
	n := 0
	for _, s := range g.syms {
		n = max(n, s.field+1)
	}
	return n
}

// second reports whether symbol i is a plain second derivative of field f.
func (g *group) second(i, f int) bool {
	s := g.syms[i]
	return s.field == f && s.sum == nil && len(s.wrt) == 2
}

func (g *group) foldField(f int) {
	type use struct {
		t    *term
		ks   []int     // positions in t.inputs of f's second derivatives
		coef []float64 // their coefficients
	}
	var uses []use
	read := map[int]bool{} // symbols of f's second derivatives read by some term
	for _, t := range g.terms {
		if t.pairs > 0 {
			for _, s := range t.periodic {
				if g.second(s, f) {
					return
				}
			}
			continue
		}
		var ks []int
		for k, in := range t.inputs {
			if in.kind == inSym && g.second(in.index, f) {
				ks = append(ks, k)
				read[in.index] = true
			}
		}
		if len(ks) == 0 {
			continue
		}
		coef, ok := t.prog.AffineIn(ks)
		if !ok {
			return
		}
		uses = append(uses, use{t: t, ks: ks, coef: coef})
	}
	// The normalised combination of every use, and how many distinct ones there are.
	sums := make([][]nn.Term, len(uses))
	var distinct [][]nn.Term
	for u, us := range uses {
		c1 := 0.0
		for _, c := range us.coef {
			if c != 0 {
				c1 = c
				break
			}
		}
		if c1 == 0 {
			continue // the term does not depend on them at all
		}
		for m, k := range us.ks {
			if c := us.coef[m]; c != 0 {
				s := g.syms[us.t.inputs[k].index]
				sums[u] = append(sums[u], nn.Term{I: s.wrt[0], J: s.wrt[1], C: c / c1})
			}
		}
		if !slices.ContainsFunc(distinct, func(d []nn.Term) bool { return slices.Equal(d, sums[u]) }) {
			distinct = append(distinct, sums[u])
		}
	}
	if len(distinct) >= len(read) {
		return
	}
	for u, us := range uses {
		first := true
		for m, k := range us.ks {
			in := &us.t.inputs[k]
			if sums[u] == nil || us.coef[m] == 0 || !first {
				*in = termInput{kind: inZero}
				continue
			}
			first = false
			*in = termInput{kind: inSym, index: g.sumSymbol(f, sums[u])}
		}
	}
}

// sumSymbol returns the index of the combination symbol of field f, adding it when new.
func (g *group) sumSymbol(f int, sum []nn.Term) int {
	for i, s := range g.syms {
		if s.field == f && s.sum != nil && slices.Equal(s.sum, sum) {
			return i
		}
	}
	name := fmt.Sprintf("field %d:", f)
	for _, t := range sum {
		name += fmt.Sprintf(" %+g·∂%d∂%d", t.C, t.I, t.J)
	}
	g.syms = append(g.syms, fieldSym{name: name, field: f, sum: sum})
	return len(g.syms) - 1
}

// compactSymbols drops the symbols no term reads any more (second derivatives folded into
// combinations) and renumbers the terms' references.
func (g *group) compactSymbols() {
	used := make([]bool, len(g.syms))
	for _, t := range g.terms {
		for _, in := range t.inputs {
			if in.kind == inSym {
				used[in.index] = true
			}
		}
		for _, s := range t.periodic {
			used[s] = true
		}
	}
	renum := make([]int, len(g.syms))
	var kept []fieldSym
	for i, s := range g.syms {
		renum[i] = len(kept)
		if used[i] {
			kept = append(kept, s)
		}
	}
	for _, t := range g.terms {
		for k, in := range t.inputs {
			if in.kind == inSym {
				t.inputs[k].index = renum[in.index]
			}
		}
		for k, s := range t.periodic {
			t.periodic[k] = renum[s]
		}
	}
	g.syms = kept
}
