#!/usr/bin/python3
"""Mutates ONNX models and checks that quant-opt never crashes or hangs.

Usage: fuzz_models.py --quant-opt PATH --work DIR [--seed S] [--count N]
                      MODEL.onnx [MODEL.onnx ...]

Each mutant applies one to three random edits to one of the models (drop or
perturb an attribute, change an initializer's dims, data type or data
length, rewire a node input, change an op type, drop a node, change the
input shape or the opset) and is compiled twice: imported (`quant-opt
M.onnx`) and to C with random calibration data of the original input shape.
quant-opt must exit 0, or 1 with an `error:` diagnostic, within the
timeout; anything else (a signal, another status, an error without a
diagnostic, a hang) is reported with the mutant kept as BAD-*.onnx, and the
script exits 1. Prints `N mutants, K bad`.
"""

import argparse
import copy
import os
import random
import subprocess
import sys

import numpy as np
import onnx

OP_TYPES = ["Conv", "Gemm", "MaxPool", "Relu", "Add", "Reshape", "Softmax",
            "Concat", "QuantizeLinear", "DequantizeLinear",
            "BatchNormalization", "Transpose", "MatMul", "AveragePool",
            "Flatten", "ConvInteger", "DynamicQuantizeLinear", "Cast"]


def mutate(model, rng):
    m = copy.deepcopy(model)
    g = m.graph
    kind = rng.randrange(10)
    if kind == 0 and g.node:
        n = rng.choice(g.node)
        if n.attribute:
            del n.attribute[rng.randrange(len(n.attribute))]
    elif kind == 1 and g.node:
        n = rng.choice(g.node)
        if n.attribute:
            a = rng.choice(n.attribute)
            if a.type == onnx.AttributeProto.INT:
                a.i = rng.choice([-1, 0, 2, 7, 1 << 40])
            elif a.type == onnx.AttributeProto.INTS and a.ints:
                a.ints[rng.randrange(len(a.ints))] = rng.choice(
                    [-3, 0, 5, 100, 1 << 33])
            elif a.type == onnx.AttributeProto.FLOAT:
                a.f = rng.choice([float("nan"), -1.0, 0.0, 1e30])
    elif kind == 2 and g.initializer:
        t = rng.choice(g.initializer)
        if t.dims:
            t.dims[rng.randrange(len(t.dims))] = rng.choice([0, 1, 3, 1000])
    elif kind == 3 and g.node:
        n = rng.choice(g.node)
        names = ([i.name for i in g.input] + [t.name for t in g.initializer] +
                 [o for nn in g.node for o in nn.output])
        if n.input:
            n.input[rng.randrange(len(n.input))] = rng.choice(
                names + ["nonexistent", ""])
    elif kind == 4 and g.node:
        rng.choice(g.node).op_type = rng.choice(OP_TYPES)
    elif kind == 5 and g.input:
        d = g.input[0].type.tensor_type.shape.dim
        if d:
            d[rng.randrange(len(d))].dim_value = rng.choice([0, 1, 2, 5,
                                                             1 << 31])
    elif kind == 6 and g.initializer:
        rng.choice(g.initializer).data_type = rng.choice(
            [1, 2, 3, 6, 7, 9, 10, 11, 16])
    elif kind == 7 and g.node:
        del g.node[rng.randrange(len(g.node))]
    elif kind == 8 and g.initializer:
        t = rng.choice(g.initializer)
        if t.raw_data:
            t.raw_data = t.raw_data[: len(t.raw_data) // 2]
        elif t.float_data:
            del t.float_data[len(t.float_data) // 2:]
    else:
        m.opset_import[0].version = rng.choice([1, 6, 9, 11, 13, 19, 21, 30])
    return m


def input_shape(model):
    init = {t.name for t in model.graph.initializer}
    for value in model.graph.input:
        if value.name not in init:
            return [max(d.dim_value, 1)
                    for d in value.type.tensor_type.shape.dim]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--quant-opt", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=100)
    ap.add_argument("--timeout", type=int, default=60)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.work, exist_ok=True)
    bases = [onnx.load(p) for p in args.models]
    calibs = []
    for k, model in enumerate(bases):
        shape = input_shape(model)
        path = os.path.join(args.work, f"calib{k}.npy")
        np.save(path, np.random.default_rng(k).uniform(
            -1, 1, [4] + shape[1:] if shape else [4]).astype(np.float32))
        calibs.append(path)
    bad = 0
    for i in range(args.count):
        k = i % len(bases)
        m = bases[k]
        for _ in range(rng.randint(1, 3)):
            m = mutate(m, rng)
        path = os.path.join(args.work, f"m{i}.onnx")
        with open(path, "wb") as f:
            f.write(m.SerializeToString())
        out = os.path.join(args.work, f"o{i}")
        os.makedirs(out, exist_ok=True)
        for extra in ([], ["--calibration-data=" + calibs[k], "--emit=c",
                           "-o", os.path.join(out, "n.c")]):
            command = [args.quant_opt, path, "--quiet"] + extra
            try:
                r = subprocess.run(command, capture_output=True, text=True,
                                   timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print(f"BAD: timeout: {' '.join(command)}")
                bad += 1
                break
            if r.returncode not in (0, 1) or \
                    (r.returncode == 1 and "error" not in r.stderr):
                print(f"BAD: exit {r.returncode}: {' '.join(command)}\n"
                      f"{r.stderr[-600:]}")
                os.replace(path, os.path.join(args.work, f"BAD-{i}.onnx"))
                bad += 1
                break
        else:
            os.remove(path)
    print(f"{args.count} mutants, {bad} bad")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
