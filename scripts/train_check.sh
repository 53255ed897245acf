#!/usr/bin/env bash
# The quick supernet preset, measured: trains `h4h train --space models/spaces/fashion-mnist.yaml
# --data fashion-mnist` (no optional flags), times it, and scores on the 10k Fashion-MNIST test set
# the largest subnet, the smallest, and 20 random subnets (seed 1) after BN recalibration.
# Targets (issue 5): training <= 15 minutes on 2 cores; largest >= 89%, smallest >= 85%, median of
# the 20 random subnets >= 87%.
# With H4H_TRAIN_ABLATION=1 it also trains the one-phase baseline (--one-phase, same epochs) and
# compares the mean top-1 of the same 20 random subnets.
# Writes OUT_DIR (default reports/train): two-phase/ (and one-phase/) with last.ckpt, metrics.csv,
# eval-*.json, train.log, and summary.txt. Resumes an interrupted training (--resume).
# H4H_TRAIN_FLAGS (e.g. "--batch-size 256 --random-subnets 1") go to every `h4h train` of the
# script: a setting tried against the preset's defaults.
# Usage: scripts/train_check.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-reports/train}
H4H=${H4H_BIN:-./build/h4h}
[[ -n ${H4H_BIN:-} ]] || bash scripts/build.sh h4h
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
: > "$SUMMARY.tmp"

# top-1 values (one per line) of an eval JSON file
top1s() { awk -F': ' '/"top1":/ {gsub(/,/, "", $2); print $2}' "$1"; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mean() { awk '{s += $1} END {print s / NR}'; }
pct() { awk -v x="$1" 'BEGIN {printf "%.2f%%", 100 * x}'; }

run() {  # NAME [extra train flags...]
  local name=$1 dir="$OUT/$1"
  shift
  mkdir -p "$dir"
  local start=$SECONDS
  # shellcheck disable=SC2086  # H4H_TRAIN_FLAGS is a list of flags
  "$H4H" train --space models/spaces/fashion-mnist.yaml --data fashion-mnist --out "$dir" --resume ${H4H_TRAIN_FLAGS:-} "$@" \
    2>&1 | tee "$dir/train.log"
  local took=$((SECONDS - start))
  for arch in largest smallest random:20; do
    "$H4H" eval --checkpoint "$dir/last.ckpt" --arch "$arch" --split test --seed 1 --json > "$dir/eval-${arch%%:*}.json.tmp"
    mv "$dir/eval-${arch%%:*}.json.tmp" "$dir/eval-${arch%%:*}.json"
  done
  local elapsed
  elapsed=$(awk -F, 'END {print $NF}' "$dir/metrics.csv")
  {
    echo "== $name (${H4H_TRAIN_FLAGS:-}${H4H_TRAIN_FLAGS:+${1:+ }}$*)"
    echo "training time: ${elapsed}s in the trainer (this invocation: ${took}s wall, including start-up and any resume)"
    echo "largest  top-1 (test): $(pct "$(top1s "$dir/eval-largest.json")")"
    echo "smallest top-1 (test): $(pct "$(top1s "$dir/eval-smallest.json")")"
    echo "20 random subnets (test): median $(pct "$(top1s "$dir/eval-random.json" | median)"), mean $(pct "$(top1s "$dir/eval-random.json" | mean)"), min $(pct "$(top1s "$dir/eval-random.json" | sort -g | head -1)"), max $(pct "$(top1s "$dir/eval-random.json" | sort -g | tail -1)")"
  } >> "$SUMMARY.tmp"
}

run two-phase
[[ ${H4H_TRAIN_ABLATION:-0} == 1 ]] && run one-phase --one-phase
mv "$SUMMARY.tmp" "$SUMMARY"
echo
cat "$SUMMARY"
