#!/usr/bin/env bash
# bench-quality-long.sh: the long reference table, 256² and 2000 full-batch steps per fit (hours on
# two cores). Same environment variables as bench-quality.sh (MODELS, IMAGES, SEEDS, JOBS, OUT;
# STEPS shortens the fits for a smoke test, e.g. MODELS=siren IMAGES=camera STEPS=3). Stopping it
# loses nothing: finished fits are kept, and a fit stopped half-way (Ctrl-C, kill, reboot) resumes
# from its checkpoint at the next run, to the same result (inr fit --resume).
# Usage: scripts/bench-quality-long.sh [path/to/inr]
set -euo pipefail
exec "$(dirname "$0")/bench-quality.sh" "${1:-bin/inr}" --long
