#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz) for SECONDS each and exits non-zero on any finding.
#
#   scripts/fuzz.sh [--torch-free] SECONDS [HARNESS...]
#
# Builds the harnesses with clang-14, ASan + UBSan and -DH4H_FUZZ=ON in build-san (build-san-notorch
# with --torch-free, which leaves out the checkpoint harness): the directories scripts/sanitize.sh
# configures the same way, so both share one build. H4H_SAN_BUILD_DIR overrides the directory.
# Each harness's seed corpus is assembled from the repo's own files (the golden-trace workloads and
# the zoo as workload JSON, hwconfigs/, models/spaces/, ONNX models built by fuzz_write_seeds, a few
# Fashion-MNIST images as IDX files, CIFAR-format records, a checkpoint of a one-step `h4h train` on
# tests/fuzz/checkpoint_space.yaml) plus tests/fuzz/seeds/<harness>/ and the stored regressions
# tests/fuzz/regressions/<harness>/. Inputs the fuzzer finds interesting accumulate in
# BUILD/fuzz/corpus/<harness>/ across runs (not committed).
# A crash, sanitizer report, unexpected exception, timeout (-timeout per input) or out-of-memory
# (-rss_limit_mb, -malloc_limit_mb) leaves its input in BUILD/fuzz/findings/<harness>/; store it under
# tests/fuzz/regressions/<harness>/ once fixed, so every `ctest` replays it (fuzz_replay_<harness>).
# H4H_FUZZ_JOBS=N fuzzes N harnesses at a time (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH=ON
if [[ ${1:-} == --torch-free ]]; then
  TORCH=OFF
  shift
fi
if [[ $# -lt 1 || ! ${1} =~ ^[0-9]+$ || $1 -lt 1 ]]; then
  echo "usage: scripts/fuzz.sh [--torch-free] SECONDS [HARNESS...]" >&2
  exit 2
fi
SECONDS_EACH=$1
shift
ALL=(workload_json hardware_yaml mapping search_space onnx_import idx_reader cifar_reader)
[[ $TORCH == ON ]] && ALL+=(checkpoint)
HARNESSES=("${@:-${ALL[@]}}")
for h in "${HARNESSES[@]}"; do
  [[ " ${ALL[*]} " == *" $h "* ]] || { echo "fuzz.sh: unknown harness '$h' (known: ${ALL[*]})" >&2; exit 2; }
done

if [[ $TORCH == ON ]]; then BUILD=${H4H_SAN_BUILD_DIR:-build-san}; else BUILD=${H4H_SAN_BUILD_DIR:-build-san-notorch}; fi
JOBS=${H4H_JOBS:-$(nproc)}
# shellcheck source=lib/sanitized_build.sh
source scripts/lib/sanitized_build.sh
san_configure "$TORCH" "$BUILD"
targets=(fuzz_write_seeds)
for h in "${HARNESSES[@]}"; do targets+=("fuzz_$h"); done
[[ " ${HARNESSES[*]} " == *" checkpoint "* ]] && targets+=(h4h)
ninja -C "$BUILD" -j "$JOBS" "${targets[@]}"

WORK=$BUILD/fuzz
SEEDS=$WORK/seeds
rm -rf "$SEEDS" "$WORK/findings" "$WORK/logs"
mkdir -p "$SEEDS" "$WORK/findings" "$WORK/logs"

san_export_options "$WORK"

# An IDX file of the first N records of a Fashion-MNIST file (header rewritten), gzip-compressed.
# (Subshells without pipefail: head closes the pipe early on purpose.)
FMNIST=/usr/share/datasets/fashion-mnist  # Debian package dataset-fashion-mnist
be32() { printf "\\x$(printf %02x $(($1 >> 24 & 255)))\\x$(printf %02x $(($1 >> 16 & 255)))\\x$(printf %02x $(($1 >> 8 & 255)))\\x$(printf %02x $(($1 & 255)))"; }
idx_images() (  # FILE N
  set +o pipefail
  { printf '\x00\x00\x08\x03'; be32 "$2"; be32 28; be32 28; zcat "$1" | tail -c +17 | head -c $(($2 * 784)); } | gzip -n
)
idx_labels() (  # FILE N
  set +o pipefail
  { printf '\x00\x00\x08\x01'; be32 "$2"; zcat "$1" | tail -c +9 | head -c "$2"; } | gzip -n
)

seed_dir() { mkdir -p "$SEEDS/$1" && echo "$SEEDS/$1"; }
"$BUILD"/tests/fuzz/fuzz_write_seeds "$SEEDS"  # onnx_import/*.onnx, workload_json/<zoo model>.json
for h in "${HARNESSES[@]}"; do
  d=$(seed_dir "$h")
  case $h in
    workload_json) cp traces/golden/*.workload.json "$d"/ ;;
    hardware_yaml) cp hwconfigs/*.yaml "$d"/ ;;
    search_space) cp models/spaces/*.yaml "$d"/ ;;
    idx_reader)
      if [[ -f $FMNIST/t10k-images-idx3-ubyte.gz ]]; then
        for n in 1 3; do
          { idx_images $FMNIST/t10k-images-idx3-ubyte.gz $n; printf '\n--- labels\n'; idx_labels $FMNIST/t10k-labels-idx1-ubyte.gz $n; } > "$d/fmnist-$n"
        done
        # Truncated: the real header with a few images.
        ( set +o pipefail; zcat $FMNIST/t10k-images-idx3-ubyte.gz | head -c 2000 | gzip -n; printf '\n--- labels\n'
          zcat $FMNIST/t10k-labels-idx1-ubyte.gz | head -c 20 | gzip -n ) > "$d/fmnist-truncated"
      fi ;;
    cifar_reader)
      for labels in 0 '5 9'; do  # whole records: a label byte, then 3072 pixel bytes
        for l in $labels; do printf "\\x$(printf %02x "$l")"; head -c 3072 /dev/urandom; done > "$d/records-${labels// /-}.bin"
      done ;;
    checkpoint)
      # A one-step training run on a tiny space and a 64-image Fashion-MNIST subset.
      data=$WORK/ckpt-data
      rm -rf "$data" "$WORK/ckpt-run" && mkdir -p "$data"
      for split in train t10k; do
        idx_images $FMNIST/$split-images-idx3-ubyte.gz 64 > "$data/$split-images-idx3-ubyte.gz"
        idx_labels $FMNIST/$split-labels-idx1-ubyte.gz 64 > "$data/$split-labels-idx1-ubyte.gz"
      done
      "$BUILD"/h4h train --space tests/fuzz/checkpoint_space.yaml --data "fashion-mnist:$data" --val-count 8 \
        --batch-size 8 --max-steps 1 --threads 1 --workers 0 --out "$WORK/ckpt-run" > "$WORK/logs/ckpt-train.log" 2>&1
      cp "$WORK/ckpt-run/last.ckpt" "$d/tiny.ckpt" ;;
  esac
done

# Longest input per harness: above its largest seed, small enough to keep executions fast.
max_len() {
  case $1 in
    workload_json) echo 40960 ;;  # the largest zoo model (nasvit_a0) is 39 KB
    onnx_import) echo 16384 ;;
    hardware_yaml|search_space|idx_reader) echo 8192 ;;
    mapping) echo 4096 ;;
    cifar_reader) echo 10000 ;;
    checkpoint) echo $(( $(stat -c %s "$SEEDS/checkpoint/tiny.ckpt") + 4096 )) ;;
  esac
}

# One harness: fuzz it, then leave its exit code in logs/HARNESS.rc.
fuzz_one() {
  local h=$1 corpus=$WORK/corpus/$1 findings=$WORK/findings/$1 log=$WORK/logs/$1.log rc=0
  mkdir -p "$corpus" "$findings"
  local inputs=("$corpus" "$SEEDS/$h") extra
  for extra in tests/fuzz/seeds/$h tests/fuzz/regressions/$h; do [[ -d $extra ]] && inputs+=("$extra"); done
  "$BUILD/tests/fuzz/fuzz_$h" -max_total_time="$SECONDS_EACH" -max_len="$(max_len "$h")" -timeout=25 \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$findings/" \
    "${inputs[@]}" > "$log" 2>&1 || rc=$?
  echo "$rc" > "$WORK/logs/$h.rc"
}

# H4H_FUZZ_JOBS harnesses at a time (default 1: each has a core to itself on a 2-core machine
# while the build's jobs are done).
PARALLEL=${H4H_FUZZ_JOBS:-1}
running=0
for h in "${HARNESSES[@]}"; do
  echo "== fuzz_$h: ${SECONDS_EACH}s (log: $WORK/logs/$h.log)"
  if ((PARALLEL <= 1)); then
    fuzz_one "$h"
    continue
  fi
  fuzz_one "$h" &
  running=$((running + 1))
  if ((running >= PARALLEL)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

status=0
summary=()
for h in "${HARNESSES[@]}"; do
  log=$WORK/logs/$h.log findings=$WORK/findings/$h
  rc=$(cat "$WORK/logs/$h.rc" 2>/dev/null || echo "?")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  found=$(find "$findings" -type f | wc -l)
  if [[ $rc != 0 || $found -gt 0 ]]; then
    status=1
    echo "== fuzz_$h: exit $rc, $found finding(s); the end of $log:"
    tail -n 40 "$log"
  fi
  summary+=("$(printf '%-14s execs %-9s cov %-6s findings %s%s' "$h" "${execs:-?}" "${cov:-?}" "$found" \
    "$([[ $rc != 0 ]] && echo " (exit $rc)")")")
done
echo "== fuzz summary (${SECONDS_EACH}s each, $PARALLEL at a time, $BUILD)"
printf '%s\n' "${summary[@]}"
if [[ $status -ne 0 ]]; then
  echo "findings in $WORK/findings/: fix the parser, then store each input under tests/fuzz/regressions/<harness>/" >&2
fi
exit $status
