#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs the whole test suite; then
# the suite of everything that does not link LibTorch again under AddressSanitizer and
# UndefinedBehaviorSanitizer, and a short libFuzzer pass over every Torch-free parser
# (H4H_FUZZ_SECONDS each, default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir "${H4H_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)"
bash scripts/sanitize.sh --torch-free
bash scripts/fuzz.sh --torch-free "${H4H_FUZZ_SECONDS:-10}"
