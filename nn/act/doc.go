// Package act holds the activation functions of the studio, each with its value and first three
// derivatives in closed form, and the derivatives of those with respect to its trainable
// parameters. Layers in package nn apply them elementwise to jets (values plus input-derivative
// blocks): a jet of order r needs σ…σ⁽ʳ⁾ forward and σ⁽ʳ⁺¹⁾ backward, hence three derivatives.
//
// Activations are registered by name with a default configuration (fixed constants such as
// SIREN's ω0) and built with New (real, Func) or NewPair (complex, PairFunc). The hot ones
// (sine, tanh, gauss, sigmoid, silu, relu, …) also implement SliceFunc, a whole-slice path
// through package kernel's vectorised elementary functions.
//
//	f, err := act.New("sine", act.Config{"omega": 30})
//	var d [4]float64
//	f.Eval(0.1, nil, 1, &d) // d[0] = sin(30·0.1), d[1] = 30·cos(30·0.1)
//
// The registry (Names lists it; each entry's Description gives the formula):
//
//	INR:        sine (SIREN), finer (FINER), gauss, gabor_real, gabor_complex (WIRE, PairFunc),
//	            spder, spder_atan (SPDER), cauchy (XNet), fkan (FKAN hidden layers)
//	classic:    tanh, sigmoid, softplus, relu, relu2, leaky_relu, abs, linear, elu, selu,
//	            silu, gelu (exact, erf-based), mish
//	trainable:  swish (β), xgelu, xsilu, xatlu (expanded gating, α), apa (AGLU, κ and λ),
//	            rational (Padé/GR-KAN version A, fitted to a target at construction),
//	            cauchy (λ1, λ2, d)
//
// Conventions shared by every activation:
//   - At a kink (relu, leaky_relu, abs, the |x| in finer and spder) derivatives take the value
//     of the left piece, or 0 where the function is odd-symmetric about the kink; each
//     activation's comment states its convention.
//   - Results below the smallest normal float64 are flushed to zero in the exponential-tail
//     activations (gauss, gabor_real, gabor_complex), because subnormal arithmetic is slow and
//     Go has no flush-to-zero mode.
//   - Every closed form is evaluated in a way that neither overflows nor cancels badly for any
//     finite input of the training range (|x| ≤ 1e8): tails go through exp(−|x|) forms.
package act
