#!/usr/bin/python3
"""Seed spread of ours against PyTorch's on the 128² quality rows: per model and image, the PSNR
after k steps (k = 50, 100, 120, 200, and the final at 300) and the best of the run, for every seed,
with median, min and max, from

  runs/torch-quality/<model>-<image>-s<seed>[-n<steps>].log   (scripts/peers/torch_quality.py --log)
  runs/bench-quality/<model>-<image>-s<seed>/metrics.json     (scripts/bench-quality.sh, ours)
  runs/{wire,gauss}-early/<model>-<image>-s<seed>/metrics.json (ours, shorter runs)

  python3 scripts/peers/seed_spread.py [wire:camera spder:camera …]

A run shorter than k has no figure at k ("—"); "best" and "final" are shown only for 300-step runs.
"""
import glob
import json
import os
import re
import statistics
import sys

STEPS = (50, 100, 120, 200)


def torch_runs(model, image):
    runs = {}
    for f in glob.glob(f"runs/torch-quality/{model}-{image}-s*.log"):
        m = re.match(r".*-s(\d+)(?:-n(\d+))?\.log$", f)
        if not m:
            continue
        ev = {}
        final = None
        for line in open(f):
            p = line.split()
            if len(p) == 3 and p[0].isdigit():
                ev[int(p[0])] = float(p[2])
            elif line.startswith("# ") and " final " in line:
                final = float(p[p.index("final") + 1])
                ev[int(m.group(2) or 300)] = final
        runs[int(m.group(1))] = ev
    return runs


def our_runs(model, image):
    runs = {}
    for root in ("runs/bench-quality", "runs/wire-early", "runs/gauss-early"):
        for f in glob.glob(f"{root}/{model}-{image}-s*/metrics.json"):
            seed = int(re.match(r".*-s(\d+)/metrics.json$", f).group(1))
            m = json.load(open(f))
            if m.get("stop") != "completed" or seed in runs and len(runs[seed]) > m["steps"]:
                continue
            runs[seed] = {e["step"]: e["psnr"] for e in m["evals"]}
    return runs


def summary(runs):
    cols = [f"@{k}" for k in STEPS] + ["final", "best"]
    rows = {}
    for seed, ev in sorted(runs.items()):
        last = max(ev) if ev else 0
        r = [ev.get(k) for k in STEPS]
        r += [ev.get(300) if last == 300 else None, max(ev.values()) if last == 300 else None]
        rows[seed] = r
    return cols, rows


def fmt(v):
    return "—" if v is None else f"{v:.2f}"


def stats(vals):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "—"
    return f"{statistics.median(vals):.2f} [{min(vals):.2f}, {max(vals):.2f}] n={len(vals)}"


def main():
    pairs = sys.argv[1:] or ["wire:camera", "wire:coffee", "spder:camera", "gauss:coffee", "siren:camera"]
    for pair in pairs:
        model, image = pair.split(":")
        print(f"\n### {model} {image}\n")
        cols = None
        table = {}
        for who, runs in (("torch", torch_runs(model, image)), ("ours", our_runs(model, image))):
            cols, rows = summary(runs)
            table[who] = rows
        print("| side | seed | " + " | ".join(cols) + " |")
        print("|---|---|" + "---|" * len(cols))
        for who, rows in table.items():
            for seed, r in rows.items():
                print(f"| {who} | {seed} | " + " | ".join(fmt(v) for v in r) + " |")
            if rows:
                print(f"| **{who}** | median [min, max] | " +
                      " | ".join(stats([r[i] for r in rows.values()]) for i in range(len(cols))) + " |")


if __name__ == "__main__":
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    main()
