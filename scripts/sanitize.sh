#!/usr/bin/env bash
# Usage: scripts/sanitize.sh [--torch-free] [ctest arguments...]
#
# Builds h4h with clang-14, AddressSanitizer (with LeakSanitizer) and UndefinedBehaviorSanitizer
# and runs the whole CTest suite on that build. Exits non-zero on a failed test or on any sanitizer
# report, also one from an h4h child process (simulation workers, `mpirun` ranks) whose test did
# not fail: every report goes to a log file (log_path), and the script prints them and fails.
#   --torch-free  everything that does not link LibTorch (-DH4H_WITH_TORCH=OFF) in
#                 build-san-notorch/; the CI run. Without it: the whole suite in build-san/.
# The build directory is configured on first use and kept, as scripts/lib/sanitized_build.sh says
# (shared with scripts/fuzz.sh); H4H_SAN_BUILD_DIR overrides it, H4H_JOBS the parallel jobs
# (default: nproc). Suppressions: scripts/sanitizers.supp, one file with the reason for each.
set -euo pipefail
cd "$(dirname "$0")/.."

TORCH=ON
BUILD_DIR=build-san
if [[ ${1:-} == --torch-free ]]; then
  TORCH=OFF
  BUILD_DIR=build-san-notorch
  shift
fi
BUILD_DIR=${H4H_SAN_BUILD_DIR:-$BUILD_DIR}
JOBS=${H4H_JOBS:-$(nproc)}

# shellcheck source=lib/sanitized_build.sh
source scripts/lib/sanitized_build.sh
san_configure "$TORCH" "$BUILD_DIR"
cmake --build "$BUILD_DIR" -j "$JOBS"

# Every report goes to a log file, also one from a child process whose test did not fail.
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/reports"
san_export_options "$WORK" "halt_on_error=1:log_path=$WORK/reports/report:log_exe_name=1"

status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" "$@" || status=$?

# A report with a SUMMARY line is a finding (ASan, LSan and UBSan all end theirs with one), unless
# it is a crash that sanitizers.supp lists under deadly_signal:. The rest are warnings, such as
# ASan's "ignoring requested __asan_handle_no_return" when SystemC switches coroutine stacks.
findings=0
others=()
for r in "$WORK"/reports/*; do
  [[ -e $r ]] || continue
  if san_expected_crash "$r"; then
    echo "sanitize: expected crash (scripts/sanitizers.supp, deadly_signal:): $(basename "$r"): $(grep -m1 '^SUMMARY: ' "$r")"
  elif grep -q '^SUMMARY: ' "$r"; then
    findings=$((findings + 1))
    echo "==== sanitizer report: $(basename "$r")"
    cat "$r"
  else
    others+=("$r")
  fi
done
if ((${#others[@]} > 0)); then
  echo "sanitize: messages of ${#others[@]} process(es) that are not findings (count, message):"
  cat "${others[@]}" | sed -E 's/^==[^=]+==[0-9]+==//; s/0x[0-9a-f]+/0x_/g; s/\(-?[0-9]+\)//' | sort | uniq -c
fi
if ((findings > 0)); then
  echo "sanitize: $findings sanitizer report(s) (above)" >&2
  exit 1
fi
if ((status != 0)); then
  echo "sanitize: tests failed in $BUILD_DIR" >&2
  exit "$status"
fi
echo "sanitize: clean ($BUILD_DIR)"
