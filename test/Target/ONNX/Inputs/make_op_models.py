#!/usr/bin/env python3
# ===- make_op_models.py - ONNX models of the pointwise/shape op tests ----=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Writes the small ONNX models of test/Target/ONNX/pointwise-ops.test and
negative-pointwise-ops.test into a directory.

Usage: make_op_models.py OUTDIR
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


def model(nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, "test", inputs, outputs,
                              initializer=list(inits))
    return helper.make_model(graph, producer_name="make_op_models.py",
                             opset_imports=[helper.make_opsetid("", opset)])


def value(name, shape, elem_type=F32):
    return helper.make_tensor_value_info(name, elem_type, shape)


def axes(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def pointwise():
    """Every pointwise function, a broadcasting Mul, Transpose, Squeeze,
    Unsqueeze and Softmax in one graph."""
    n = helper.make_node
    nodes = [
        n("LeakyRelu", ["x"], ["a"], name="leaky"),
        n("Sigmoid", ["a"], ["b"], name="sigmoid"),
        n("HardSigmoid", ["b"], ["c"], name="hsig", alpha=0.25, beta=0.375),
        n("Tanh", ["c"], ["d"], name="tanh"),
        n("Mul", ["d", "s"], ["e"], name="mul"),
        n("Transpose", ["e"], ["f"], name="transpose", perm=[0, 2, 3, 1]),
        n("Unsqueeze", ["f", "ax_u"], ["g"], name="unsqueeze"),
        n("Squeeze", ["g", "ax_s"], ["h"], name="squeeze"),
        n("Squeeze", ["h"], ["i"], name="squeeze_all"),
        n("Softmax", ["i"], ["y"], name="softmax"),
    ]
    return model(nodes, [value("x", [1, 4, 1, 3]), value("s", [1, 4, 1, 1])],
                 [value("y", [3, 4])],
                 [axes("ax_u", [-1, 0]), axes("ax_s", [0])])


def single(op, in_shapes, out_shape, inits=(), opset=13, inputs=None, **attrs):
    names = inputs or [f"x{i}" for i in range(len(in_shapes))]
    graph_inputs = [value(nm, s) for nm, s in zip(names, in_shapes)]
    node = helper.make_node(op, names, ["y"], name="n", **attrs)
    return model([node], graph_inputs, [value("y", out_shape)], inits, opset)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_op_models.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    models = {
        "pointwise": pointwise(),
        "hardswish": single("HardSwish", [[2, 3]], [2, 3], opset=14),
        "transpose_default": single("Transpose", [[2, 3, 4]], [4, 3, 2]),
        "softmax_axis_range": single("Softmax", [[2, 3]], [2, 3], axis=2),
        "transpose_repeated": single("Transpose", [[2, 3]], [2, 2], perm=[0, 0]),
        "transpose_short": single("Transpose", [[2, 3, 4]], [3, 2], perm=[1, 0]),
        "squeeze_not_one": single("Squeeze", [[1, 3]], [1],
                                  [axes("ax", [1])], inputs=["x0", "ax"]),
        "squeeze_axes_input": single("Squeeze", [[1, 3], [1]], [3],
                                     inputs=["x0", "ax"]),
        "unsqueeze_no_axes": single("Unsqueeze", [[3]], [1, 3]),
        "unsqueeze_repeated": single("Unsqueeze", [[3]], [1, 1, 3],
                                     [axes("ax", [0, 0])], inputs=["x0", "ax"]),
        "unsqueeze_out_of_range": single("Unsqueeze", [[3]], [1, 3],
                                         [axes("ax", [2])], inputs=["x0", "ax"]),
        "leaky_inf_alpha": single("LeakyRelu", [[3]], [3], alpha=float("inf")),
        "mul_no_broadcast": single("Mul", [[2, 3], [4]], [2, 3]),
        "sigmoid_attr": single("Sigmoid", [[3]], [3], alpha=1.0),
    }
    for name, m in models.items():
        onnx.save(m, os.path.join(out, name + ".onnx"))


if __name__ == "__main__":
    main()
