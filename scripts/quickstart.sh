#!/usr/bin/env bash
# The README's main job: the whole co-design loop on the embedded default system, in <= 25 minutes
# on 2 cores.
#   1. installs what is missing (scripts/setup.sh) and builds h4h;
#   2. trains the quick Fashion-MNIST supernet (h4h train's quick preset) into OUT/supernet;
#   3. searches it on hwconfigs/h4h-default.yaml (NSGA-II over validation accuracy, estimated latency
#      and energy, optimal NPU/CIM partitioning per candidate) into OUT/search;
#   4. re-simulates the finalists in SystemC (inside h4h search), scores them on the test set, and
#      prints a short report: the finalists table, the test accuracies and where the plots are.
# Interrupted, it picks up where it stopped: training resumes from its checkpoint, the search from
# its saved state. Usage: scripts/quickstart.sh [OUT] (default reports/quickstart).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-reports/quickstart}
H4H=./build/h4h
HW=hwconfigs/h4h-default.yaml
start=$SECONDS

bash scripts/setup.sh
bash scripts/build.sh h4h
mkdir -p "$OUT"

echo "== 1/3 training the supernet (quick preset; resumes if interrupted)"
$H4H train --space models/spaces/fashion-mnist.yaml --data fashion-mnist --out "$OUT/supernet" --resume

echo "== 2/3 searching on $HW (resumes if interrupted)"
$H4H search --checkpoint "$OUT/supernet/last.ckpt" --hw "$HW" --out "$OUT/search" \
  --population 16 --generations 6 --bn-batches 10 --finalists 5 | tee "$OUT/search.log"

echo "== 3/3 the finalists on the Fashion-MNIST test set (final reporting only; the search used validation data)"
report="$OUT/report.txt"
{
  echo "h4h quickstart: supernet $OUT/supernet/last.ckpt, search $OUT/search on $HW"
  grep -A 100 '^rank ' "$OUT/search.log" | grep -v '^wrote ' || true
  echo
  printf '%-6s %-12s %s\n' rank "test top-1" arch
  for dir in "$OUT"/search/finalists/*/; do
    dir=${dir%/}
    rank=$(basename "$dir")
    top1=$($H4H eval --checkpoint "$OUT/supernet/last.ckpt" --arch "$dir/arch.json" --split test --json |
      awk -F': ' '/"top1":/ {gsub(/,/, "", $2); printf "%.2f%%", 100 * $2}')
    printf '%-6s %-12s %s\n' "$rank" "$top1" "$dir/arch.json"
  done
  echo
  echo "plots: $OUT/search/pareto.png (accuracy against latency and energy), $OUT/search/fronts.png (the front per generation)"
  echo "results: $OUT/search/pareto.json, pareto.csv; per finalist: arch, weights (subnet.pt), workload, mapping, SystemC trace"
  echo "wall time: $((SECONDS - start)) s"
} > "$report.tmp"
mv "$report.tmp" "$report"
cat "$report"
