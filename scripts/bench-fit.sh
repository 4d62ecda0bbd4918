#!/usr/bin/env bash
# bench-fit.sh: one full-batch SIREN 3×256 training step (forward, MSE, backward, Adam) on 256²
# points in float64 on ONE thread: ours (`inr bench fit`) against PyTorch's float64 and float32
# steps (scripts/peers/torch_siren_step.py through Debian's /usr/bin/python3 with python3-torch,
# OPENBLAS_CORETYPE=SkylakeX so that OpenBLAS uses its AVX-512 kernels on this CPU). The three run
# in alternating rounds, because the machine is shared; every figure is the median over all
# timed steps of all rounds. PyTorch is skipped with a note when it is not installed.
#
# Usage: scripts/bench-fit.sh [path/to/inr] [ROUNDS]   (default 3 rounds of 5 timed steps each)
set -euo pipefail
cd "$(dirname "$0")/.."
inr=${1:-bin/inr}
rounds=${2:-3}
side=${BENCH_SIDE:-256}
steps=5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

torch=""
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  torch=/usr/bin/python3
else
  echo "note: /usr/bin/python3 cannot import torch (apt-get install python3-torch): PyTorch columns skipped"
fi
# Share of the two vCPUs that other processes use, sampled over one second from /proc/stat.
busy() { awk '/^cpu / { print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9 }' /proc/stat; }
read -r b0 t0 <<<"$(busy)"; sleep 1; read -r b1 t1 <<<"$(busy)"
other=$(awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')
echo "SIREN 2→256→256→256→1, ${side}² points, full batch, 1 thread; $rounds rounds of $steps timed steps after 1 warm-up"
echo "CPU busy before the run: ${other}% of all vCPUs (other processes share this machine)"

for r in $(seq 1 "$rounds"); do
  "$inr" bench fit --side "$side" --steps "$steps" --threads 1 --json >>"$work/inr.jsonl"
  if [ -n "$torch" ]; then
    for dt in float64 float32; do
      OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
        "$torch" scripts/peers/torch_siren_step.py --side "$side" --dtype "$dt" --threads 1 --steps "$steps" >>"$work/torch-$dt.jsonl"
    done
  fi
  echo "round $r/$rounds done"
done

# median FILE KEY: the median and the best of all KEY values ("ms" wall, "cpu_ms" CPU) of a
# JSON-lines file, and their count.
median() {
  /usr/bin/python3 -c '
import json, statistics, sys
v = [x for line in open(sys.argv[1]) for x in json.loads(line)[sys.argv[2]]]
print("%.0f %.0f %d" % (statistics.median(v), min(v), len(v)))' "$1" "$2"
}
kernel=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["kernel"])' "$work/inr.jsonl")
echo
echo "Median (best) ms per step; wall clock, and process CPU time (robust to other processes on the machine):"
printf "%-36s %16s %16s %6s\n" "implementation" "wall ms" "CPU ms" "steps"
row() { # label file
  read -r w wb n <<<"$(median "$2" ms)"
  read -r c cb _ <<<"$(median "$2" cpu_ms)"
  printf "%-36s %16s %16s %6s\n" "$1" "$w ($wb)" "$c ($cb)" "$n"
}
row "inr (Go, float64, kernel $kernel)" "$work/inr.jsonl"
if [ -n "$torch" ]; then
  ver=$(/usr/bin/python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["peer"])' "$work/torch-float64.jsonl")
  row "$ver float64" "$work/torch-float64.jsonl"
  row "$ver float32" "$work/torch-float32.jsonl"
  echo
  for clock in ms cpu_ms; do
    read -r o _ <<<"$(median "$work/inr.jsonl" $clock)"
    read -r a _ <<<"$(median "$work/torch-float64.jsonl" $clock)"
    read -r b _ <<<"$(median "$work/torch-float32.jsonl" $clock)"
    awk -v o="$o" -v a="$a" -v b="$b" -v c="$( [ $clock = ms ] && echo wall || echo CPU)" 'BEGIN {
      printf "%-4s PyTorch float64 / ours = %.2f× (target ≥ 2×: %s);  PyTorch float32 / ours = %.2f× (target > 1×: %s)\n",
        c, a / o, (a / o >= 2 ? "met" : "NOT met"), b / o, (b / o > 1 ? "met" : "NOT met") }'
  done
fi
