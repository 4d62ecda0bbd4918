#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages a make target needs, only those that are missing.
# Usage: scripts/deps.sh test|bench   (idempotent; uses sudo when not root; prints the apt line
# when it cannot install).
set -euo pipefail

test_pkgs=(
  # the viewer (ebiten/GLFW headers and Mesa) and its tests under Xvfb
  libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev
  libgl1-mesa-dev libgl1-mesa-dri pkg-config xvfb xauth
  # the model-file tests read our safetensors files from Python (numpy), and train them in
  # PyTorch through python/inrstudio.py's bridge (Debian's torch 1.13, also a benchmark peer)
  python3 python3-numpy python3-torch
)
bench_pkgs=(
  # side-by-side peers for the benchmark tables
  libopenblas-dev
  # the PDE quality table reads metrics.json
  jq
)

case "${1:-test}" in
  test) want=("${test_pkgs[@]}") ;;
  bench) want=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 test|bench" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "deps: not a Debian/Ubuntu system; install the equivalents of: ${want[*]}" >&2
  exit 0
fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo="sudo"
else
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: run as root:  $line" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/tmp/inr-deps.log 2>&1; then
  tail -20 /tmp/inr-deps.log >&2
  echo "deps: apt-get failed; run by hand:  ${sudo:+sudo }$line" >&2
  exit 1
fi
