"""Checks the accuracy numbers of a layer report written with
--mixed-precision-accuracy against ONNX Runtime (float) and the compiled C
bundle (int8), both computed here from their outputs and the labels."""
import json
import sys

import numpy as np

report, ref, bundle, labels = sys.argv[1:5]
mp = json.load(open(report))["mixed_precision"]
labels = np.load(labels)
ref = np.load(ref).reshape(len(labels), -1)
got = np.fromfile(bundle, dtype="<f4").reshape(len(labels), -1)
assert mp["metric"] == "top1_accuracy", mp
ort = 100.0 * np.mean(ref.argmax(1) == labels)
ok = abs(mp["float_percent"] - ort) <= 100.0 / len(labels) + 1e-9
print(f"float accuracy: reported {mp['float_percent']:.2f}, ONNX Runtime "
      f"{ort:.2f}: {'OK' if ok else 'MISMATCH'}")
c = 100.0 * np.mean(got.argmax(1) == labels)
ok2 = abs(mp["reached_percent"] - c) <= 2 * 100.0 / len(labels) + 1e-9
print(f"reached accuracy: reported {mp['reached_percent']:.2f}, C bundle "
      f"{c:.2f}: {'OK' if ok2 else 'MISMATCH'}")
# The seed CNN meets the 0.5-point budget.
assert mp["float_percent"] - mp["reached_percent"] <= 0.5 + 1e-9, mp
sys.exit(0 if ok and ok2 else 1)
