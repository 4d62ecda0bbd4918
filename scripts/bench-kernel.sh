#!/usr/bin/env bash
# bench-kernel.sh: one table of the kernel package's GEMM against OpenBLAS and gonum at the layer
# shapes of coordinate MLPs, plus sin throughput against numpy. Ours and the peers run in
# alternating rounds and every cell is the median over rounds, because the machine is shared.
#
# Usage: scripts/bench-kernel.sh [ROUNDS]   (default 3; env BENCH_SECONDS sets the time per cell)
# On a busy machine, INR_BENCH_CLOCK=cpu times every single-threaded call (ours, OpenBLAS, numpy)
# by process CPU time instead of the wall clock; the 2-thread column stays on the wall clock.
# Peers: OpenBLAS through a small C program (gcc, libopenblas-dev), single thread, with
# OPENBLAS_CORETYPE=SkylakeX (Debian's OpenBLAS 0.3.21 does not recognise newer Xeons and would
# fall back to SSE3 kernels); numpy through /usr/bin/python3. A missing peer is skipped with a note.
set -euo pipefail
cd "$(dirname "$0")/.."

rounds=${1:-3}
secs=${BENCH_SECONDS:-0.4}
shapes=(4096x256x256 16384x256x256 4096x64x64 4096x2x256 65536x256x3)
forms=(NN TN NT)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building the kernel benchmarks..."
go test -c -o "$work/kernel.test" ./kernel/

blas=""
hdr=/usr/include/x86_64-linux-gnu/openblas-pthread
if ! command -v gcc >/dev/null; then
  echo "note: gcc not found; skipping the OpenBLAS column"
elif [ ! -f "$hdr/cblas.h" ] && [ ! -f /usr/include/cblas.h ]; then
  echo "note: OpenBLAS headers not found (apt-get install libopenblas-dev); skipping the OpenBLAS column"
elif gcc -O2 -o "$work/openblas_gemm" scripts/peers/openblas_gemm.c -I"$hdr" -lopenblas 2>"$work/gcc.log"; then
  blas="$work/openblas_gemm"
else
  echo "note: could not build the OpenBLAS peer ($(head -1 "$work/gcc.log")); skipping it"
fi
numpy=""
if /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  numpy=/usr/bin/python3
else
  echo "note: /usr/bin/python3 with numpy not found; skipping the numpy sin column"
fi

products=()
for f in "${forms[@]}"; do for s in "${shapes[@]}"; do products+=("$f:$s"); done; done
pat="^BenchmarkGemm/(NN|TN|NT)/($(IFS='|'; echo "${shapes[*]}"))/threads=[12]\$"
pat1="^BenchmarkGemm/(NN|TN|NT)/($(IFS='|'; echo "${shapes[*]}"))/threads=1\$"
# The AVX2 implementation gets its own column when the default is AVX-512.
default=$("$work/kernel.test" -test.run '^TestSelection$' -test.v 2>/dev/null | awk '/selected:/ { print $NF }')
avx2=""
if [ "$default" = avx512 ]; then avx2=1; fi

# results.txt lines: <who> <form> <shape> <GFLOP/s>
res="$work/results.txt"
: >"$res"
go_bench() { # $1 = who, $2 = bench regexp, then extra args
  local who=$1 re=$2; shift 2
  "$work/kernel.test" -test.run '^$' -test.bench "$re" -test.benchtime "${secs}s" "$@" 2>/dev/null |
    awk -v who="$who" '/GFLOP\/s|Melem\/s/ {
      n = split($1, p, "/"); sub(/-[0-9]+$/, "", p[n]);
      for (i = 1; i <= NF; i++) if ($(i) == "GFLOP/s" || $(i) == "Melem/s") v = $(i-1);
      if (p[1] ~ /Gonum/) print who, p[2], p[3], v;
      else if (p[1] ~ /BenchmarkSin/) print who, "sin", "-", v;
      else print who (p[4] == "threads=2" ? "2" : ""), p[2], p[3], v }' >>"$res"
}

for r in $(seq 1 "$rounds"); do
  echo "round $r/$rounds: $(uptime | sed 's/.*load/load/')"
  go_bench ours "$pat"
  if [ -n "$avx2" ]; then INR_KERNEL=avx2 go_bench avx2 "$pat1"; fi
  if [ -n "$blas" ]; then
    OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX "$blas" "$secs" "${products[@]}" |
      awk '{ print "openblas", $1, $2, $3 }' >>"$res"
  fi
  go_bench ours '^BenchmarkSin$/^n=1048576$'
  "$work/kernel.test" -test.run '^$' -test.bench '^BenchmarkLinearSin/4096x2x256/threads=1$' -test.benchtime "${secs}s" 2>/dev/null |
    awk '/ms/ { for (i = 1; i <= NF; i++) if ($(i) == "ms") print "ours", "linearsin", "-", $(i-1) }' >>"$res"
  if [ -n "$numpy" ]; then
    "$numpy" scripts/peers/numpy_sin.py "$secs" | awk '{ print "numpy", "sin", "-", $2 }' >>"$res"
  fi
done
echo "gonum (one round, single thread)..."
go_bench gonum "^BenchmarkGonumGemm/(NN|TN|NT)/($(IFS='|'; echo "${shapes[*]}"))\$" -test.cpu 1 -test.benchtime 3x

med() { # median of the values for who/form/shape
  awk -v w="$1" -v f="$2" -v s="$3" '$1 == w && $2 == f && $3 == s { print $4 }' "$res" | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR+1)/2]; else printf "%.2f\n", (v[NR/2] + v[NR/2+1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f\n", a / b }'; }

echo
clockname="wall clock"
[ "${INR_BENCH_CLOCK:-}" = cpu ] && clockname="process CPU time (1-thread cells), wall clock (2 threads)"
echo "GEMM, GFLOP/s = 2·M·K·N / time of the median call ($clockname), median of $rounds rounds (gonum: 1 round)."
echo "Layer Y[M×N] = X[M×K]·W[K×N]:"
echo "NN = X·W, TN = dW = Xᵀ·dY, NT = dX = dY·Wᵀ. ours = kernel.Default() ($default); AVX2 = the same with INR_KERNEL=avx2, 1 thread."
echo
echo "| M×K×N | form | ours 1 thread | ours 2 threads | AVX2 1 thread | OpenBLAS SkylakeX 1 thread | ours/OpenBLAS | gonum | ours/gonum |"
echo "|---|---|---|---|---|---|---|---|---|"
for s in "${shapes[@]}"; do
  for f in "${forms[@]}"; do
    o=$(med ours "$f" "$s"); o2=$(med ours2 "$f" "$s"); v=$(med avx2 "$f" "$s"); b=$(med openblas "$f" "$s"); g=$(med gonum "$f" "$s")
    echo "| $s | $f | $o | $o2 | $v | $b | $(ratio "$o" "$b") | $g | $(ratio "$o" "$g") |"
  done
done
echo
echo "LinearSin 4096x2x256 (z = x·w + b, s = sin(30·z), sines only), ms per call: ours $(med ours linearsin -)"
o=$(med ours sin -); n=$(med numpy sin -)
echo "sin over 2^20 float64 in [-30, 30], Melem/s: ours $o, numpy $n, ratio $(ratio "$o" "$n")"
