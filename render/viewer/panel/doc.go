// Package panel draws what the desktop viewer shows, in plain Go: the panels of a run (target,
// reconstruction, error map, loss curve with PSNR for an image fit; solution, error and residual
// heatmaps, line cut with a slider, loss terms for a PDE solve), their layout in a window of any
// size, and the frame around them (title bar with page tabs, status line). Every picture is an
// image.Image made by package render, so the whole window can be composed and tested without a
// display; render/viewer only turns frames into ebiten images and handles input.
//
// # Main types
//
//   - Panel: ID, Key (what its picture depends on) and Draw (the picture at a size). A kind of
//     signal registers its pages (Register("image", …)); adding audio or SDF panels is one file
//     with its panels and one Register call.
//   - View: the interactive state (page, zoom and centre of the reconstruction, slider).
//   - Composer: composes a Frame from a live.State and a View, redrawing a panel only when its
//     key or its size changed; Frame.Regions says where each panel and its data area went.
//   - Sampler: renders an image model at any zoom in the background (the network is queried for
//     every screen pixel), loading the run's model file.
//
// # Example
//
//	c := panel.NewComposer()
//	ctx := &panel.Context{State: reader.State(), View: panel.NewView()}
//	f, err := c.Compose(ctx, image.Pt(1280, 800), panel.Chrome{Title: "camera · siren"})
//	if err != nil {
//		return err
//	}
//	return render.WritePNG("frame.png", f.Image)
package panel
