#!/usr/bin/env bash
# make demo: prints the kernel report (the fitting demo replaces this once `inr fit` exists).
set -euo pipefail
inr=${1:-bin/inr}
"$inr" version
