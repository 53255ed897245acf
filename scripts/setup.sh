#!/usr/bin/env bash
# Installs every Debian package h4h needs, idempotently (Debian 12, root or sudo).
# Safe to run again: packages already present are skipped, apt is only touched when one is missing.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git
  libsystemc-dev            # SystemC 2.3.4 (built as C++17)
  libboost-dev              # Boost headers
  libfmt-dev libspdlog-dev  # formatting and logging
  libyaml-cpp-dev           # hardware and search-space YAML
  nlohmann-json3-dev        # workload / result JSON
  libcli11-dev              # command line
  libgtest-dev libgmock-dev libbenchmark-dev  # tests and benchmarks
  libtorch-dev libopenblas0-pthread           # supernet training (CPU LibTorch + fast BLAS)
  libopenmpi-dev openmpi-bin                  # distributed training and search
  dataset-fashion-mnist     # default training data
  zlib1g-dev libjpeg62-turbo-dev libpng-dev   # training data: IDX .gz, ImageFolder JPEG/PNG decoding
  libzip-dev                # CRC-32 check of checkpoints before LibTorch reads them
  gnuplot-nox               # plots
  jq                        # reading result JSON in scripts
  libpagmo-dev              # search: non-dominated sorting, crowding distance, hypervolume
  libonnx-dev               # ONNX import and export (protobuf classes, checker, shape inference)
  clang-14 libclang-rt-14-dev llvm-14  # sanitized build and libFuzzer (scripts/sanitize.sh, fuzz.sh)
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
