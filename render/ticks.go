package render

import (
	"math"
	"strconv"
	"strings"
)

// tickEps absorbs rounding in lo/step so that an end point equal to a tick (0.8 in [0, 0.8]) counts.
const tickEps = 1e-9

// NiceTicks returns at most maxTicks tick values inside [lo, hi], all multiples of a step of the
// form 1, 2 or 5 × 10^k, choosing the smallest such step that keeps the count within maxTicks
// (or, if that step leaves a single tick inside, the next finer one, so there are always two).
// Values are computed as (integer × mantissa) / 10^k so that they are the doubles nearest to the
// decimal numbers they stand for (0.6, not 0.6000000000000001). It returns nil for a reversed or
// non-finite interval and the single value for lo == hi.
func NiceTicks(lo, hi float64, maxTicks int) []float64 {
	if !(lo <= hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return nil
	}
	if lo == hi {
		return []float64{lo}
	}
	maxTicks = max(maxTicks, 2)
	// hi/2 − lo/2 cannot overflow where hi − lo can (a range spanning ±MaxFloat64). Starting one
	// decade finer than needed costs a few iterations and makes rounding in the logarithm harmless.
	// The exponent is clamped so that subnormal spans (whose logarithm may be −Inf) start the
	// search at the bottom of float64 instead of at an undefined integer.
	l := math.Log10(hi/2-lo/2) + math.Log10(2) - math.Log10(float64(maxTicks))
	e := int(math.Floor(math.Max(l, -330))) - 1
	var prevM int64
	var prevE int
	for ; ; e++ {
		for _, m := range [...]int64{1, 2, 5} {
			// Steps that underflow, or so fine that lo/step leaves the exact integers, are not
			// candidates (they would also give far too many ticks).
			step := decimal(m, e)
			if !(step > 0) || math.Abs(lo/step) > 1<<53 || math.Abs(hi/step) > 1<<53 {
				continue
			}
			k0, k1 := tickRange(lo, hi, m, e)
			if k1-k0+1 > int64(maxTicks) {
				prevM, prevE = m, e
				continue
			}
			if k1-k0+1 < 2 && prevM != 0 {
				// This step leaves a single tick: fall back to the finer one, even if it
				// gives a few more ticks than asked for, since one tick cannot show a scale.
				m, e = prevM, prevE
				k0, k1 = tickRange(lo, hi, m, e)
			}
			ticks := make([]float64, 0, k1-k0+1)
			for k := k0; k <= k1; k++ {
				ticks = append(ticks, decimal(k*m, e))
			}
			return ticks
		}
	}
}

// tickRange returns the first and last multiples k of the step m·10^e inside [lo, hi].
func tickRange(lo, hi float64, m int64, e int) (int64, int64) {
	step := decimal(m, e)
	return int64(math.Ceil(lo/step - tickEps)), int64(math.Floor(hi/step + tickEps))
}

// decimal returns n·10^e rounded once, so small decimals come out as the nearest double.
func decimal(n int64, e int) float64 {
	if e < 0 {
		if e < -22 { // 10^-e is no longer exact; two steps keep the error at a few ulp
			return float64(n) / math.Pow10(22) / math.Pow10(-e-22)
		}
		return float64(n) / math.Pow10(-e)
	}
	return float64(n) * math.Pow10(e)
}

// LogTicks returns ticks for a logarithmic axis over [lo, hi] (lo > 0): the powers of ten inside,
// thinned to every second, third, … decade when there are more than maxTicks of them. When fewer
// than two decades fall inside, it uses 1-2-5 steps (0.2, 0.5, 1, 2, …), and failing that plain
// NiceTicks, so a narrow log axis still gets labels.
func LogTicks(lo, hi float64, maxTicks int) []float64 {
	if !(lo > 0 && lo <= hi) || math.IsInf(hi, 0) {
		return nil
	}
	maxTicks = max(maxTicks, 2)
	k0 := int(math.Ceil(math.Log10(lo) - tickEps))
	k1 := int(math.Floor(math.Log10(hi) + tickEps))
	if n := k1 - k0 + 1; n >= 2 {
		stride := (n + maxTicks - 1) / maxTicks
		var ticks []float64
		for k := k0; k <= k1; k++ {
			if ((k%stride)+stride)%stride == 0 {
				ticks = append(ticks, decimal(1, k))
			}
		}
		if len(ticks) >= 2 {
			return ticks
		}
	}
	var ticks []float64
	for k := k0 - 1; k <= k1; k++ {
		for _, m := range [...]int64{1, 2, 5} {
			v := decimal(m, k)
			if v >= lo*(1-tickEps) && v <= hi*(1+tickEps) {
				ticks = append(ticks, v)
			}
		}
	}
	if len(ticks) >= 2 && len(ticks) <= maxTicks {
		return ticks
	}
	return NiceTicks(lo, hi, maxTicks)
}

// minorLogTicks returns 2·10^k … 9·10^k inside [lo, hi] when the axis spans few enough decades for
// them to be told apart; they get short marks and no labels.
func minorLogTicks(lo, hi float64) []float64 {
	k0 := int(math.Floor(math.Log10(lo)))
	k1 := int(math.Ceil(math.Log10(hi)))
	if k1-k0 > 8 || k1-k0 < 1 {
		return nil
	}
	var ticks []float64
	for k := k0; k <= k1; k++ {
		for m := int64(2); m <= 9; m++ {
			if v := decimal(m, k); v >= lo && v <= hi {
				ticks = append(ticks, v)
			}
		}
	}
	return ticks
}

// FormatTicks formats tick values as short labels that tell them apart: the fewest decimals (or, in
// scientific notation, the fewest mantissa digits) that reproduce every tick to a millionth of the
// tick spacing. Scientific notation with a compact exponent ("2e-5", "1.5e6") is used when the
// largest magnitude is at least 1e5, or when it is below 1e-2 and plain notation would need more
// than three decimals. Zero is written like its neighbours ("0.0" beside "0.5") in plain notation
// and as "0" in scientific notation.
func FormatTicks(ticks []float64) []string {
	if len(ticks) == 0 {
		return nil
	}
	maxAbs, step := 0.0, math.Inf(1)
	for i, v := range ticks {
		maxAbs = math.Max(maxAbs, math.Abs(v))
		if i > 0 && v != ticks[i-1] {
			step = math.Min(step, math.Abs(v-ticks[i-1]))
		}
	}
	if math.IsInf(step, 1) {
		step = maxAbs
	}
	tol := step * 1e-6
	if maxAbs >= 1e5 {
		return formatAll(ticks, true, tol)
	}
	out, prec := formatAll(ticks, false, tol), 0
	if i := strings.IndexByte(out[len(out)-1], '.'); i >= 0 {
		prec = len(out[len(out)-1]) - i - 1
	}
	// Small numbers read better as 2e-4 than as 0.0002.
	if prec > 3 && maxAbs < 1e-2 {
		return formatAll(ticks, true, tol)
	}
	return out
}

// formatAll formats the ticks with the smallest precision that reproduces each within tol.
func formatAll(ticks []float64, sci bool, tol float64) []string {
	out := make([]string, len(ticks))
	for prec := 0; prec <= 17; prec++ {
		ok := true
		for i, v := range ticks {
			out[i] = formatNumber(v, prec, sci)
			back, err := strconv.ParseFloat(out[i], 64)
			if err != nil || math.Abs(back-v) > tol {
				ok = false
			}
		}
		if ok {
			break
		}
	}
	return out
}

// FormatLogTicks labels ticks of a logarithmic axis: exact powers of ten as "1e-3", "1e0", "1e2"
// (one style for the whole axis, so labels line up), anything else as FormatTicks would.
func FormatLogTicks(ticks []float64) []string {
	out := make([]string, len(ticks))
	decades := true
	for i, v := range ticks {
		k := math.Round(math.Log10(v))
		if v <= 0 || decimal(1, int(k)) != v {
			decades = false
			break
		}
		out[i] = "1e" + strconv.Itoa(int(k))
	}
	if decades {
		return out
	}
	return FormatTicks(ticks)
}

// formatNumber prints v with prec digits after the point, in plain or compact scientific form.
func formatNumber(v float64, prec int, sci bool) string {
	if !sci {
		s := strconv.FormatFloat(v, 'f', prec, 64)
		if strings.Trim(s, "-0.") == "" {
			return strings.TrimPrefix(s, "-") // "0.0", never "-0.0"
		}
		return s
	}
	if v == 0 {
		return "0"
	}
	s := strconv.FormatFloat(v, 'e', prec, 64)
	mant, exp, _ := strings.Cut(s, "e")
	if strings.Contains(mant, ".") { // 5e5 beside 2.5e5, not 5.0e5
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	return mant + "e" + sign + exp
}
