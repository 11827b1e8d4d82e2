#!/usr/bin/env bash
# The test command: installs what is missing (Debian packages, ONNX Runtime
# from npm), builds QuantOpt and runs every test (lit regression tests, unit
# tests, end-to-end tests on Fashion-MNIST against ONNX Runtime).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
if [ ! -d ort/node_modules/onnxruntime-node ]; then
  (cd ort && npm ci --ignore-scripts --no-audit --no-fund)
fi
./scripts/build.sh quant-opt QuantOptUnitTests

log=$(mktemp)
status=0
# Every mlir-opt-like process is bounded: a hang or runaway pattern set fails
# the test instead of the machine. A soft limit, so that the sanitizer test
# (whose shadow memory is a large reservation) can lift it for its binary.
ulimit -S -v 16000000
/usr/lib/llvm-22/bin/lit -sv --timeout=900 build/test build/test/Unit | tee "$log" || status=$?
passed=$(grep -oP '^\s*Passed\s*:\s*\K\d+' "$log" || echo 0)
failed=$(grep -oP '^\s*Failed\s*:\s*\K\d+' "$log" || echo 0)
rm -f "$log"
echo "tests: $passed passed, $failed failed"
exit $status
