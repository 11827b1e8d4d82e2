#!/usr/bin/python3
"""Writes the dynamically quantized form of a float ONNX model as ONNX
Runtime's quantize_dynamic (onnxruntime.quantization, IntegerOps mode) does,
so that QuantOpt's import of such models can be tested against ONNX Runtime
on machines without the onnxruntime Python package.

  ort_dynamic_quantize.py IN.onnx OUT.onnx [--weight-type int8|uint8]
                          [--per-channel] [--no-reduce-range]
                          [--op-types MatMul,Conv] [--conv-reduce-range]

Every MatMul whose second input is a constant 2-D initializer becomes, with
ONNX Runtime's node and tensor names:

  x_quantized, x_scale, x_zero_point = DynamicQuantizeLinear(x)
  Y_output_quantized = MatMulInteger(x_quantized, W_quantized,
                                     x_zero_point, W_zero_point)
  Y_output_quantized_cast_output = Cast(Y_output_quantized, to=FLOAT)
  NAME_quant_scales_mul:0 = Mul(x_scale, W_scale)
  Y = Mul(Y_output_quantized_cast_output, NAME_quant_scales_mul:0)

The weight is quantized as onnxruntime.quantization.quant_utils does for
MatMulInteger (reduce_range=True): int8 symmetric in [-64, 64]
(scale = 2 * max|w| / 128, zero point 0), or uint8 asymmetric in [0, 127]
(scale = (max(w, 0) - min(w, 0)) / 127, zero point round(-min / scale));
per tensor, or with --per-channel per output column (the scale and zero
point are then [N] tensors). quantize_dynamic leaves Gemm in float; a
Gemm with transA = 0, alpha = beta = 1 and a constant B is first written as
the MatMul (B transposed when transB) + Add of its bias that the same layer
exports as for inputs of rank 3 (torch.nn.Linear), and then quantized.

Every Conv with a constant weight becomes (ConvInteger quantizes its
weight per tensor, without reduce_range unless asked):

  x_quantized, x_scale, x_zero_point = DynamicQuantizeLinear(x)
  Y_output_quantized = ConvInteger(x_quantized, W_quantized, x_zero_point,
                                   W_zero_point)   (the Conv's attributes)
  Y_scaled = Mul(Cast(Y_output_quantized, to=FLOAT), Mul(x_scale, W_scale))
  Y = Add(Y_scaled, Reshape(B, [1, -1, 1, 1]))

--op-types restricts the rewrite (quantize_dynamic's op_types_to_quantize).
Every other node is kept.
"""

import argparse
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

F32 = onnx.TensorProto.FLOAT


def quantize_weight(w, weight_type, reduce_range, axis):
    """(q, scale, zero_point) as ONNX Runtime's quantize_data; per tensor
    when axis is None, else per slice along axis."""
    if axis is not None:
        parts = [quantize_weight(np.take(w, i, axis=axis), weight_type,
                                 reduce_range, None)
                 for i in range(w.shape[axis])]
        q = np.stack([p[0] for p in parts], axis=axis)
        return (q, np.array([p[1] for p in parts], np.float32),
                np.array([p[2] for p in parts], q.dtype))
    rmin = np.float32(min(w.min(), 0.0))
    rmax = np.float32(max(w.max(), 0.0))
    if weight_type == "int8":
        qmin, qmax = (-64, 64) if reduce_range else (-127, 127)
        absmax = np.float32(max(abs(rmin), abs(rmax)))
        rmin, rmax = -absmax, absmax
        dtype = np.int8
    else:
        qmin, qmax = (0, 127) if reduce_range else (0, 255)
        dtype = np.uint8
    scale = np.float32((rmax - rmin) / np.float32(qmax - qmin))
    if scale == 0:
        scale = np.float32(1.0)
    if weight_type == "int8":
        zp = 0
    else:
        zp = int(np.clip(np.round(np.float32(qmin) - rmin / scale), qmin, qmax))
    q = np.clip(np.round(w.astype(np.float32) / scale) + zp, qmin, qmax)
    return q.astype(dtype), scale, dtype(zp)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("--weight-type", choices=["int8", "uint8"], default="int8")
    ap.add_argument("--per-channel", action="store_true")
    ap.add_argument("--no-reduce-range", action="store_true",
                    help="MatMul weights over the full range")
    ap.add_argument("--conv-reduce-range", action="store_true",
                    help="Conv weights over 7 bits (quantize_dynamic's "
                         "reduce_range=True)")
    ap.add_argument("--conv-per-channel", action="store_true",
                    help="Conv weights per output channel (not what "
                         "quantize_dynamic writes: its ConvInteger weights "
                         "are per tensor), scales shaped [F, 1, 1]")
    ap.add_argument("--op-types", default="MatMul,Conv",
                    help="comma-separated: MatMul (and Gemm), Conv; "
                         "quantize_dynamic's default quantizes both")
    args = ap.parse_args(argv)
    op_types = set(args.op_types.split(","))
    if args.conv_per_channel and args.weight_type != "int8":
        ap.error("--conv-per-channel needs --weight-type int8 (ONNX Runtime's "
                 "ConvInteger takes one weight zero point)")

    model = onnx.load(args.input)
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    used = {}
    for node in graph.node:
        for name in node.input:
            used[name] = used.get(name, 0) + 1
    dql = {}  # float input -> (quantized, scale, zero point)
    new_nodes = []
    new_inits = []
    removed = set()

    def constant(name):
        return numpy_helper.to_array(inits[name]) if name in inits else None

    def quantize_input(x):
        """The DynamicQuantizeLinear outputs of `x`, one node per input."""
        if x not in dql:
            q = (x + "_quantized", x + "_scale", x + "_zero_point")
            new_nodes.append(helper.make_node(
                "DynamicQuantizeLinear", [x], list(q), x + "_QuantizeLinear"))
            dql[x] = q
        return dql[x]

    def integer_product(op, qname, x, wname, q, s, zp, acc, y, attrs=None):
        """The weight's initializers and `op` (MatMulInteger / ConvInteger,
        int32 result `acc`) -> Cast(to=FLOAT) -> Mul by Mul(x_scale,
        w_scale), into `y`."""
        xq, xs, xzp = quantize_input(x)
        new_inits.extend([
            numpy_helper.from_array(q, wname + "_quantized"),
            numpy_helper.from_array(np.asarray(s, np.float32), wname + "_scale"),
            numpy_helper.from_array(np.asarray(zp), wname + "_zero_point")])
        new_nodes.append(helper.make_node(
            op, [xq, wname + "_quantized", xzp, wname + "_zero_point"], [acc],
            qname, **(attrs or {})))
        new_nodes.append(helper.make_node(
            "Cast", [acc], [acc + "_cast_output"], acc + "_cast", to=F32))
        new_nodes.append(helper.make_node(
            "Mul", [xs, wname + "_scale"], [qname + "_scales_mul:0"],
            qname + "_scales_mul"))
        new_nodes.append(helper.make_node(
            "Mul", [acc + "_cast_output", qname + "_scales_mul:0"], [y],
            qname + "_output_scale_mul"))

    def quantize_matmul(name, x, w, y):
        q, s, zp = quantize_weight(w[1], args.weight_type,
                                   not args.no_reduce_range,
                                   1 if args.per_channel else None)
        integer_product("MatMulInteger", name + "_quant", x, w[0], q, s, zp,
                        y + "_output_quantized", y)

    def quantize_conv(node, w):
        wname = node.input[1]
        # ConvInteger: per tensor, reduce_range as quantize_dynamic's
        # argument (default False).
        q, s, zp = quantize_weight(w, args.weight_type, args.conv_reduce_range,
                                   0 if args.conv_per_channel else None)
        if args.conv_per_channel:
            # One scale per output channel, shaped [F, 1, 1] so that the
            # scale product broadcasts along the channels of [N, F, H, W];
            # the zero point stays one (0): ONNX Runtime's ConvInteger takes
            # a per-tensor weight zero point only.
            s = s.reshape([-1] + [1] * (w.ndim - 2))
            zp = np.int8(0)
        y = node.output[0]
        has_bias = len(node.input) > 2 and node.input[2]
        scaled = y + "_scaled" if has_bias else y
        integer_product("ConvInteger", node.name + "_quant", node.input[0],
                        wname, q, s, zp, y + "_output_quantized", scaled,
                        {a.name: helper.get_attribute_value(a)
                         for a in node.attribute})
        if has_bias:
            shape = y + "_bias_reshape_shape"
            new_inits.append(numpy_helper.from_array(
                np.array([1, -1] + [1] * (w.ndim - 2), np.int64), shape))
            new_nodes.append(helper.make_node(
                "Reshape", [node.input[2], shape], [y + "_bias_reshape_output"],
                y + "_bias_reshape"))
            new_nodes.append(helper.make_node(
                "Add", [scaled, y + "_bias_reshape_output"], [y],
                y + "_bias_add"))

    for node in graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        if (node.op_type == "Conv" and "Conv" in op_types
                and constant(node.input[1]) is not None):
            quantize_conv(node, constant(node.input[1]))
            removed.add(node.input[1])
            continue
        if node.op_type == "MatMul" and "MatMul" in op_types \
                and constant(node.input[1]) is not None \
                and constant(node.input[1]).ndim == 2:
            quantize_matmul(node.name, node.input[0],
                            (node.input[1], constant(node.input[1])),
                            node.output[0])
            removed.add(node.input[1])
            continue
        b = (constant(node.input[1])
             if node.op_type == "Gemm" and "MatMul" in op_types else None)
        if (b is not None and not attrs.get("transA", 0)
                and attrs.get("alpha", 1.0) == 1.0
                and attrs.get("beta", 1.0) == 1.0):
            if attrs.get("transB", 0):
                b = np.ascontiguousarray(b.T)
            y = node.output[0]
            has_bias = len(node.input) > 2 and node.input[2]
            mm_out = y + "_matmul" if has_bias else y
            quantize_matmul(node.name + "_MatMul", node.input[0],
                            (node.input[1] + "_matmul", b), mm_out)
            if has_bias:
                new_nodes.append(helper.make_node(
                    "Add", [mm_out, node.input[2]], [y], node.name + "_Add"))
            removed.add(node.input[1])
            continue
        new_nodes.append(node)

    for name in removed:
        if used.get(name, 0) == 1:
            graph.initializer.remove(inits[name])
    graph.ClearField("node")
    graph.node.extend(new_nodes)
    graph.initializer.extend(new_inits)
    onnx.checker.check_model(model)
    onnx.save(model, args.output)
    print(f"ort_dynamic_quantize: {len(dql)} DynamicQuantizeLinear, "
          f"{sum(n.op_type == 'MatMulInteger' for n in new_nodes)} "
          f"MatMulInteger, {sum(n.op_type == 'ConvInteger' for n in new_nodes)} "
          f"ConvInteger -> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
