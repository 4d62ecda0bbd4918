// Package fitcli holds what the two programs that fit images from the command line share: the
// flags of `inr fit` (which `inr-view fit` takes too, with the same names, defaults and meaning),
// their validation, the architecture settings from --config and --set, and the preparation of a
// fit (the image loaded and resized, the fitter built, the run folder chosen) before anything is
// written, or of the continuation of an unfinished one from its checkpoint (--resume DIR).
//
//	var f fitcli.Flags
//	f.Register(cmd.Flags())
//	…
//	p, err := fitcli.Prepare(path, f, cmd.Flags().Changed)
//	res, err := p.Fitter.Run(ctx)
package fitcli
