package fitcli

import (
	"fmt"
	"strings"

	"github.com/inrstudio/studio/inr"
	"github.com/inrstudio/studio/internal/sysmem"
)

// availableMemory is the memory a fit may plan for (sysmem.Available; tests replace it).
var availableMemory = sysmem.Available

// suggestShare is the part of the available memory a suggested --size or --batch may take.
const suggestShare = 0.75

// suggestSizes are the --size values a refusal may suggest (the largest that fits is named).
var suggestSizes = []int{8192, 6144, 4096, 3072, 2048, 1536, 1024, 768, 512, 384, 256, 192, 128, 96, 64, 32}

// checkMemory estimates the memory of a fit of im (from path) and returns it. It refuses, before
// the fit allocates anything or writes a file, a fit that needs more than the system has
// available — a full-batch fit of a photograph at its own size needs hundreds of gigabytes, and
// the system would kill the process part-way — and names a --size and a --batch that would fit.
func checkMemory(path string, im *inr.Image, opt inr.FitOptions) (int64, error) {
	est, err := inr.EstimateMemory(opt, im.C)
	if err != nil {
		return 0, err
	}
	pixels := im.W * im.H
	need := planned(est.Bytes(pixels, opt.Batch))
	avail, ok := availableMemory()
	if !ok || need <= avail {
		return need, nil
	}
	mode := "a full-batch fit"
	if opt.Batch > 0 && opt.Batch < pixels {
		mode = fmt.Sprintf("a fit in batches of %d points", opt.Batch)
	}
	budget := int64(suggestShare * float64(avail))
	var alts []string
	if s := smallerSize(im.W, im.H, budget, func(w, h int) int64 { return est.Bytes(w*h, opt.Batch) }); s != "" {
		alts = append(alts, s)
	}
	for b := 1 << 22; b >= 256; b /= 2 {
		if b >= pixels || (opt.Batch > 0 && b >= opt.Batch) {
			continue
		}
		if n := planned(est.Bytes(pixels, b)); n <= budget {
			alts = append(alts, fmt.Sprintf("--batch %d (about %s)", b, HumanBytes(n)))
			break
		}
	}
	msg := fmt.Sprintf("image %s is %d×%d (%d pixels): %s with %s needs about %s of memory, and %s is available",
		path, im.W, im.H, pixels, mode, opt.Arch, HumanBytes(need), HumanBytes(avail))
	if len(alts) == 0 {
		return need, fmt.Errorf("%s; free memory or choose a smaller network (--set)", msg)
	}
	return need, fmt.Errorf("%s; fit it with %s", msg, strings.Join(alts, " or "))
}

// planned is the memory to plan for a fit whose live heap is estimated at heap bytes: the
// process's resident set was 2–4 % above the estimate in the measured fits (the program, the
// runtime, the collector's headroom), so 1/16 more and 64 MiB.
func planned(heap int64) int64 { return heap + heap/16 + 64<<20 }

// HumanBytes writes a byte count in binary units with about three significant digits.
func HumanBytes(n int64) string {
	v, u := float64(n), "B"
	for _, next := range []string{"KiB", "MiB", "GiB", "TiB"} {
		if v < 1000 {
			break
		}
		v, u = v/1024, next
	}
	switch {
	case v >= 100 || u == "B":
		return fmt.Sprintf("%.0f %s", v, u)
	case v >= 10:
		return fmt.Sprintf("%.1f %s", v, u)
	}
	return fmt.Sprintf("%.2f %s", v, u)
}

// CheckRenderMemory refuses, before anything is allocated, a rendering of w×h pixels that needs
// more memory than the system has available, naming the largest --size that would fit. need(w, h)
// is the memory of a w×h rendering (inr.Model.RenderBytes plus the network's working memory);
// what names the request in the message ("--size 8192").
func CheckRenderMemory(what string, w, h int, need func(w, h int) int64) error {
	n := planned(need(w, h))
	avail, ok := availableMemory()
	if !ok || n <= avail {
		return nil
	}
	msg := fmt.Sprintf("%s: rendering %d×%d pixels needs about %s of memory, and %s is available",
		what, w, h, HumanBytes(n), HumanBytes(avail))
	if s := smallerSize(w, h, int64(suggestShare*float64(avail)), need); s != "" {
		return fmt.Errorf("%s; render at %s or free memory", msg, s)
	}
	return fmt.Errorf("%s; free memory", msg)
}

// smallerSize names the largest of suggestSizes below the longer side of w×h (aspect ratio kept,
// both sides ≥ 2) whose planned memory, from heap(w, h), is within budget: "--size 512 (512×384,
// about 1.20 GiB)", or "" when none is.
func smallerSize(w, h int, budget int64, heap func(w, h int) int64) string {
	im := inr.Image{W: w, H: h}
	for _, s := range suggestSizes {
		sw, sh := im.FitSize(s)
		if s >= max(w, h) || sw < 2 || sh < 2 {
			continue
		}
		if b := planned(heap(sw, sh)); b <= budget {
			return fmt.Sprintf("--size %d (%d×%d, about %s)", s, sw, sh, HumanBytes(b))
		}
	}
	return ""
}
