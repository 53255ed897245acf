#!/usr/bin/env bash
# The paper's claim in miniature (issue 6): under one simulated-latency budget on h4h-default, the
# best hybrid subnet the search finds against the best CNN-only and the best transformer-heavy ones
# found by the same search restricted to those block types. Uses the quickstart's supernet (trains
# it if missing). Reports validation top-1 (what the search optimises) and test top-1 of each
# family's best finalist, whose simulated latency meets the budget.
# Usage: scripts/hybrid_claim.sh [LATENCY_MS] [OUT] (default budget: 0.06 ms, OUT reports/hybrid_claim)
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=${1:-0.06}
OUT=${2:-reports/hybrid_claim}
H4H=./build/h4h
CKPT=reports/quickstart/supernet/last.ckpt
bash scripts/build.sh h4h
[[ -f $CKPT ]] || $H4H train --space models/spaces/fashion-mnist.yaml --data fashion-mnist --out "$(dirname "$CKPT")" --resume
mkdir -p "$OUT"
summary="$OUT/summary.txt"
printf '%-12s %-10s %-10s %-12s %-12s %s\n' blocks "val top-1" "test top-1" "sim ms" "est ms" transformers > "$summary.tmp"
for blocks in hybrid cnn transformer; do
  $H4H search --checkpoint "$CKPT" --hw hwconfigs/h4h-default.yaml --out "$OUT/$blocks" --blocks "$blocks" \
    --latency-ms "$BUDGET" --objectives acc,latency --population 16 --generations 8 --bn-batches 10 --finalists 3 \
    --seed 1 > "$OUT/$blocks.log"
  best="$OUT/$blocks/finalists/01"
  read -r val sim est tb < <(jq -r '.finalists[0] | "\(.accuracy) \(.simulated.latency_ms) \(.estimated.latency_ms) \(.transformer_blocks)"' "$OUT/$blocks/pareto.json")
  test=$($H4H eval --checkpoint "$CKPT" --arch "$best/arch.json" --split test --json |
    awk -F': ' '/"top1":/ {gsub(/,/, "", $2); print $2}')
  awk -v b="$blocks" -v v="$val" -v t="$test" -v s="$sim" -v e="$est" -v n="$tb" \
    'BEGIN {printf "%-12s %-10.2f %-10.2f %-12.5f %-12.5f %d\n", b, 100 * v, 100 * t, s, e, n}' >> "$summary.tmp"
done
echo "budget: simulated latency <= $BUDGET ms on hwconfigs/h4h-default.yaml" >> "$summary.tmp"
mv "$summary.tmp" "$summary"
cat "$summary"
