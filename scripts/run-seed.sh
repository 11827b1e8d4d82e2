#!/usr/bin/env bash
# The main job: installs what is missing, builds QuantOpt, compiles the
# bundled seed CNN (models/seed_cnn.onnx) to int8 C, runs it on the 10,000
# Fashion-MNIST test images and compares it with the float model in ONNX
# Runtime. Extra arguments go to python/evaluate.py (see --help).
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh
if [ ! -d ort/node_modules/onnxruntime-node ]; then
  (cd ort && npm ci --ignore-scripts --no-audit --no-fund)
fi
./scripts/build.sh quant-opt
exec /usr/bin/python3 python/evaluate.py --qdq --sweep --latency --report out/report "$@"
