#!/usr/bin/env bash
# bench-quality-long.sh: the long reference table, 256² and 2000 full-batch steps per fit (hours on
# two cores). Same environment variables as bench-quality.sh (MODELS, IMAGES, SEEDS, JOBS, OUT;
# STEPS shortens the fits for a smoke test, e.g. MODELS=siren IMAGES=camera STEPS=3).
# Usage: scripts/bench-quality-long.sh [path/to/inr]
set -euo pipefail
exec "$(dirname "$0")/bench-quality.sh" "${1:-bin/inr}" --long
