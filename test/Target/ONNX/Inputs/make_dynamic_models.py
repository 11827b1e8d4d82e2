#!/usr/bin/env python3
# ===- make_dynamic_models.py - Models of the dynamic-quantization tests --=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Writes the models of test/Target/ONNX/dynamic-*.test into a directory.

Usage: make_dynamic_models.py OUTDIR

Float models (python/ort_dynamic_quantize.py writes their ONNX Runtime
dynamic form in the tests), random inputs for them, and hand-written
dynamic-quantization graphs that break the supported pattern.
"""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper

# The model, initializer and value builders of the other test models.
from make_models import make_model, tensor, value

F32 = TensorProto.FLOAT
U8 = TensorProto.UINT8
I8 = TensorProto.INT8


def float_models(rng):
    models = {}
    # x [1, 3, 16] -> Reshape [3, 16] -> MatMul [16, 8] -> Add bias ->
    # Reshape [1, 3, 8]: the whole [3, 16] tensor is quantized with one
    # run-time scale.
    w = (rng.standard_normal((16, 8)) * 0.5).astype(np.float32)
    b = (rng.standard_normal(8) * 0.1).astype(np.float32)
    models["matmul_add"] = make_model(
        [helper.make_node("Reshape", ["x", "shape"], ["x2"], name="reshape"),
         helper.make_node("MatMul", ["x2", "w"], ["mm"], name="matmul"),
         helper.make_node("Add", ["mm", "b"], ["y2"], name="add"),
         helper.make_node("Reshape", ["y2", "oshape"], ["y"],
                          name="reshape_out")],
        [value("x", [1, 3, 16])], [value("y", [1, 3, 8])],
        [tensor("shape", np.array([3, 16], np.int64)), tensor("w", w),
         tensor("b", b), tensor("oshape", np.array([1, 3, 8], np.int64))])
    # Gemm transB with bias, then Relu (ReLU after the dynamic product).
    gw = (rng.standard_normal((5, 12)) * 0.3).astype(np.float32)
    gb = (rng.standard_normal(5) * 0.1).astype(np.float32)
    models["gemm_relu"] = make_model(
        [helper.make_node("Gemm", ["x", "gw", "gb"], ["g"], name="gemm",
                          transB=1),
         helper.make_node("Relu", ["g"], ["y"], name="relu")],
        [value("x", [1, 12])], [value("y", [1, 5])],
        [tensor("gw", gw), tensor("gb", gb)])
    # Conv (2 groups, stride [2, 1], asymmetric pads, dilation [1, 2],
    # bias) + Relu.
    cw = (rng.standard_normal((6, 2, 3, 3)) * 0.4).astype(np.float32)
    cb = (rng.standard_normal(6) * 0.1).astype(np.float32)
    models["conv_relu"] = make_model(
        [helper.make_node("Conv", ["x", "cw", "cb"], ["c"], name="conv",
                          group=2, strides=[2, 1], pads=[1, 0, 1, 2],
                          dilations=[1, 2], kernel_shape=[3, 3]),
         helper.make_node("Relu", ["c"], ["y"], name="relu")],
        [value("x", [1, 4, 7, 7])], [value("y", [1, 6, 4, 5])],
        [tensor("cw", cw), tensor("cb", cb)])
    return models


def dynamic_nodes(x="x", w="w", wzp="wzp", ws="ws", out="y", prefix=""):
    """ORT's pattern on x [2, 4] with the constants named as given."""
    return [
        helper.make_node("DynamicQuantizeLinear", [x],
                         [prefix + "xq", prefix + "xs", prefix + "xzp"],
                         name=prefix + "dql"),
        helper.make_node("MatMulInteger",
                         [prefix + "xq", w, prefix + "xzp", wzp],
                         [prefix + "acc"], name=prefix + "mmi"),
        helper.make_node("Cast", [prefix + "acc"], [prefix + "accf"],
                         name=prefix + "cast", to=F32),
        helper.make_node("Mul", [prefix + "xs", ws], [prefix + "s"],
                         name=prefix + "scales_mul"),
        helper.make_node("Mul", [prefix + "accf", prefix + "s"], [out],
                         name=prefix + "output_scale_mul"),
    ]


def negative_models():
    models = {}
    inits = [tensor("w", np.arange(-6, 6, dtype=np.int8).reshape(4, 3)),
             tensor("wzp", np.array(0, np.int8)),
             tensor("ws", np.array(0.02, np.float32))]
    x = [value("x", [2, 4])]
    y = [value("y", [2, 3])]
    # The reference form, hand-written (int8 weight, scalar zero point).
    models["pattern"] = make_model(dynamic_nodes(), x, y, inits)
    # The weight scale first in the scale Mul, the product second.
    nodes = dynamic_nodes()
    nodes[3] = helper.make_node("Mul", ["ws", "xs"], ["s"], name="scales_mul")
    nodes[4] = helper.make_node("Mul", ["s", "accf"], ["y"],
                                name="output_scale_mul")
    models["pattern_swapped"] = make_model(nodes, x, y, inits)
    # UINT8 weights with one zero point and one scale per column.
    models["pattern_u8"] = make_model(
        dynamic_nodes(), x, y,
        [tensor("w", np.array([[0, 128, 255], [1, 2, 3], [100, 200, 50],
                               [7, 8, 9]], np.uint8)),
         tensor("wzp", np.array([100, 128, 200], np.uint8)),
         tensor("ws", np.array([0.5, 0.25, 0.125], np.float32))])
    # DynamicQuantizeLinear's outputs as graph outputs (the node test).
    models["dql_outputs"] = make_model(
        [helper.make_node("DynamicQuantizeLinear", ["x"], ["y", "ys", "yzp"],
                          name="dql")],
        x, [value("y", [2, 4], U8), value("ys", [], F32),
            value("yzp", [], U8)])
    # The int32 product returned without Cast / scale.
    models["int32_output"] = make_model(
        dynamic_nodes()[:2], x, [value("acc", [2, 3], TensorProto.INT32)],
        inits)
    # The quantized data read by another op.
    models["dql_dequantize"] = make_model(
        [helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xzp"],
                          name="dql"),
         helper.make_node("DequantizeLinear", ["xq", "xs", "xzp"], ["y"],
                          name="dq")], x, [value("y", [2, 4])])
    # Cast to another type than FLOAT.
    nodes = dynamic_nodes()
    nodes[2] = helper.make_node("Cast", ["acc"], ["accf"], name="cast",
                                to=TensorProto.DOUBLE)
    models["cast_double"] = make_model(nodes[:3], x,
                                       [value("accf", [2, 3],
                                              TensorProto.DOUBLE)], inits)
    # The zero point of another DynamicQuantizeLinear.
    nodes = dynamic_nodes()
    nodes[1] = helper.make_node("MatMulInteger", ["xq", "w", "x2zp", "wzp"],
                                ["acc"], name="mmi")
    nodes.insert(1, helper.make_node("DynamicQuantizeLinear", ["x"],
                                     ["x2q", "x2s", "x2zp"], name="dql2"))
    models["other_zero_point"] = make_model(nodes, x, y, inits)
    # The product scaled by a constant instead of the scale product.
    nodes = dynamic_nodes()[:3] + [
        helper.make_node("Mul", ["accf", "ws"], ["y"], name="const_scale")]
    models["constant_scale"] = make_model(nodes, x, y, inits)
    # A weight scale with one value per row: no per-column broadcast.
    nodes = dynamic_nodes()
    models["row_scales"] = make_model(
        nodes, x, y,
        inits[:2] + [tensor("ws", np.full((2, 1), 0.02, np.float32))])
    # A standalone MatMulInteger fed by a static QuantizeLinear.
    models["static_matmulinteger"] = make_model(
        [helper.make_node("QuantizeLinear", ["x", "qs", "qzp"], ["xq"],
                          name="q"),
         helper.make_node("MatMulInteger", ["xq", "w"], ["acc"], name="mmi"),
         helper.make_node("Cast", ["acc"], ["y"], name="cast", to=F32)],
        x, y, [tensor("qs", np.array(0.02, np.float32)),
               tensor("qzp", np.array(128, np.uint8)),
               tensor("w", np.ones((4, 3), np.uint8))])
    # A MatMulInteger reading DynamicQuantizeLinear's scale, not its data.
    models["matmulinteger_on_scale"] = make_model(
        [helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xzp"],
                          name="dql"),
         helper.make_node("MatMulInteger", ["xs", "w"], ["acc"], name="mmi"),
         helper.make_node("Cast", ["acc"], ["y"], name="cast", to=F32)],
        x, y, [tensor("w", np.ones((4, 3), np.uint8))])
    # A standalone ConvInteger fed by a static QuantizeLinear.
    x4 = [value("x", [1, 4, 5, 5])]
    conv_inits = [tensor("w", np.ones((2, 4, 3, 3), np.int8)),
                  tensor("wzp", np.array(0, np.int8)),
                  tensor("ws", np.array(0.02, np.float32))]
    models["static_convinteger"] = make_model(
        [helper.make_node("QuantizeLinear", ["x", "qs", "qzp"], ["xq"],
                          name="q"),
         helper.make_node("ConvInteger", ["xq", "w"], ["acc"], name="ci"),
         helper.make_node("Cast", ["acc"], ["y"], name="cast", to=F32)],
        x4, [value("y", [1, 2, 3, 3])],
        conv_inits + [tensor("qs", np.array(0.02, np.float32)),
                      tensor("qzp", np.array(128, np.uint8))])
    # A group that does not divide the channels.
    models["convinteger_group"] = make_model(
        [helper.make_node("DynamicQuantizeLinear", ["x"], ["xq", "xs", "xzp"],
                          name="dql"),
         helper.make_node("ConvInteger", ["xq", "w", "xzp", "wzp"], ["acc"],
                          name="ci", group=3),
         helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=F32),
         helper.make_node("Mul", ["xs", "ws"], ["s"], name="scales_mul"),
         helper.make_node("Mul", ["accf", "s"], ["y"], name="out_mul")],
        x4, [value("y", [1, 2, 3, 3])], conv_inits)
    return models


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_dynamic_models.py OUTDIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(3)
    for name, model in {**float_models(rng), **negative_models()}.items():
        onnx.save(model, os.path.join(out, name + ".onnx"))
    # Inputs: mixed signs, all positive (zero point 0), all negative (zero
    # point 255) and all zero (scale 1).
    mm = (rng.standard_normal((16, 1, 3, 16)) * 2).astype(np.float32)
    mm[1] = np.abs(mm[1])
    mm[2] = -np.abs(mm[2])
    mm[3] = 0
    np.save(os.path.join(out, "matmul_add_inputs.npy"), mm.reshape(16, 1, 3, 16)[:, 0])
    g = (rng.standard_normal((16, 12)) * 2).astype(np.float32)
    g[1] = np.abs(g[1])
    g[2] = -np.abs(g[2])
    g[3] = 0
    np.save(os.path.join(out, "gemm_relu_inputs.npy"), g)
    c = (rng.standard_normal((16, 4, 7, 7)) * 2).astype(np.float32)
    c[1] = np.abs(c[1])
    c[2] = -np.abs(c[2])
    c[3] = 0
    np.save(os.path.join(out, "conv_relu_inputs.npy"), c)


if __name__ == "__main__":
    main()
