#!/usr/bin/env bash
# Solve every problem of the PDE library (examples/pde/*.toml) with its full budget, as shipped,
# and print the table the README carries: problem, network, budget, relative L2 error (per
# field), bar, seconds, pass. Usage: scripts/bench-pinn-quality.sh [path/to/inr] [problem …]
# (default: bin/inr and every problem). Run folders go to runs/pinn-quality/<problem>;
# PINN_QUALITY_REUSE=1 prints the table from the run folders already there without solving.
set -euo pipefail
INR=${1:-bin/inr}
shift || true
cd "$(dirname "$0")/.."
if [ ! -x "$INR" ]; then
	echo "bench-pinn-quality: $INR not found; run make build" >&2
	exit 1
fi
command -v jq >/dev/null || { echo "bench-pinn-quality: needs jq" >&2; exit 1; }

# Bars of the issue, as jq conditions on metrics.json, with their description.
declare -A BAR=(
	[poisson2d]='.rel_l2 <= 1e-5|rel L2 ≤ 1e-5'
	[poisson2d-xnet]='.mse <= 1e-9|MSE ≤ 1e-9'
	[burgers]='.rel_l2 <= 5e-4|rel L2 ≤ 5e-4'
	[wave1d]='.rel_l2 <= 1e-2|rel L2 ≤ 1e-2'
	[allen-cahn]='.rel_l2 <= 1e-2|rel L2 ≤ 1e-2'
	[kovasznay]='(.rel_l2_fields.u <= 1e-4) and (.rel_l2_fields.v <= 1e-4)|rel L2 ≤ 1e-4 on u, v'
	[inverse-heat]='.unknowns.alpha.rel_error <= 1e-3|α within 1e-3'
)

problems=("$@")
if [ ${#problems[@]} -eq 0 ]; then
	for f in examples/pde/*.toml; do problems+=("$(basename "$f" .toml)"); done
fi

sci() { printf '%.2e' "$1"; }

out=runs/pinn-quality
mkdir -p "$out"
echo "PDE library, full budgets ($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at start; $("$INR" version | head -1))"
echo
echo "| problem | network | budget | rel L2 (per field) | bar | seconds | pass |"
echo "|---|---|---|---|---|---|---|"
fail=0
for name in "${problems[@]}"; do
	file=examples/pde/$name.toml
	dir=$out/$name
	if [ "${PINN_QUALITY_REUSE:-}" != 1 ]; then
		if ! "$INR" solve "$file" --out "$dir" --quiet >"$dir.log" 2>&1; then
			echo "| $name | | | solve failed (see $dir.log) | | | no |"
			fail=1
			continue
		fi
	fi
	m=$dir/metrics.json
	net=$(jq -r '"\(.network), \(.parameters) parameters"' "$m")
	budget=$(jq -r '"\(.adam_steps) Adam + \(.lbfgs_iterations) L-BFGS (\(.lbfgs_stop // "none"))"' "$m")
	rel="—"
	if [ "$(jq -r '.rel_l2 != null' "$m")" = true ]; then
		rel=$(sci "$(jq -r .rel_l2 "$m")")
		if [ "$(jq -r '.rel_l2_fields | length' "$m")" -gt 1 ]; then
			parts=()
			for f in $(jq -r '.fields[]' "$m"); do
				v=$(jq -r --arg f "$f" '.rel_l2_fields[$f] // empty' "$m")
				[ -n "$v" ] && parts+=("$f $(sci "$v")")
			done
			rel="$rel ($(IFS=,; echo "${parts[*]}" | sed 's/,/, /g'))"
		fi
		if [ "$name" = poisson2d-xnet ] || [ "$name" = poisson2d-kan ]; then
			rel="$rel; MSE $(sci "$(jq -r .mse "$m")")"
		fi
	fi
	for u in $(jq -r '.unknowns // {} | keys[]' "$m"); do
		rel="$rel; $u = $(jq -r --arg u "$u" '.unknowns[$u].value' "$m")"
	done
	secs=$(jq -r '.seconds | floor' "$m")
	bar="—"
	pass="—"
	if [ -n "${BAR[$name]:-}" ]; then
		cond=${BAR[$name]%%|*}
		bar=${BAR[$name]#*|}
		if [ "$(jq -r "($cond) and (.seconds <= 180)" "$m")" = true ]; then
			pass=yes
		else
			pass=no
			fail=1
		fi
	fi
	echo "| $name | $net | $budget | $rel | $bar | $secs | $pass |"
done
exit $fail
