package render

import (
	"fmt"
	"image/color"
	"sort"
	"strings"
)

// Colormap maps a normalised value t ∈ [0, 1] to a colour through a 256-entry table, the way
// matplotlib's listed colormaps do, so pictures match what users know from Python. NaN has its own
// colour, chosen per map to be absent from the map itself, so missing or diverged values stand out.
// The zero value is not usable; get maps from Viridis, Magma, CoolWarm, Gray or ColormapByName.
type Colormap struct {
	name string
	lut  *[256]color.RGBA
	nan  color.RGBA
}

// Name returns the registry name of the map ("viridis", "magma", …; reversed maps end in "_r").
func (c Colormap) Name() string { return c.name }

// NaNColor returns the colour used for NaN values.
func (c Colormap) NaNColor() color.RGBA { return c.nan }

// WithNaNColor returns a copy of c that paints NaN values in col.
func (c Colormap) WithNaNColor(col color.RGBA) Colormap {
	c.nan = col
	return c
}

// Reversed returns the map running from its high end to its low end.
func (c Colormap) Reversed() Colormap {
	var r [256]color.RGBA
	for i := range r {
		r[i] = c.lut[255-i]
	}
	name := strings.TrimSuffix(c.name, "_r")
	if name == c.name {
		name += "_r"
	}
	return Colormap{name: name, lut: &r, nan: c.nan}
}

// At returns the colour of t. Values outside [0, 1] are clipped to the ends; NaN gets NaNColor.
func (c Colormap) At(t float64) color.RGBA {
	if t != t {
		return c.nan
	}
	return c.lut[lutIndex(t)]
}

// Index returns entry i of the 256-entry table, so that code colouring millions of values can
// quantise once and skip the clipping in At.
func (c Colormap) Index(i uint8) color.RGBA { return c.lut[i] }

// lutIndex follows matplotlib: t·256 floored, with t = 1 landing in the last entry.
func lutIndex(t float64) uint8 {
	switch {
	case t <= 0:
		return 0
	case t >= 1:
		return 255
	}
	return uint8(t * 256)
}

func tableMap(name string, t *[256][3]uint8, nan color.RGBA) Colormap {
	var lut [256]color.RGBA
	for i, c := range t {
		lut[i] = color.RGBA{c[0], c[1], c[2], 255}
	}
	return Colormap{name: name, lut: &lut, nan: nan}
}

func grayMap() Colormap {
	var lut [256]color.RGBA
	for i := range lut {
		lut[i] = color.RGBA{uint8(i), uint8(i), uint8(i), 255}
	}
	return Colormap{name: "gray", lut: &lut, nan: color.RGBA{220, 30, 30, 255}}
}

// The registry is filled once at init and only read afterwards.
var colormaps = map[string]Colormap{
	// Magenta never occurs in viridis; a bright cyan never occurs in magma (black–purple–orange–cream);
	// coolwarm runs blue–grey–red, so a saturated green is the odd one out.
	"viridis":  tableMap("viridis", &viridisLUT, color.RGBA{255, 0, 255, 255}),
	"magma":    tableMap("magma", &magmaLUT, color.RGBA{0, 230, 255, 255}),
	"coolwarm": tableMap("coolwarm", &coolwarmLUT, color.RGBA{0, 170, 0, 255}),
	"gray":     grayMap(),
}

// Viridis is the perceptually uniform default for non-negative fields.
func Viridis() Colormap { return colormaps["viridis"] }

// Magma is a perceptually uniform black–purple–orange–cream map, good for error magnitudes.
func Magma() Colormap { return colormaps["magma"] }

// CoolWarm is Moreland's diverging blue–grey–red map for signed fields (errors, residuals); use it
// with a symmetric range so that zero sits at the neutral middle.
func CoolWarm() Colormap { return colormaps["coolwarm"] }

// Gray is the linear black-to-white map.
func Gray() Colormap { return colormaps["gray"] }

// ColormapByName returns the map registered under name; a trailing "_r" reverses it.
func ColormapByName(name string) (Colormap, error) {
	key := strings.ToLower(strings.TrimSpace(name))
	base, rev := strings.CutSuffix(key, "_r")
	if c, ok := colormaps[base]; ok {
		if rev {
			return c.Reversed(), nil
		}
		return c, nil
	}
	return Colormap{}, fmt.Errorf("colormap %q: unknown (known: %s; append _r to reverse)",
		name, strings.Join(ColormapNames(), ", "))
}

// ColormapNames lists the registered maps in alphabetical order.
func ColormapNames() []string {
	names := make([]string, 0, len(colormaps))
	for n := range colormaps {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// valid reports whether c came from the registry (the zero Colormap has no table).
func (c Colormap) valid() bool { return c.lut != nil }

// orDefault returns c, or viridis when c is the zero value, so option structs work unset.
func (c Colormap) orDefault() Colormap {
	if c.valid() {
		return c
	}
	return Viridis()
}
