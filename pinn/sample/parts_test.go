package sample

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnParts checks that a restricted boundary puts every point on a selected face, with that
// face's outward normal and part index, spread over the faces in proportion to their measure.
func TestOnParts(t *testing.T) {
	rect := must(Rectangle(0, -1, 4, 0)) // faces: x=0, x=4 (length 1); y=-1, y=0 (length 4)
	cases := []struct {
		name  string
		d     Domain
		parts []int
		share map[int]float64 // expected fraction of points per part
	}{
		{"x faces", rect, []int{0, 1}, map[int]float64{0: 0.5, 1: 0.5}},
		{"x=0 and y=0", rect, []int{3, 0}, map[int]float64{0: 0.2, 3: 0.8}},
		{"one face", rect, []int{2}, map[int]float64{2: 1}},
		{"time × interval, left end", must(NewTimeSpace(must(Interval(-1, 1)), 0, 1)), []int{0}, map[int]float64{0: 1}},
		{"disk", must(NewDisk(0, 0, 1)), []int{0}, map[int]float64{0: 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := OnParts(c.d, c.parts)
			require.NoError(t, err)
			set, err := NewSet(d, Boundary, NewSobol(1, true), 4000)
			require.NoError(t, err)
			parts := c.d.Parts()
			count := map[int]int{}
			for i := range set.Len() {
				k := set.Parts[i]
				count[k]++
				require.Contains(t, c.share, k)
				x, nrm := set.Points.At(i), set.Normals.At(i)
				require.True(t, c.d.Contains(x, 1e-12))
				if p := parts[k]; p.Axis >= 0 {
					assert.Equal(t, p.Value, x[p.Axis])
					assert.Equal(t, float64(p.Side), nrm[p.Axis])
				}
			}
			// Sobol points split the faces to within a few points in 4000.
			for k, want := range c.share {
				assert.InDelta(t, want, float64(count[k])/float64(set.Len()), 2e-3, "part %d", k)
			}
		})
	}
	_, err := OnParts(rect, []int{4})
	require.Error(t, err)
	_, err = OnParts(rect, nil)
	require.Error(t, err)
}
