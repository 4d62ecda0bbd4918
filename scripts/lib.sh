# lib.sh: shell helpers shared by the benchmark scripts (source it; it defines functions only).

# json_field FILE KEY: a top-level scalar of a metrics.json (the evals list and the config object
# are skipped; empty when absent).
json_field() {
  tr -d '\n' <"$1" | sed -E 's/"evals": *\[[^]]*\]//; s/"config": *\{[^}]*\}//' |
    grep -oE "\"$2\": *(\"[^\"]*\"|[^,}]*)" | head -1 | sed -E 's/^[^:]*: *//; s/"//g'
}

# median X…: the median of the numbers (the mean of the middle two for an even count).
median() {
  printf "%s\n" "$@" | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'
}
