package expr

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func testEnv() *Env {
	return &Env{
		Vars:     []string{"x", "y", "t"},
		Fields:   []string{"u", "v"},
		Params:   map[string]float64{"nu": 0.01 / math.Pi, "k": 2},
		Unknowns: []string{"lam", "mu"},
		MaxOrder: 2,
	}
}

func TestCheckErrors(t *testing.T) {
	cases := []struct {
		src  string
		col  int
		want string
	}{
		{"u_t + u*u_xxx - nu*u_xx", 9, "unknown symbol `u_xxx`: this problem asks derivatives up to order 2"},
		{"u_xyx", 1, "unknown symbol `u_xyx`: this problem asks derivatives up to order 2"},
		{"u_q + 1", 1, "unknown symbol `u_q`: `q` is not a sequence of variables (variables: x, y, t)"},
		{"2*w_x", 3, "unknown symbol `w_x`: `w` is not a field of this problem (fields: u, v)"},
		{"x_t", 1, "unknown symbol `x_t`: `x` is a variable; only fields (u, v) have derivatives"},
		{"nuu*u", 1, "unknown symbol `nuu`: not a variable, field or parameter of this problem (did you mean `nu`?)"},
		{"u_ - 1", 1, "unknown symbol `u_`: nothing follows `_`; write the derivative variables, as in `u_x`"},
		{"sin + 1", 1, "`sin` is a function: call it as sin(…)"},
		{"1 + u^2", 5, "`u^2`: `^` is exclusive-or in Go syntax, not a power; write pow(u, 2)"},
		{"2*u**3", 3, "`u**3`: `**` is not an operator in Go syntax; write pow(u, 3)"},
		{"math.Sin(x)", 1, "`math.Sin`: selectors are not allowed; write `sin`"},
		{"a.b + 1", 1, "`a.b`: selectors (a.b) are not allowed"},
		{"u[0]", 1, "`u[0]`: indexing is not allowed"},
		{`"u" + 1`, 1, "`\"u\"`: strings and characters are not numbers"},
		{"2i*u", 1, "`2i`: imaginary numbers are not supported"},
		{"u < 1", 3, "`u < 1`: operator `<` is not allowed"},
		{"x % 2", 3, "`x % 2`: operator `%` is not allowed"},
		{"u && v", 3, "operator `&&` is not allowed"},
		{"!u", 1, "`!u`: operator `!` is not allowed"},
		{"sine(x)", 1, "`sine(x)`: unknown function `sine` (did you mean `sin`?)"},
		{"pow(x)", 1, "`pow(x)`: pow takes 2 arguments, got 1"},
		{"exp(x, t)", 1, "`exp(x, t)`: exp takes 1 argument, got 2"},
		{"(sin)(x)", 1, "`(sin)(x)`: only built-in functions can be called"},
		{"func(a float64) float64 { return a }(1)", 1, "function literals are not allowed"},
		{"*u", 1, "`*u`: unexpected `*`"},
		{"u +", 4, "syntax error: expected operand"},
		{"(u", 3, "syntax error: expected ')'"},
		{"x^2*3 + 1", 1, "`x^2`: `^` is exclusive-or in Go syntax, not a power; write pow(x, 2)"},
		{"-u^-2", 2, "`u^-2`: `^` is exclusive-or in Go syntax, not a power; write pow(u, -2)"},
		{"   ", 1, "empty expression"},
		{"ν*u", 1, "unknown symbol `ν`"},
	}
	env := testEnv()
	for _, c := range cases {
		t.Run(c.src, func(t *testing.T) {
			_, err := Check(c.src, env)
			require.Error(t, err)
			var list ErrorList
			require.True(t, errors.As(err, &list), "error type %T", err)
			require.NotEmpty(t, list)
			assert.Contains(t, list[0].Msg, c.want)
			assert.Equal(t, c.col, list[0].Col, "column of %q", list[0].Msg)
			assert.Equal(t, c.src, list[0].Expr)
			assert.Contains(t, err.Error(), c.src, "the message names the expression")
		})
	}
}

func TestCheckReportsAllErrors(t *testing.T) {
	_, err := Check("u_x + v_xxx*q - sine(y) + u^2", testEnv())
	var list ErrorList
	require.True(t, errors.As(err, &list))
	// sine and ^ are found while parsing; the symbols are only resolved once the syntax is valid.
	require.Len(t, list, 2)
	assert.Contains(t, list[0].Msg, "unknown function `sine`")
	assert.Contains(t, list[1].Msg, "`^` is exclusive-or")

	_, err = Check("u_x + v_xxx*q - sin(y) + u_z", testEnv())
	require.True(t, errors.As(err, &list))
	require.Len(t, list, 3)
	assert.Equal(t, []int{7, 13, 26}, []int{list[0].Col, list[1].Col, list[2].Col})
	assert.Contains(t, list[0].Msg, "`v_xxx`")
	assert.Contains(t, list[1].Msg, "`q`")
	assert.Contains(t, list[2].Msg, "`u_z`")

	var one *Error
	require.True(t, errors.As(err, &one), "errors.As reaches an individual error")
	assert.Equal(t, 7, one.Col)
}

func TestColumnsCountCharacters(t *testing.T) {
	env := &Env{Vars: []string{"x"}, Fields: []string{"u"}, Params: map[string]float64{"ν": 1}, MaxOrder: 1}
	_, err := Check("ν*u + ν*w", env)
	var list ErrorList
	require.True(t, errors.As(err, &list))
	assert.Equal(t, 9, list[0].Col, "ν is one character even though it is two bytes")
}

func TestEnvValidate(t *testing.T) {
	cases := []struct {
		env  Env
		want string
	}{
		{Env{Vars: []string{"x_1"}}, "variable name `x_1` contains `_`"},
		{Env{Fields: []string{"u_a"}}, "field name `u_a` contains `_`"},
		{Env{Vars: []string{"x"}, Fields: []string{"x"}}, "field name `x` is already a variable"},
		{Env{Params: map[string]float64{"sin": 1}}, "parameter name `sin` is a built-in function"},
		{Env{Params: map[string]float64{"e": 1}}, "parameter name `e` is a built-in constant"},
		{Env{Unknowns: []string{"2k"}}, `unknown parameter name "2k" is not an identifier`},
		{Env{Vars: []string{"x"}, MaxOrder: -1}, "maximum derivative order -1 < 0"},
	}
	for _, c := range cases {
		err := c.env.Validate()
		require.Error(t, err)
		assert.Contains(t, err.Error(), c.want)
		_, err = Check("1", &c.env)
		assert.Error(t, err, "Check validates the environment")
	}
	require.NoError(t, testEnv().Validate())
}

func TestDerivativeSymbolsAreCanonical(t *testing.T) {
	info, err := Check("u_yx - u_xy + u_tx*v_yy + x*v + u_xt", testEnv())
	require.NoError(t, err)
	var names []string
	for _, s := range info.Inputs {
		names = append(names, s.Name)
	}
	// variables first, then u's symbols by order, then v's.
	assert.Equal(t, []string{"x", "u_xy", "u_xt", "v", "v_yy"}, names)
	var derivs []string
	for _, s := range info.Derivatives() {
		derivs = append(derivs, s.Name)
	}
	assert.Equal(t, []string{"u_xy", "u_xt", "v_yy"}, derivs)
	assert.Equal(t, []int{0, 1}, info.Inputs[1].Wrt)
	assert.Equal(t, []int{0, 2}, info.Inputs[2].Wrt)
	assert.Equal(t, []int{1, 1}, info.Inputs[4].Wrt)
	assert.Equal(t, 2, info.Inputs[4].Order())

	p, err := Compile("u_yx - u_xy", testEnv())
	require.NoError(t, err)
	require.Equal(t, []string{"u_xy"}, p.InputNames())
	r := p.Eval(3, [][]float64{{1.5, -2, 7}}, make([]float64, 2))
	assert.Equal(t, []float64{0, 0, 0}, r, "u_yx and u_xy are the same column")

	assert.Equal(t, "u_xt", DerivName("u", []int{2, 0}, []string{"x", "y", "t"}))
	assert.Equal(t, "u", DerivName("u", nil, []string{"x"}))
}

func TestMultiCharacterVariables(t *testing.T) {
	env := &Env{Vars: []string{"x1", "x2", "x10"}, Fields: []string{"u"}, MaxOrder: 2}
	info, err := Check("u_x2x1 + u_x10x1", env)
	require.NoError(t, err)
	assert.Equal(t, "u_x1x2", info.Inputs[0].Name)
	assert.Equal(t, "u_x1x10", info.Inputs[1].Name)

	amb := &Env{Vars: []string{"a", "ab", "b"}, Fields: []string{"u"}, MaxOrder: 2}
	_, err = Check("u_ab", amb)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "`ab` can be read as more than one sequence of variables")
}

func TestOrderLimit(t *testing.T) {
	for _, c := range []struct {
		max  int
		src  string
		want string // empty: accepted
	}{
		{0, "u + x", ""},
		{0, "u_x", "unknown symbol `u_x`: this problem asks no derivatives"},
		{1, "u_x + u_t", ""},
		{1, "u_xt", "unknown symbol `u_xt`: this problem asks derivatives up to order 1"},
		{2, "u_xt + u_tt", ""},
		{3, "u_xxx + u_xyt", ""},
		{3, "u_xxxx", "unknown symbol `u_xxxx`: this problem asks derivatives up to order 3"},
	} {
		env := testEnv()
		env.MaxOrder = c.max
		_, err := Check(c.src, env)
		if c.want == "" {
			assert.NoError(t, err, "%s with max order %d", c.src, c.max)
			continue
		}
		require.Error(t, err)
		assert.True(t, strings.HasPrefix(err.Error(), c.want), "got %q", err)
	}
}

func TestInfoUnknowns(t *testing.T) {
	info, err := Check("mu*u_xx + k*u - pi", testEnv())
	require.NoError(t, err)
	assert.Equal(t, []int{1}, info.Unknowns, "mu is the second unknown; k is a parameter")
}

func TestPrintRoundTrip(t *testing.T) {
	for _, src := range []string{
		"u_t + u * u_x - nu * u_xx",
		"a - (b - c)",
		"a / (b * c)",
		"-(a + b) * c",
		"-a * b",
		"a * -b",
		"pow(x, 2) + min(u, -1.5e-07)",
		"x - -2",
		"(a + b) / 2",
	} {
		e, err := Parse(src)
		require.NoError(t, err, src)
		assert.Equal(t, src, e.String())
		assert.Equal(t, src, e.Source())
	}
	e, err := Parse("((a)) + (b*c)")
	require.NoError(t, err)
	assert.Equal(t, "a + b * c", e.String())
}
