package live

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// num is a float64 that survives JSON: a diverging run's NaN loss or a perfect fit's +Inf PSNR
// must reach the viewer, and encoding/json refuses non-finite numbers. They travel as the strings
// "NaN", "+Inf" and "-Inf".
type num float64

// MarshalJSON writes finite values as JSON numbers and the others as strings.
func (n num) MarshalJSON() ([]byte, error) {
	return appendNum(nil, float64(n)), nil
}

// UnmarshalJSON accepts a number, one of the strings MarshalJSON writes, or null (NaN).
func (n *num) UnmarshalJSON(b []byte) error {
	v, err := parseNum(b)
	if err != nil {
		return err
	}
	*n = num(v)
	return nil
}

func appendNum(b []byte, v float64) []byte {
	switch {
	case math.IsNaN(v):
		return append(b, `"NaN"`...)
	case math.IsInf(v, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(v, -1):
		return append(b, `"-Inf"`...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

func parseNum(b []byte) (float64, error) {
	switch string(b) {
	case `"NaN"`, "null":
		return math.NaN(), nil
	case `"+Inf"`, `"Inf"`:
		return math.Inf(1), nil
	case `"-Inf"`:
		return math.Inf(-1), nil
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, fmt.Errorf("number %s: %w", b, err)
	}
	return v, nil
}

// numMap is a map of named figures (loss terms, metrics) with non-finite values allowed.
type numMap map[string]float64

// MarshalJSON writes the map with sorted keys (encoding/json's order) through num.
func (m numMap) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	tmp := make(map[string]num, len(m))
	for k, v := range m {
		tmp[k] = num(v)
	}
	return json.Marshal(tmp)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *numMap) UnmarshalJSON(b []byte) error {
	var tmp map[string]num
	if err := json.Unmarshal(b, &tmp); err != nil {
		return err
	}
	if tmp == nil {
		*m = nil
		return nil
	}
	out := make(numMap, len(tmp))
	for k, v := range tmp {
		out[k] = float64(v)
	}
	*m = out
	return nil
}
