package pinn

// The raw shape of a problem file as the TOML decoder fills it. Parse turns it into a Problem,
// checking every value and naming the line of anything wrong. Keys whose value may be a number or
// an expression are decoded as any.

type fileSpec struct {
	Title       string          `toml:"title"`
	Description string          `toml:"description"`
	Fields      []string        `toml:"fields"`
	Domain      map[string]any  `toml:"domain"`
	Params      map[string]any  `toml:"params"`
	Unknowns    map[string]any  `toml:"unknowns"`
	Equations   []equationSpec  `toml:"equation"`
	Conditions  []conditionSpec `toml:"condition"`
	Data        []dataSpec      `toml:"data"`
	Transform   map[string]any  `toml:"transform"`
	Sampling    samplingSpec    `toml:"sampling"`
	Network     map[string]any  `toml:"network"`
	Train       trainSpec       `toml:"train"`
	Reference   *referenceSpec  `toml:"reference"`
	Output      outputSpec      `toml:"output"`
}

type equationSpec struct {
	Name     string   `toml:"name"`
	Residual any      `toml:"residual"`
	Weight   *float64 `toml:"weight"`
}

type conditionSpec struct {
	Kind        string   `toml:"kind"`
	Name        string   `toml:"name"`
	Field       string   `toml:"field"`
	Value       any      `toml:"value"`
	On          any      `toml:"on"`
	Points      int      `toml:"points"`
	Weight      *float64 `toml:"weight"`
	A           any      `toml:"a"`
	B           any      `toml:"b"`
	Residual    any      `toml:"residual"`
	Axis        string   `toml:"axis"`
	Derivatives []string `toml:"derivatives"`
	Sampler     string   `toml:"sampler"`
}

type dataSpec struct {
	Name   string            `toml:"name"`
	File   string            `toml:"file"`
	Fields []string          `toml:"fields"`
	Arrays map[string]string `toml:"arrays"`
	Weight *float64          `toml:"weight"`
}

type samplingSpec struct {
	Method           string        `toml:"method"`
	Interior         int           `toml:"interior"`
	Seed             *int64        `toml:"seed"`
	ResampleEvery    int           `toml:"resample_every"`
	ResampleBoundary bool          `toml:"resample_boundary"`
	Adaptive         *adaptiveSpec `toml:"adaptive"`
}

type adaptiveSpec struct {
	Method     string   `toml:"method"`
	Every      *int     `toml:"every"`
	LBFGSEvery int      `toml:"lbfgs_every"`
	Candidates int      `toml:"candidates"`
	Points     int      `toml:"points"`
	Rounds     int      `toml:"rounds"`
	K          *float64 `toml:"k"`
	C          *float64 `toml:"c"`
}

type trainSpec struct {
	AdamSteps       *int     `toml:"adam_steps"`
	LR              *float64 `toml:"lr"`
	Schedule        string   `toml:"schedule"`
	LBFGSIterations *int     `toml:"lbfgs_iterations"`
	LBFGSTolerance  *float64 `toml:"lbfgs_tolerance"`
	LBFGSHistory    *int     `toml:"lbfgs_history"`
	LogEvery        *int     `toml:"log_every"`
	TimeLimit       *float64 `toml:"time_limit"`
	CausalBins      int      `toml:"causal_bins"`
	CausalEpsilon   *float64 `toml:"causal_epsilon"`
	GridExtension   []int    `toml:"grid_extension"`
}

type referenceSpec struct {
	Solution string             `toml:"solution"`
	Params   map[string]float64 `toml:"params"`
	Expr     map[string]any     `toml:"expr"`
	File     string             `toml:"file"`
	Arrays   map[string]string  `toml:"arrays"`
	Grid     []int              `toml:"grid"`
	Unknowns map[string]float64 `toml:"unknowns"`
}

type outputSpec struct {
	Times []float64 `toml:"times"`
	Grid  []int     `toml:"grid"`
}
