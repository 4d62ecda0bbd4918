#!/usr/bin/env bash
# make demo: fit the bundled camera image (128², SIREN, 300 full-batch steps) headless and print
# where the outputs are and the PSNR it reached. Usage: scripts/demo.sh [path/to/inr]
set -euo pipefail
cd "$(dirname "$0")/.."
inr=${1:-bin/inr}
"$inr" version | grep '^kernel:'
out=runs/demo-camera-siren
rm -f "$out/checkpoint.safetensors" # a demo stopped with Ctrl-C starts over (inr fit refuses to overwrite it)
"$inr" fit assets/camera-128.png --model siren --steps 300 --out "$out"
echo
echo "demo outputs in $out/:"
ls -1 "$out"
echo "open $out/reconstruction.png beside assets/camera-128.png; $out/metrics.json has the figures."
echo "next: $inr eval $out/model.safetensors --size 512 --out camera-512.png (the network at 4× the pixels),"
echo "      $inr eval $out/model.safetensors --show laplacian --out laplacian.png (its exact Laplacian),"
echo "      $inr info $out/model.safetensors, and from Python (numpy only):"
echo "      python3 python/inrstudio.py $out/model.safetensors --size 512 --out camera-512.npy"
