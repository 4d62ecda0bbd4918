package act

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Fitting the rational activation's initial coefficients: least squares of R = P/Q against a
// target f on fitPoints equispaced points of [−3, 3] (GR-KAN's fitting interval).
const (
	fitPoints = 601
	fitLo     = -3.0
	fitHi     = 3.0
	fitIters  = 200
)

// fitRational returns a (m+1 numerator coefficients) and b (n denominator coefficients, all
// ≥ 0) minimising Σ (P/Q − f)² over the fit grid, Q = 1 + Σ b_i|x|ⁱ. The problem is nonlinear
// in b and |b| is not smooth at 0, so it runs in two stages:
//
//  1. the linearised problem P − f·(Q − 1) = f, linear in (a, b), solved by QR least squares;
//     b is replaced by |b| (what Q uses) and a re-solved for that fixed Q;
//  2. Levenberg–Marquardt on the true residuals with b kept ≥ 0 by projection, accepting a
//     step only when it lowers the sum of squares.
//
// The result is deterministic (no random restarts).
func fitRational(f func(float64) float64, m, n int) (a, b []float64, err error) {
	xs := make([]float64, fitPoints)
	ys := make([]float64, fitPoints)
	for j := range xs {
		xs[j] = fitLo + (fitHi-fitLo)*float64(j)/float64(fitPoints-1)
		ys[j] = f(xs[j])
	}
	np := m + 1 + n

	// Stage 1: linearised least squares.
	A := mat.NewDense(fitPoints, np, nil)
	rhs := mat.NewVecDense(fitPoints, ys)
	for j, x := range xs {
		for i := 0; i <= m; i++ {
			A.Set(j, i, math.Pow(x, float64(i)))
		}
		for i := 1; i <= n; i++ {
			A.Set(j, m+i, -ys[j]*math.Pow(math.Abs(x), float64(i)))
		}
	}
	var sol mat.VecDense
	if err := sol.SolveVec(A, rhs); err != nil {
		return nil, nil, err
	}
	th := make([]float64, np)
	for i := range th {
		th[i] = sol.AtVec(i)
	}
	for i := 1; i <= n; i++ {
		th[m+i] = math.Abs(th[m+i])
	}
	if err := refitNumerator(xs, ys, th, m, n); err != nil {
		return nil, nil, err
	}

	lmRational(xs, ys, th, m, n)
	for _, v := range th {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, nil, errors.New("fit produced a non-finite coefficient")
		}
	}
	return th[:m+1], th[m+1:], nil
}

// refitNumerator solves for a with Q fixed: minimise Σ (P/Q − f)², which is linear in a.
func refitNumerator(xs, ys, th []float64, m, n int) error {
	A := mat.NewDense(len(xs), m+1, nil)
	rhs := mat.NewVecDense(len(xs), nil)
	for j, x := range xs {
		q := 1.0
		for i := 1; i <= n; i++ {
			q += th[m+i] * math.Pow(math.Abs(x), float64(i))
		}
		for i := 0; i <= m; i++ {
			A.Set(j, i, math.Pow(x, float64(i))/q)
		}
		rhs.SetVec(j, ys[j])
	}
	var sol mat.VecDense
	if err := sol.SolveVec(A, rhs); err != nil {
		return err
	}
	for i := 0; i <= m; i++ {
		th[i] = sol.AtVec(i)
	}
	return nil
}

// lmRational improves th in place by projected Levenberg–Marquardt on the true residuals
// and returns the final sum of squares.
func lmRational(xs, ys, th []float64, m, n int) float64 {
	npts := len(xs)
	np := m + 1 + n
	r := &rationalFunc{m: m, n: n}
	resid := func(th []float64, out []float64) float64 {
		ss := 0.0
		var d [4]float64
		for j, x := range xs {
			r.Eval(x, th, 0, &d)
			out[j] = d[0] - ys[j]
			ss += out[j] * out[j]
		}
		return ss
	}
	res := make([]float64, npts)
	trialRes := make([]float64, npts)
	ss := resid(th, res)
	J := mat.NewDense(npts+np, np, nil)
	g := make([][4]float64, np)
	mu := 1e-3
	trial := make([]float64, np)
	rv := make([]float64, npts+np) // the augmented rows' right-hand side stays 0
	for it := 0; it < fitIters && ss > 0; it++ {
		for j, x := range xs {
			r.EvalParamGrad(x, th, 0, g)
			for i := 0; i < np; i++ {
				J.Set(j, i, g[i][0])
			}
		}
		// Column norms for Marquardt's scaling.
		var colNorm [2*rationalMaxDegree + 1]float64
		for i := 0; i < np; i++ {
			s := 0.0
			for j := 0; j < npts; j++ {
				s += J.At(j, i) * J.At(j, i)
			}
			colNorm[i] = math.Sqrt(s)
		}
		improved := false
		for tries := 0; tries < 30; tries++ {
			for i := 0; i < np; i++ {
				for k := 0; k < np; k++ {
					J.Set(npts+i, k, 0)
				}
				J.Set(npts+i, i, math.Sqrt(mu)*math.Max(colNorm[i], 1e-12))
			}
			for j := range res {
				rv[j] = -res[j]
			}
			var step mat.VecDense
			if err := step.SolveVec(J, mat.NewVecDense(npts+np, rv)); err != nil {
				mu *= 10
				continue
			}
			for i := range th {
				trial[i] = th[i] + step.AtVec(i)
			}
			for i := 1; i <= n; i++ {
				trial[m+i] = math.Max(trial[m+i], 0)
			}
			if ts := resid(trial, trialRes); ts < ss {
				copy(th, trial)
				copy(res, trialRes)
				improved = ss-ts > 1e-15*ss
				ss = ts
				mu = math.Max(mu/3, 1e-12)
				break
			}
			mu *= 4
		}
		if !improved {
			break
		}
	}
	return ss
}
