package expr

import (
	"maps"
	"math"
	"slices"
)

// funcInfo describes a built-in function: its arity, the opcode that evaluates it over columns,
// and the scalar function used to fold constant arguments (the same math function, so a folded
// constant equals the value the column op would give).
type funcInfo struct {
	nargs int
	op    opcode
	f1    func(float64) float64
	f2    func(float64, float64) float64
}

var funcs = map[string]*funcInfo{
	"sin":  {nargs: 1, op: opSin, f1: math.Sin},
	"cos":  {nargs: 1, op: opCos, f1: math.Cos},
	"tan":  {nargs: 1, op: opTan, f1: math.Tan},
	"exp":  {nargs: 1, op: opExp, f1: math.Exp},
	"log":  {nargs: 1, op: opLog, f1: math.Log},
	"sqrt": {nargs: 1, op: opSqrt, f1: math.Sqrt},
	"tanh": {nargs: 1, op: opTanh, f1: math.Tanh},
	"sinh": {nargs: 1, op: opSinh, f1: math.Sinh},
	"cosh": {nargs: 1, op: opCosh, f1: math.Cosh},
	"abs":  {nargs: 1, op: opAbs, f1: math.Abs},
	"atan": {nargs: 1, op: opAtan, f1: math.Atan},
	"sign": {nargs: 1, op: opSign, f1: sign},
	"pow":  {nargs: 2, op: opPow, f2: math.Pow},
	"min":  {nargs: 2, op: opMin, f2: math.Min},
	"max":  {nargs: 2, op: opMax, f2: math.Max},
}

func funcNames() []string { return slices.Sorted(maps.Keys(funcs)) }

// suggest returns ` (did you mean `x`?)` when a candidate is within edit distance 2 of name.
func suggest(name string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := editDistance(name, c); d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if best == "" || bestD >= min(3, max(len(name), 2)) {
		return ""
	}
	return " (did you mean `" + best + "`?)"
}

// editDistance is the Levenshtein distance between a and b, by runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// sign is -1, 0 or +1 (NaN for NaN); its derivative is taken as 0 everywhere.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // ±0 or NaN
}
