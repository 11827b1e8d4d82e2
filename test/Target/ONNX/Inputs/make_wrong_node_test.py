#!/usr/bin/env python3
# ===- make_wrong_node_test.py - A node test with a wrong output ----------=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Copies the ONNX node test SRC to OUTDIR/NAME with its expected output
shifted by DELTA, so that python/run_node_tests.py must report it failed.

Usage: make_wrong_node_test.py SRC OUTDIR NAME DELTA
"""

import os
import shutil
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def main():
    src, out, name, delta = sys.argv[1], sys.argv[2], sys.argv[3], \
        float(sys.argv[4])
    dst = os.path.join(out, name)
    shutil.copytree(src, dst)
    path = os.path.join(dst, "test_data_set_0", "output_0.pb")
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    array = numpy_helper.to_array(tensor)
    shifted = (array.astype(np.float64) + delta).astype(array.dtype)
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(shifted, tensor.name)
                .SerializeToString())


if __name__ == "__main__":
    main()
