package panel

import (
	"fmt"
	"image"
	"math"
	"time"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/live"
	"github.com/inrstudio/studio/render"
)

func init() { Register("image", imagePages) }

// imagePages: an overview of the four pictures, then each of them large.
func imagePages(s *live.State) []Page {
	tgt := pixels{id: "target", field: "target", title: "target"}
	rec := reconstruction{}
	errMap := errorMap{}
	loss := lossPanel{id: "loss", title: "training loss (MSE)", metric: "psnr", metricTitle: "PSNR (dB)", metricLog: false}
	return []Page{
		{Name: "overview", Panels: []Panel{tgt, rec, errMap, loss}},
		{Name: "reconstruction", Panels: []Panel{rec}},
		{Name: "error", Panels: []Panel{errMap}},
		{Name: "loss", Panels: []Panel{loss}},
	}
}

// fieldImage turns an image field into a picture (values on [0, 1], rows top to bottom).
func fieldImage(f *inr.Field) (image.Image, error) {
	return render.FloatImage(f.Data, f.W, f.H, f.C, 8)
}

// pixels shows an image field as it is: each value one pixel, scaled to the panel.
type pixels struct{ id, field, title string }

func (p pixels) ID() string { return p.id }

func (p pixels) Key(c *Context) any { return fieldsKey(c, p.field) }

func (p pixels) Draw(c *Context, w, h int) (*Picture, error) {
	f := c.State.Field(p.field)
	if f == nil {
		return placeholder(c, w, h, p.title, "no picture yet"), nil
	}
	img := canvas(w, h)
	area := titled(img, p.title, c.TextSize)
	area = footnote(img, area, fmt.Sprintf("%d×%d pixels", f.W, f.H), c.TextSize)
	src, err := fieldImage(f)
	if err != nil {
		return nil, err
	}
	r := fitRect(area, f.W, f.H)
	if err := drawScaled(img, r, src); err != nil {
		return nil, err
	}
	return &Picture{Image: img, Regions: map[string]image.Rectangle{"content": r}}, nil
}

// fieldsKey changes with the pictures of a state (and with whether the field exists).
func fieldsKey(c *Context, field string) any {
	type key struct {
		seq int64
		has bool
	}
	return key{c.State.FieldsSeq, c.State.Field(field) != nil}
}

// reconstruction shows the network's picture: the training grid's reconstruction at zoom 1,
// and the network queried afresh for each screen pixel when zoomed in.
type reconstruction struct{}

func (reconstruction) ID() string { return "reconstruction" }

// maxSamples bounds a zoomed rendering (queries of the network), so a zoom on a big window
// costs at most about as much as a few training steps of a 512² image.
const maxSamples = 512 * 512

type reconKey struct {
	seq          int64
	has          bool
	zoom, cx, cy float64
	sampler      int64
	model        string
	modelTime    int64
}

// liveRenderEvery spaces the network renderings of a zoomed view that follow a training run's
// newer weights: each costs as much as a few training steps, taken from the training.
const liveRenderEvery = 10 * time.Second

func (reconstruction) Key(c *Context) any {
	k := reconKey{seq: c.State.FieldsSeq, has: c.State.Field("reconstruction") != nil}
	if c.View.Zoomed() {
		k.zoom, k.cx, k.cy = c.View.Zoom, c.View.CX, c.View.CY
		k.model, k.modelTime = c.State.Model, c.State.ModelTime.UnixNano()
		if !c.State.Done {
			k.seq = 0 // new pictures alone do not re-render the network while training
			k.modelTime = c.State.ModelTime.UnixNano() / int64(liveRenderEvery)
		}
		if c.Sampler != nil {
			k.sampler = c.Sampler.Version()
		}
	}
	return k
}

func (reconstruction) Draw(c *Context, w, h int) (*Picture, error) {
	const title = "reconstruction"
	f := c.State.Field("reconstruction")
	if f == nil {
		return placeholder(c, w, h, title, "no reconstruction yet"), nil
	}
	img := canvas(w, h)
	v := c.View
	heading := title
	if v.Zoomed() {
		heading = fmt.Sprintf("reconstruction ×%.3g", v.Zoom)
	}
	area := titled(img, heading, c.TextSize)
	// The note depends on what could be drawn; reserve its line first.
	noteArea := footnote(canvas(1, 1), area, "x", c.TextSize)
	r := fitRect(noteArea, f.W, f.H)
	src, err := fieldImage(f)
	if err != nil {
		return nil, err
	}
	var note string
	switch {
	case !v.Zoomed():
		err = drawScaled(img, r, src)
		note = fmt.Sprintf("training grid %d×%d · wheel or +/− zooms (queries the network)", f.W, f.H)
	case c.Sampler == nil || c.State.Model == "":
		err = drawCrop(img, r, src, v)
		note = "pixels enlarged: no model file yet (the network is queried once the run saves one)"
	default:
		req := sampleRequest(c.State, f, v, r.Size())
		got, exact, serr := c.Sampler.Request(req)
		switch {
		case exact:
			err = drawScaled(img, r, got)
			note = fmt.Sprintf("network queried at %d×%d points · arrows pan · 0 resets", req.W, req.H)
		case serr != nil:
			err = drawCrop(img, r, src, v)
			note = "pixels enlarged: " + serr.Error()
		default:
			err = drawCrop(img, r, src, v)
			note = "querying the network…"
		}
	}
	if err != nil {
		return nil, err
	}
	footnote(img, area, note, c.TextSize)
	return &Picture{Image: img, Regions: map[string]image.Rectangle{"content": r}}, nil
}

// liveMaxSamples bounds a zoomed rendering while the run trains (a quarter of maxSamples).
const liveMaxSamples = 256 * 256

// SampleSize is how many network queries a zoomed picture area of the given size gets: one per
// pixel, at most maxSamples (a larger area is filled by enlarging the rendering).
func SampleSize(size image.Point) image.Point { return sampleSize(size, maxSamples) }

func sampleSize(size image.Point, most int) image.Point {
	w, h := size.X, size.Y
	if n := w * h; n > most {
		k := math.Sqrt(float64(most) / float64(n))
		w, h = max(1, int(float64(w)*k)), max(1, int(float64(h)*k))
	}
	return image.Pt(w, h)
}

// sampleRequest is the rendering of the view for the panel's picture area.
func sampleRequest(s *live.State, f *inr.Field, v *View, size image.Point) SampleRequest {
	most := maxSamples
	if !s.Done {
		most = liveMaxSamples
	}
	n := sampleSize(size, most)
	return SampleRequest{W: n.X, H: n.Y, Zoom: v.Zoom, CX: v.CX, CY: v.CY, ImgW: f.W, ImgH: f.H,
		Model: s.Model, ModelTime: s.ModelTime.UnixNano()}
}

// drawCrop draws the part of src the view shows, enlarged pixel by pixel: the stand-in while the
// network is being queried.
func drawCrop(dst *image.RGBA, r image.Rectangle, src image.Image, v *View) error {
	b := src.Bounds()
	half := 1 / v.Zoom
	x0 := int(math.Floor((v.CX - half + 1) / 2 * float64(b.Dx())))
	x1 := int(math.Ceil((v.CX + half + 1) / 2 * float64(b.Dx())))
	y0 := int(math.Floor((v.CY - half + 1) / 2 * float64(b.Dy())))
	y1 := int(math.Ceil((v.CY + half + 1) / 2 * float64(b.Dy())))
	crop := image.Rect(x0, y0, max(x1, x0+1), max(y1, y0+1)).Add(b.Min).Intersect(b)
	sub, ok := src.(interface {
		SubImage(image.Rectangle) image.Image
	})
	if !ok || crop.Empty() {
		return drawScaled(dst, r, src)
	}
	out, err := render.Resize(sub.SubImage(crop), r.Dx(), r.Dy(), render.Nearest)
	if err != nil {
		return err
	}
	fill(dst, r, panelColor)
	drawInto(dst, r, out)
	return nil
}

func drawInto(dst *image.RGBA, r image.Rectangle, src *image.RGBA) {
	for y := 0; y < r.Dy(); y++ {
		copy(dst.Pix[dst.PixOffset(r.Min.X, r.Min.Y+y):dst.PixOffset(r.Max.X, r.Min.Y+y)], src.Pix[src.PixOffset(0, y):src.PixOffset(r.Dx(), y)])
	}
}

// errorMap shows |reconstruction − target| with a colour bar, the image upright.
type errorMap struct{}

func (errorMap) ID() string { return "error" }

func (errorMap) Key(c *Context) any { return fieldsKey(c, "error") }

func (errorMap) Draw(c *Context, w, h int) (*Picture, error) {
	const title = "error |reconstruction − target|"
	f := c.State.Field("error")
	if f == nil || w < 120 || h < 100 {
		return placeholder(c, w, h, "error", "no error map yet"), nil
	}
	top := 0.0
	for _, v := range f.Data {
		if v > top && !math.IsInf(v, 0) {
			top = v
		}
	}
	if !(top > 0) {
		top = 1.0 / 65535
	}
	// Axes in pixels, row 0 at the top: the map has the image's shape and reads like it.
	img, pl, err := render.HeatmapPlaced(render.Field{W: f.W, H: f.H, Data: f.Data, X0: 0, X1: float64(f.W), Y0: float64(f.H), Y1: 0},
		render.HeatmapOptions{Width: w, Height: h, Title: title, Label: "absolute error", Colormap: render.Magma(),
			Min: 0, Max: top, EqualAspect: true, TextSize: c.TextSize})
	if err != nil {
		return nil, err
	}
	return &Picture{Image: img, Regions: map[string]image.Rectangle{"content": pl.Plot, "bar": pl.Bar}}, nil
}
