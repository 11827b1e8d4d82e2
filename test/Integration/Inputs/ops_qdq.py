#!/usr/bin/python3
# ===- ops_qdq.py - Small QDQ models of the pointwise and shape ops -------=== #
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===----------------------------------------------------------------------=== #
"""Builds one small QDQ model per op family, compiles it with quant-opt to C,
runs the bundle and compares its int8 outputs with ONNX Runtime's and with
numpy formulas computed here.

Usage: ops_qdq.py --quant-opt QUANT_OPT --work DIR

Models (input [1, 4, 5, 6] or [1, 3, 10], every activation behind a
QuantizeLinear/DequantizeLinear pair with parameters chosen here):
  leaky_relu, sigmoid, hard_sigmoid, hard_swish (opset 14), tanh: x -> f(x)
  se_mul:    x * Sigmoid(GlobalAveragePool(x)) ([1,4,5,6] * [1,4,1,1])
  scalar_mul: x * DQ(int8 scalar constant)
  shapes:    Transpose(0,2,3,1) -> Unsqueeze(1) -> Squeeze(1)
  softmax:   Softmax(axis -1) of a [1, 3, 10] input, output 1/256, -128

For each model it prints the fraction of int8 outputs that differ from ORT
and the largest difference, and checks them against the numpy reference:
the lookup-table ops and the shape ops must match the QDQ formula
`Q_out(f(DQ_in(q)))` exactly; mul must equal the exactly rounded product
(round half up of (a - za) * (b - zb) * s_a * s_b / s_y, the single rounding
mode) and softmax must be within 1 of the quantized float softmax.
"""

import argparse
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
RUNNER = os.path.join(ROOT, "tools", "bundle-runner", "bundle_runner.c")
F32 = TensorProto.FLOAT


def quantize(x, scale, zp):
    return np.clip(np.rint(x.astype(np.float32) / np.float32(scale)) + zp,
                   -128, 127).astype(np.int8)


def dequantize(q, scale, zp):
    return ((q.astype(np.int32) - zp).astype(np.float32) * np.float32(scale))


class Model:
    """A graph built node by node with Q/DQ pairs of given parameters."""

    def __init__(self, name, in_shape, in_params, opset=13):
        self.name, self.opset = name, opset
        self.nodes, self.inits = [], []
        self.in_shape, self.in_params = in_shape, in_params
        self.params = {}
        self.cur = self.qdq("input", *in_params)

    def init(self, name, array):
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def qdq(self, name, scale, zp, out=None):
        self.params[name] = (scale, zp)
        s = self.init(f"{name}_s", np.array(scale, dtype=np.float32))
        z = self.init(f"{name}_z", np.array(zp, dtype=np.int8))
        out = out or f"{name}_dq"
        self.nodes += [
            helper.make_node("QuantizeLinear", [name, s, z], [f"{name}_q"],
                             name=f"{name}_Q"),
            helper.make_node("DequantizeLinear", [f"{name}_q", s, z], [out],
                             name=f"{name}_DQ")]
        return out

    def op(self, op_type, inputs, out, params, **attrs):
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out,
                                           **attrs))
        return self.qdq(out, *params)

    def finish(self, out_shape, path):
        last = self.nodes[-1]
        last.output[0] = "output"
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info("input", F32, self.in_shape)],
            [helper.make_tensor_value_info("output", F32, out_shape)],
            initializer=self.inits)
        model = helper.make_model(graph, producer_name="ops_qdq.py",
                                  opset_imports=[helper.make_opsetid("", self.opset)])
        model.ir_version = 8
        onnx.checker.check_model(model)
        onnx.save(model, path)


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("ops_qdq: command failed: " + " ".join(cmd))
    return proc.stdout


def compile_and_run(quant_opt, model, work, name, x):
    d = os.path.join(work, name)
    os.makedirs(d, exist_ok=True)
    c = os.path.join(d, "net.c")
    run([quant_opt, model, "--emit=c", "--quiet", "-o", c])
    exe = os.path.join(d, "runner")
    run(["gcc", "-std=c99", "-O2", "-DBUNDLE=net", '-DBUNDLE_HEADER="net.h"',
         "-I", d, RUNNER, c, "-lm", "-o", exe])
    raw = os.path.join(d, "in.f32")
    x.astype("<f4").tofile(raw)
    q, f = os.path.join(d, "out.bin"), os.path.join(d, "out.f32")
    run([exe, raw, str(len(x)), q, f])
    return np.fromfile(q, dtype=np.int8).reshape(len(x), -1)


def ort(model, work, name, x):
    inp, out = os.path.join(work, name + "_in.npy"), os.path.join(work, name + "_ort.npy")
    np.save(inp, x.astype("<f4"))
    run(["node", os.path.join(ROOT, "ort", "run_model.js"), model, inp, out,
         "--threads", "1"])
    return np.load(out).reshape(len(x), -1)


UNARY = {
    "leaky_relu": ("LeakyRelu", {"alpha": 0.1}, 13,
                   lambda x: np.where(x >= 0, x, np.float32(0.1) * x)),
    "sigmoid": ("Sigmoid", {}, 13, lambda x: 1 / (1 + np.exp(-x))),
    "hard_sigmoid": ("HardSigmoid", {"alpha": 1 / 6, "beta": 0.5}, 13,
                     lambda x: np.clip(np.float32(1 / 6) * x + np.float32(0.5), 0, 1)),
    "hard_swish": ("HardSwish", {}, 14,
                   lambda x: x * np.clip(x / np.float32(6) + np.float32(0.5), 0, 1)),
    "tanh": ("Tanh", {}, 13, np.tanh),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quant-opt", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--count", type=int, default=50)
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(0)
    shape = [1, 4, 5, 6]
    x = rng.uniform(-4, 4, size=[args.count] + shape[1:]).astype(np.float32)
    in_params = (0.03125, -3)
    failures = 0

    def report(name, got, ort_q, expected, tolerance):
        nonlocal failures
        diff = np.abs(got.astype(np.int32) - ort_q.astype(np.int32))
        ref = np.abs(got.astype(np.int32) - expected.astype(np.int32))
        ok = ref.max() <= tolerance
        failures += not ok
        print(f"{name}: {got.size} outputs, differing from ORT {100 * (diff != 0).mean():.2f}% "
              f"(max {diff.max()}), from the numpy reference max {ref.max()} "
              f"(allowed {tolerance}) {'ok' if ok else 'FAIL'}")

    qx = quantize(x, *in_params)
    rx = dequantize(qx, *in_params)
    for name, (op_type, attrs, opset, fn) in UNARY.items():
        out_params = (0.02, 10) if name != "sigmoid" else (1 / 256, -128)
        m = Model(name, shape, in_params, opset)
        m.op(op_type, [m.cur], "y", out_params, **attrs)
        path = os.path.join(args.work, name + ".onnx")
        m.finish(shape, path)
        got = compile_and_run(args.quant_opt, path, args.work, name, x)
        ort_q = quantize(ort(path, args.work, name, x), *out_params)
        expected = quantize(fn(rx).astype(np.float32), *out_params)
        report(name, got, ort_q.reshape(got.shape), expected.reshape(got.shape), 0)

    # Squeeze-excitation style Mul: [1,4,5,6] * [1,4,1,1].
    m = Model("se_mul", shape, in_params)
    x_dq = m.cur
    g = m.op("GlobalAveragePool", [x_dq], "gap", (0.01, -20))
    s = m.op("Sigmoid", [g], "sig", (1 / 256, -128))
    m.op("Mul", [x_dq, s], "y", (0.025, -5))
    path = os.path.join(args.work, "se_mul.onnx")
    m.finish(shape, path)
    got = compile_and_run(args.quant_opt, path, args.work, "se_mul", x)
    ort_q = quantize(ort(path, args.work, "se_mul", x), 0.025, -5)
    # Reference: the sigmoid input as ORT computes it (QLinearGlobalAveragePool
    # and QuantOpt's integer pool may differ by one there), then the exact
    # product rounded half up.
    gq = quantize(rx.mean(axis=(2, 3), keepdims=True), 0.01, -20)
    sq = quantize(1 / (1 + np.exp(-dequantize(gq, 0.01, -20))), 1 / 256, -128)
    prod = (qx.astype(np.int64) + 3) * (sq.astype(np.int64) + 128)
    real = prod * (np.float64(np.float32(0.03125)) * np.float64(np.float32(1 / 256))
                   / np.float64(np.float32(0.025)))
    expected = np.clip(np.floor(real + 0.5) - 5, -128, 127)
    report("se_mul", got, ort_q.reshape(got.shape), expected.reshape(got.shape), 1)

    # Mul by a quantized scalar constant.
    m = Model("scalar_mul", shape, in_params)
    k_s, k_z, k_q = 0.01, 0, 73
    m.init("k_q", np.array(k_q, dtype=np.int8))
    m.init("k_s", np.array(k_s, dtype=np.float32))
    m.init("k_z", np.array(k_z, dtype=np.int8))
    m.nodes.append(helper.make_node("DequantizeLinear", ["k_q", "k_s", "k_z"], ["k"],
                                    name="k_DQ"))
    m.op("Mul", [m.cur, "k"], "y", (0.01, 0))
    path = os.path.join(args.work, "scalar_mul.onnx")
    m.finish(shape, path)
    got = compile_and_run(args.quant_opt, path, args.work, "scalar_mul", x)
    ort_q = quantize(ort(path, args.work, "scalar_mul", x), 0.01, 0)
    real = (qx.astype(np.int64) + 3) * k_q * (np.float64(np.float32(0.03125))
                                              * np.float64(np.float32(k_s))
                                              / np.float64(np.float32(0.01)))
    expected = np.clip(np.floor(real + 0.5), -128, 127)
    report("scalar_mul", got, ort_q.reshape(got.shape), expected.reshape(got.shape), 0)

    # Transpose, Unsqueeze, Squeeze keep the parameters.
    m = Model("shapes", shape, in_params)
    t = m.op("Transpose", [m.cur], "t", in_params, perm=[0, 2, 3, 1])
    ax1 = m.init("axes1", np.array([1], dtype=np.int64))
    u = m.op("Unsqueeze", [t, ax1], "u", in_params)
    m.op("Squeeze", [u, ax1], "y", in_params)
    path = os.path.join(args.work, "shapes.onnx")
    m.finish([1, 5, 6, 4], path)
    got = compile_and_run(args.quant_opt, path, args.work, "shapes", x)
    ort_q = quantize(ort(path, args.work, "shapes", x), *in_params)
    expected = qx.transpose(0, 2, 3, 1)
    report("shapes", got, ort_q.reshape(got.shape), expected.reshape(got.shape), 0)

    # Softmax over the last axis of [1, 3, 10].
    sshape = [1, 3, 10]
    xs = rng.uniform(-6, 6, size=[args.count] + sshape[1:]).astype(np.float32)
    sp = (0.05, 2)
    m = Model("softmax", sshape, sp)
    m.op("Softmax", [m.cur], "y", (1 / 256, -128), axis=-1)
    path = os.path.join(args.work, "softmax.onnx")
    m.finish(sshape, path)
    got = compile_and_run(args.quant_opt, path, args.work, "softmax", xs)
    ort_q = quantize(ort(path, args.work, "softmax", xs), 1 / 256, -128)
    r = dequantize(quantize(xs, *sp), *sp).astype(np.float64)
    e = np.exp(r - r.max(axis=-1, keepdims=True))
    expected = quantize((e / e.sum(axis=-1, keepdims=True)).astype(np.float32),
                        1 / 256, -128)
    report("softmax", got, ort_q.reshape(got.shape), expected.reshape(got.shape), 1)

    print("FAIL" if failures else "all ok")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
