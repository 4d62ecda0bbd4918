package inr

// Snapshot is what a training loop (image fitting, PDE solving) publishes every few steps to
// whoever watches: the progress bar, the headless writers, the desktop viewer. The loop never
// knows who consumes it.
type Snapshot struct {
	Step    int                // optimisation steps done
	Seconds float64            // training wall time so far
	Loss    float64            // total loss at Step
	Terms   map[string]float64 // named loss terms (PDE: residual, boundary, initial, …), may be nil
	Metrics map[string]float64 // psnr, ssim, rel_l2, … measured at this snapshot, may be nil
	Fields  []Field            // pictures of the current state, may be nil between evaluations
	Phase   string             // e.g. "adam", "lbfgs"
	Done    bool               // the last snapshot of the run
}

// Field is one picture of the current state on a W×H grid: an image (values on [0, 1], C = 1 or
// 3) or a scalar field over the domain [X0, X1]×[Y0, Y1] (C = 1), row-major from Y0 to Y1.
type Field struct {
	Name           string // "target", "reconstruction", "error", "solution", "residual", "reference", …
	Kind           FieldKind
	W, H, C        int
	Data           []float64
	X0, X1, Y0, Y1 float64
	Label          string // what the values are, e.g. "u" or "|u − u_ref|"
	// T is the time of a spatial snapshot of a time-dependent field (NaN or 0 otherwise).
	T float64
}

// FieldKind says how a field is drawn.
type FieldKind string

const (
	FieldImage  FieldKind = "image"  // values on [0, 1], grayscale or RGB
	FieldScalar FieldKind = "scalar" // a heatmap with a sequential colormap
	FieldSigned FieldKind = "signed" // a heatmap with a diverging colormap symmetric about 0
)

// Observer receives snapshots. Observe is called on the training goroutine, so it must return
// quickly (copy what it needs, hand off to another goroutine); the snapshot is not reused by the
// loop after the call, so keeping a reference is fine.
type Observer interface {
	Observe(s *Snapshot)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(s *Snapshot)

// Observe calls f(s).
func (f ObserverFunc) Observe(s *Snapshot) { f(s) }
