#!/usr/bin/env python3
# ===- make_models.py - ONNX models of the importer tests ------------------=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Writes the small ONNX models of test/Target/ONNX into a directory.

Usage: make_models.py OUTDIR

Run by the lit RUN lines (`%PYTHON %S/Inputs/make_models.py %t`) with
Debian's python3-onnx (1.12) and numpy. Weights come from a seeded generator,
so every run writes the same bytes.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


def make_model(nodes, inputs, outputs, inits=(), opset=13, check=True):
    """A model of one graph importing the default opset `opset`."""
    graph = helper.make_graph(nodes, "test", inputs, outputs,
                              initializer=list(inits))
    model = helper.make_model(graph, producer_name="make_models.py",
                              opset_imports=[helper.make_opsetid("", opset)])
    if check:
        onnx.checker.check_model(model)
    return model


def tensor(name, array):
    return numpy_helper.from_array(array, name)


def value(name, shape, elem_type=F32):
    return helper.make_tensor_value_info(name, elem_type, shape)


def seed_cnn(batch=1, unnamed_relu=False):
    """Conv 1->16 3x3 pad 1, Relu, MaxPool 2, Flatten, Gemm transB (to 10)."""
    rng = np.random.default_rng(0)
    w = rng.standard_normal((16, 1, 3, 3)).astype(np.float32)
    b = rng.standard_normal(16).astype(np.float32)
    fc_w = rng.standard_normal((10, 16 * 14 * 14)).astype(np.float32)
    fc_b = rng.standard_normal(10).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"],
                         ["c1"], name="conv1", kernel_shape=[3, 3],
                         pads=[1, 1, 1, 1], strides=[1, 1]),
        helper.make_node("Relu", ["c1"], ["r1"],
                         name="" if unnamed_relu else "relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1",
                         kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p1"], ["f1"], name="flatten", axis=1),
        helper.make_node("Gemm", ["f1", "fc.weight", "fc.bias"], ["logits"],
                         name="fc", transB=1),
    ]
    inits = [tensor("conv1.weight", w), tensor("conv1.bias", b),
             tensor("fc.weight", fc_w), tensor("fc.bias", fc_b)]
    return make_model(nodes, [value("input", [batch, 1, 28, 28])],
                      [value("logits", [batch, 10])], inits)


def reshape_neg():
    """Reshape [2, 3, 4] by [0, -1], then by a Constant node [-1, 4, 3]."""
    nodes = [
        helper.make_node("Reshape", ["x", "shape1"], ["y1"], name="reshape1"),
        helper.make_node("Constant", [], ["shape2"], name="shape2",
                         value=tensor("v", np.array([-1, 4, 3], np.int64))),
        helper.make_node("Reshape", ["y1", "shape2"], ["y"], name="reshape2"),
    ]
    inits = [tensor("shape1", np.array([0, -1], np.int64))]
    return make_model(nodes, [value("x", [2, 3, 4])], [value("y", [2, 4, 3])],
                      inits)


def clip():
    """Clip to [0, 6]: min an initializer, max a Constant node."""
    nodes = [
        helper.make_node("Constant", [], ["max"], name="six",
                         value=tensor("v", np.array(6.0, np.float32))),
        helper.make_node("Clip", ["x", "min", "max"], ["y"], name="relu6"),
    ]
    inits = [tensor("min", np.array(0.0, np.float32))]
    return make_model(nodes, [value("x", [1, 4])], [value("y", [1, 4])],
                      inits)


def qdq_conv():
    """A QDQ Conv: uint8 activations, per-channel int8 weights, int32 bias."""
    rng = np.random.default_rng(1)
    s_in = np.float32(0.02)
    s_w = np.array([0.5, 0.25, 0.125, 0.0625], np.float32)
    w = rng.integers(-127, 128, (4, 3, 3, 3)).astype(np.int8)
    bias = rng.integers(-1000, 1000, 4).astype(np.int32)
    s_b = (s_in * s_w).astype(np.float32)
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s_in", "zp_in"], ["xq"],
                         name="x_q"),
        helper.make_node("DequantizeLinear", ["xq", "s_in", "zp_in"],
                         ["xdq"], name="x_dq"),
        helper.make_node("DequantizeLinear", ["w", "s_w", "zp_w"], ["wdq"],
                         name="w_dq", axis=0),
        helper.make_node("DequantizeLinear", ["b", "s_b", "zp_b"], ["bdq"],
                         name="b_dq", axis=0),
        helper.make_node("Conv", ["xdq", "wdq", "bdq"], ["y"], name="conv",
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("QuantizeLinear", ["y", "s_out", "zp_out"], ["yq"],
                         name="y_q"),
        helper.make_node("DequantizeLinear", ["yq", "s_out", "zp_out"],
                         ["out"], name="y_dq"),
    ]
    inits = [
        tensor("s_in", np.array(s_in)),
        tensor("zp_in", np.array(128, np.uint8)),
        tensor("w", w), tensor("s_w", s_w),
        tensor("zp_w", np.zeros(4, np.int8)),
        tensor("b", bias), tensor("s_b", s_b),
        tensor("zp_b", np.zeros(4, np.int32)),
        tensor("s_out", np.array(0.25, np.float32)),
        tensor("zp_out", np.array(100, np.uint8)),
    ]
    return make_model(nodes, [value("x", [1, 3, 8, 8])],
                      [value("out", [1, 4, 8, 8])], inits)


def single_node(op_type, inputs, input_shape, output_shape, inits=(),
                opset=13, check=True, **attrs):
    node = helper.make_node(op_type, inputs, ["y"], name="n", **attrs)
    return make_model([node], [value(inputs[0], input_shape)],
                      [value("y", output_shape)], inits, opset, check)


def dynamic_dim():
    """A symbolic batch (fine) and a symbolic height (an error)."""
    return single_node("Relu", ["x"], ["N", 3, "H", 8], ["N", 3, "H", 8])


def reshape_dynamic_shape():
    """The Reshape shape is a graph input, not a constant."""
    node = helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")
    return make_model([node], [value("x", [2, 6]), value("shape", [2])],
                      [value("y", [3, 4])], check=False)


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_models.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    models = {
        "conv_relu_pool": seed_cnn(),
        "unnamed_node": seed_cnn(unnamed_relu=True),
        "symbolic_batch": seed_cnn(batch="N"),
        "reshape_neg": reshape_neg(),
        "clip": clip(),
        "qdq_conv": qdq_conv(),
        "unsupported_op": single_node("Softmax", ["x"], [1, 10], [1, 10]),
        "maxpool_ceil": single_node("MaxPool", ["x"], [1, 1, 5, 5],
                                    [1, 1, 3, 3], kernel_shape=[2, 2],
                                    strides=[2, 2], ceil_mode=1),
        "conv_group": single_node(
            "Conv", ["x", "w"], [1, 1, 5, 5], [1, 4, 3, 3],
            [tensor("w", np.ones((4, 1, 3, 3), np.float32))], check=False,
            group=2),
        "dynamic_dim": dynamic_dim(),
        "reshape_dynamic": reshape_dynamic_shape(),
        "opset11": single_node("Relu", ["x"], [1, 4], [1, 4], opset=11),
    }
    for name, model in models.items():
        write(os.path.join(out, name + ".onnx"), model.SerializeToString())
    # The first 20 bytes of a valid model, and a text file.
    write(os.path.join(out, "truncated.onnx"),
          models["conv_relu_pool"].SerializeToString()[:20])
    write(os.path.join(out, "not_onnx.onnx"),
          b"this is a text file, not an ONNX model\n")


if __name__ == "__main__":
    main()
