#!/usr/bin/env bash
# Chooses the in-place distillation weight (--kd-weight) on the VALIDATION split, over several seeds:
# for every weight W and seed S trains the quick preset (`h4h train --space
# models/spaces/fashion-mnist.yaml --data fashion-mnist --kd-weight W --seed S`), then scores the
# largest, the smallest and 20 random subnets (eval seed 1, BN recalibrated) on the validation
# split, and keeps the trainer's own validation top-1 of the largest and smallest at the last epoch
# (metrics.csv). The test split is never read. Writes OUT/kdW-sS/ (checkpoint, metrics,
# eval-*.json), OUT/runs.csv (one row per run) and OUT/summary.txt: per weight, the means over
# seeds and the spread (max - min over seeds) of the random subnets' mean top-1, and the weight
# with the best mean. Resumes interrupted runs (a finished one is only evaluated again).
# H4H_TRAIN_FLAGS go to every `h4h train` (e.g. "--max-steps 20" for a smoke run).
# Usage: scripts/kd_weight_check.sh OUT "W1 W2 ..." "S1 S2 ..."
#   e.g. scripts/kd_weight_check.sh reports/kd "0.25 0.35 0.5 1.0" "1 2"
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 3 ]] || { echo "usage: $0 OUT \"WEIGHTS\" \"SEEDS\"" >&2; exit 2; }
OUT=$1
read -r -a WEIGHTS <<< "$2"
read -r -a SEEDS <<< "$3"
H4H=${H4H_BIN:-./build/h4h}
[[ -n ${H4H_BIN:-} ]] || bash scripts/build.sh h4h
mkdir -p "$OUT"

top1s() { awk -F': ' '/"top1":/ {gsub(/,/, "", $2); print $2}' "$1"; }
median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
mean() { awk '{s += $1} END {printf "%.6f\n", s / NR}'; }

echo "kd_weight,seed,largest,smallest,random_median,random_mean,trainer_val_largest,trainer_val_smallest" > "$OUT/runs.csv.tmp"
for w in "${WEIGHTS[@]}"; do
  for s in "${SEEDS[@]}"; do
    dir="$OUT/kd$w-s$s"
    mkdir -p "$dir"
    # shellcheck disable=SC2086  # H4H_TRAIN_FLAGS is a list of flags
    "$H4H" train --space models/spaces/fashion-mnist.yaml --data fashion-mnist --out "$dir" --resume \
      --kd-weight "$w" --seed "$s" ${H4H_TRAIN_FLAGS:-} 2>&1 | tee "$dir/train.log"
    for arch in largest smallest random:20; do
      "$H4H" eval --checkpoint "$dir/last.ckpt" --arch "$arch" --split val --seed 1 --json > "$dir/eval-${arch%%:*}.json.tmp"
      mv "$dir/eval-${arch%%:*}.json.tmp" "$dir/eval-${arch%%:*}.json"
    done
    # the trainer's validation columns at its last epoch-end row (rows with both filled)
    trainer_val=$(awk -F, 'NR > 1 && $9 != "" && $10 != "" {v = $9 "," $10} END {print v}' "$dir/metrics.csv")
    echo "$w,$s,$(top1s "$dir/eval-largest.json"),$(top1s "$dir/eval-smallest.json"),$(top1s "$dir/eval-random.json" | median),$(top1s "$dir/eval-random.json" | mean),$trainer_val" \
      >> "$OUT/runs.csv.tmp"
  done
done
mv "$OUT/runs.csv.tmp" "$OUT/runs.csv"

awk -F, 'NR > 1 {
    n[$1]++; sum[$1] += $6; l[$1] += $3; sm[$1] += $4; tl[$1] += $7; ts[$1] += $8
    if (!($1 in lo) || $6 < lo[$1]) lo[$1] = $6
    if (!($1 in hi) || $6 > hi[$1]) hi[$1] = $6
  }
  END {
    print "validation top-1 (fractions), mean over seeds; spread = max - min over seeds of the random mean"
    printf "%-10s %6s %10s %10s %14s %8s %16s %17s\n", "kd_weight", "seeds", "largest", "smallest", "random mean",
      "spread", "trainer largest", "trainer smallest"
    for (w in n) {
      printf "%-10s %6d %10.4f %10.4f %14.4f %8.4f %16.4f %17.4f\n", w, n[w], l[w] / n[w], sm[w] / n[w], sum[w] / n[w],
        hi[w] - lo[w], tl[w] / n[w], ts[w] / n[w]
      if (best == "" || sum[w] / n[w] > sum[best] / n[best]) best = w
    }
    printf "best by the random subnets'"'"' mean: %s\n", best
  }' "$OUT/runs.csv" > "$OUT/summary.txt.tmp"
mv "$OUT/summary.txt.tmp" "$OUT/summary.txt"
cat "$OUT/summary.txt"
