#!/usr/bin/env python3
"""Writes float single-node models in the ONNX node-test layout, with the
outputs computed by ONNX Runtime, for python/run_node_tests.py.

Usage: make_ort_node_tests.py OUTDIR RUN_MODEL_JS

The cases cover what the ONNX 1.12 node tests leave out: 1-D pooling with
padding, ceil_mode windows that reach past the padding (MaxPool, and
AveragePool without count_include_pad), ceil_mode with count_include_pad
where no window reaches past the padding, dilated MaxPool with ceil_mode,
batched MatMul with broadcast batch dimensions, a MatMul of two computed
operands (attention's Q x K^T), Softmax on a middle
axis of a 4-D input, and 3-D MaxPool / AveragePool with padding, strides,
dilation and ceil_mode. Each model is run by ONNX Runtime (RUN_MODEL_JS,
ort/run_model.js) on SAMPLES random inputs.
"""

import sys

import numpy as np
from onnx import helper, numpy_helper

from ort_node_tests import write_tests

SAMPLES = 3


def pool(op, in_shape, out_shape, **attrs):
    node = helper.make_node(op, ["x"], ["y"], name="pool", **attrs)
    return [node], [], in_shape, out_shape


def batched_matmul():
    rng = np.random.default_rng(7)
    # x [1, 1, 4, 5] x w [1, 3, 5, 2]: x's second batch dimension of 1
    # broadcasts against w's 3.
    w = rng.uniform(-1, 1, (1, 3, 5, 2)).astype(np.float32)
    node = helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")
    return [node], [numpy_helper.from_array(w, "w")], [1, 1, 4, 5], \
        [1, 3, 4, 2]


def matmul_two_activations():
    # Attention-style scores: Q = x, K^T = Transpose(Relu(x)); both
    # operands of the MatMul are computed.
    nodes = [
        helper.make_node("Relu", ["x"], ["k"], name="relu"),
        helper.make_node("Transpose", ["k"], ["kt"], name="transpose",
                         perm=[0, 1, 3, 2]),
        helper.make_node("MatMul", ["x", "kt"], ["y"], name="matmul"),
    ]
    return nodes, [], [1, 2, 4, 6], [1, 2, 4, 4]


def softmax_middle_axis():
    node = helper.make_node("Softmax", ["x"], ["y"], name="softmax", axis=1)
    return [node], [], [1, 4, 3, 2], [1, 4, 3, 2]


TESTS = {
    # L = 10, k = 3, s = 2, pads 1/1: ceil gives 6 windows (floor 5), the
    # last one reaching one cell past the end padding.
    "maxpool_1d_ceil_pads": lambda: pool(
        "MaxPool", [1, 2, 10], [1, 2, 6], kernel_shape=[3], strides=[2],
        pads=[1, 1], ceil_mode=1),
    "averagepool_1d_ceil_pads": lambda: pool(
        "AveragePool", [1, 2, 10], [1, 2, 6], kernel_shape=[3], strides=[2],
        pads=[1, 1], ceil_mode=1),
    # L = 8, k = 3, s = 2, pads 1/0: floor and ceil both give 4 windows, so
    # count_include_pad counts the whole window everywhere.
    "averagepool_1d_ceil_count_include_pad": lambda: pool(
        "AveragePool", [1, 2, 8], [1, 2, 4], kernel_shape=[3], strides=[2],
        pads=[1, 0], ceil_mode=1, count_include_pad=1),
    "averagepool_1d_same_upper": lambda: pool(
        "AveragePool", [1, 2, 7], [1, 2, 4], kernel_shape=[2], strides=[2],
        auto_pad="SAME_UPPER"),
    # 7x8, k = 2, dilation 2 (extent 3), s = 2: ceil gives 3x4 windows.
    "maxpool_2d_dilations_ceil": lambda: pool(
        "MaxPool", [1, 2, 7, 8], [1, 2, 3, 4], kernel_shape=[2, 2],
        strides=[2, 2], dilations=[2, 2], ceil_mode=1),
    "maxpool_1d_dilations_pads": lambda: pool(
        "MaxPool", [1, 2, 10], [1, 2, 5], kernel_shape=[3], strides=[2],
        dilations=[2], pads=[2, 1]),
    # 3-D pooling (two 2-D pools, over H x W then D): asymmetric pads,
    # strides, dilation and ceil_mode on every axis.
    # D = 5, k = 3, s = 2, pads 1/0, dilation 1: 3 windows; H = 6, k = 2,
    # s = 2, dilation 2 (extent 3), ceil: 3; W = 7, k = 3, s = 1, pads 0/1: 6.
    "maxpool_3d_pads_dilations_ceil": lambda: pool(
        "MaxPool", [1, 2, 5, 6, 7], [1, 2, 3, 3, 6], kernel_shape=[3, 2, 3],
        strides=[2, 2, 1], dilations=[1, 2, 1], pads=[1, 0, 0, 0, 0, 1],
        ceil_mode=1),
    "averagepool_3d_pads": lambda: pool(
        "AveragePool", [1, 2, 5, 6, 7], [1, 2, 3, 3, 4],
        kernel_shape=[3, 2, 3], strides=[2, 2, 2], pads=[1, 0, 1, 1, 0, 1]),
    "averagepool_3d_count_include_pad": lambda: pool(
        "AveragePool", [1, 2, 5, 6, 7], [1, 2, 3, 3, 4],
        kernel_shape=[3, 2, 3], strides=[2, 2, 2], pads=[1, 0, 1, 1, 0, 1],
        count_include_pad=1),
    "matmul_batched_broadcast": batched_matmul,
    "matmul_two_activations": matmul_two_activations,
    "softmax_axis_1_of_4d": softmax_middle_axis,
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_ort_node_tests.py OUTDIR RUN_MODEL_JS")
    write_tests(sys.argv[1], sys.argv[2], TESTS, "make_ort_node_tests", SAMPLES,
                -3, 3, check_shape=True)


if __name__ == "__main__":
    main()
