package nn

import "fmt"

// Layer is the contract every building block of a network follows. A layer owns its output and
// gradient buffers and reuses them from call to call, so a training loop with a fixed batch size
// allocates nothing after its first step.
//
// Jets passed to a layer must be contiguous (Stride == Width), as every jet a layer returns is.
type Layer interface {
	// InWidth and OutWidth are the widths of the input and output jets.
	InWidth() int
	OutWidth() int
	// Forward maps the input jet to the output jet, carrying every derivative block of the input's
	// plan. The result is owned by the layer and valid until its next Forward; the layer keeps a
	// reference to in for Backward, so the caller must not change in until then.
	Forward(in Jet) Jet
	// Backward takes the gradient of a scalar loss with respect to every block of the last
	// Forward's output, adds the gradients with respect to the parameters into their Grad, and,
	// when needIn is true, returns the gradient with respect to every block of the input (else the
	// zero Jet). dOut is the layer's to use as scratch: its contents are undefined afterwards. The
	// returned jet may be dOut itself or a layer buffer, valid until the next Backward.
	Backward(dOut Jet, needIn bool) Jet
	// Params lists the trainable parameters (nil when there are none).
	Params() []*Param
}

func checkIn(name string, l Layer, in Jet) { checkInNamed(name, "", l, in) }

// checkInNamed is checkIn with a second name part, joined only when the check fails (so that the
// hot path builds no string).
func checkInNamed(name, sub string, l Layer, in Jet) {
	if sub != "" && (in.Width() != l.InWidth() || !in.M.Contiguous()) {
		name += " " + sub
	}
	if in.Width() != l.InWidth() {
		panic(fmt.Sprintf("nn: %s expects input width %d, got %d", name, l.InWidth(), in.Width()))
	}
	if !in.M.Contiguous() {
		panic(fmt.Sprintf("nn: %s: input jet is not contiguous", name))
	}
}

func checkGrad(name string, out, dOut Jet) { checkGradNamed(name, "", out, dOut) }

// checkGradNamed is checkGrad with a second name part, joined only on failure.
func checkGradNamed(name, sub string, out, dOut Jet) {
	if sub != "" && (!dOut.same(out.Plan, out.N, out.Width()) || !dOut.M.Contiguous()) {
		name += " " + sub
	}
	if !dOut.same(out.Plan, out.N, out.Width()) {
		panic(fmt.Sprintf("nn: %s: gradient jet (%d points × %d) does not match the output (%d points × %d)",
			name, dOut.N, dOut.Width(), out.N, out.Width()))
	}
	if !dOut.M.Contiguous() {
		panic(fmt.Sprintf("nn: %s: gradient jet is not contiguous", name))
	}
}
