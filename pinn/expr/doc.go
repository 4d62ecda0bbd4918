// Package expr parses, checks and compiles the expressions of a PDE problem file — equation
// residuals such as `u_t + u*u_x - nu*u_xx`, boundary and initial values, output transforms —
// into column programs that the PINN solver evaluates at every collocation point and
// differentiates in reverse mode.
//
// # Language
//
// Expressions use Go syntax and are parsed by go/parser: numbers (`2`, `0.5`, `1e-3`), names,
// `+ - * /`, unary minus, parentheses, and calls of the built-in functions sin, cos, tan, exp,
// log, sqrt, tanh, sinh, cosh, atan, abs, sign, pow(a, b), min(a, b) and max(a, b). The constants
// pi and e are predefined. There is no power operator: Go's `^` is exclusive-or and `**` does
// not exist, so both are rejected with a message that suggests pow — `2*x^2` would otherwise
// parse as (2*x)^2 under Go's precedence, a silent error. Everything else Go allows (selectors,
// indexing, strings, comparisons, function literals, …) is rejected, naming the fragment.
//
// # Names
//
// An Env declares what names mean: independent variables (x, t), fields (u, v, p), known
// parameters with values (nu = 0.01/pi is folded into the program) and trainable unknowns of an
// inverse problem. A field derivative is the field name, an underscore and the differentiation
// variables: `u_x`, `u_tt`, `u_xy`. Mixed derivatives commute, so `u_yx` and `u_xy` are the
// same symbol, whose canonical Name lists the variables in Env.Vars order. Asking for a
// derivative above Env.MaxOrder is an error: "unknown symbol `u_xxx`: this problem asks
// derivatives up to order 2".
//
// # Checking
//
// Check (or Parse then Expr.Check) reports every error of an expression at once, each an *Error
// with the column of the offending fragment, so a caller can prefix the file, line and context
// ("equation 1: …"). On success it returns the Info the solver builds its derivative plan from:
// the variable and field-derivative columns the expression reads and the unknowns it uses.
//
// # Evaluation
//
// Compile produces a Program: a flat SSA list of column instructions. Eval takes one column per
// input symbol (N collocation points) and the unknowns' values, runs one loop per instruction
// and returns the residual column. Backward takes ∂L/∂r per point and returns ∂L/∂input per
// point for every input column plus the summed gradient of each unknown. Buffers are reused:
// after the first call with a given N nothing is allocated. Domain errors (log or sqrt of a
// negative number, division by zero) give NaN/Inf in the columns, as the math package does; the
// caller checks its loss.
//
// Expr.Derivative differentiates an expression symbolically with respect to a variable, turning
// field symbols into higher derivatives; the solver uses it to get the derivatives of a hard-
// constraint transform u = g + d·N from those of the network output N.
//
// # Example
//
//	env := &expr.Env{
//		Vars:     []string{"x", "t"},
//		Fields:   []string{"u"},
//		Params:   map[string]float64{"nu": 0.01 / math.Pi},
//		MaxOrder: 2,
//	}
//	prog, err := expr.Compile("u_t + u*u_x - nu*u_xx", env)
//	if err != nil {
//		return fmt.Errorf("equation 1: %w", err)
//	}
//	// prog.Inputs() is [u u_x u_t u_xx]: variables first (none here), then each field by order.
//	cols := make([][]float64, len(prog.Inputs()))
//	for i, s := range prog.Inputs() {
//		cols[i] = jetColumn(s) // the solver's columns for u, u_x, …
//	}
//	r := prog.Eval(n, cols, nil)       // residual at n points
//	adj := prog.Backward(dLdr, nil)   // ∂L/∂u, ∂L/∂u_x, … per point
package expr
