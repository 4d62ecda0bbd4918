package nn

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/inrstudio/studio/kernel"
)

// Encoding is a fixed input encoding [x | sin z | cos z] (the x part optional) with
// z = x·A + c, A and c fixed: NeRF's positional encoding and Gaussian Fourier features are both
// of this form. z is affine in x, so its derivative blocks are those of x mapped by A, and sin
// and cos follow the elementwise chain rule. It has no trainable parameters; the random matrix of
// Fourier features is a buffer (saved in model files, never trained).
type Encoding struct {
	kind     string
	dim, m   int
	identity bool
	// B is the frequency matrix (m×dim) of Fourier features; nil for the positional encoding.
	B      *Param
	affine bool // Fourier features of v = (x+1)/2
	levels int

	a      kernel.Matrix // dim×m
	c      []float64     // m, on the value block
	x      Jet
	z      JetBuffer
	sin    floatBuf
	cos    floatBuf
	y, dz  JetBuffer
	dx, gp JetBuffer
	res    Jet
}

// NewPositionalEncoding returns NeRF's encoding γ(x) = [x, sin(2ⁱπx), cos(2ⁱπx)] for i < levels,
// laid out as [x | sin(z) | cos(z)] with z = [2⁰πx | 2¹πx | …] (each part dim wide): width
// dim·(1+2·levels).
func NewPositionalEncoding(dim, levels int) (*Encoding, error) {
	if dim < 1 || levels < 0 {
		return nil, fmt.Errorf("positional encoding: dimension %d and levels %d must be ≥ 1 and ≥ 0", dim, levels)
	}
	e := &Encoding{kind: "positional", dim: dim, m: dim * levels, identity: true, levels: levels}
	e.a = kernel.NewMatrix(dim, e.m)
	for i := range levels {
		f := math.Ldexp(math.Pi, i)
		for j := range dim {
			e.a.Set(j, i*dim+j, f)
		}
	}
	e.c = make([]float64, e.m)
	return e, nil
}

// NewFourierFeatures returns Gaussian Fourier features [sin(2πBv), cos(2πBv)] with m frequencies
// B ~ N(0, σ²) (m×dim, drawn from rng), v = x or, with affine, v = (x+1)/2 (coordinates in
// [-1,1] mapped to [0,1] as in Tancik et al.): width 2m.
func NewFourierFeatures(dim, m int, sigma float64, affine bool, rng *rand.Rand) (*Encoding, error) {
	if dim < 1 || m < 1 || !(sigma > 0) || math.IsInf(sigma, 0) {
		return nil, fmt.Errorf("fourier features: dimension %d, features %d and sigma %v must be positive", dim, m, sigma)
	}
	e := &Encoding{kind: "fourier", dim: dim, m: m, affine: affine, B: NewParam("B", m, dim)}
	for i := range e.B.Value {
		e.B.Value[i] = sigma * rng.NormFloat64()
	}
	e.a = kernel.NewMatrix(dim, m)
	e.c = make([]float64, m)
	return e, nil
}

func (e *Encoding) InWidth() int { return e.dim }
func (e *Encoding) OutWidth() int {
	if e.identity {
		return e.dim + 2*e.m
	}
	return 2 * e.m
}
func (e *Encoding) Params() []*Param { return nil }

// Buffers lists the fixed tensors a model file must keep (Fourier features' B).
func (e *Encoding) Buffers() []*Param {
	if e.B == nil {
		return nil
	}
	return []*Param{e.B}
}

// refresh derives A and c from B (which a model file may have replaced).
func (e *Encoding) refresh() {
	if e.B == nil {
		return
	}
	scale := 2 * math.Pi
	if e.affine {
		scale = math.Pi // 2π·B·(x+1)/2 = πBx + πB·1
	}
	clear(e.c)
	for k := range e.m {
		for j := range e.dim {
			b := e.B.Value[k*e.dim+j]
			e.a.Set(j, k, scale*b)
			if e.affine {
				e.c[k] += math.Pi * b
			}
		}
	}
}

func (e *Encoding) Forward(in Jet) Jet {
	checkIn(e.kind+" encoding", e, in)
	e.refresh()
	e.x = in
	y := e.y.Like(in, e.OutWidth())
	if e.m == 0 {
		y.M.CopyFrom(in.M)
		e.res = y
		return y
	}
	z := e.z.Like(in, e.m)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, in.M, e.a, 0, z.M)
	kernel.AddBias(z.Value(), e.c)
	n := in.N * e.m
	s, c := e.sin.get(n), e.cos.get(n)
	kernel.SinCos(s, c, z.BlockData(0))
	// Build the sin and cos jets in scratch (dz's buffer) and copy them into their columns.
	off := 0
	if e.identity {
		y.M.View(0, 0, y.M.Rows, e.dim).CopyFrom(in.M)
		off = e.dim
	}
	tmp := e.dz.Like(in, e.m)
	copy(tmp.BlockData(0), s)
	ChainForward(tmp, z, c, 1, s, -1)
	y.M.View(0, off, y.M.Rows, e.m).CopyFrom(tmp.M)
	copy(tmp.BlockData(0), c)
	ChainForward(tmp, z, s, -1, c, -1)
	y.M.View(0, off+e.m, y.M.Rows, e.m).CopyFrom(tmp.M)
	e.res = y
	return y
}

func (e *Encoding) Backward(g Jet, needIn bool) Jet {
	checkGrad(e.kind+" encoding", e.res, g)
	if !needIn {
		return Jet{}
	}
	dx := e.dx.Like(g, e.dim)
	if e.m == 0 {
		dx.M.CopyFrom(g.M)
		return dx
	}
	off := 0
	if e.identity {
		off = e.dim
	}
	z := e.z.Like(g, e.m)
	dz := e.dz.Like(g, e.m)
	dz.Zero()
	s, c := e.sin.get(g.N*e.m), e.cos.get(g.N*e.m)
	// The sin and cos columns of g, copied out contiguously.
	gp := e.gp.Like(g, e.m)
	gp.M.CopyFrom(g.M.View(0, off, g.M.Rows, e.m))
	ChainBackward(dz, gp, z, c, 1, s, -1, c, -1)
	gp.M.CopyFrom(g.M.View(0, off+e.m, g.M.Rows, e.m))
	ChainBackward(dz, gp, z, s, -1, c, -1, s, 1)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, dz.M, e.a, 0, dx.M)
	if e.identity {
		for i := 0; i < dx.M.Rows; i++ {
			addTo(dx.M.Row(i), g.M.Row(i)[:e.dim])
		}
	}
	return dx
}
