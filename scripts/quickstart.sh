#!/usr/bin/env bash
# The README's main job: installs what is missing, builds h4h, and runs the deepest job available on
# the embedded default system: every zoo model estimated on hwconfigs/h4h-default.yaml under the
# NPU-only baseline and the paper's rule-based NPU/CIM split, with a report and plots in
# reports/quickstart/. Safe to run again: it rebuilds only what changed and rewrites the report.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-reports/quickstart}
bash scripts/setup.sh
bash scripts/build.sh h4h
mkdir -p "$(dirname "$OUT")"
./build/h4h hw show hwconfigs/h4h-default.yaml
echo
./build/h4h report --hw hwconfigs/h4h-default.yaml --models all --mappings npu-only,rule --out "$OUT"
echo
./build/h4h estimate --model nasvit_a0 --hw hwconfigs/h4h-default.yaml --mapping rule \
  --csv "$OUT/nasvit_a0.rule.csv" > "$OUT/nasvit_a0.rule.txt"
tail -n 4 "$OUT/nasvit_a0.rule.txt"
echo "per-layer table of nasvit_a0: $OUT/nasvit_a0.rule.txt (CSV beside it)"
