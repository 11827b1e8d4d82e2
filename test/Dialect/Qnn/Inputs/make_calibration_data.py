"""Writes the calibration .npy files of calibrate.mlir into a directory.

Usage: make_calibration_data.py OUT_DIR

The values are chosen so that every range, scale and zero point of the test
can be computed by hand (see the comments in calibrate.mlir).
"""

import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def save(name, array):
    np.save(os.path.join(out, name), np.asarray(array, dtype="<f4"))


# Three samples of a 1x1x2x2 input, one batch item each ([N, C, H, W]).
# Samples 0 and 1 span [-1, 6.96875]; sample 2 is an outlier that widens the
# range to [-9, 20] when all samples are used.
samples = np.array(
    [
        [-1.0, 0.5, 6.96875, 2.0],
        [0.0, 1.0, 3.0, -0.5],
        [20.0, -9.0, 0.0, 0.0],
    ],
    dtype="<f4",
)
save("samples.npy", samples.reshape(3, 1, 1, 2, 2)[:, 0])
# The same first two samples as whole inputs: [N, 1, 1, 2, 2].
save("samples-whole-input.npy", samples[:2].reshape(2, 1, 1, 2, 2))
# A shape that fits neither layout.
save("wrong-shape.npy", samples)
# A NaN at flat index 5 and an infinity at 9.
bad = samples.copy().reshape(-1)
bad[5] = np.nan
bad[9] = np.inf
save("non-finite.npy", bad.reshape(3, 1, 2, 2))
# One sample: too few for a batch-2 input.
save("one-sample.npy", samples[:1].reshape(1, 1, 2, 2))
# For the percentile method: 999 values evenly spread over [0, 1] and one
# outlier at 100, as 250 samples of 1x1x2x2.
spread = np.concatenate([np.linspace(0.0, 1.0, 999), [100.0]])
save("percentile.npy", spread.reshape(250, 1, 2, 2))
