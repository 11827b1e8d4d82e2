#!/usr/bin/env python3
# ===- make_models.py - ONNX models of the importer tests -----------------=== #
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


def auto_pad():
    """Conv with SAME_UPPER and MaxPool with SAME_LOWER, both stride 2."""
    w = np.ones((2, 1, 3, 3), np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="conv",
                         auto_pad="SAME_UPPER", strides=[2, 2]),
        helper.make_node("MaxPool", ["c"], ["y"], name="pool",
                         auto_pad="SAME_LOWER", kernel_shape=[2, 2],
                         strides=[2, 2]),
    ]
    return make_model(nodes, [value("x", [1, 1, 6, 6])],
                      [value("y", [1, 2, 2, 2])], [tensor("w", w)])


def matmul_add():
    """MatMul [2, 3] x [3, 4] plus a broadcast row."""
    rng = np.random.default_rng(2)
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["m"], name="matmul"),
        helper.make_node("Add", ["m", "b"], ["y"], name="add"),
    ]
    inits = [tensor("w", rng.standard_normal((3, 4)).astype(np.float32)),
             tensor("b", rng.standard_normal((1, 4)).astype(np.float32))]
    return make_model(nodes, [value("x", [2, 3])], [value("y", [2, 4])],
                      inits)


def forwarding():
    """Identity and inference Dropout (with an unused mask) forward."""
    nodes = [
        helper.make_node("Identity", ["x"], ["i"], name="identity"),
        helper.make_node("Dropout", ["i"], ["d", "mask"], name="dropout"),
        helper.make_node("Relu", ["d"], ["y"], name="relu"),
    ]
    return make_model(nodes, [value("x", [1, 4])], [value("y", [1, 4])],
                      opset=13)


def add_with(init):
    """x + init, for the initializer decoding errors."""
    node = helper.make_node("Add", ["x", init.name], ["y"], name="add")
    return make_model([node], [value("x", [4])], [value("y", [4])], [init],
                      check=False)


def bad_tensors():
    """Initializers with external data, short data, an unsupported type."""
    external = tensor("b", np.ones(4, np.float32))
    external.ClearField("raw_data")
    external.data_location = TensorProto.EXTERNAL
    entry = external.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    short_raw = helper.make_tensor("b", F32, [3], b"\0" * 12, raw=True)
    short_raw.dims[0] = 4
    short_typed = helper.make_tensor("b", F32, [2], [1.0, 2.0])
    short_typed.dims[0] = 4
    return {
        "tensor_external": add_with(external),
        "tensor_short_raw": add_with(short_raw),
        "tensor_short_typed": add_with(short_typed),
        "tensor_double": add_with(tensor("b", np.ones(4, np.float64))),
    }


def bad_qdq():
    """QuantizeLinear/DequantizeLinear with invalid parameters."""
    def quantize(inits, **attrs):
        node = helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["q"],
                                name="q", **attrs)
        back = helper.make_node("DequantizeLinear", ["q", "s", "zp"], ["y"],
                                name="dq", **attrs)
        return make_model([node, back], [value("x", [2, 4])],
                          [value("y", [2, 4])], inits, check=False)
    return {
        "qdq_negative_scale": quantize(
            [tensor("s", np.array(-0.5, np.float32)),
             tensor("zp", np.array(0, np.int8))]),
        "qdq_axis_mismatch": quantize(
            [tensor("s", np.ones(4, np.float32)),
             tensor("zp", np.zeros(4, np.int8))], axis=0),
        "qdq_zero_point_count": quantize(
            [tensor("s", np.ones(4, np.float32)),
             tensor("zp", np.zeros(3, np.int8))], axis=1),
        "qdq_float_weights": make_model(
            [helper.make_node("DequantizeLinear", ["w", "s"], ["y"],
                              name="dq")],
            [value("x", [4])], [value("y", [4])],
            [tensor("w", np.ones(4, np.float32)),
             tensor("s", np.array(0.5, np.float32))], check=False),
    }


def batchnorm():
    """Depthwise Conv (group 2) -> BatchNormalization (opset 15, epsilon
    1e-3, momentum ignored, training_mode 0) -> Clip(0, 6)."""
    rng = np.random.default_rng(3)
    nodes = [
        helper.make_node("Conv", ["x", "w"], ["c"], name="dw", group=2,
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("BatchNormalization",
                         ["c", "scale", "bias", "mean", "var"], ["b"],
                         name="bn", epsilon=1e-3, momentum=0.99,
                         training_mode=0),
        helper.make_node("Clip", ["b", "lo", "hi"], ["y"], name="relu6"),
    ]
    inits = [tensor("w", rng.standard_normal((2, 1, 3, 3)).astype(np.float32)),
             tensor("scale", np.array([1.0, 2.0], np.float32)),
             tensor("bias", np.array([0.5, -0.5], np.float32)),
             tensor("mean", np.array([0.1, 0.2], np.float32)),
             tensor("var", np.array([1.0, 4.0], np.float32)),
             tensor("lo", np.array(0.0, np.float32)),
             tensor("hi", np.array(6.0, np.float32))]
    return make_model(nodes, [value("x", [1, 2, 4, 4])],
                      [value("y", [1, 2, 4, 4])], inits, opset=15)


def batchnorm_bad():
    """BatchNormalization in training mode, and one whose running-mean
    output is a graph output (opset 13)."""
    params = ["scale", "bias", "mean", "var"]
    inits = [tensor(n, np.ones(2, np.float32)) for n in params]
    training = make_model(
        [helper.make_node("BatchNormalization", ["x"] + params,
                          ["y", "rm", "rv"], name="bn", training_mode=1)],
        [value("x", [1, 2, 2, 2])], [value("y", [1, 2, 2, 2])], inits,
        opset=15, check=False)
    stats = make_model(
        [helper.make_node("BatchNormalization", ["x"] + params,
                          ["y", "running_mean"], name="bn")],
        [value("x", [1, 2, 2, 2])],
        [value("y", [1, 2, 2, 2]), value("running_mean", [2])], inits,
        check=False)
    short = make_model(
        [helper.make_node("BatchNormalization", ["x"] + params, ["y"],
                          name="bn")],
        [value("x", [1, 3, 2, 2])], [value("y", [1, 3, 2, 2])], inits,
        check=False)
    return {"batchnorm_training": training, "batchnorm_stats": stats,
            "batchnorm_params": short}


def pools():
    """AveragePool 3x3 stride 2 pad 1 with count_include_pad, AveragePool
    2x2 without, then GlobalAveragePool."""
    nodes = [
        helper.make_node("AveragePool", ["x"], ["a"], name="avg_incl",
                         kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1], count_include_pad=1),
        helper.make_node("AveragePool", ["a"], ["b"], name="avg",
                         kernel_shape=[2, 2], pads=[0, 0, 1, 1]),
        helper.make_node("GlobalAveragePool", ["b"], ["y"], name="gap"),
    ]
    return make_model(nodes, [value("x", [1, 3, 8, 8])],
                      [value("y", [1, 3, 1, 1])])


def concat():
    """Concat of three inputs along axis -3 (the channels)."""
    node = helper.make_node("Concat", ["a", "b", "c"], ["y"], name="cat",
                            axis=-3)
    return make_model([node], [value("a", [1, 2, 4, 4]),
                               value("b", [1, 1, 4, 4]),
                               value("c", [1, 3, 4, 4])],
                      [value("y", [1, 6, 4, 4])])


def gemm_folds():
    """Gemm with constant B and C: alpha folds into B, beta into C, and a C
    that is the same for every row becomes a [N] constant."""
    b = tensor("b", np.array([[1, 2, 3], [4, 5, 6]], np.float32))
    def gemm(c, **attrs):
        return make_model(
            [helper.make_node("Gemm", ["x", "b", "c"], ["y"], name="g",
                              **attrs)],
            [value("x", [1, 2])], [value("y", [1, 3])], [b, c])
    return {
        "gemm_alpha_beta": gemm(tensor("c", np.array([[1, -2, 4]],
                                                     np.float32)),
                                alpha=0.5, beta=2.0),
        "gemm_scalar_c": gemm(tensor("c", np.array(0.25, np.float32))),
        "gemm_matrix_c": make_model(
            [helper.make_node("Gemm", ["x", "b", "c"], ["y"], name="g",
                              beta=2.0)],
            [value("x", [2, 2])], [value("y", [2, 3])],
            [b, tensor("c", np.ones((2, 3), np.float32))]),
        "gemm_column_c": make_model(
            [helper.make_node("Gemm", ["x", "b", "c"], ["y"], name="g")],
            [value("x", [2, 2])], [value("y", [2, 3])],
            [b, tensor("c", np.array([[1], [-3]], np.float32))]),
    }


def opsets():
    """Ops in default opsets before 13: accepted where the old version has
    the implemented semantics (Relu-6, Clip-6 with attribute bounds,
    Dropout-10 with a ratio attribute, Conv-1), rejected with the reason
    otherwise."""
    ones = tensor("w", np.ones((2, 1, 3, 3), np.float32))
    quant = [tensor("s", np.array([0.5, 0.25], np.float32)),
             tensor("zp", np.array([0, 0], np.uint8))]
    return {
        "opset11": single_node("Relu", ["x"], [1, 4], [1, 4], opset=11),
        "clip_opset6": single_node("Clip", ["x"], [1, 4], [1, 4], opset=6,
                                   min=-0.5, max=1.5),
        "clip_opset10_max": single_node("Clip", ["x"], [1, 4], [1, 4],
                                        opset=10, max=6.0),
        "dropout_opset10": single_node("Dropout", ["x"], [1, 4], [1, 4],
                                       opset=10, ratio=0.25),
        # Training-mode Dropout: ratio 0 keeps every value (the identity),
        # 0.5 draws a random mask (an error).
        "dropout_training_zero_ratio": single_node(
            "Dropout", ["x", "r", "t"], [1, 4], [1, 4],
            [tensor("r", np.array(0.0, np.float32)),
             tensor("t", np.array(True))]),
        "dropout_training": single_node(
            "Dropout", ["x", "r", "t"], [1, 4], [1, 4],
            [tensor("r", np.array(0.5, np.float32)),
             tensor("t", np.array(True))]),
        "conv_opset1": single_node("Conv", ["x", "w"], [1, 1, 5, 5],
                                   [1, 2, 3, 3], [ones], opset=1),
        "reshape_opset4": single_node("Reshape", ["x"], [1, 4], [2, 2],
                                      opset=4, check=False, shape=[2, 2]),
        "add_opset6": make_model(
            [helper.make_node("Add", ["x", "x"], ["y"], name="n")],
            [value("x", [1, 4])], [value("y", [1, 4])], opset=6),
        "batchnorm_opset7": single_node(
            "BatchNormalization", ["x", "g", "b", "m", "v"], [1, 2, 3, 3],
            [1, 2, 3, 3],
            [tensor(n, np.ones(2, np.float32)) for n in "gbmv"], opset=7),
        "quantize_axis_opset10": single_node(
            "QuantizeLinear", ["x", "s", "zp"], [1, 2], [1, 2], quant,
            opset=10, check=False),
        "opset0": single_node("Relu", ["x"], [1, 4], [1, 4], opset=0,
                              check=False),
    }


def qlinear():
    """QLinearConv / QLinearMatMul behind QuantizeLinear, and the integer
    ops the int8 program cannot represent."""
    def conv(w, w_zp, w_scale, bias=True):
        inits = [tensor("xs", np.array(0.02, np.float32)),
                 tensor("xzp", np.array(128, np.uint8)),
                 tensor("w", w), tensor("ws", w_scale), tensor("wzp", w_zp),
                 tensor("ys", np.array(0.05, np.float32)),
                 tensor("yzp", np.array(100, np.uint8))]
        inputs = ["xq", "xs", "xzp", "w", "ws", "wzp", "ys", "yzp"]
        if bias:
            inits.append(tensor("b", np.array([-5, 7], np.int32)))
            inputs.append("b")
        nodes = [helper.make_node("QuantizeLinear", ["x", "xs", "xzp"],
                                  ["xq"], name="q"),
                 helper.make_node("QLinearConv", inputs, ["yq"],
                                  name="qconv", pads=[1, 1, 1, 1]),
                 helper.make_node("DequantizeLinear", ["yq", "ys", "yzp"],
                                  ["y"], name="dq")]
        return make_model(nodes, [value("x", [1, 1, 4, 4])],
                          [value("y", [1, 2, 4, 4])], inits, check=False)

    w_i8 = np.array([1, -2, 3, 4, 5, -6, 7, 8, 9] * 2,
                    np.int8).reshape(2, 1, 3, 3)
    per_channel = np.array([0.01, 0.005], np.float32)
    models = {
        "qlinearconv_i8": conv(w_i8, np.zeros(2, np.int8), per_channel),
        "qlinearconv_u8": conv((w_i8.astype(np.int32) + 128).astype(
            np.uint8), np.array(128, np.uint8), np.array(0.01, np.float32),
            bias=False),
        "qlinearconv_asymmetric": conv(w_i8, np.array([0, 3], np.int8),
                                       per_channel),
        "qlinearconv_zero_scale": conv(w_i8, np.zeros(2, np.int8),
                                       np.array([0.01, 0.0], np.float32)),
        # w - zw = -255 and 200: three int8 pieces.
        "qlinearconv_wide": conv(
            np.array([0, 255] * 9, np.uint8).reshape(2, 1, 3, 3),
            np.array([255, 55], np.uint8), per_channel),
        "qlinearconv_wide_grouped": make_model(
            [helper.make_node("QuantizeLinear", ["x", "s", "zu"], ["xq"],
                              name="q"),
             helper.make_node("QLinearConv", ["xq", "s", "zu", "w", "s",
                                              "zu", "s", "zu"], ["y"],
                              name="qconv", group=2)],
            [value("x", [1, 2, 4, 4])], [value("y", [1, 2, 2, 2])],
            [tensor("s", np.array(0.02, np.float32)),
             tensor("zu", np.array(0, np.uint8)),
             tensor("w", np.full((2, 1, 3, 3), 200, np.uint8))],
            check=False),
        "qlinearconv_no_weight": make_model(
            [helper.make_node("QuantizeLinear", ["x", "xs", "xzp"], ["xq"],
                              name="q"),
             helper.make_node("QLinearConv", ["xq", "xs", "xzp", "xq", "xs",
                                              "xzp", "xs", "xzp"], ["y"],
                              name="qconv")],
            [value("x", [1, 1, 4, 4])], [value("y", [1, 1, 2, 2])],
            [tensor("xs", np.array(0.02, np.float32)),
             tensor("xzp", np.array(0, np.int8))], check=False),
        "qlinearconv_x_per_axis": make_model(
            [helper.make_node("QuantizeLinear", ["x", "s1", "zu"], ["xq"],
                              name="q"),
             helper.make_node("QLinearConv", ["xq", "s2", "zu", "w", "s1",
                                              "zi", "s1", "zu"], ["y"],
                              name="qconv")],
            [value("x", [1, 2, 4, 4])], [value("y", [1, 1, 2, 2])],
            [tensor("s1", np.array(0.02, np.float32)),
             tensor("s2", np.array([0.02, 0.03], np.float32)),
             tensor("zu", np.array(0, np.uint8)),
             tensor("zi", np.array(0, np.int8)),
             tensor("w", np.ones((1, 2, 3, 3), np.int8))], check=False),
    }
    matmul_inits = [tensor("as", np.array(0.02, np.float32)),
                    tensor("azp", np.array(3, np.int8)),
                    tensor("b", np.ones((4, 3), np.int8)),
                    tensor("bs", np.array(0.01, np.float32)),
                    tensor("bzp", np.array(0, np.int8)),
                    tensor("ys", np.array(0.05, np.float32)),
                    tensor("yzp", np.array(-1, np.int8))]
    models["qlinearmatmul_i8"] = make_model(
        [helper.make_node("QuantizeLinear", ["x", "as", "azp"], ["xq"],
                          name="q"),
         helper.make_node("QLinearMatMul", ["xq", "as", "azp", "b", "bs",
                                            "bzp", "ys", "yzp"], ["yq"],
                          name="qmatmul"),
         helper.make_node("DequantizeLinear", ["yq", "ys", "yzp"], ["y"],
                          name="dq")],
        [value("x", [2, 4])], [value("y", [2, 3])], matmul_inits)
    int_inits = [tensor("s", np.array(0.02, np.float32)),
                 tensor("zp", np.array(128, np.uint8)),
                 tensor("w", np.ones((4, 3), np.uint8))]
    models["matmulinteger"] = make_model(
        [helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"],
                          name="q"),
         helper.make_node("MatMulInteger", ["xq", "w"], ["acc"],
                          name="mmi"),
         helper.make_node("Cast", ["acc"], ["y"], name="cast", to=F32)],
        [value("x", [2, 4])], [value("y", [2, 3])], int_inits)
    models["dynamicquantizelinear"] = make_model(
        [helper.make_node("DynamicQuantizeLinear", ["x"],
                          ["xq", "xs", "xzp"], name="dql"),
         helper.make_node("DequantizeLinear", ["xq", "xs", "xzp"], ["y"],
                          name="dq")],
        [value("x", [2, 4])], [value("y", [2, 4])])
    return models


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
        "unsupported_op": single_node("Hardmax", ["x"], [1, 10], [1, 10]),
        "maxpool_ceil": single_node("MaxPool", ["x"], [1, 1, 5, 5],
                                    [1, 1, 3, 3], kernel_shape=[2, 2],
                                    strides=[2, 2], ceil_mode=1),
        "conv_group": single_node(
            "Conv", ["x", "w"], [1, 1, 5, 5], [1, 4, 3, 3],
            [tensor("w", np.ones((4, 1, 3, 3), np.float32))], check=False,
            group=2),
        "dynamic_dim": dynamic_dim(),
        "reshape_dynamic": reshape_dynamic_shape(),
        "auto_pad": auto_pad(),
        "matmul_add": matmul_add(),
        "matmul_batched": single_node(
            "MatMul", ["x", "w"], [2, 1, 3, 4], [2, 5, 3, 2],
            [tensor("w", np.ones((5, 4, 2), np.float32))]),
        "matmul_1d": single_node(
            "MatMul", ["x", "w"], [4], [3],
            [tensor("w", np.ones((4, 3), np.float32))]),
        "matmul_batch_mismatch": single_node(
            "MatMul", ["x", "w"], [2, 3, 4], [2, 3, 5],
            [tensor("w", np.ones((3, 4, 5), np.float32))], check=False),
        "forwarding": forwarding(),
        "maxpool_indices": make_model(
            [helper.make_node("MaxPool", ["x"], ["y", "indices"], name="n",
                              kernel_shape=[2, 2])],
            [value("x", [1, 1, 4, 4])], [value("y", [1, 1, 3, 3])]),
        "maxpool_indices_output": make_model(
            [helper.make_node("MaxPool", ["x"], ["y", "indices"], name="n",
                              kernel_shape=[3, 3], strides=[2, 2],
                              pads=[1, 1, 1, 1], storage_order=1)],
            [value("x", [1, 2, 5, 5])],
            [value("y", [1, 2, 3, 3]),
             value("indices", [1, 2, 3, 3], TensorProto.INT64)]),
        "maxpool_3d_indices": make_model(
            [helper.make_node("MaxPool", ["x"], ["y", "indices"], name="n",
                              kernel_shape=[2, 2, 2])],
            [value("x", [1, 1, 3, 3, 3])],
            [value("y", [1, 1, 2, 2, 2]),
             value("indices", [1, 1, 2, 2, 2], TensorProto.INT64)]),
        "output_mismatch": single_node("Relu", ["x"], [1, 4], [1, 5],
                                       check=False),
    }
    models.update({
        "batchnorm": batchnorm(),
        "pools": pools(),
        "concat": concat(),
        "avgpool_ceil": single_node("AveragePool", ["x"], [1, 1, 5, 5],
                                    [1, 1, 3, 3], kernel_shape=[2, 2],
                                    strides=[2, 2], ceil_mode=1),
        "avgpool_ceil_include_pad": single_node(
            "AveragePool", ["x"], [1, 1, 5, 5], [1, 1, 3, 3],
            kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1,
            count_include_pad=1),
        "maxpool_ceil_mode_2": single_node(
            "MaxPool", ["x"], [1, 1, 5, 5], [1, 1, 3, 3], check=False,
            kernel_shape=[2, 2], strides=[2, 2], ceil_mode=2),
        "maxpool_1d_dilated": single_node(
            "MaxPool", ["x"], [1, 2, 10], [1, 2, 5], kernel_shape=[3],
            strides=[2], dilations=[2], pads=[2, 1]),
        "avgpool_dilated": single_node(
            "AveragePool", ["x"], [1, 1, 5, 5], [1, 1, 3, 3], check=False,
            kernel_shape=[2, 2], dilations=[2, 2]),
        "maxpool_3d": single_node(
            "MaxPool", ["x"], [1, 2, 5, 6, 7], [1, 2, 3, 3, 6],
            kernel_shape=[3, 2, 3], strides=[2, 2, 1], dilations=[1, 2, 1],
            pads=[1, 0, 0, 0, 0, 1], ceil_mode=1),
        "avgpool_3d": single_node(
            "AveragePool", ["x"], [1, 2, 5, 6, 7], [1, 2, 3, 3, 3],
            kernel_shape=[3, 2, 3], strides=[2, 2, 2], pads=[1, 0, 0, 1, 0, 0]),
        "avgpool_3d_hw_pads": single_node(
            "AveragePool", ["x"], [1, 2, 5, 6, 7], [1, 2, 3, 3, 4],
            kernel_shape=[3, 2, 3], strides=[2, 2, 2], pads=[1, 0, 1, 1, 0, 1]),
        # An Add of QuantizeLinear's integers themselves (no
        # DequantizeLinear): integer arithmetic, not a quantized layer.
        "add_integers": make_model(
            [helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"],
                              name="q"),
             helper.make_node("Add", ["xq", "xq"], ["y"], name="add")],
            [value("x", [1, 4])], [value("y", [1, 4], TensorProto.UINT8)],
            [tensor("s", np.array(0.5, np.float32)),
             tensor("zp", np.array(10, np.uint8))], check=False),
        "maxpool_4d": single_node(
            "MaxPool", ["x"], [1, 1, 3, 3, 3, 3], [1, 1, 2, 2, 2, 2],
            check=False, kernel_shape=[2, 2, 2, 2]),
        "concat_mismatch": make_model(
            [helper.make_node("Concat", ["a", "b"], ["y"], name="cat",
                              axis=1)],
            [value("a", [1, 2, 4, 4]), value("b", [1, 2, 3, 4])],
            [value("y", [1, 4, 4, 4])], check=False),
    })
    models.update(batchnorm_bad())
    models.update(bad_tensors())
    models.update(bad_qdq())
    models.update(opsets())
    models.update(gemm_folds())
    models["clip_int8"] = make_model(
        [helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"],
                          name="q"),
         helper.make_node("Clip", ["xq", "lo", "hi"], ["yq"], name="clip"),
         helper.make_node("DequantizeLinear", ["yq", "s", "zp"], ["y"],
                          name="dq")],
        [value("x", [1, 4])], [value("y", [1, 4])],
        [tensor("s", np.array(0.5, np.float32)),
         tensor("zp", np.array(3, np.int8)),
         tensor("lo", np.array(-1, np.int8)),
         tensor("hi", np.array(100, np.int8))])
    models.update(qlinear())
    for name, model in models.items():
        write(os.path.join(out, name + ".onnx"), model.SerializeToString())
    # The first 20 bytes of a valid model, and a text file.
    write(os.path.join(out, "truncated.onnx"),
          models["conv_relu_pool"].SerializeToString()[:20])
    write(os.path.join(out, "not_onnx.onnx"),
          b"this is a text file, not an ONNX model\n")


if __name__ == "__main__":
    main()
