#!/usr/bin/env python3
# ===- make_integer_tests.py - Wrapping UINT8/INT8 Add and Mul tests -----=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Writes ONNX Add / Mul on UINT8 and INT8 tensors in the node-test layout,
with outputs from numpy's integer arithmetic (which wraps modulo 256, as
ONNX specifies), for python/run_node_tests.py. The inputs cover the whole
8-bit ranges so that most sums and products overflow.

Usage: make_integer_tests.py OUTDIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CASES = {
    # name: (op, numpy dtype, ONNX type, x shape, y shape)
    "add_uint8_wrap": ("Add", np.uint8, TensorProto.UINT8, [3, 4, 5], [3, 4, 5]),
    "mul_uint8_wrap": ("Mul", np.uint8, TensorProto.UINT8, [3, 4, 5], [3, 4, 5]),
    "add_int8_wrap_bcast": ("Add", np.int8, TensorProto.INT8, [3, 4, 5], [5]),
    "mul_int8_wrap_bcast": ("Mul", np.int8, TensorProto.INT8, [2, 3, 4], [3, 1]),
}


def main():
    out = sys.argv[1]
    rng = np.random.default_rng(5)
    for name, (op, dtype, onnx_type, xs, ys) in CASES.items():
        out_shape = list(np.broadcast_shapes(tuple(xs), tuple(ys)))
        graph = helper.make_graph(
            [helper.make_node(op, ["x", "y"], ["z"], name=op.lower())], name,
            [helper.make_tensor_value_info("x", onnx_type, xs),
             helper.make_tensor_value_info("y", onnx_type, ys)],
            [helper.make_tensor_value_info("z", onnx_type, out_shape)])
        model = helper.make_model(graph, producer_name="make_integer_tests",
                                  opset_imports=[helper.make_opsetid("", 14)])
        onnx.checker.check_model(model)
        d = os.path.join(out, "test_" + name)
        os.makedirs(os.path.join(d, "test_data_set_0"), exist_ok=True)
        onnx.save(model, os.path.join(d, "model.onnx"))
        info = np.iinfo(dtype)
        x = rng.integers(info.min, info.max + 1, xs).astype(dtype)
        y = rng.integers(info.min, info.max + 1, ys).astype(dtype)
        with np.errstate(over="ignore"):
            z = (x + y) if op == "Add" else (x * y)
        for kind, array, tensor_name in (("input_0", x, "x"),
                                         ("input_1", y, "y"),
                                         ("output_0", z.astype(dtype), "z")):
            with open(os.path.join(d, "test_data_set_0", kind + ".pb"),
                      "wb") as f:
                f.write(numpy_helper.from_array(array, tensor_name)
                        .SerializeToString())


if __name__ == "__main__":
    main()
