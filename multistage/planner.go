package multistage

import (
	"fmt"
	"math"
	"sort"

	"github.com/inrstudio/studio/kernel"
	"gonum.org/v1/gonum/dsp/fourier"
)

// Ways to measure the residual's magnitude, the stage prefactor ε.
const (
	// EpsilonRMS is the paper's magnitude prefactor: ε = sqrt(mean(e²)) over the training points,
	// so the next stage's target has unit RMS.
	EpsilonRMS = "rms"
	// EpsilonMax is ε = max|e|, so the next stage's target lies in [-1, 1] (the official
	// regression code divides by max|e|/2, a factor 2 that the network's last layer absorbs).
	EpsilonMax = "max"
)

// Ways to measure the residual's dominant angular frequency ω (in the normalised coordinates
// [-1, 1]), from which the first-layer scale κ follows.
const (
	// FrequencyFFT takes the peak of the residual's power spectrum (Hann window, linear trend
	// removed):
	// the paper's "dominant frequency". Mode k on [-1, 1] has angular frequency ≈ πk.
	FrequencyFFT = "fft"
	// FrequencyZeros counts the residual's sign changes N_zc along the axis, as the official
	// 1-D code does; a sine of angular frequency ω has 2ω/π zeros on [-1, 1], so ω = π·N_zc/2.
	FrequencyZeros = "zeros"
)

// Planner measures the residual of the stages so far and plans the next stage: its prefactor
// ε (the residual's magnitude) and its first-layer scale κ (from the residual's dominant
// frequency). The zero value uses the defaults named at each field.
type Planner struct {
	// Epsilon is EpsilonRMS (default) or EpsilonMax.
	Epsilon string
	// Frequency is FrequencyFFT (default) or FrequencyZeros.
	Frequency string
	// KappaGain sets how the first layer's typical frequency compares with the residual's:
	// κ = KappaGain·ω / rms(w), where rms(w) is the RMS of the first layer's initial weights, so
	// that a typical first-layer neuron sin(κ·w·x + b) oscillates at KappaGain·ω. 0 means
	// DefaultKappaGain. (The official code's κ = 3·N_zc with Glorot weights of a 1→20 layer is
	// KappaGain ≈ 0.52; a 1→30 layer, 0.43.)
	KappaGain float64
	// MaxGrid caps the number of grid cells per axis the residual is binned to (0: 1024).
	MaxGrid int
}

// DefaultKappaGain is the KappaGain of the zero Planner.
const DefaultKappaGain = 0.5

// StagePlan is what the planner decided for one stage.
type StagePlan struct {
	// Epsilon is the prefactor: the stage fits e/ε and contributes ε·net(x).
	Epsilon float64 `json:"epsilon"`
	// Omega is the dominant angular frequency of the residual in normalised coordinates, the
	// largest over the axes; AxisOmega holds each axis's.
	Omega     float64   `json:"omega"`
	AxisOmega []float64 `json:"axis_omega"`
	// Kappa is the first-layer scale for a first layer of the given fan-in and fan-out.
	Kappa float64 `json:"kappa"`
}

func (p Planner) defaults() (Planner, error) {
	if p.Epsilon == "" {
		p.Epsilon = EpsilonRMS
	}
	if p.Frequency == "" {
		p.Frequency = FrequencyFFT
	}
	if p.KappaGain == 0 {
		p.KappaGain = DefaultKappaGain
	}
	if p.MaxGrid == 0 {
		p.MaxGrid = 1024
	}
	switch {
	case p.Epsilon != EpsilonRMS && p.Epsilon != EpsilonMax:
		return p, fmt.Errorf("%w: planner: epsilon rule %q (known: %s, %s)", ErrBadInput, p.Epsilon, EpsilonRMS, EpsilonMax)
	case p.Frequency != FrequencyFFT && p.Frequency != FrequencyZeros:
		return p, fmt.Errorf("%w: planner: frequency rule %q (known: %s, %s)", ErrBadInput, p.Frequency, FrequencyFFT, FrequencyZeros)
	case !(p.KappaGain > 0) || math.IsInf(p.KappaGain, 0):
		return p, fmt.Errorf("%w: planner: kappa gain %v must be a finite number > 0", ErrBadInput, p.KappaGain)
	case p.MaxGrid < 4:
		return p, fmt.Errorf("%w: planner: max grid %d must be ≥ 4", ErrBadInput, p.MaxGrid)
	}
	return p, nil
}

// Magnitude returns ε for the residual r under the planner's rule. A residual that is exactly
// zero has no magnitude and is an error (there is nothing left to fit).
func (p Planner) Magnitude(r []float64) (float64, error) {
	p, err := p.defaults()
	if err != nil {
		return 0, err
	}
	if len(r) == 0 {
		return 0, fmt.Errorf("%w: planner: empty residual", ErrBadInput)
	}
	var eps float64
	if p.Epsilon == EpsilonMax {
		for _, v := range r {
			eps = math.Max(eps, math.Abs(v))
		}
	} else {
		eps = math.Sqrt(kernel.SumSq(r) / float64(len(r)))
	}
	if math.IsNaN(eps) || math.IsInf(eps, 0) {
		return 0, fmt.Errorf("%w: planner: residual magnitude is %v", ErrBadInput, eps)
	}
	if eps == 0 {
		return 0, fmt.Errorf("%w: planner: the residual is exactly zero, nothing is left to fit", ErrBadInput)
	}
	return eps, nil
}

// Plan measures the residual r at the normalised points xn (N×D, coordinates in [-1, 1]) and
// returns ε, the dominant frequency per axis and κ for a first layer of fanIn×fanOut weights
// drawn from the glorot_normal initialiser the stages use.
//
// In several dimensions the residual is binned onto a uniform grid and ω is measured along
// every axis (the power spectrum of each grid line, averaged over the lines); κ follows from
// the largest, because the first layer's weights are drawn alike for every axis and one κ
// scales them all: a κ that reaches the fastest axis's frequency can still make slow features
// (neurons with small weights along that axis), while one that is too small cannot make the
// fast features at all.
func (p Planner) Plan(xn kernel.Matrix, r []float64, fanIn, fanOut int) (StagePlan, error) {
	p, err := p.defaults()
	if err != nil {
		return StagePlan{}, err
	}
	if xn.Rows != len(r) || xn.Rows < 2 || xn.Cols < 1 {
		return StagePlan{}, fmt.Errorf("%w: planner: %d×%d points and %d residual values (need ≥ 2 of each)", ErrBadInput, xn.Rows, xn.Cols, len(r))
	}
	if xn.Cols > maxPlanDim {
		return StagePlan{}, fmt.Errorf("%w: planner: %d input dimensions; the frequency is measured on a grid of at least 4 cells per axis, which allows at most %d", ErrBadInput, xn.Cols, maxPlanDim)
	}
	for k := range xn.Cols {
		lo, hi := math.Inf(1), math.Inf(-1)
		for i := range xn.Rows {
			lo, hi = math.Min(lo, xn.At(i, k)), math.Max(hi, xn.At(i, k))
		}
		if !(hi > lo) || math.IsInf(hi-lo, 0) {
			return StagePlan{}, fmt.Errorf("%w: planner: coordinate %d of the points spans [%v, %v]", ErrBadInput, k, lo, hi)
		}
	}
	eps, err := p.Magnitude(r)
	if err != nil {
		return StagePlan{}, err
	}
	var axis []float64
	if xn.Cols == 1 {
		axis = []float64{p.omega1D(xn, r)}
	} else {
		axis = p.omegaND(xn, r)
	}
	omega := 0.0
	for _, w := range axis {
		omega = math.Max(omega, w)
	}
	return StagePlan{Epsilon: eps, Omega: omega, AxisOmega: axis, Kappa: p.KappaGain * omega / initRMS(fanIn, fanOut)}, nil
}

// maxPlanDim is the most input dimensions the grid of omegaND holds at 4 cells per axis within
// its 16M-cell limit.
const maxPlanDim = 12

// truncRMS is the standard deviation of N(0, 1) cut at ±2 (the truncated normal of
// glorot_normal): sqrt(1 − 4φ(2)/(2Φ(2) − 1)).
var truncRMS = func() float64 {
	phi := math.Exp(-2) / math.Sqrt(2*math.Pi)
	return math.Sqrt(1 - 4*phi/math.Erf(2/math.Sqrt2))
}()

// initRMS is the RMS of glorot_normal weights of a fanIn×fanOut layer.
func initRMS(fanIn, fanOut int) float64 {
	return truncRMS * math.Sqrt(2/float64(fanIn+fanOut))
}

// minOmega is the frequency reported for a residual with no oscillation at all (a trend): half a
// period over [-1, 1], so that κ stays positive.
const minOmega = math.Pi / 2

// omega1D resamples the residual linearly onto a uniform grid of as many points (the samples
// may be scattered), then measures ω on that line.
func (p Planner) omega1D(xn kernel.Matrix, r []float64) float64 {
	n := len(r)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return xn.At(idx[a], 0) < xn.At(idx[b], 0) })
	m := min(n, p.MaxGrid*16)
	lo, hi := xn.At(idx[0], 0), xn.At(idx[n-1], 0)
	line := make([]float64, m)
	j := 0
	for i := range line {
		t := lo + (hi-lo)*float64(i)/float64(m-1)
		for j < n-2 && xn.At(idx[j+1], 0) < t {
			j++
		}
		x0, x1 := xn.At(idx[j], 0), xn.At(idx[j+1], 0)
		y0, y1 := r[idx[j]], r[idx[j+1]]
		if x1 > x0 {
			s := math.Max(0, math.Min(1, (t-x0)/(x1-x0)))
			line[i] = y0 + s*(y1-y0)
		} else {
			line[i] = y0
		}
	}
	span := (hi - lo) / 2 // fraction of [-1, 1] the samples cover
	if p.Frequency == FrequencyZeros {
		return math.Max(minOmega, math.Pi*float64(signChanges(line))/2/span)
	}
	pw := newSpectrum(m)
	pw.add(line)
	return pw.peakOmega(span)
}

// omegaND bins the residual onto a grid of g cells per axis, centred on g uniform nodes of
// [-1, 1] (data on a uniform tensor grid of g points per axis lands one point per cell), and
// measures ω along every axis, averaging over the grid lines. Empty cells hold 0.
func (p Planner) omegaND(xn kernel.Matrix, r []float64) []float64 {
	n, d := xn.Rows, xn.Cols
	g := int(math.Round(math.Pow(float64(n), 1/float64(d))))
	g = max(4, min(g, p.MaxGrid))
	for math.Pow(float64(g), float64(d)) > 1<<24 { // keep the grid within 16M cells
		g--
	}
	cells := 1
	for range d {
		cells *= g
	}
	sum := make([]float64, cells)
	cnt := make([]int, cells)
	for i := range n {
		c := 0
		for _, v := range xn.Row(i) {
			j := int(math.Round((v + 1) / 2 * float64(g-1)))
			c = c*g + max(0, min(g-1, j))
		}
		sum[c] += r[i]
		cnt[c]++
	}
	for c := range sum {
		if cnt[c] > 0 {
			sum[c] /= float64(cnt[c])
		}
	}
	out := make([]float64, d)
	line := make([]float64, g)
	for axis := range d {
		stride := 1
		for k := axis + 1; k < d; k++ {
			stride *= g
		}
		pw := newSpectrum(g)
		var zeros, lines int
		for start := range cells {
			if (start/stride)%g != 0 { // not the first cell of a line along axis
				continue
			}
			for t := range g {
				line[t] = sum[start+t*stride]
			}
			pw.add(line)
			zeros += signChanges(line)
			lines++
		}
		if p.Frequency == FrequencyZeros {
			out[axis] = math.Max(minOmega, math.Pi*float64(zeros)/float64(lines)/2)
		} else {
			out[axis] = pw.peakOmega(1)
		}
	}
	return out
}

// signChanges counts the sign changes along a line (exact zeros are skipped, not counted twice).
func signChanges(line []float64) int {
	var n int
	prev := 0.0
	for _, v := range line {
		if v == 0 {
			continue
		}
		if prev != 0 && (v > 0) != (prev > 0) {
			n++
		}
		prev = v
	}
	return n
}

// spectrum accumulates the power spectra of lines of m uniform samples over [-1, 1], each with
// its linear trend removed and a Hann window applied (without the window the jump between a
// non-periodic line's two ends leaks into the lowest modes and hides the oscillation).
type spectrum struct {
	fft   *fourier.FFT
	m     int
	buf   []float64
	win   []float64
	coef  []complex128
	power []float64
}

func newSpectrum(m int) *spectrum {
	s := &spectrum{fft: fourier.NewFFT(m), m: m, buf: make([]float64, m), win: make([]float64, m),
		coef: make([]complex128, m/2+1), power: make([]float64, m/2+1)}
	for i := range s.win {
		s.win[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(m-1))
	}
	return s
}

func (s *spectrum) add(line []float64) {
	// Remove the least-squares line a + b·t (t centred on the middle sample): a trend is no
	// oscillation, but its windowed spectrum still outweighs a small one in the lowest modes.
	var mean, slope, tt float64
	c := float64(len(line)-1) / 2
	for i, v := range line {
		t := float64(i) - c
		mean += v
		slope += v * t
		tt += t * t
	}
	mean /= float64(len(line))
	if tt > 0 {
		slope /= tt
	}
	for i, v := range line {
		s.buf[i] = (v - mean - slope*(float64(i)-c)) * s.win[i]
	}
	s.fft.Coefficients(s.coef, s.buf)
	for k, c := range s.coef {
		s.power[k] += real(c)*real(c) + imag(c)*imag(c)
	}
}

// peakOmega is the angular frequency of the strongest mode above DC, for lines covering the
// fraction span of [-1, 1]: mode k of m samples spaced 2·span/(m−1) has ω = πk(m−1)/(m·span).
func (s *spectrum) peakOmega(span float64) float64 {
	best, k := 0.0, 0
	for i := 1; i < len(s.power); i++ {
		if s.power[i] > best {
			best, k = s.power[i], i
		}
	}
	if k == 0 {
		return minOmega
	}
	return math.Max(minOmega, math.Pi*float64(k)*float64(s.m-1)/float64(s.m)/span)
}
