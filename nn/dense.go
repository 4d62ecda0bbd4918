package nn

import (
	"fmt"

	"github.com/inrstudio/studio/kernel"
)

// Dense is the affine layer y = Scale·(x·W) + b, with W stored as in×out (row-major, so the
// forward pass is the plain product X·W) and b of length out. Scale is a fixed factor on the
// product only, not on the bias: the first-layer multiplier κ of multi-stage networks
// (sciml.md §1.1). It is 1 for an ordinary layer.
//
// Every block of the jet goes through the same weights, so forward and backward are one GEMM each
// over the whole stacked jet; the bias touches only the value block, because it does not depend
// on the input.
type Dense struct {
	W, B    *Param // B is nil for a layer without bias
	Scale   float64
	in, out int

	x   Jet
	y   JetBuffer
	dx  JetBuffer
	res Jet
}

// NewDense returns an in→out dense layer with zero weights (initialise them with an Init) and a
// bias when bias is true.
func NewDense(in, out int, bias bool) *Dense {
	if in < 1 || out < 1 {
		panic(fmt.Sprintf("nn: dense layer %d→%d", in, out))
	}
	d := &Dense{W: NewParam("weight", in, out), Scale: 1, in: in, out: out}
	if bias {
		d.B = NewParam("bias", out)
	}
	return d
}

func (d *Dense) InWidth() int  { return d.in }
func (d *Dense) OutWidth() int { return d.out }

func (d *Dense) Params() []*Param {
	if d.B == nil {
		return []*Param{d.W}
	}
	return []*Param{d.W, d.B}
}

func (d *Dense) Forward(in Jet) Jet {
	checkIn("dense", d, in)
	d.x = in
	y := d.y.Like(in, d.out)
	kernel.Gemm(kernel.NoTrans, kernel.NoTrans, d.Scale, in.M, d.W.Matrix(), 0, y.M)
	if d.B != nil {
		kernel.AddBias(y.Value(), d.B.Value)
	}
	d.res = y
	return y
}

func (d *Dense) Backward(dy Jet, needIn bool) Jet {
	checkGrad("dense", d.res, dy)
	// dW += Scale·Xᵀ·dY over all blocks at once: each block's contribution is a sum over its rows.
	kernel.Gemm(kernel.Trans, kernel.NoTrans, d.Scale, d.x.M, dy.M, 1, d.W.GradMatrix())
	if d.B != nil {
		kernel.ColSums(d.B.Grad, dy.Value(), 1)
	}
	if !needIn {
		return Jet{}
	}
	dx := d.dx.Like(dy, d.in)
	kernel.Gemm(kernel.NoTrans, kernel.Trans, d.Scale, dy.M, d.W.Matrix(), 0, dx.M)
	return dx
}
