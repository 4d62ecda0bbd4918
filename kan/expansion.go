package kan

import (
	"errors"
	"fmt"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// Term is one part of an Expansion: a basis applied to every input feature, with its coefficients.
type Term struct {
	// Name names the coefficient parameter, of shape [in, B, out] (B = Basis.Size()): entry
	// (i, k, o) multiplies φ_k(x_i) in output o. Laid out this way the coefficients are the
	// (in·B)×out matrix of the fused product, as a Dense layer's weight is in×out. A basis of
	// one function gives shape [in, out].
	Name  string
	Basis Basis
	// ScaleName, when not empty, adds a parameter of shape [in, out] that multiplies every
	// coefficient of edge (i, o): efficient-kan's standalone spline scaler.
	ScaleName string
}

// Expansion is the Kolmogorov–Arnold layer every KAN of this package is built on:
//
//	y_o = Σ_t Σ_i Σ_k C_t[i,k,o]·S_t[i,o]·φ_{t,k}(x_i)  (+ b_o)
//
// for terms t (a basis φ_t, coefficients C_t and an optional edge scale S_t). Each term is
// computed as efficient-kan does: the features Φ_t = [φ_{t,k}(x_i)] form an N×(in·B) matrix and
// the layer is ONE product Φ_t·C_t, so the N×out×in tensor of edge values is never formed.
//
// Jets go through the same product. Every feature depends on one input x_i only, so its
// derivative blocks follow the elementwise chain rule with the basis' own derivatives,
//
//	∂ₐΦ = φ′(x)·∂ₐx        ∂ₐ∂_bΦ = φ″(x)·∂ₐx·∂_bx + φ′(x)·∂ₐ∂_bx,
//
// and inputs meet only in the linear map. The feature jet is stacked like any jet (values, then
// first-derivative blocks, then pairs) and multiplied by C_t in one GEMM; the bias touches the
// value block only. Backward is one GEMM for the coefficient gradient (Φᵀ·dY over all blocks),
// one for the feature gradient (dY·Cᵀ), and per input a reduction over the basis that needs φ′
// for value plans up to φ‴ for second-order jets; the basis is re-evaluated for it rather than
// kept from the forward pass, so a layer whose input gradient is not needed (a first layer)
// never computes a derivative it does not use.
type Expansion struct {
	in, out int
	terms   []*term
	bias    *nn.Param
	params  []*nn.Param

	x        nn.Jet
	y, dx    nn.JetBuffer
	res      nn.Jet
	consumed bool // Backward reused the feature storage for the feature gradient

	plan  *nn.Plan   // the plan pairs was built for
	pairs []pairInfo // per second-derivative block, in block order
	xcol  []float64  // one input column of a chunk of points
}

// pairInfo locates a second-order block and its terms: one pair ∂ₐ∂_b, or a combination
// Σ C·∂ₐ∂_b (nn.NewSumPlan, a PDE's Laplacian carried as one block), each term naming the
// first-derivative blocks ∂ₐ, ∂_b.
type pairInfo struct {
	blk   int
	terms []nn.BlockTerm
}

// chunk is the number of points whose basis values are evaluated together: small enough that
// the chunk's values and derivatives stay in L2, large enough to amortise the per-call work.
const chunk = 32

type term struct {
	name  string
	basis Basis
	size  int
	coef  *nn.Param
	scale *nn.Param // nil without an edge scale
	// scaleName is the edge scale's name within the layer (a Graph prefixes the Param's Name).
	scaleName string

	weff, dweff []float64 // coefficients times scale, and their gradient (scaled terms only)
	phi         nn.JetBuffer
	feat        nn.Jet
	scratch     [MaxOrder + 1][]float64 // chunk×B per derivative order
	dst         [MaxOrder + 1]kernel.Matrix
}

// NewExpansion returns the layer in→out made of the given terms, with zero coefficients (the
// KAN constructors initialise them), edge scales of one and, when bias is true, a zero bias
// named "bias" of shape [out].
func NewExpansion(in, out int, bias bool, terms ...Term) (*Expansion, error) {
	if in < 1 || out < 1 {
		return nil, fmt.Errorf("kan expansion %d→%d: widths must be ≥ 1", in, out)
	}
	if len(terms) == 0 {
		return nil, errors.New("kan expansion: no terms")
	}
	e := &Expansion{in: in, out: out, xcol: make([]float64, chunk)}
	seen := map[string]bool{}
	name := func(s string) error {
		if s == "" {
			return errors.New("kan expansion: empty parameter name")
		}
		if seen[s] {
			return fmt.Errorf("kan expansion: parameter name %q is used twice", s)
		}
		seen[s] = true
		return nil
	}
	for _, spec := range terms {
		if spec.Basis == nil {
			return nil, fmt.Errorf("kan expansion: term %q has no basis", spec.Name)
		}
		b := spec.Basis.Size()
		if b < 1 {
			return nil, fmt.Errorf("kan expansion: term %q: basis %s has %d functions", spec.Name, spec.Basis.Name(), b)
		}
		if err := name(spec.Name); err != nil {
			return nil, err
		}
		shape := []int{in, b, out}
		if b == 1 {
			shape = []int{in, out} // a one-function basis (SiLU) is an ordinary in×out weight
		}
		t := &term{name: spec.Name, basis: spec.Basis, size: b, coef: nn.NewParam(spec.Name, shape...)}
		e.params = append(e.params, t.coef)
		if spec.ScaleName != "" {
			if err := name(spec.ScaleName); err != nil {
				return nil, err
			}
			t.scale, t.scaleName = nn.NewParam(spec.ScaleName, in, out), spec.ScaleName
			for i := range t.scale.Value {
				t.scale.Value[i] = 1
			}
			t.weff = make([]float64, in*b*out)
			t.dweff = make([]float64, in*b*out)
			e.params = append(e.params, t.scale)
		}
		for r := range t.scratch {
			t.scratch[r] = make([]float64, chunk*b)
		}
		e.terms = append(e.terms, t)
	}
	if bias {
		if err := name("bias"); err != nil {
			return nil, err
		}
		e.bias = nn.NewParam("bias", out)
		e.params = append(e.params, e.bias)
	}
	return e, nil
}

func (e *Expansion) InWidth() int  { return e.in }
func (e *Expansion) OutWidth() int { return e.out }

// Params lists the parameters: per term its coefficients (then its scale), then the bias.
func (e *Expansion) Params() []*nn.Param { return e.params }

// Param returns the parameter whose name within the layer is name (before a Graph prefixes it),
// or nil.
func (e *Expansion) Param(name string) *nn.Param {
	for _, t := range e.terms {
		if t.name == name {
			return t.coef
		}
		if t.scale != nil && t.scale.Name == name {
			return t.scale
		}
	}
	if e.bias != nil && name == "bias" {
		return e.bias
	}
	return nil
}

// Bases lists the terms' bases in term order.
func (e *Expansion) Bases() []Basis {
	bs := make([]Basis, len(e.terms))
	for i, t := range e.terms {
		bs[i] = t.basis
	}
	return bs
}

// weights returns the term's (in·B)×out coefficient matrix as the product uses it.
func (t *term) weights(in, out int) kernel.Matrix {
	if t.scale == nil {
		return kernel.MatrixFrom(in*t.size, out, t.coef.Value)
	}
	return kernel.MatrixFrom(in*t.size, out, t.weff)
}

// updateWeights forms the effective coefficients C⊙S of a scaled term.
func (t *term) updateWeights(in, out int) {
	if t.scale == nil {
		return
	}
	c, s := t.coef.Value, t.scale.Value
	for i := range in {
		si := s[i*out : (i+1)*out]
		for k := range t.size {
			off := (i*t.size + k) * out
			w, ck := t.weff[off:off+out], c[off:off+out]
			for o, v := range ck {
				w[o] = v * si[o]
			}
		}
	}
}

// setPlan builds the pair table of plan (kept while the plan stays the same; rebuilding reuses
// the table's storage, so alternating plans allocate nothing once it has grown).
func (e *Expansion) setPlan(plan *nn.Plan) {
	if plan == e.plan {
		return
	}
	e.plan = plan
	ns := plan.NumSecond()
	if cap(e.pairs) < ns {
		e.pairs = make([]pairInfo, ns)
	}
	e.pairs = e.pairs[:ns]
	s0 := 1 + plan.NumFirst()
	for k := range ns {
		e.pairs[k] = pairInfo{blk: s0 + k, terms: plan.TermBlocks(k)}
	}
}

func (e *Expansion) checkIn(in nn.Jet) {
	if in.Width() != e.in {
		panic(fmt.Sprintf("kan: expansion expects input width %d, got %d", e.in, in.Width()))
	}
	if !in.M.Contiguous() {
		panic("kan: expansion: input jet is not contiguous")
	}
}

// Forward maps the input jet through every term and sums the products.
func (e *Expansion) Forward(in nn.Jet) nn.Jet {
	e.checkIn(in)
	e.x = in
	e.setPlan(in.Plan)
	y := e.y.Like(in, e.out)
	order := in.Plan.Order()
	for ti, t := range e.terms {
		t.feat = t.phi.Like(in, e.in*t.size)
		e.features(t, in, order)
		t.updateWeights(e.in, e.out)
		beta := 1.0
		if ti == 0 {
			beta = 0
		}
		kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, t.feat.M, t.weights(e.in, e.out), beta, y.M)
	}
	if e.bias != nil {
		kernel.AddBias(y.Value(), e.bias.Value)
	}
	e.res = y
	e.consumed = false
	return y
}

// gather copies column i of the value block for points [p0, p0+m) into e.xcol.
func (e *Expansion) gather(hv []float64, i, p0, m int) []float64 {
	x := e.xcol[:m]
	for pp := range x {
		x[pp] = hv[(p0+pp)*e.in+i]
	}
	return x
}

// features fills the term's feature jet: the basis values go straight into the value block and
// the derivative blocks follow the chain rule from the input's blocks.
func (e *Expansion) features(t *term, in nn.Jet, order int) {
	n, nb, b := in.N, e.in*t.size, t.size
	h := in.M.Data
	blockIn := n * e.in
	phi := t.feat.M.Data
	blockPhi := n * nb
	nf := in.Plan.NumFirst()
	// Chunks outer, inputs inner: the chunk's rows of the input jet stay in L1 while every
	// input's column is gathered from them.
	for p0 := 0; p0 < n; p0 += chunk {
		m := min(chunk, n-p0)
		for i := range e.in {
			x := e.gather(h, i, p0, m)
			t.dst[0] = t.feat.M.View(p0, i*b, m, b)
			for r := 1; r <= order; r++ {
				t.dst[r] = kernel.MatrixFrom(m, b, t.scratch[r][:m*b])
			}
			t.basis.Eval(x, order, t.dst[:order+1])
			if order == 0 {
				continue
			}
			for pp := range m {
				p := p0 + pp
				at := p*e.in + i
				seg := p*nb + i*b
				d1 := t.scratch[1][pp*b : (pp+1)*b]
				for blk := 1; blk <= nf; blk++ {
					scaleInto(phi[blk*blockPhi+seg:][:b], d1, h[blk*blockIn+at])
				}
				if order < 2 {
					continue
				}
				d2 := t.scratch[2][pp*b : (pp+1)*b]
				for _, pr := range e.pairs {
					var q float64 // Σ C·∂ₐx·∂_bx
					for _, t := range pr.terms {
						q += t.C * h[t.Bi*blockIn+at] * h[t.Bj*blockIn+at]
					}
					secondInto(phi[pr.blk*blockPhi+seg:][:b], d2, d1, q, h[pr.blk*blockIn+at])
				}
			}
		}
	}
}

// scaleInto sets dst = s·c.
func scaleInto(dst, s []float64, c float64) {
	s = s[:len(dst)]
	for k, v := range s {
		dst[k] = v * c
	}
}

// secondInto sets dst = d2·c2 + d1·c1.
func secondInto(dst, d2, d1 []float64, c2, c1 float64) {
	d2, d1 = d2[:len(dst)], d1[:len(dst)]
	for k := range dst {
		dst[k] = d2[k]*c2 + d1[k]*c1
	}
}

// Backward accumulates the coefficient, scale and bias gradients and, when needIn is true,
// returns the gradient of every input block. It reuses the feature storage of the last Forward
// for the feature gradient, so a second Backward needs a new Forward first.
func (e *Expansion) Backward(dy nn.Jet, needIn bool) nn.Jet {
	if e.res.Plan == nil {
		panic("kan: expansion Backward before Forward")
	}
	if dy.N != e.res.N || dy.Width() != e.out || !dy.Plan.Equal(e.res.Plan) || !dy.M.Contiguous() {
		panic(fmt.Sprintf("kan: expansion: gradient jet (%d points × %d) does not match the output (%d points × %d)",
			dy.N, dy.Width(), e.res.N, e.out))
	}
	if e.consumed {
		panic("kan: expansion Backward called twice after one Forward")
	}
	for _, t := range e.terms {
		e.coefGrad(t, dy)
	}
	if e.bias != nil {
		kernel.ColSums(e.bias.Grad, dy.Value(), 1)
	}
	if !needIn {
		return nn.Jet{}
	}
	dx := e.dx.Like(dy, e.in)
	dx.Zero()
	order := e.x.Plan.Order()
	for _, t := range e.terms {
		// dΦ = dY·Cᵀ over all blocks, written over Φ (no longer needed).
		kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, dy.M, t.weights(e.in, e.out), 0, t.feat.M)
		e.inputGrad(t, dx, order)
	}
	e.consumed = true
	return dx
}

// coefGrad adds Φᵀ·dY (every block's contribution at once) to the coefficient gradient and, for a
// scaled term, splits it between the coefficients and the scale.
func (e *Expansion) coefGrad(t *term, dy nn.Jet) {
	rows := e.in * t.size
	if t.scale == nil {
		kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, t.feat.M, dy.M, 1, kernel.MatrixFrom(rows, e.out, t.coef.Grad))
		return
	}
	kernel.Gemm(kernel.Trans, kernel.NoTrans, 1, t.feat.M, dy.M, 0, kernel.MatrixFrom(rows, e.out, t.dweff))
	out := e.out
	c, s := t.coef.Value, t.scale.Value
	cg, sg := t.coef.Grad, t.scale.Grad
	for i := range e.in {
		si, sgi := s[i*out:(i+1)*out], sg[i*out:(i+1)*out]
		for k := range t.size {
			off := (i*t.size + k) * out
			g, ck, cgk := t.dweff[off:off+out], c[off:off+out], cg[off:off+out]
			for o, v := range g {
				cgk[o] += v * si[o]
				sgi[o] += v * ck[o]
			}
		}
	}
}

// inputGrad adds the term's contribution to the input-jet gradient dx, from the feature gradient
// now held in t.feat. With g_β the feature gradient of block β and sums over the basis
// S_β^r = Σ_k g_β,k·φ_k⁽ʳ⁾(x), the chain rule of the forward pass transposes to
//
//	dx      += S_0¹ + Σₐ Sₐ²·xₐ + Σ_(a,b) (S_ab³·xₐ·x_b + S_ab²·x_ab)
//	dxₐ     += Sₐ¹ + Σ_(a,b) S_ab²·x_b (and symmetrically for b)
//	dx_ab   += S_ab¹
//
// where a combination block Σ C·∂ₐ∂_b (a Laplacian carried as one block) sums its terms, each
// weighted by C.
func (e *Expansion) inputGrad(t *term, dx nn.Jet, order int) {
	x := e.x
	n, nb, b := x.N, e.in*t.size, t.size
	h := x.M.Data
	g := t.feat.M.Data
	d := dx.M.Data
	blockIn, blockPhi := n*e.in, n*nb
	nf := x.Plan.NumFirst()
	need := order + 1
	for p0 := 0; p0 < n; p0 += chunk {
		m := min(chunk, n-p0)
		for i := range e.in {
			xs := e.gather(h, i, p0, m)
			for r := 0; r <= need; r++ {
				t.dst[r] = kernel.MatrixFrom(m, b, t.scratch[r][:m*b])
			}
			t.basis.Eval(xs, need, t.dst[:need+1])
			for pp := range m {
				p := p0 + pp
				at := p*e.in + i
				seg := p*nb + i*b
				d1 := t.scratch[1][pp*b : (pp+1)*b]
				acc := dot(g[seg:][:b], d1)
				if order >= 1 {
					d2 := t.scratch[2][pp*b : (pp+1)*b]
					for blk := 1; blk <= nf; blk++ {
						s1, s2 := dot2(g[blk*blockPhi+seg:][:b], d1, d2)
						acc += s2 * h[blk*blockIn+at]
						d[blk*blockIn+at] += s1
					}
					if order >= 2 {
						d3 := t.scratch[3][pp*b : (pp+1)*b]
						for _, pr := range e.pairs {
							s1, s2, s3 := dot3(g[pr.blk*blockPhi+seg:][:b], d1, d2, d3)
							acc += s2 * h[pr.blk*blockIn+at]
							for _, t := range pr.terms {
								ha, hb := h[t.Bi*blockIn+at], h[t.Bj*blockIn+at]
								acc += s3 * t.C * ha * hb
								d[t.Bi*blockIn+at] += s2 * t.C * hb
								d[t.Bj*blockIn+at] += s2 * t.C * ha
							}
							d[pr.blk*blockIn+at] += s1
						}
					}
				}
				d[at] += acc
			}
		}
	}
}

func dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1 float64
	k := 0
	for ; k+1 < len(a); k += 2 {
		s0 += a[k] * b[k]
		s1 += a[k+1] * b[k+1]
	}
	if k < len(a) {
		s0 += a[k] * b[k]
	}
	return s0 + s1
}

func dot2(g, a, b []float64) (sa, sb float64) {
	a, b = a[:len(g)], b[:len(g)]
	for k, v := range g {
		sa += v * a[k]
		sb += v * b[k]
	}
	return sa, sb
}

func dot3(g, a, b, c []float64) (sa, sb, sc float64) {
	a, b, c = a[:len(g)], b[:len(g)], c[:len(g)]
	for k, v := range g {
		sa += v * a[k]
		sb += v * b[k]
		sc += v * c[k]
	}
	return sa, sb, sc
}
