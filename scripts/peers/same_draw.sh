#!/usr/bin/env bash
# same_draw.sh: the studio and PyTorch trained from the SAME initial weights, PyTorch's own draw at
# each seed. For every seed: torch_quality.py --export-init writes PyTorch's seed-s draw as a studio
# model file, `inr fit --init` trains it, and torch_quality.py trains the same draw in PyTorch
# (float64, one thread); a table (printed, and saved as OUT/MODEL-IMAGE.md) gives both sides' final
# and best PSNR per seed and their medians, beside the output layer's initial bias.
# With the draw held fixed, a gap between the two columns is a difference in training; agreement
# means that what separates two runs of different seeds is the draw (reference-psnr.md's bar is
# one PyTorch run, at seed 0).
#
# Usage: scripts/peers/same_draw.sh MODEL IMAGE [SEEDS…]    e.g. same_draw.sh wire camera 0 1 2 3 4
# MODEL: siren, wire, gauss, spder or finer (the networks torch_quality.py builds); IMAGE: camera
# or coffee (assets/IMAGE-128.png, 300 full-batch steps at the model's default lr, no schedule).
# Environment: INR (default bin/inr), OUT (default runs/same-draw), JOBS (default 2: runs side by
# side, one thread each). A finished run is kept and not redone, so an interrupted table resumes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh # json_field, median
[ $# -ge 2 ] || { echo "usage: $0 MODEL IMAGE [SEEDS…]" >&2; exit 2; }
model=$1 image=$2
shift 2
seeds=${*:-0}
inr=${INR:-bin/inr} out=${OUT:-runs/same-draw} jobs=${JOBS:-2}
py=/usr/bin/python3
target=assets/$image-128.png
[ -f "$target" ] || { echo "$target: no such image (IMAGE is camera or coffee)" >&2; exit 2; }
[ -x "$inr" ] || { echo "$inr: not built (make build, or set INR)" >&2; exit 2; }
$py -c 'import torch' 2>/dev/null || { echo "PyTorch for $py is missing (apt install python3-torch)" >&2; exit 2; }
channels=$([ "$image" = coffee ] && echo 3 || echo 1)
export OPENBLAS_CORETYPE=SkylakeX OMP_NUM_THREADS=1

todo=()
for s in $seeds; do
  dir=$out/$model-$image-s$s
  mkdir -p "$dir"
  if [ ! -f "$dir/init.safetensors" ]; then
    go run ./scripts/peers/initstats -model "$model" -channels "$channels" -seed "$s" -save "$dir/template.safetensors" >/dev/null
    $py scripts/peers/torch_quality.py --model "$model" --image "$target" --seed "$s" \
      --export-init "$dir/template.safetensors" "$dir/init.safetensors"
    rm -f "$dir/template.safetensors"
  fi
  grep -q '^# ' "$dir/torch.log" 2>/dev/null ||
    todo+=("$py scripts/peers/torch_quality.py --model $model --image $target --seed $s --log > $dir/torch.log 2>&1")
  [ -f "$dir/ours/metrics.json" ] ||
    todo+=("$inr fit $target --init $dir/init.safetensors --steps 300 --eval-every 1 --threads 1 --out $dir/ours -q > $dir/ours.log 2>&1")
done
if [ ${#todo[@]} -gt 0 ]; then
  echo "running ${#todo[@]} fits, $jobs at a time (folders in $out/)"
  printf '%s\n' "${todo[@]}" | xargs -P "$jobs" -I{} -d '\n' bash -c {} || echo "note: a run failed; see the logs in $out/"
fi

# outbias DIR: the output layer's initial bias (per channel), the number that decides WIRE's mode.
outbias() {
  $py - "$1/init.safetensors" <<'PY'
import sys
sys.path.insert(0, "scripts/peers")
from torch_quality import read_safetensors
w = read_safetensors(sys.argv[1])
last = max(int(k.split(".")[0]) for k in w)
b = w.get(f"{last}.bias_re", w.get(f"{last}.bias"))
print(" ".join(f"{v:+.3f}" for v in b))
PY
}
{
echo "| $model $image | initial output bias | PyTorch final | PyTorch best | studio final | studio best |"
echo "|---|---|---|---|---|---|"
tf=() tb=() of=() ob=()
for s in $seeds; do
  dir=$out/$model-$image-s$s
  read -r f b < <(sed -nE 's/^# .* final ([^ ]+) best ([^ ]+) .*/\1 \2/p' "$dir/torch.log" 2>/dev/null) || true
  mf=$dir/ours/metrics.json
  if [ -z "${f:-}" ] || [ ! -f "$mf" ]; then echo "| seed $s | | (not finished) | | | |"; continue; fi
  printf "| seed %s | %s | %.2f | %.2f | %.2f | %.2f |\n" "$s" "$(outbias "$dir")" "$f" "$b" "$(json_field "$mf" psnr)" "$(json_field "$mf" best_psnr)"
  tf+=("$f") tb+=("$b") of+=("$(json_field "$mf" psnr)") ob+=("$(json_field "$mf" best_psnr)")
  f="" b=""
done
[ ${#tf[@]} -gt 0 ] && printf "| **median of %d** | | %.2f | %.2f | %.2f | %.2f |\n" "${#tf[@]}" \
  "$(median "${tf[@]}")" "$(median "${tb[@]}")" "$(median "${of[@]}")" "$(median "${ob[@]}")"
true
} | tee "$out/$model-$image.md"
