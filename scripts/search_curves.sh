#!/usr/bin/env bash
# Search quality against the enumerated truth (issue 6): hypervolume of the front found, as a fraction
# of the true front's, against accuracy evaluations, for NSGA-II, constrained evolution and random
# search over 10 seeds on the 15,680-subnet test space (accuracies fixed by the test oracle, costs by
# the estimator on h4h-default). Writes OUT/curves.csv, OUT/summary.txt and OUT/curves.png.
# Usage: scripts/search_curves.sh [OUT] (default reports/search_curves)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-reports/search_curves}
bash scripts/build.sh search_curves
mkdir -p "$OUT"
./build/tests/search_curves 10 1568 32 > "$OUT/curves.csv.tmp"
mv "$OUT/curves.csv.tmp" "$OUT/curves.csv"
# mean and min over seeds per strategy and evaluation count
awk -F, 'NR > 1 {k = $1 "," $3; s[k] += $4; n[k]++; if (!(k in lo) || $4 < lo[k]) lo[k] = $4}
  END {for (k in s) printf "%s,%.4f,%.4f\n", k, s[k] / n[k], lo[k]}' "$OUT/curves.csv" |
  sort -t, -k1,1 -k2,2n > "$OUT/mean.csv"
{
  echo "hypervolume / true hypervolume (mean, min over 10 seeds) at 784 evaluations (5% of the space):"
  grep ',784,' "$OUT/mean.csv" | awk -F, '{printf "  %-10s mean %s  min %s\n", $1, $3, $4}'
} > "$OUT/summary.txt"
cat "$OUT/summary.txt"
if command -v gnuplot > /dev/null; then
  gnuplot <<GP
set terminal pngcairo size 900,560 noenhanced
set output '$OUT/curves.png.tmp'
set datafile separator ','
set grid
set key bottom right
set xlabel 'accuracy evaluations (of 15,680 subnets)'
set ylabel 'hypervolume / true front hypervolume (mean of 10 seeds)'
set arrow from 784, graph 0 to 784, graph 1 nohead dt 2
plot for [s in "nsga2 evolution random"] '< grep "^'.s.'," $OUT/mean.csv' using 2:3 with linespoints pt 7 ps 0.5 title s
GP
  mv "$OUT/curves.png.tmp" "$OUT/curves.png"
fi
