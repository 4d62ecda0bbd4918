#!/usr/bin/env bash
# bench-pinn.sh: the speed of one Adam step of a Poisson 2-D PINN — tanh 2→64→64→64→1, 10 000
# interior points and 1 000 boundary points, Laplacian by second-order jets, float64, ONE thread —
# against PyTorch 1.13 computing the same loss by double backward
# (scripts/peers/torch_pinn_step.py). Ours is `inr bench pinn`, the solve loop's own step on the
# same problem. The two run in alternating rounds (the machine is
# shared) and the table gives the median over every timed step of every round, and the ratio.
#
# Usage: scripts/bench-pinn.sh [path/to/inr] [ROUNDS]   (defaults bin/inr, 5 rounds of 20 steps)
set -euo pipefail
INR=${1:-bin/inr}
rounds=${2:-5}
steps=20
cd "$(dirname "$0")/.."
if [ ! -x "$INR" ]; then
	echo "bench-pinn: $INR not found; run make build" >&2
	exit 1
fi
py=/usr/bin/python3
torch=yes
if ! OPENBLAS_CORETYPE=SkylakeX $py -c 'import torch' 2>/dev/null; then
	echo "note: $py has no torch (apt-get install python3-torch); timing ours alone"
	torch=""
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "Poisson 2-D PINN step: tanh 3×64, 10 000 + 1 000 points, float64, 1 thread; $rounds rounds × $steps steps"
echo "machine: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at start"
for r in $(seq "$rounds"); do
	"$INR" bench pinn --json --points 10000 --width 64 --threads 1 --steps "$steps" >>"$work/ours.jsonl"
	if [ -n "$torch" ]; then
		OPENBLAS_CORETYPE=SkylakeX OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
			$py scripts/peers/torch_pinn_step.py --points 10000 --width 64 --threads 1 --steps "$steps" >>"$work/torch.jsonl"
	fi
done
echo "machine: load $(cut -d' ' -f1-3 /proc/loadavg) at the end"
$py - "$work" "$torch" <<'EOF'
import json, statistics, sys
work, torch = sys.argv[1], sys.argv[2]
def load(name, key):
    rows = [json.loads(l) for l in open(f"{work}/{name}.jsonl")]
    ms = [m for r in rows for m in r[key]]
    return rows[0], ms, [statistics.median(r[key]) for r in rows]
# Wall clock, and process CPU time (robust to the other processes of a shared machine).
for key, clock in (("ms", "wall"), ("cpu_ms", "CPU")):
    ours, oms, orounds = load("ours", key)
    print()
    print(f"| implementation | {clock} ms per Adam step, median (round medians) |")
    print("|---|---|")
    print(f"| {ours['peer']} (jets, plan {ours['plan']}) | {statistics.median(oms):.1f} ({', '.join(f'{m:.0f}' for m in orounds)}) |")
    if torch:
        peer, tms, trounds = load("torch", key)
        print(f"| {peer['peer']} (double backward) | {statistics.median(tms):.1f} ({', '.join(f'{m:.0f}' for m in trounds)}) |")
        print()
        r = statistics.median(tms) / statistics.median(oms)
        print(f"{clock} speed-up: {r:.2f}× (target ≥ 5×: {'met' if r >= 5 else 'NOT met'})")
EOF
