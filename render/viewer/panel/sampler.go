package panel

import (
	"fmt"
	"image"
	"sync"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/kernel"
	"github.com/inrstudio/studio/render"
)

// View coordinates: the image spans [−1, 1]² edge to edge (x to the right, y downwards, as the
// training grid's rows go), and a view of zoom z centred on (cx, cy) shows [cx − 1/z, cx + 1/z] ×
// [cy − 1/z, cy + 1/z]. The training grid puts pixel centres at linspace(−1, 1, n), so the edges
// of the image are half a pixel further out: network x = view x · n/(n − 1).

// SampleRequest is a rendering of an image model over part of the image.
type SampleRequest struct {
	W, H         int // samples across and down
	Zoom, CX, CY float64
	ImgW, ImgH   int    // the training grid, which fixes the network's coordinates
	Model        string // model file
	ModelTime    int64  // its modification time (a new save is a new request)
}

// Size is the number of points across and down.
func (r SampleRequest) Size() image.Point { return image.Pt(r.W, r.H) }

// SampleImage evaluates an image model on the view of req: one network query per output pixel,
// so detail finer than the training grid comes from the network, not from upscaling pixels.
func SampleImage(m *inr.Model, req SampleRequest) (image.Image, error) {
	if m.In != 2 || (m.Out != 1 && m.Out != 3) {
		return nil, fmt.Errorf("model %s maps %d→%d values: not an image model", req.Model, m.In, m.Out)
	}
	if req.W <= 0 || req.H <= 0 || req.ImgW < 2 || req.ImgH < 2 || !(req.Zoom >= 1) {
		return nil, fmt.Errorf("sample: bad request %d×%d of a %d×%d grid at zoom %g", req.W, req.H, req.ImgW, req.ImgH, req.Zoom)
	}
	x := kernel.NewMatrix(req.W*req.H, 2)
	kx := float64(req.ImgW) / float64(req.ImgW-1)
	ky := float64(req.ImgH) / float64(req.ImgH-1)
	for j := range req.H {
		vy := req.CY + (2*(float64(j)+0.5)/float64(req.H)-1)/req.Zoom
		for i := range req.W {
			vx := req.CX + (2*(float64(i)+0.5)/float64(req.W)-1)/req.Zoom
			row := x.Row(j*req.W + i)
			row[0], row[1] = vx*kx, vy*ky
		}
	}
	out := kernel.NewMatrix(req.W*req.H, m.Out)
	if err := m.Predict(x, out); err != nil {
		return nil, err
	}
	return render.FloatImage(out.Data, req.W, req.H, m.Out, 8)
}

// Sampler renders image models in the background, so a zoom never stalls the window: Request
// returns the newest finished rendering at once and queues the asked one. Model files are
// loaded (and reloaded when they change) by the sampler's goroutine.
type Sampler struct {
	mu      sync.Mutex
	want    SampleRequest
	wanted  bool
	busy    bool
	have    SampleRequest
	img     image.Image
	err     error
	version int64

	model     *inr.Model
	modelPath string
	modelTime int64

	wake   chan struct{}
	quit   chan struct{}
	done   chan struct{}
	notify func()
}

// NewSampler starts a sampler; notify (may be nil) is called from its goroutine after each
// finished rendering.
func NewSampler(notify func()) *Sampler {
	s := &Sampler{wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}), notify: notify}
	go s.loop()
	return s
}

// Request asks for a rendering and returns the newest finished one (nil before the first),
// whether it is the one asked for, and the error of the last attempt.
func (s *Sampler) Request(r SampleRequest) (image.Image, bool, error) {
	s.mu.Lock()
	exact := s.img != nil && s.have == r
	if !exact && (!s.wanted || s.want != r) {
		s.want, s.wanted = r, true
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	img, err := s.img, s.err
	s.mu.Unlock()
	return img, exact, err
}

// Latest returns the newest finished rendering and its request.
func (s *Sampler) Latest() (image.Image, SampleRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.img, s.have
}

// Version increases with every finished rendering (or failure).
func (s *Sampler) Version() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version
}

// Idle reports whether no rendering is asked for or in progress.
func (s *Sampler) Idle() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return !s.wanted && !s.busy
}

// Close stops the goroutine (after the rendering in progress).
func (s *Sampler) Close() {
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	<-s.done
}

func (s *Sampler) loop() {
	defer close(s.done)
	for {
		select {
		case <-s.quit:
			return
		case <-s.wake:
		}
		s.mu.Lock()
		r, ok := s.want, s.wanted
		s.wanted, s.busy = false, ok
		s.mu.Unlock()
		if !ok {
			continue
		}
		img, err := s.render(r)
		s.mu.Lock()
		if err == nil {
			s.img, s.have = img, r
		}
		s.err = err
		s.version++
		s.busy = false
		s.mu.Unlock()
		if s.notify != nil {
			s.notify()
		}
	}
}

func (s *Sampler) render(r SampleRequest) (image.Image, error) {
	if r.Model == "" {
		return nil, fmt.Errorf("no model file yet")
	}
	if s.model == nil || s.modelPath != r.Model || s.modelTime != r.ModelTime {
		m, err := inr.LoadModel(r.Model)
		if err != nil {
			return nil, err
		}
		s.model, s.modelPath, s.modelTime = m, r.Model, r.ModelTime
	}
	return SampleImage(s.model, r)
}
