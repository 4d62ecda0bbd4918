package sample

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

type namedDomain struct {
	name string
	d    Domain
}

func testDomains() []namedDomain {
	iv := must(Interval(-1, 1))
	rect := must(Rectangle(0, -1, 4, 0))
	disk := must(NewDisk(0.5, -0.25, 2))
	return []namedDomain{
		{"interval", iv},
		{"rectangle", rect},
		{"cuboid", must(Cuboid(0, 0, 0, 1, 2, 3))},
		{"disk", disk},
		{"box4", must(NewBox([]float64{0, 0, 0, 0}, []float64{1, 1, 2, 1}))},
		{"time×interval", must(NewTimeSpace(iv, 0, 1))},
		{"time×rectangle", must(NewTimeSpace(rect, 0.5, 2))},
		{"time×disk", must(NewTimeSpace(disk, 0, 3))},
	}
}

func testSamplers() map[string]func() Sampler {
	return map[string]func() Sampler{
		"uniform":        func() Sampler { return NewUniform(1) },
		"lhs":            func() Sampler { return NewLHS(2) },
		"sobol":          func() Sampler { return NewSobol(0, false) },
		"sobol-scramble": func() Sampler { return NewSobol(3, true) },
		"halton":         func() Sampler { return NewHalton(DefaultHaltonSkip) },
		"grid":           func() Sampler { return NewGrid() },
	}
}

func TestInteriorPointsAreInside(t *testing.T) {
	for _, nd := range testDomains() {
		for sname, mk := range testSamplers() {
			t.Run(nd.name+"/"+sname, func(t *testing.T) {
				set, err := NewSet(nd.d, Interior, mk(), 500)
				require.NoError(t, err)
				require.Equal(t, nd.d.Dim(), set.Points.D)
				require.Positive(t, set.Len())
				lo, hi := nd.d.Bounds()
				for i := range set.Len() {
					x := set.Points.At(i)
					require.True(t, nd.d.Contains(x, 0), "point %v outside", x)
					for j := range x {
						require.True(t, x[j] >= lo[j] && x[j] <= hi[j], "point %v outside the bounds", x)
					}
				}
			})
		}
	}
}

// onBoundary returns the distance of x from the boundary of a box or disk (the spatial part).
func boundaryDistance(d Domain, x []float64) float64 {
	switch d := d.(type) {
	case *Box:
		dist := math.Inf(1)
		for j := range x {
			dist = min(dist, math.Abs(x[j]-d.lo[j]), math.Abs(x[j]-d.hi[j]))
		}
		return dist
	case *Disk:
		return math.Abs(math.Hypot(x[0]-d.cx, x[1]-d.cy) - d.r)
	}
	panic("unknown domain")
}

func TestBoundaryPointsAndNormals(t *testing.T) {
	for _, nd := range testDomains() {
		for sname, mk := range testSamplers() {
			t.Run(nd.name+"/"+sname, func(t *testing.T) {
				set, err := NewSet(nd.d, Boundary, mk(), 400)
				require.NoError(t, err)
				parts := nd.d.Parts()
				space, ts := nd.d, (*TimeSpace)(nil)
				if s, ok := nd.d.(*TimeSpace); ok {
					space, ts = s.Space, s
				}
				for i := range set.Len() {
					x, n := set.Points.At(i), set.Normals.At(i)
					sx, sn := x, n
					if ts != nil {
						tt := x[len(x)-1]
						require.True(t, tt >= ts.T0 && tt <= ts.T1, "time %g", tt)
						require.Zero(t, n[len(n)-1], "lateral normals have no time component")
						sx, sn = x[:len(x)-1], n[:len(n)-1]
					}
					// On the boundary: exactly for a box face (the coordinate is set), to
					// rounding for the circle.
					require.InDelta(t, 0, boundaryDistance(space, sx), 1e-14, "point %v", x)
					norm := 0.0
					for _, v := range n {
						norm += v * v
					}
					require.InDelta(t, 1, norm, 1e-14, "unit normal %v", n)
					// Outward: a small step along the normal leaves the domain, a step against it
					// stays inside.
					out, in := make([]float64, len(x)), make([]float64, len(x))
					for j := range x {
						out[j], in[j] = x[j]+1e-6*n[j], x[j]-1e-6*n[j]
					}
					require.False(t, nd.d.Contains(out, 0), "x + εn = %v is inside", out)
					require.True(t, nd.d.Contains(in, 0), "x − εn = %v is outside", in)
					p := parts[set.Parts[i]]
					if p.Axis >= 0 {
						require.Equal(t, p.Value, sx[p.Axis], "point %v on part %v", x, p)
						require.Equal(t, float64(p.Side), sn[p.Axis])
					} else {
						require.InDelta(t, 1, math.Hypot(sn[0], sn[1]), 1e-14)
					}
				}
			})
		}
	}
}

func TestBoundaryProportionalToMeasure(t *testing.T) {
	cases := []struct {
		d    Domain
		want []float64 // fraction of points per part
	}{
		// 4×1 rectangle: edges x = 0, x = 4 have length 1; y = -1, y = 0 have length 4.
		{must(Rectangle(0, -1, 4, 0)), []float64{0.1, 0.1, 0.4, 0.4}},
		// 1×2×3 cuboid: faces normal to x have area 6, to y 3, to z 2 (total 22).
		{must(Cuboid(0, 0, 0, 1, 2, 3)), []float64{6. / 22, 6. / 22, 3. / 22, 3. / 22, 2. / 22, 2. / 22}},
		{must(Interval(2, 3)), []float64{0.5, 0.5}},
	}
	for _, c := range cases {
		const n = 4096
		set, err := NewSet(c.d, Boundary, NewSobol(0, true), n)
		require.NoError(t, err)
		count := make([]float64, len(c.want))
		for _, p := range set.Parts {
			count[p]++
		}
		for k := range count {
			// The face is chosen by one Sobol coordinate, whose first n points are stratified
			// into n equal intervals: each fraction is exact to about 1/n.
			assert.InDelta(t, c.want[k], count[k]/n, 2.0/n, "part %v", c.d.Parts()[k])
		}
	}
}

func TestInitialSlice(t *testing.T) {
	disk := must(NewDisk(0, 0, 1))
	ts := must(NewTimeSpace(disk, 0.25, 1))
	set, err := NewSet(ts, Initial, NewHalton(DefaultHaltonSkip), 300)
	require.NoError(t, err)
	for i := range set.Len() {
		x := set.Points.At(i)
		require.Equal(t, 0.25, x[2])
		require.True(t, disk.Contains(x[:2], 0))
	}
	_, err = NewSet(disk, Initial, NewUniform(1), 10)
	require.ErrorContains(t, err, "initial points need a time × space domain")
}

func TestDiskIsUniform(t *testing.T) {
	const r = 2.0
	disk := must(NewDisk(1, -3, r))
	for _, c := range []struct {
		s   Sampler
		tol float64
	}{
		// r²/R² is uniform on [0,1] for a uniform disk (std 1/√12 per point); with 20000
		// independent points 4σ is 0.008. The concentric map of a Sobol net is nearly
		// stratified in r², so its error is far smaller.
		{NewUniform(7), 4 / math.Sqrt(12*20000)},
		{NewSobol(5, true), 1e-3},
		{NewLHS(9), 4 / math.Sqrt(12*20000)},
	} {
		set, err := NewSet(disk, Interior, c.s, 20000)
		require.NoError(t, err)
		mean, quad := 0.0, [4]float64{}
		for i := range set.Len() {
			x := set.Points.At(i)
			dx, dy := x[0]-1, x[1]+3
			mean += (dx*dx + dy*dy) / (r * r)
			k := 0
			if dx > 0 {
				k++
			}
			if dy > 0 {
				k += 2
			}
			quad[k]++
		}
		mean /= float64(set.Len())
		assert.InDelta(t, 0.5, mean, c.tol, "%T: mean r²/R²", c.s)
		for k := range quad {
			// quadrant fraction: binomial std √(0.25·0.75/20000) = 0.003; 4σ.
			assert.InDelta(t, 0.25, quad[k]/float64(set.Len()), 0.013, "%T: quadrant %d", c.s, k)
		}
	}
}

func TestResampleChangesPointsWithoutAllocating(t *testing.T) {
	ts := must(NewTimeSpace(must(Rectangle(-1, -1, 1, 1)), 0, 1))
	for _, r := range []Region{Interior, Boundary, Initial} {
		set, err := NewSet(ts, r, NewSobol(11, true), 256)
		require.NoError(t, err)
		before := append([]float64(nil), set.Points.X...)
		set.Resample()
		assert.NotEqual(t, before, set.Points.X, "%v: new points", r)
		allocs := testing.AllocsPerRun(10, set.Resample)
		assert.Zero(t, allocs, "%v", r)
	}
}

func TestConstructorErrors(t *testing.T) {
	_, err := Interval(1, 1)
	assert.ErrorContains(t, err, "side 0 is [1, 1]")
	_, err = NewBox([]float64{0, 0}, []float64{1})
	assert.Error(t, err)
	_, err = NewDisk(0, 0, -1)
	assert.ErrorContains(t, err, "radius -1")
	_, err = NewTimeSpace(must(Interval(0, 1)), 1, 0)
	assert.ErrorContains(t, err, "time interval [1, 0]")
	_, err = NewSet(must(Interval(0, 1)), Interior, NewUniform(1), 0)
	assert.ErrorContains(t, err, "0 interior points")
	big := must(NewBox(make([]float64, 40), func() []float64 {
		h := make([]float64, 40)
		for i := range h {
			h[i] = 1
		}
		return h
	}()))
	_, err = NewSet(big, Interior, NewSobol(1, false), 10)
	assert.ErrorContains(t, err, "need 40 unit coordinates; the sampler supports 32")
}

func TestPartsAndPoints(t *testing.T) {
	rect := must(Rectangle(0, -1, 4, 0))
	assert.Equal(t, "lower face x0 = 0", rect.Parts()[0].String())
	assert.Equal(t, "upper face x1 = 0", rect.Parts()[3].String())
	assert.Equal(t, "curved boundary", must(NewDisk(0, 0, 1)).Parts()[0].String())

	p := Points{D: 2, X: []float64{1, 2, 3, 4, 5, 6}}
	assert.Equal(t, 3, p.Len())
	assert.Equal(t, []float64{5, 6, 1, 2}, p.Select([]int{2, 0}).X)
	assert.Equal(t, []float64{2, 4, 6}, p.Column(1, nil))
	assert.Equal(t, 5, p.Append(Points{D: 2, X: []float64{7, 8, 9, 10}}).Len())
	assert.Equal(t, fmt.Sprint([]float64{3, 4}), fmt.Sprint(p.At(1)))
}
