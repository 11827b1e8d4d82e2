#!/usr/bin/python3
"""Batch-1, single-thread latency of QuantOpt's generated code against ONNX
Runtime FP32 and INT8 (QDQ) on the same models, in one run.

For each model: compile it to C with quant-opt (calibrated on Fashion-MNIST
training images), build the C with the host compiler, build an independent
QDQ model (python/make_qdq.py) for ONNX Runtime's int8 kernels, then run the
three in interleaved rounds pinned to one core (taskset -c CORE) so that
machine drift hits all three alike. Each round times RUNS inferences after
WARMUP; the reported latency is the median over rounds of each round's
median (and p90). Also reports GMAC/s, arena, weight and code bytes.

This is a benchmark, not a test: absolute times drift between runs on shared
machines; the ratios in one run are the result.
"""

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys

import numpy as np
import onnx
from onnx import shape_inference

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))
import fashion_mnist  # noqa: E402
from object_sizes import section_sizes  # noqa: E402


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("run_bench: command failed: " + " ".join(cmd))
    return proc.stdout


def count_macs(model_path):
    """Multiply-accumulates of one batch-1 inference (Conv, Gemm, MatMul)."""
    model = onnx.load(model_path)
    for value in list(model.graph.input) + list(model.graph.output):
        dims = value.type.tensor_type.shape.dim
        if dims and not dims[0].HasField("dim_value"):
            dims[0].dim_value = 1
    model = shape_inference.infer_shapes(model)
    shapes = {}
    for v in list(model.graph.value_info) + list(model.graph.input) + list(model.graph.output):
        shapes[v.name] = [d.dim_value for d in v.type.tensor_type.shape.dim]
    for t in model.graph.initializer:
        shapes[t.name] = list(t.dims)
    macs = 0
    for node in model.graph.node:
        if node.op_type == "Conv":
            w = shapes[node.input[1]]
            out = shapes[node.output[0]]
            macs += int(np.prod(out)) * int(np.prod(w[1:]))
        elif node.op_type in ("Gemm", "MatMul"):
            a = shapes[node.input[0]]
            out = shapes[node.output[0]]
            trans_a = any(at.name == "transA" and at.i for at in node.attribute)
            k = a[0] if trans_a else a[-1]
            macs += int(np.prod(out)) * k
    return macs


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="*",
                    default=[os.path.join(ROOT, "models", "seed_cnn.onnx")],
                    help="float ONNX models (default: the bundled seed CNN)")
    ap.add_argument("--quant-opt", default=os.path.join(ROOT, "build", "bin", "quant-opt"))
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "bench"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--cflags", default="-O3 -march=native",
                    help="flags for the generated C (default: %(default)s)")
    ap.add_argument("--object-cpu", default="native",
                    help="--target-cpu of the x86-64 object (default: %(default)s)")
    ap.add_argument("--core", type=int, default=0, help="CPU core to pin to")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--runs", type=int, default=2000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--peak-gmacs", type=float, default=455.0,
                    help="int8 peak of one core, GMAC/s (default: AVX-512 VNNI figure)")
    ap.add_argument("--json", help="write results here")
    args = ap.parse_args(argv)

    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    images, _ = fashion_mnist.load("test")
    calib = fashion_mnist.load("train")[0][:1000]
    calib_npy = os.path.join(work, "calib.npy")
    np.save(calib_npy, calib)
    input_f32 = os.path.join(work, "input.f32")
    images[0].astype("<f4").tofile(input_f32)
    pin = ["taskset", "-c", str(args.core)]

    results = []
    for model in args.models:
        name = re.sub(r"\W", "_", os.path.splitext(os.path.basename(model))[0])
        mdir = os.path.join(work, name)
        os.makedirs(mdir, exist_ok=True)
        c_file = os.path.join(mdir, name + ".c")
        run([args.quant_opt, model, "--emit=c", f"--calibration-data={calib_npy}",
             "-o", c_file, "--quiet"])
        exe = os.path.join(mdir, "latency")
        run([args.cc, "-std=c99"] + args.cflags.split() +
            [f"-DBUNDLE={name}", f'-DBUNDLE_HEADER="{name}.h"', "-I", mdir,
             os.path.join(HERE, "bundle_latency.c"), c_file, "-o", exe, "-lm"])
        obj = os.path.join(mdir, name + ".o")
        run([args.cc, "-std=c99"] + args.cflags.split() + ["-c", c_file, "-o", obj])
        # The same model through the object backend (LLVM, x86-64).
        odir = os.path.join(mdir, "obj")
        os.makedirs(odir, exist_ok=True)
        qo_obj = os.path.join(odir, name + ".o")
        run([args.quant_opt, model, "--emit=obj", "--target=x86_64-linux-gnu",
             f"--target-cpu={args.object_cpu}", f"--calibration-data={calib_npy}",
             "-o", qo_obj, "--quiet"])
        exe_obj = os.path.join(odir, "latency")
        run([args.cc, "-std=c99", "-O2", f"-DBUNDLE={name}", f'-DBUNDLE_HEADER="{name}.h"',
             "-I", odir, os.path.join(HERE, "bundle_latency.c"), qo_obj, "-o", exe_obj, "-lm"])
        qdq = os.path.join(mdir, name + "_qdq.onnx")
        run([sys.executable, os.path.join(ROOT, "python", "make_qdq.py"), model,
             "--calib", calib_npy, "--out", qdq])
        shape = ",".join(str(d) for d in [1] + list(images.shape[1:]))
        env = dict(os.environ, QO_INPUT_SHAPE=shape)
        ort = ["node", os.path.join(HERE, "ort_latency.js")]
        rounds = {"quantopt": [], "quantopt_obj": [], "ort_fp32": [], "ort_int8": []}
        for r in range(args.rounds):
            print(f"[bench] {name}: round {r + 1}/{args.rounds}", file=sys.stderr, flush=True)
            rounds["quantopt"].append(json.loads(run(
                pin + [exe, input_f32, str(args.runs), str(args.warmup)])))
            rounds["quantopt_obj"].append(json.loads(run(
                pin + [exe_obj, input_f32, str(args.runs), str(args.warmup)])))
            rounds["ort_fp32"].append(json.loads(run(
                pin + ort + [model, input_f32, str(args.runs), str(args.warmup)], env=env)))
            rounds["ort_int8"].append(json.loads(run(
                pin + ort + [qdq, input_f32, str(args.runs), str(args.warmup)], env=env)))
        summary = {k: {"median_us": statistics.median(x["median_us"] for x in v),
                       "p90_us": statistics.median(x["p90_us"] for x in v)}
                   for k, v in rounds.items()}
        macs = count_macs(model)
        code, data = section_sizes(obj)
        header = open(os.path.join(mdir, name + ".h")).read()
        arena = int(re.search(rf"#define {name}_ARENA_SIZE (\d+)", header).group(1))
        qo = summary["quantopt"]["median_us"]
        results.append({
            "model": os.path.relpath(model, ROOT) if model.startswith(ROOT) else model,
            "macs": macs,
            "latency_us": summary,
            "ratio_vs_ort_fp32": qo / summary["ort_fp32"]["median_us"],
            "ratio_vs_ort_int8": qo / summary["ort_int8"]["median_us"],
            "object_ratio_vs_ort_int8": summary["quantopt_obj"]["median_us"]
                                        / summary["ort_int8"]["median_us"],
            "gmacs": macs / qo / 1e3,
            "peak_fraction": macs / qo / 1e3 / args.peak_gmacs,
            "arena_bytes": arena, "const_bytes": data, "code_bytes": code,
        })

    print(f"CPU: {cpu_name()}; pinned to core {args.core}; "
          f"{args.rounds} interleaved rounds x {args.runs} runs; C flags: {args.cflags}")
    print()
    print("| model | MACs | QuantOpt C median (p90) us | QuantOpt x86-64 object median (p90) us "
          "| ORT FP32 median (p90) us "
          "| ORT INT8 median (p90) us | C vs FP32 | C vs INT8 | object vs INT8 | C GMAC/s (% of peak) "
          "| arena B | weights B | code B |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        s = r["latency_us"]
        print(f"| {r['model']} | {r['macs']} "
              f"| {s['quantopt']['median_us']:.1f} ({s['quantopt']['p90_us']:.1f}) "
              f"| {s['quantopt_obj']['median_us']:.1f} ({s['quantopt_obj']['p90_us']:.1f}) "
              f"| {s['ort_fp32']['median_us']:.1f} ({s['ort_fp32']['p90_us']:.1f}) "
              f"| {s['ort_int8']['median_us']:.1f} ({s['ort_int8']['p90_us']:.1f}) "
              f"| {r['ratio_vs_ort_fp32']:.2f} | {r['ratio_vs_ort_int8']:.2f} "
              f"| {r['object_ratio_vs_ort_int8']:.2f} "
              f"| {r['gmacs']:.2f} ({100 * r['peak_fraction']:.1f}%) "
              f"| {r['arena_bytes']} | {r['const_bytes']} | {r['code_bytes']} |")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"cpu": cpu_name(), "results": results}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
