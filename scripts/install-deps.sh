#!/usr/bin/env bash
# Installs the Debian 12 packages QuantOpt needs to build, test and run its
# main job. Safe to re-run; does nothing when everything is present.
set -euo pipefail

PKGS=(
  cmake ninja-build ccache clang-22 lld-22 llvm-22-dev llvm-22-tools
  libmlir-22-dev mlir-22-tools
  libgtest-dev libonnx-dev libprotobuf-dev protobuf-compiler
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  python3-onnx python3-numpy python3-torch libonnx-testdata dataset-fashion-mnist
)
# Node.js and npm run ONNX Runtime (onnxruntime-node), the reference runtime.
# Machines that already have them (for example from NodeSource) keep theirs.
command -v node >/dev/null 2>&1 || PKGS+=(nodejs)
command -v npm >/dev/null 2>&1 || PKGS+=(npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
