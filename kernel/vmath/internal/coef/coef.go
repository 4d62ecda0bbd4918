// Package coef holds the constants shared by vmath's Go code and its assembly generator: the
// Cody–Waite splits of π/2 and ln 2 and the minimax polynomial coefficients. They were made by
// split.py and remez.py in this directory (mpmath, 60–80 digits) and rounded to float64.
package coef

// Magic is 1.5·2⁵²: adding it to |v| < 2⁵¹ rounds v to an integer held in the low mantissa bits.
const Magic = 0x1.8p52

// π/2 split for arithmetic without FMA: the first three parts have 30 significant bits, so
// n·part is exact for integers |n| < 2²³ and a − n·PiO2T1 − n·PiO2T2 − n·PiO2T3 − n·PiO2T4 loses
// nothing before the last step (143 bits of π/2 in all).
const (
	PiO2T1 = 0x1.921fb54p+0
	PiO2T2 = 0x1.10b46118p-30
	PiO2T3 = 0x1.313198ap-61
	PiO2T4 = 0x1.701b839a25205p-92
)

// π/2 split for FMA arithmetic: three full float64 parts (159 bits). With FMA the first step
// a − n·PiO2F1 is exact for any quadrant count n the reduction produces.
const (
	PiO2F1 = 0x1.921fb54442d18p+0
	PiO2F2 = 0x1.1a62633145c07p-54
	PiO2F3 = -0x1.f1976b7ed8fbcp-110
)

// TwoOverPi is 2/π rounded to float64.
const TwoOverPi = 0x1.45f306dc9c883p-1

// ln 2 split: Ln2T1 has 42 significant bits, so k·Ln2T1 is exact for |k| < 2¹¹.
const (
	Ln2T1 = 0x1.62e42fefa38p-1
	Ln2T2 = 0x1.ef35793c7673p-45
)

// Log2E is 1/ln 2 rounded to float64.
const Log2E = 0x1.71547652b82fep+0

// S: sin r = r + r³·S(r²) on |r| ≤ π/4 (relative error of S below 2⁻⁵²·⁸, so of sin below 2⁻⁵⁵).
const (
	S0 = -0.16666666666666666
	S1 = 0.008333333333330922
	S2 = -0.00019841269836724175
	S3 = 2.7557316086724603e-06
	S4 = -2.505112887232015e-08
	S5 = 1.5917933886388792e-10
)

// T: sin r = r + r³·T(r²) on |r| ≤ π/2, for the vector sin and cos kernels, which reduce by π
// and evaluate one polynomial (relative error of T below 2⁻⁵⁸·⁷).
const (
	T0 = -0.16666666666666666
	T1 = 0.008333333333333316
	T2 = -0.00019841269841254437
	T3 = 2.7557319219033007e-06
	T4 = -2.5052107601918427e-08
	T5 = 1.6058976415720082e-10
	T6 = -7.64394383729171e-13
	T7 = 2.7311379396906786e-15
)

// InvPi is 1/π rounded to float64.
const InvPi = 0x1.45f306dc9c883p-2

// C: cos r = 1 − r²/2 + r⁴·C(r²) on |r| ≤ π/4 (relative error of C below 2⁻⁵⁴·⁸).
const (
	C0 = 0.041666666666666664
	C1 = -0.0013888888888887387
	C2 = 2.480158729875096e-05
	C3 = -2.7557317264905106e-07
	C4 = 2.0876144977857543e-09
	C5 = -1.1382547035859815e-11
)

// Q: eʳ = 1 + r·Q(r) and eʳ − 1 = r·Q(r) on |r| ≤ ln2/2 (relative error of Q below 2⁻⁵⁵·⁷).
const (
	Q0  = 1.0
	Q1  = 0.5000000000000006
	Q2  = 0.16666666666666563
	Q3  = 0.041666666666573836
	Q4  = 0.008333333333397884
	Q5  = 0.0013888888932284895
	Q6  = 0.00019841269707388638
	Q7  = 2.4801504569073946e-05
	Q8  = 2.7557414826230686e-06
	Q9  = 2.762627658028571e-07
	Q10 = 2.505209706038246e-08
)

// P: with s = f/(2+f) and z = s², log(1+f) = f − s·f + s·z·P(z) for 1+f in [√2/2, √2)
// (relative error of P below 2⁻⁵¹, which enters the logarithm scaled by z/2 < 0.015).
const (
	P0 = 0.666666666666667
	P1 = 0.3999999999989905
	P2 = 0.285714286261619
	P3 = 0.2222221110673713
	P4 = 0.18182891031134427
	P5 = 0.15331662015974756
	P6 = 0.14617147361374305
)
