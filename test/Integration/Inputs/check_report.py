"""Checks an evaluate.py results.json against an independent ONNX Runtime
run (reference logits) and Fashion-MNIST labels loaded here."""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "python"))
import evaluate  # noqa: E402
import fashion_mnist  # noqa: E402

results = json.load(open(sys.argv[1]))
ref = np.load(sys.argv[2]).reshape(results["test_images"], -1)
_, labels = fashion_mnist.load("test")
labels = labels[:results["test_images"]]
accuracy = float((ref.argmax(1) == labels).mean())
assert abs(accuracy - results["accuracy_float_ort"]) < 1e-12, (accuracy, results)
assert len(results["layers"]) == 5, results["layers"]
assert all(l["sqnr_db"] > 20 for l in results["layers"]), results["layers"]
assert len(results["strategies"]) == len(evaluate.STRATEGIES)
assert all(abs(s["accuracy"] - accuracy) < 0.02 for s in results["strategies"])
changed = sum(n for _, n in results["changed_predictions"])
assert changed <= results["test_images"] * (1 - results["top1_agreement"]) + 1e-9
print("report consistent with ONNX Runtime:", accuracy)
