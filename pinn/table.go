package pinn

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"github.com/inrstudio/studio/pinn/reference"
)

// readTable reads coordinates and field values from a data file:
//
//   - CSV (.csv, .txt, .dat): a header naming the columns; every variable must be a column, and
//     the fields are the observed ones (all problem fields found among the columns when observed
//     is empty).
//   - .npy: one 2-D array whose columns are the variables then the observed fields (all fields
//     when observed is empty), in the problem's order.
//   - .npz: arrays named after the variables and fields (or renamed through arrays, e.g.
//     {u = "usol"}). Equal-length 1-D arrays are scattered points; with two variables, a field
//     array of shape (len(first), len(second)) is a tensor grid (DeepXDE's Burgers.npz).
//
// It returns the points (len(vars) coordinates each, row-major), the observed fields and, for a
// grid, its axes (the points then run over the grid with the first variable fastest).
func readTable(path string, vars, fields, observed []string, arrays map[string]string) ([]float64, map[string][]float64, [][]float64, error) {
	table, arrs, err := reference.ReadFile(path)
	if err != nil {
		return nil, nil, nil, err
	}
	name := filepath.Base(path)
	for _, f := range observed {
		if !slices.Contains(fields, f) {
			return nil, nil, nil, fmt.Errorf("%s: `%s` is not a field (fields: %s)", name, f, strings.Join(fields, ", "))
		}
	}
	d := len(vars)
	switch {
	case table != nil:
		n := table.Len()
		pts := make([]float64, n*d)
		for k, v := range vars {
			col, ok := table.Column(v)
			if !ok {
				return nil, nil, nil, fmt.Errorf("%s: no column `%s` (columns: %s; want the variables %s)", name, v, strings.Join(table.Names, ", "), strings.Join(vars, ", "))
			}
			for i, x := range col {
				pts[i*d+k] = x
			}
		}
		vals := map[string][]float64{}
		want := observed
		if len(want) == 0 {
			want = fields
		}
		for _, f := range want {
			col, ok := table.Column(f)
			if !ok {
				if len(observed) > 0 {
					return nil, nil, nil, fmt.Errorf("%s: no column `%s` (columns: %s)", name, f, strings.Join(table.Names, ", "))
				}
				continue
			}
			vals[f] = col
		}
		if len(vals) == 0 {
			return nil, nil, nil, fmt.Errorf("%s: no field column (columns: %s; fields: %s)", name, strings.Join(table.Names, ", "), strings.Join(fields, ", "))
		}
		return pts, vals, nil, checkFinite(name, pts, vals)
	case len(arrs) == 1 && strings.HasSuffix(strings.ToLower(path), ".npy"):
		var a *reference.Array
		for _, v := range arrs {
			a = v
		}
		want := observed
		if len(want) == 0 {
			want = fields
		}
		if len(a.Shape) != 2 || a.Shape[1] != d+len(want) {
			return nil, nil, nil, fmt.Errorf("%s: array of shape %v; want (points, %d): the columns %s", name, a.Shape, d+len(want), strings.Join(append(slices.Clone(vars), want...), ", "))
		}
		n := a.Shape[0]
		pts := make([]float64, n*d)
		vals := map[string][]float64{}
		for i := range n {
			copy(pts[i*d:(i+1)*d], a.Data[i*a.Shape[1]:i*a.Shape[1]+d])
		}
		for k, f := range want {
			col := make([]float64, n)
			for i := range n {
				col[i] = a.At(i, d+k)
			}
			vals[f] = col
		}
		return pts, vals, nil, checkFinite(name, pts, vals)
	default:
		return readNPZ(name, arrs, vars, fields, observed, arrays)
	}
}

func readNPZ(name string, arrs map[string]*reference.Array, vars, fields, observed []string, arrays map[string]string) ([]float64, map[string][]float64, [][]float64, error) {
	keys := make([]string, 0, len(arrs))
	for k := range arrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	lookup := func(v string) (*reference.Array, string) {
		n := v
		if m, ok := arrays[v]; ok {
			n = m
		}
		return arrs[n], n
	}
	d := len(vars)
	axes := make([][]float64, d)
	for k, v := range vars {
		a, n := lookup(v)
		if a == nil {
			return nil, nil, nil, fmt.Errorf("%s: no array `%s` for variable %s (arrays: %s; rename with arrays = {%s = \"…\"})", name, n, v, strings.Join(keys, ", "), v)
		}
		if len(a.Data) != maxShape(a.Shape) {
			return nil, nil, nil, fmt.Errorf("%s: array `%s` has shape %v; want a vector", name, n, a.Shape)
		}
		axes[k] = a.Data
	}
	want := observed
	if len(want) == 0 {
		want = fields
	}
	vals := map[string][]float64{}
	var grid bool
	for _, f := range want {
		a, n := lookup(f)
		if a == nil {
			if len(observed) > 0 {
				return nil, nil, nil, fmt.Errorf("%s: no array `%s` for field %s (arrays: %s)", name, n, f, strings.Join(keys, ", "))
			}
			continue
		}
		switch {
		case d == 2 && len(a.Shape) == 2 && a.Shape[0] == len(axes[0]) && a.Shape[1] == len(axes[1]) && a.Shape[0] > 1 && a.Shape[1] > 1:
			// f[i][j] = value at (axes[0][i], axes[1][j]); reorder to first-variable-fastest.
			col := make([]float64, 0, len(a.Data))
			for j := range a.Shape[1] {
				for i := range a.Shape[0] {
					col = append(col, a.At(i, j))
				}
			}
			vals[f] = col
			grid = true
		case len(a.Data) == maxShape(a.Shape) && len(a.Data) == len(axes[0]):
			vals[f] = a.Data
		default:
			return nil, nil, nil, fmt.Errorf("%s: array `%s` has shape %v; want one value per point (%d) or a (%s) grid", name, n, a.Shape, len(axes[0]), lens(axes))
		}
	}
	if len(vals) == 0 {
		return nil, nil, nil, fmt.Errorf("%s: no array for any field (arrays: %s; fields: %s)", name, strings.Join(keys, ", "), strings.Join(fields, ", "))
	}
	var pts []float64
	if grid {
		for _, c := range vals {
			if len(c) != len(axes[0])*len(axes[1]) {
				return nil, nil, nil, fmt.Errorf("%s: fields mix grid and scattered layouts", name)
			}
		}
		pts = gridPoints(axes)
	} else {
		n := len(axes[0])
		for k := range axes {
			if len(axes[k]) != n {
				return nil, nil, nil, fmt.Errorf("%s: variable arrays of lengths %s; scattered points need equal lengths", name, lens(axes))
			}
		}
		pts = make([]float64, n*d)
		for i := range n {
			for k := range d {
				pts[i*d+k] = axes[k][i]
			}
		}
		axes = nil
	}
	return pts, vals, axes, checkFinite(name, pts, vals)
}

func maxShape(s []int) int {
	m := 1
	for _, v := range s {
		if v != 1 {
			m *= v
		}
	}
	return m
}

func lens(axes [][]float64) string {
	parts := make([]string, len(axes))
	for i, a := range axes {
		parts[i] = fmt.Sprint(len(a))
	}
	return strings.Join(parts, "×")
}

func checkFinite(name string, pts []float64, vals map[string][]float64) error {
	for i, v := range pts {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: coordinate %d is %v", name, i+1, v)
		}
	}
	for f, col := range vals {
		for i, v := range col {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("%s: %s at point %d is %v", name, f, i+1, v)
			}
		}
	}
	if len(pts) == 0 {
		return fmt.Errorf("%s: no points", name)
	}
	return nil
}
