package pinn

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/nn"
)

// embedding is a fixed input embedding [x_keep | sin z | cos z] with z = x·A + c: the columns
// x_keep of the input pass through, and every column of A is a frequency vector. With A holding
// kπ on one axis it is the periodic embedding (cos kπx̂, sin kπx̂ are exactly 2-periodic on the
// normalised coordinates, so the network is periodic whatever its weights); with A Gaussian it is
// random Fourier features. z is affine in x, so each derivative block of z is that of x mapped by
// A, and sin and cos follow the elementwise chain rule (nn.ChainForward). A and c are buffers
// (saved in model files, never trained).
type embedding struct {
	dim  int
	keep []int // passed-through input columns
	m    int
	A    *nn.Param // dim×m, row-major
	C    *nn.Param // m, the phase (value block only)

	a       kernel.Matrix
	x       nn.Jet
	z, y    nn.JetBuffer
	tmp, dz nn.JetBuffer
	gp, dx  nn.JetBuffer
	sin     []float64
	cos     []float64
}

// newEmbedding returns the embedding of dim inputs with frequency matrix a (dim×m, row-major;
// copied) and phases c (m; nil for zeros), passing the columns keep through first.
func newEmbedding(dim int, keep []int, a []float64, c []float64) (*embedding, error) {
	if dim < 1 || len(a)%dim != 0 {
		return nil, fmt.Errorf("embedding: %d frequencies for %d inputs", len(a), dim)
	}
	m := len(a) / dim
	for _, k := range keep {
		if k < 0 || k >= dim {
			return nil, fmt.Errorf("embedding: kept column %d of %d inputs", k, dim)
		}
	}
	if c != nil && len(c) != m {
		return nil, fmt.Errorf("embedding: %d phases for %d frequencies", len(c), m)
	}
	e := &embedding{dim: dim, keep: keep, m: m, A: nn.NewParam("A", dim, m), C: nn.NewParam("c", m)}
	copy(e.A.Value, a)
	copy(e.C.Value, c)
	return e, nil
}

func (e *embedding) InWidth() int        { return e.dim }
func (e *embedding) OutWidth() int       { return len(e.keep) + 2*e.m }
func (e *embedding) Params() []*nn.Param { return nil }

// Buffers lists the frequency matrix and phases, which a model file keeps.
func (e *embedding) Buffers() []*nn.Param { return []*nn.Param{e.A, e.C} }

func (e *embedding) Forward(in nn.Jet) nn.Jet {
	if in.Width() != e.dim {
		panic(fmt.Sprintf("pinn: embedding of %d inputs given width %d", e.dim, in.Width()))
	}
	e.x = in
	// A model file may have replaced the buffers' contents: read them every time (dim×m).
	e.a = kernel.MatrixFrom(e.dim, e.m, e.A.Value)
	y := e.y.Like(in, e.OutWidth())
	rows := y.M.Rows
	for k, col := range e.keep {
		for i := range rows {
			y.M.Set(i, k, in.M.At(i, col))
		}
	}
	if e.m == 0 {
		return y
	}
	z := e.z.Like(in, e.m)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, 1, in.M, e.a, 0, z.M)
	kernel.AddBias(z.Value(), e.C.Value)
	n := in.N * e.m
	e.sin, e.cos = grow(e.sin, n), grow(e.cos, n)
	kernel.SinCos(e.sin, e.cos, z.BlockData(0))
	off := len(e.keep)
	tmp := e.tmp.Like(in, e.m)
	copy(tmp.BlockData(0), e.sin)
	nn.ChainForward(tmp, z, e.cos, 1, e.sin, -1)
	y.M.View(0, off, rows, e.m).CopyFrom(tmp.M)
	copy(tmp.BlockData(0), e.cos)
	nn.ChainForward(tmp, z, e.sin, -1, e.cos, -1)
	y.M.View(0, off+e.m, rows, e.m).CopyFrom(tmp.M)
	return y
}

// Backward returns the gradient with respect to the input when asked (the embedding has no
// parameters of its own).
func (e *embedding) Backward(g nn.Jet, needIn bool) nn.Jet {
	if !needIn {
		return nn.Jet{}
	}
	dx := e.dx.Like(g, e.dim)
	dx.Zero()
	rows := g.M.Rows
	for k, col := range e.keep {
		for i := range rows {
			dx.M.Set(i, col, dx.M.At(i, col)+g.M.At(i, k))
		}
	}
	if e.m == 0 {
		return dx
	}
	z := e.z.Like(g, e.m)
	dz := e.dz.Like(g, e.m)
	dz.Zero()
	off := len(e.keep)
	gp := e.gp.Like(g, e.m)
	gp.M.CopyFrom(g.M.View(0, off, rows, e.m))
	nn.ChainBackward(dz, gp, z, e.cos, 1, e.sin, -1, e.cos, -1)
	gp.M.CopyFrom(g.M.View(0, off+e.m, rows, e.m))
	nn.ChainBackward(dz, gp, z, e.sin, -1, e.cos, -1, e.sin, 1)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, 1, dz.M, e.a, 1, dx.M)
	return dx
}

func grow(b []float64, n int) []float64 {
	if cap(b) < n {
		return make([]float64, n)
	}
	return b[:n]
}
