package live

import (
	"math"
	"time"

	"github.com/inrstudio/studio/inr"
)

// Source says where a State was read from.
type Source string

const (
	// SourceNone: the folder holds neither a live run nor final outputs (yet).
	SourceNone Source = ""
	// SourceLive: DIR/live, written by a Writer while the run goes (or left by a finished run).
	SourceLive Source = "live"
	// SourceFinal: the run's final outputs (metrics.json, loss.csv, pictures, model file).
	SourceFinal Source = "final"
)

// State is everything a viewer shows of a run at one moment. A State is never modified after a
// Reader hands it out: the next change makes a new one, so a viewer may keep and read it from
// any goroutine.
type State struct {
	Source Source
	Dir    string // the run folder
	RunID  string // changes when a new run starts writing into the same folder
	Seq    int64  // increases with every state the writer publishes

	Signal string // "image", "pde", or "" when the writer did not say
	Title  string // what is being fitted, for the window title
	Axes   Axes   // names of the fields' axes, and which one is time

	Step    int
	Seconds float64
	Loss    float64
	Terms   map[string]float64 // the latest loss terms seen (may be from an earlier step)
	Metrics map[string]float64 // the latest metrics seen (psnr, rel_l2, …)
	Phase   string
	Done    bool

	Paused       bool // the trainer is holding at a pause requested through its Control
	Controllable bool // the trainer watches a Control: pause and stop requests are honoured
	Stale        bool // not done, yet the process that wrote it is gone

	History History

	Fields     []inr.Field // pictures of the state at FieldsStep (nil until the first evaluation)
	FieldsStep int
	FieldsSeq  int64 // changes whenever Fields does

	// Model is the path of a model file holding the weights of the run (the final ones, or the
	// latest the writer saved), "" when there is none; ModelTime is its modification time.
	Model     string
	ModelTime time.Time

	Updated time.Time // when the writer published this state
}

// Field returns the field called name, or nil.
func (s *State) Field(name string) *inr.Field {
	for i := range s.Fields {
		if s.Fields[i].Name == name {
			return &s.Fields[i]
		}
	}
	return nil
}

// Metric returns the named metric and whether the run reported it.
func (s *State) Metric(name string) (float64, bool) {
	v, ok := s.Metrics[name]
	return v, ok
}

// History is the loss curve of a run: one entry per reported step, in order.
type History struct {
	Step    []float64
	Seconds []float64
	Loss    []float64
	// Terms holds each named loss term, as long as Step, NaN where the term was not reported.
	Terms map[string][]float64
	// Metrics holds each metric at the steps it was measured (evaluations are sparse).
	Metrics map[string]Series
	// Phases are the optimiser phases in order (Adam, then L-BFGS for a PDE solve).
	Phases []Phase
}

// Phase is an optimiser phase: it began after step After (0 for the first phase).
type Phase struct {
	Name  string
	After float64
}

// Series is a sparse curve: a value at some steps.
type Series struct {
	Step, Value []float64
}

// Len is the number of steps recorded.
func (h *History) Len() int { return len(h.Step) }

// row is one snapshot's contribution to the history, as stored in history.jsonl.
type row struct {
	Step    int    `json:"s"`
	Seconds num    `json:"t"`
	Loss    num    `json:"l"`
	Terms   numMap `json:"terms,omitempty"`
	Metrics numMap `json:"m,omitempty"`
	Phase   string `json:"p,omitempty"`
}

func rowOf(s *inr.Snapshot) row {
	return row{Step: s.Step, Seconds: num(s.Seconds), Loss: num(s.Loss), Terms: s.Terms, Metrics: s.Metrics, Phase: s.Phase}
}

// add appends a row. A row for the step already last in the history (a loop reports a step, then
// its evaluation under the same step number) adds only its metrics, so Step stays increasing and
// every loss keeps the step it was measured at; so does a row for step 0 (the evaluation of the
// initial weights: no step has measured a training loss yet). A metric already recorded for a
// step keeps its first value. add never changes a value already stored: States handed out
// earlier share the arrays (see frozen).
func (h *History) add(r row) {
	n := len(h.Step)
	if r.Step != 0 && (n == 0 || float64(r.Step) != h.Step[n-1]) {
		if p := len(h.Phases); r.Phase != "" && r.Phase != "done" && (p == 0 || h.Phases[p-1].Name != r.Phase) {
			after := 0.0
			if n > 0 {
				after = h.Step[n-1]
			}
			h.Phases = append(h.Phases, Phase{Name: r.Phase, After: after})
		}
		h.Step = append(h.Step, float64(r.Step))
		h.Seconds = append(h.Seconds, float64(r.Seconds))
		h.Loss = append(h.Loss, float64(r.Loss))
		for k, col := range h.Terms {
			v, ok := r.Terms[k]
			if !ok {
				v = math.NaN()
			}
			h.Terms[k] = append(col, v)
		}
		for k, v := range r.Terms {
			if _, ok := h.Terms[k]; !ok {
				h.Terms[k] = append(h.newTerm(n), v)
			}
		}
	}
	for k, v := range r.Metrics {
		if h.Metrics == nil {
			h.Metrics = map[string]Series{}
		}
		m := h.Metrics[k]
		if l := len(m.Step); l > 0 && m.Step[l-1] == float64(r.Step) {
			continue
		}
		m.Step = append(m.Step, float64(r.Step))
		m.Value = append(m.Value, v)
		h.Metrics[k] = m
	}
}

// newTerm returns a column for a term first reported after n steps: NaN for those steps.
func (h *History) newTerm(n int) []float64 {
	if h.Terms == nil {
		h.Terms = map[string][]float64{}
	}
	col := make([]float64, n, n+64)
	for i := range col {
		col[i] = math.NaN()
	}
	return col
}

// frozen returns a copy that later adds cannot change: the slices are only ever appended to, so
// copying the headers (and the maps holding them) is enough.
func (h *History) frozen() History {
	out := History{Step: h.Step[:len(h.Step):len(h.Step)], Seconds: h.Seconds[:len(h.Seconds):len(h.Seconds)],
		Loss: h.Loss[:len(h.Loss):len(h.Loss)], Phases: h.Phases[:len(h.Phases):len(h.Phases)]}
	if h.Terms != nil {
		out.Terms = make(map[string][]float64, len(h.Terms))
		for k, v := range h.Terms {
			out.Terms[k] = v[:len(v):len(v)]
		}
	}
	if h.Metrics != nil {
		out.Metrics = make(map[string]Series, len(h.Metrics))
		for k, v := range h.Metrics {
			out.Metrics[k] = Series{Step: v.Step[:len(v.Step):len(v.Step)], Value: v.Value[:len(v.Value):len(v.Value)]}
		}
	}
	return out
}
