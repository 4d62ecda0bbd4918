package pinn

import (
	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/pinn/sample"
)

// Problem is a PDE problem read from a problem file and checked: every expression resolves, every
// condition fits the domain, the network configuration builds and the reference is loaded. Solve
// takes it as it is; a Problem is read-only during a solve.
type Problem struct {
	Path        string // the file as named by the caller (used in messages)
	Title       string
	Description string

	// Vars are the coordinates in input order; for a time-dependent problem the time is last.
	Vars []string
	// Fields are the network outputs in order (u, v, p, …).
	Fields []string
	// Time reports whether the last variable is time (a time × space domain).
	Time   bool
	Domain sample.Domain
	// Lo and Hi bound the domain; the network maps them to [-1, 1] in its first layer.
	Lo, Hi []float64

	Params   map[string]float64
	Unknowns []Unknown

	Equations  []Equation
	Conditions []Condition
	Data       []Data
	// Transform holds the hard constraints: field → expression of the variables, the parameters
	// and N (the network's raw output for that field), e.g. "x*(1-x)*N" for u = 0 at x = 0, 1.
	Transform map[string]string

	Sampling  Sampling
	Network   Network
	Train     Train
	Reference *Reference
	Output    Output

	lines *lineIndex
}

// Unknown is a trainable scalar of an inverse problem.
type Unknown struct {
	Name string
	Init float64
	// True is the value the data were made with, when the file gives it (HasTrue); the solver
	// reports the recovered value's error against it.
	True    float64
	HasTrue bool
}

// Equation is one PDE residual, enforced at the interior collocation points.
type Equation struct {
	Name     string
	Residual string
	Weight   float64
	Line     int
}

// ConditionKind names a boundary or initial condition.
type ConditionKind string

// The condition kinds. Each becomes a residual r enforced in mean square on its own points.
const (
	Dirichlet ConditionKind = "dirichlet" // r = u − g on the boundary
	Neumann   ConditionKind = "neumann"   // r = ∂u/∂n − g (outward normal)
	Robin     ConditionKind = "robin"     // r = a·u + b·∂u/∂n − g
	Periodic  ConditionKind = "periodic"  // r = D u(lower face) − D u(upper face) for each listed D
	Initial   ConditionKind = "initial"   // r = u − g at t = T0
	Velocity  ConditionKind = "velocity"  // r = u_t − g at t = T0
	Operator  ConditionKind = "operator"  // r = any residual expression on the boundary
)

var conditionKinds = []ConditionKind{Dirichlet, Neumann, Robin, Periodic, Initial, Velocity, Operator}

// Condition is one boundary or initial condition.
type Condition struct {
	Kind  ConditionKind
	Name  string
	Field string
	// Value is g; A and B are the Robin coefficients; Residual is an operator condition's
	// expression. All are expressions of the variables, parameters, unknowns and fields.
	Value, A, B, Residual string
	// Parts lists the boundary parts (indices into Domain.Parts()) the condition holds on; nil
	// means the whole boundary.
	Parts []int
	// Axis is the coordinate whose two faces a periodic condition pairs, and Derivatives the
	// quantities it matches there (canonical symbols such as u, u_x).
	Axis        int
	Derivatives []string
	Points      int
	Sampler     string
	Weight      float64
	Line        int
}

// Data is a set of observations (x, u) that the solution must match: the data term of an inverse
// problem, or measured boundary values.
type Data struct {
	Name   string
	File   string
	Points sample.Points
	// Values maps an observed field to its values at Points.
	Values map[string][]float64
	Weight float64
	Line   int
}

// Sampling says how collocation points are drawn.
type Sampling struct {
	Method           string // uniform, lhs, sobol, halton, grid
	Interior         int
	Seed             uint64
	ResampleEvery    int  // Adam steps between redraws of the interior points (0: never)
	ResampleBoundary bool // redraw the condition points too
	Adaptive         *Adaptive
}

// Adaptive is residual-based refinement of the interior points: RAR adds the Points candidates
// with the largest residual; RAD redraws the interior set from the candidates with density
// ∝ |r|^K/mean|r|^K + C. It runs every Every Adam steps and, when LBFGSEvery > 0, every
// LBFGSEvery L-BFGS iterations (restarting L-BFGS on the new points).
type Adaptive struct {
	Method     string // rar or rad
	Every      int
	LBFGSEvery int
	Candidates int
	Points     int
	Rounds     int // 0: as many as the Adam phase allows
	K, C       float64
}

// Network is the architecture: any registered inr architecture with its configuration. The solver
// wraps it in the "pinn" architecture (domain normalisation first, hard constraints last).
type Network struct {
	Arch   string
	Config inr.Config
	Seed   uint64
}

// Train is the optimiser schedule: Adam, then L-BFGS from where Adam stopped.
type Train struct {
	AdamSteps       int
	LR              float64
	Schedule        string
	LBFGSIterations int
	LBFGSTolerance  float64 // on ‖∇loss‖∞
	LBFGSHistory    int
	LogEvery        int // steps (Adam) or iterations (L-BFGS) between log lines and snapshots
	// CausalBins > 0 turns on causal weighting of the interior residuals during Adam, with that
	// many time bins and the tolerance CausalEpsilon (see the causal type).
	CausalBins    int
	CausalEpsilon float64
	TimeLimit     float64 // seconds for the whole solve; 0 means none
	// GridExtension lists finer grids for a B-spline KAN network ("kan"): after L-BFGS on the
	// network's own grid, the splines are carried to each grid in turn (kan.RefitCoefficients)
	// and L-BFGS runs again, LBFGSIterations each time (pykan's refine).
	GridExtension []int
}

// Output says what the pictures show.
type Output struct {
	// Times are the snapshot times of a time-dependent problem.
	Times []float64
	// Grid is the picture grid (points per variable); the reference grid when it is a grid.
	Grid []int
}
