#!/usr/bin/env bash
# Configures and builds h4h into build/ (Ninja, ccache when present). Extra arguments go to ninja,
# e.g. `scripts/build.sh h4h` builds only the binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${H4H_BUILD_DIR:-build}
JOBS=${H4H_JOBS:-$(nproc)}
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${H4H_BUILD_TYPE:-RelWithDebInfo}"
fi
cmake --build "$BUILD_DIR" -j "$JOBS" -- "$@"
