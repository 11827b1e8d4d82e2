#!/usr/bin/env python3
# ===- make_qlinear_tests.py - QLinearConv/QLinearMatMul node tests -------=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Writes QLinearConv / QLinearMatMul tests in the ONNX node-test layout.

Usage: make_qlinear_tests.py OUTDIR RUN_MODEL_JS

Each test is OUTDIR/test_NAME/model.onnx (float input -> QuantizeLinear ->
QLinearConv or QLinearMatMul with constant weights and bias ->
DequantizeLinear -> float output) and test_data_set_K/{input_0,output_0}.pb
for four seeded random inputs, the outputs computed by ONNX Runtime
(RUN_MODEL_JS, ort/run_model.js). python/run_node_tests.py then runs them
through the C bundle. Weights are symmetric (INT8 zero point 0, UINT8 zero
point 128) or asymmetric (split into int8 pieces by the importer), per
tensor or per output channel; scales are not powers of two, so exact
rounding ties are unlikely.
"""

import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

from ort_node_tests import write_tests

SAMPLES = 4


def const(name, array):
    return numpy_helper.from_array(array, name)


def qlinear_conv(u8, per_channel, strides, pads, group=1, w_zero_point=128):
    """uint8 activations (ONNX Runtime's CPU kernels have no int8
    activations with these weights); `u8` selects uint8 weights, else
    int8."""
    rng = np.random.default_rng(7 if u8 else 11)
    c, m, k = 4, 8 if group > 1 else 6, 3
    x_zp = np.array(131 if u8 else 97, np.uint8)
    y_zp = np.array(117 if u8 else 140, np.uint8)
    if u8:
        w = rng.integers(1, 256, (m, c // group, k, k)).astype(np.uint8)
        w_zp = np.full(m if per_channel else (), w_zero_point, np.uint8)
    else:
        w = rng.integers(-127, 128, (m, c // group, k, k)).astype(np.int8)
        w_zp = np.zeros(m if per_channel else (), np.int8)
    w_scale = (rng.uniform(0.003, 0.011, m) if per_channel
               else np.array(0.0071)).astype(np.float32)
    x_scale = np.array(0.0213, np.float32)
    y_scale = np.array(0.0517, np.float32)
    bias = rng.integers(-3000, 3000, m).astype(np.int32)
    inits = [const("x_s", x_scale), const("x_zp", x_zp), const("w", w),
             const("w_s", w_scale), const("w_zp", w_zp),
             const("y_s", y_scale), const("y_zp", y_zp), const("b", bias)]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_s", "x_zp"], ["xq"],
                         name="quantize"),
        helper.make_node("QLinearConv", ["xq", "x_s", "x_zp", "w", "w_s",
                                         "w_zp", "y_s", "y_zp", "b"], ["yq"],
                         name="qconv", strides=strides, pads=pads,
                         group=group),
        helper.make_node("DequantizeLinear", ["yq", "y_s", "y_zp"], ["y"],
                         name="dequantize"),
    ]
    oh = (9 + pads[0] + pads[2] - k) // strides[0] + 1
    ow = (9 + pads[1] + pads[3] - k) // strides[1] + 1
    return nodes, inits, [1, c, 9, 9], [1, m, oh, ow]


def qlinear_matmul(per_column, b_zero_point=128):
    """uint8 activations and weights (ONNX Runtime's QLinearMatMul-10
    kernels take one type for both)."""
    rng = np.random.default_rng(13)
    k, n = 24, 10
    a_zp = np.array(120, np.uint8)
    y_zp = np.array(133, np.uint8)
    b = rng.integers(1, 256, (k, n)).astype(np.uint8)
    b_zp = np.full(n if per_column else (), b_zero_point, np.uint8)
    b_scale = (rng.uniform(0.004, 0.013, n) if per_column
               else np.array(0.0093)).astype(np.float32)
    inits = [const("a_s", np.array(0.0187, np.float32)), const("a_zp", a_zp),
             const("b", b), const("b_s", b_scale), const("b_zp", b_zp),
             const("y_s", np.array(0.0611, np.float32)), const("y_zp", y_zp)]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "a_s", "a_zp"], ["xq"],
                         name="quantize"),
        helper.make_node("QLinearMatMul", ["xq", "a_s", "a_zp", "b", "b_s",
                                           "b_zp", "y_s", "y_zp"], ["yq"],
                         name="qmatmul"),
        helper.make_node("DequantizeLinear", ["yq", "y_s", "y_zp"], ["y"],
                         name="dequantize"),
    ]
    return nodes, inits, [1, k], [1, n]


def integer_product(conv, u8_weights, w_zero_point, per_channel=False):
    """QuantizeLinear -> ConvInteger / MatMulInteger -> Cast(to=FLOAT): the
    exact int32 sum of (x - x_zp) * (w - w_zp), as a float."""
    rng = np.random.default_rng(17 if conv else 19)
    x_zp = np.array(119, np.uint8)
    if conv:
        c, m, k = 3, 5, 3
        shape = (m, c, k, k)
    else:
        c, m = 20, 7
        shape = (c, m)
    if u8_weights:
        w = rng.integers(0, 256, shape).astype(np.uint8)
        w_zp = np.full(m if per_channel else (), w_zero_point, np.uint8)
        if per_channel:
            w_zp = rng.integers(0, 256, m).astype(np.uint8)
    else:
        w = rng.integers(-128, 128, shape).astype(np.int8)
        w_zp = np.array(w_zero_point, np.int8)
    inits = [const("x_s", np.array(0.0213, np.float32)), const("x_zp", x_zp),
             const("w", w), const("w_zp", w_zp)]
    op = "ConvInteger" if conv else "MatMulInteger"
    attrs = {"strides": [2, 1], "pads": [1, 0, 1, 2]} if conv else {}
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "x_s", "x_zp"], ["xq"],
                         name="quantize"),
        helper.make_node(op, ["xq", "w", "x_zp", "w_zp"], ["acc"],
                         name="product", **attrs),
        helper.make_node("Cast", ["acc"], ["y"], name="cast",
                         to=onnx.TensorProto.FLOAT),
    ]
    if conv:
        return nodes, inits, [1, c, 7, 6], [1, m, 4, 6]
    return nodes, inits, [1, c], [1, m]


def qdq_pool_3d(op, **attrs):
    """QDQ 3-D pooling: QuantizeLinear -> DequantizeLinear -> MaxPool /
    AveragePool (3x2x3, strides 2, pads) -> QuantizeLinear ->
    DequantizeLinear."""
    inits = [const("s", np.array(0.0213, np.float32)),
             const("zp", np.array(131, np.uint8)),
             const("ys", np.array(0.0131, np.float32)),
             const("yzp", np.array(122, np.uint8))]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"],
                         name="quantize"),
        helper.make_node("DequantizeLinear", ["xq", "s", "zp"], ["xd"],
                         name="dequantize_x"),
        helper.make_node(op, ["xd"], ["p"], name="pool",
                         kernel_shape=[3, 2, 3], strides=[2, 2, 2],
                         pads=[1, 0, 1, 1, 0, 1], **attrs),
        helper.make_node("QuantizeLinear", ["p", "ys", "yzp"], ["pq"],
                         name="quantize_y"),
        helper.make_node("DequantizeLinear", ["pq", "ys", "yzp"], ["y"],
                         name="dequantize"),
    ]
    return nodes, inits, [1, 2, 5, 6, 7], [1, 2, 3, 3, 4]


TESTS = {
    # 3-D pooling of a QDQ model. MaxPool: two integer pools (the
    # intermediate in the input's quantization), exact. AveragePool with
    # windows of one (H, W) size: one grouped convolution, exact; with
    # (H, W) windows of several sizes (padding not counted): two pools,
    # rounded in between, within one step.
    "qdq_maxpool_3d": lambda: qdq_pool_3d("MaxPool"),
    "qdq_averagepool_3d_count_include_pad": lambda: qdq_pool_3d(
        "AveragePool", count_include_pad=1),
    "qdq_averagepool_3d_pads": lambda: qdq_pool_3d("AveragePool"),
    # Integer products of a statically quantized input: uint8 weights with
    # a zero point (w - zw up to 255: two int8 pieces), int8 weights with a
    # zero point, per-column uint8 zero points.
    "convinteger_u8_asymmetric": lambda: integer_product(True, True, 200),
    "convinteger_s8_weights": lambda: integer_product(True, False, -3),
    "matmulinteger_u8_asymmetric": lambda: integer_product(False, True, 31),
    "matmulinteger_u8_per_column": lambda: integer_product(
        False, True, 0, per_channel=True),
    "qlinearconv_u8_per_tensor": lambda: qlinear_conv(True, False, [1, 1],
                                                      [1, 1, 1, 1]),
    "qlinearconv_u8_per_channel": lambda: qlinear_conv(True, True, [2, 2],
                                                       [0, 1, 1, 0]),
    "qlinearconv_s8_weights_per_channel": lambda: qlinear_conv(False, True, [1, 1],
                                                       [1, 1, 1, 1]),
    "qlinearconv_s8_weights_grouped": lambda: qlinear_conv(False, True, [1, 1],
                                                     [1, 1, 1, 1], group=4),
    # Stride 2 on an odd-sized input with asymmetric pads: the phase
    # decomposition of the lowering (grouped, and one group-1 case above).
    "qlinearconv_s8_weights_grouped_stride2": lambda: qlinear_conv(
        False, True, [2, 2], [1, 0, 0, 1], group=4),
    "qlinearmatmul_u8_per_tensor": lambda: qlinear_matmul(False),
    "qlinearmatmul_u8_per_column": lambda: qlinear_matmul(True),
    # Asymmetric uint8 weights: w - zw reaches 218 and -201, two int8
    # pieces each.
    "qlinearconv_u8_asymmetric": lambda: qlinear_conv(
        True, True, [1, 1], [1, 1, 1, 1], w_zero_point=37),
    "qlinearmatmul_u8_asymmetric": lambda: qlinear_matmul(
        False, b_zero_point=201),
}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make_qlinear_tests.py OUTDIR RUN_MODEL_JS")
    write_tests(sys.argv[1], sys.argv[2], TESTS, "make_qlinear_tests", SAMPLES,
                -2.5, 2.5)


if __name__ == "__main__":
    main()
