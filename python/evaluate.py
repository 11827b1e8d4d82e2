#!/usr/bin/python3
"""Compile an ONNX model with QuantOpt, run the generated C on Fashion-MNIST
and compare it with the float model run by ONNX Runtime.

Steps (all files under --work):
  1. test images, labels and calibration samples as .npy (Debian's
     dataset-fashion-mnist);
  2. quant-opt MODEL --emit=c --calibration-data=calib.npy -> c/NAME.{c,h},
     built with the bundle runner and run on every test image;
  3. ONNX Runtime (onnxruntime-node) runs the float model on the same images;
  4. with --qdq: an independent QDQ version of the model (python/make_qdq.py)
     is run by ONNX Runtime and compiled by QuantOpt without calibration
     data; the int8 outputs of both are compared element by element.

Prints float vs int8 accuracy, the predictions that changed, model bytes and
arena bytes; --json writes the numbers; --report DIR writes report.md and a
self-contained report.html with per-layer SQNR (with --qdq) and accuracy per
strategy (with --sweep) as bar charts; --latency adds batch-1 latency against
ONNX Runtime (bench/run_bench.py). --max-drop makes the exit status non-zero
when int8 accuracy falls more than that many points below float.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import fashion_mnist  # noqa: E402
import layer_report  # noqa: E402
from object_sizes import section_sizes  # noqa: E402
import report  # noqa: E402

# Strategies compared by --sweep: (name, quant-opt options).
STRATEGIES = [
    ("per-channel, single rounding", []),
    ("per-tensor weights", ["--weight-granularity=per-tensor"]),
    ("double rounding", ["--rounding=double"]),
    ("100 calibration images", ["--calibration-samples=100"]),
    ("percentile 99.99 calibration", ["--calibration-method=percentile"]),
    ("entropy calibration", ["--calibration-method=entropy"]),
    ("mse calibration", ["--calibration-method=mse"]),
    ("symmetric activations", ["--activation-scheme=symmetric"]),
    ("int16 activations in Conv layers", ["--int16-layers=Conv"]),
    # Float compute in the generated code (docs/FloatLayers.md).
    ("dynamic quantization (Gemm/MatMul)", ["--quantization=dynamic"]),
    ("Gemm layers in float", ["--keep-float=Gemm"]),
    ("mixed precision, SQNR >= 45 dB", ["--mixed-precision-sqnr=45",
                                        "--mixed-precision-max-float=3"]),
    # Top-1 on all calibration images against their labels (agreement with
    # the float model when the labels are not known).
    ("mixed precision, top-1 within 0.2 points",
     ["--mixed-precision-accuracy=0.2", "--layer-report-samples=1000",
      "--mixed-precision-max-float=3"]),
]


def log(msg):
    print(f"[evaluate] {msg}", file=sys.stderr, flush=True)


def progress(done, total, what):
    """A one-line progress bar on a terminal; just the end in a log."""
    if not sys.stderr.isatty() and done < total:
        return
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    print(f"\r[evaluate] {what} [{'#' * filled}{'.' * (width - filled)}] "
          f"{done}/{total}", end=end, file=sys.stderr, flush=True)


def run(cmd, **kw):
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"evaluate: command failed ({proc.returncode}): "
                         + " ".join(cmd))
    return proc, time.time() - t0


def ensure_ort():
    mod = os.path.join(ROOT, "ort", "node_modules", "onnxruntime-node")
    if not os.path.isdir(mod):
        log("installing onnxruntime-node into ort/ (npm)")
        run(["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
            cwd=os.path.join(ROOT, "ort"))


def load_npy(path, flag, dtype):
    """Loads a .npy file for a command-line flag, with a clear error."""
    try:
        array = np.load(path)
    except (OSError, ValueError) as e:
        raise SystemExit(f"evaluate: {flag} {path}: {e}")
    if not np.issubdtype(array.dtype, np.number):
        raise SystemExit(f"evaluate: {flag} {path}: not a numeric array")
    return array.astype(dtype)


def ort_run(model, inputs, outputs):
    run(["node", os.path.join(ROOT, "ort", "run_model.js"), model, inputs,
         outputs, "--threads", "1"])
    return np.load(outputs)


def header_macros(path):
    macros = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"#define\s+(\w+)\s+(\S+)", line)
            if m:
                macros[m.group(1)] = m.group(2)
    return macros


def compile_bundle(args, model, out_dir, name, extra):
    os.makedirs(out_dir, exist_ok=True)
    c_file = os.path.join(out_dir, name + ".c")
    _, secs = run([args.quant_opt, model, "--emit=c", "-o", c_file] + extra)
    runner = os.path.join(out_dir, "runner")
    # A float model input or output (float layers): only NAME_run exists.
    macros = header_macros(os.path.join(out_dir, name + ".h"))
    float_api = macros.get(f"{name}_RUN_INT8_AVAILABLE") == "0"
    run([args.cc, "-std=c99", "-O2", f"-DBUNDLE={name}"]
        + (["-DBUNDLE_FLOAT_API"] if float_api else []) + [
         f'-DBUNDLE_HEADER="{name}.h"', "-I", out_dir,
         os.path.join(ROOT, "tools", "bundle-runner", "bundle_runner.c"),
         c_file, "-o", runner, "-lm"])
    obj = os.path.join(out_dir, name + ".o")
    run([args.cc, "-std=c99", "-O2", "-c", c_file, "-o", obj])
    return c_file, runner, obj, secs


def run_bundle(runner, images, work, tag, out_size, chunk=1000):
    """Runs the compiled bundle on every image, in chunks, with a progress
    bar; returns the int8 outputs, the float outputs and the seconds."""
    qs, fs, secs = [], [], 0.0
    for start in range(0, len(images), chunk):
        part = images[start:start + chunk]
        raw = os.path.join(work, f"{tag}_in.f32")
        part.astype("<f4").tofile(raw)
        q_path = os.path.join(work, f"{tag}_int8.bin")
        f_path = os.path.join(work, f"{tag}_float.f32")
        _, t = run([runner, raw, str(len(part)), q_path, f_path])
        secs += t
        q = np.fromfile(q_path, dtype=np.int8)
        # Empty for a float-API bundle (bundle_runner -DBUNDLE_FLOAT_API).
        qs.append(q.reshape(len(part), out_size) if q.size else
                  np.zeros((len(part), 0), np.int8))
        fs.append(np.fromfile(f_path, dtype="<f4").reshape(len(part), out_size))
        progress(start + len(part), len(images), f"running {tag}")
    return np.concatenate(qs), np.concatenate(fs), secs


def float_weight_bytes(model_path):
    model = onnx.load(model_path)
    return sum(int(np.prod(t.dims)) * 4 for t in model.graph.initializer
               if t.data_type == onnx.TensorProto.FLOAT)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "seed_cnn.onnx"),
                    help="float ONNX model (default: the bundled seed CNN)")
    ap.add_argument("--quant-opt", default=os.path.join(ROOT, "build", "bin", "quant-opt"),
                    help="path of the quant-opt binary")
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "eval"),
                    help="directory for generated files")
    ap.add_argument("--images", help="test inputs, float32 .npy [N, <input shape without "
                                       "batch>] (default: Fashion-MNIST's test set)")
    ap.add_argument("--labels", help="integer labels, .npy [N] (with --images)")
    ap.add_argument("--calib", help="calibration inputs, .npy shaped like --images")
    ap.add_argument("--calib-labels",
                    help="labels of --calib (.npy, optional): the accuracy "
                         "budget of mixed precision is then measured against "
                         "them instead of the float model's top-1")
    ap.add_argument("--calib-samples", type=int, default=1000,
                    help="calibration samples used (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=0,
                    help="evaluate only the first N test images (0: all 10000)")
    ap.add_argument("--qdq", action="store_true",
                    help="also compare with ONNX Runtime on a QDQ model")
    ap.add_argument("--quantization", choices=["static", "dynamic"], default="static",
                    help="static: calibrated int8 (default); dynamic: "
                         "quant-opt --quantization=dynamic (no calibration data)")
    ap.add_argument("--quant-opt-flag", action="append", default=[], metavar="FLAG",
                    help="extra quant-opt option for the main compilation, e.g. "
                         "--quant-opt-flag=--keep-float=Conv (repeatable)")
    ap.add_argument("--exclude", action="append", default=[], metavar="NODE",
                    help="with --qdq: leave this node float in the QDQ model "
                         "(make_qdq.py --exclude; repeatable)")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"), help="C compiler")
    ap.add_argument("--max-drop", type=float, default=None,
                    help="fail if int8 accuracy is more than this many points below float")
    ap.add_argument("--max-qdq-diff", type=float, default=None,
                    help="with --qdq: fail if more than this fraction of int8 "
                         "outputs differ from ONNX Runtime's")
    ap.add_argument("--sweep", action="store_true",
                    help="also compile and run every strategy of STRATEGIES")
    ap.add_argument("--latency", action="store_true",
                    help="also measure batch-1 latency against ONNX Runtime")
    ap.add_argument("--report", help="write report.md, report.html and results.json here")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args(argv)

    if not os.path.isfile(args.model):
        ap.error(f"model not found: {args.model}")
    if not os.access(args.quant_opt, os.X_OK):
        ap.error(f"quant-opt not found at {args.quant_opt} (build first)")
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    name = re.sub(r"\W", "_", os.path.splitext(os.path.basename(args.model))[0])

    if args.calib_labels and not args.calib:
        ap.error("--calib-labels needs --calib")
    if args.images or args.labels or args.calib:
        if not (args.images and args.labels and args.calib):
            ap.error("--images, --labels and --calib go together")
        log("loading the data set from .npy files")
        images = load_npy(args.images, "--images", np.float32)
        labels = load_npy(args.labels, "--labels", np.int64)
        calib = load_npy(args.calib, "--calib", np.float32)[:args.calib_samples]
        calib_labels = None
        if args.calib_labels:
            calib_labels = load_npy(args.calib_labels, "--calib-labels",
                                    np.int64)[:args.calib_samples]
            if calib_labels.shape != calib.shape[:1]:
                ap.error(f"--calib-labels must be 1-D with one label per "
                         f"calibration sample ({len(calib)}), got shape "
                         f"{list(calib_labels.shape)}")
        if labels.ndim != 1 or len(labels) != len(images):
            ap.error(f"--labels must be 1-D with one label per image "
                     f"({len(images)}), got shape {list(labels.shape)}")
        if calib.shape[1:] != images.shape[1:]:
            ap.error(f"--calib samples {list(calib.shape[1:])} and --images "
                     f"samples {list(images.shape[1:])} differ in shape")
    else:
        log("loading Fashion-MNIST")
        images, labels = fashion_mnist.load("test")
        train_images, train_labels = fashion_mnist.load("train")
        calib = train_images[:args.calib_samples]
        calib_labels = train_labels[:args.calib_samples]
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    test_npy = os.path.join(work, "test_images.npy")
    calib_npy = os.path.join(work, "calib.npy")
    np.save(test_npy, images)
    np.save(calib_npy, calib)
    label_flags = []
    if calib_labels is not None:
        calib_labels_npy = os.path.join(work, "calib_labels.npy")
        np.save(calib_labels_npy, calib_labels)
        label_flags = [f"--calibration-labels={calib_labels_npy}"]

    if args.quantization == "dynamic":
        log(f"compiling {args.model} to C (dynamic quantization)")
        flags = ["--quantization=dynamic"]
    else:
        log(f"compiling {args.model} to C (int8, calibrated on {len(calib)} images)")
        flags = [f"--calibration-data={calib_npy}"]
    c_file, runner, obj, compile_secs = compile_bundle(
        args, args.model, os.path.join(work, "c"), name,
        flags + args.quant_opt_flag)
    macros = header_macros(os.path.join(work, "c", name + ".h"))
    out_size = int(macros[f"{name}_OUTPUT_SIZE"])
    log(f"running the generated code on {len(images)} images")
    q, f, run_secs = run_bundle(runner, images, work, "quantopt", out_size)

    ensure_ort()
    log("running the float model in ONNX Runtime")
    ref = ort_run(args.model, test_npy, os.path.join(work, "ort_float.npy"))
    ref = ref.reshape(len(images), -1)

    acc_float = float((ref.argmax(1) == labels).mean())
    acc_int8 = float((f.argmax(1) == labels).mean())
    agree = float((ref.argmax(1) == f.argmax(1)).mean())
    code, data = section_sizes(obj)
    results = {
        "model": os.path.relpath(args.model, ROOT) if args.model.startswith(ROOT) else args.model,
        "quantization": args.quantization,
        "test_images": len(images),
        "calibration_images": len(calib),
        "accuracy_float_ort": acc_float,
        "accuracy_int8_quantopt": acc_int8,
        "top1_agreement": agree,
        "weight_bytes_float": float_weight_bytes(args.model),
        "const_bytes_int8": data,
        "code_bytes": code,
        "arena_bytes": int(macros[f"{name}_ARENA_SIZE"]),
        "compile_seconds": round(compile_secs, 2),
        "run_seconds": round(run_secs, 2),
    }

    if args.qdq:
        log("building an independent QDQ model (python/make_qdq.py)")
        qdq = os.path.join(work, name + "_qdq.onnx")
        run([sys.executable, os.path.join(HERE, "make_qdq.py"), args.model,
             "--calib", calib_npy, "--out", qdq]
            + [f"--exclude={node}" for node in args.exclude])
        ort_qdq = ort_run(qdq, test_npy, os.path.join(work, "ort_qdq.npy"))
        ort_qdq = ort_qdq.reshape(len(images), -1)
        log("compiling the QDQ model (no calibration data)")
        _, qrunner, _, _ = compile_bundle(args, qdq, os.path.join(work, "qdq"),
                                          name + "_qdq", [])
        qm = header_macros(os.path.join(work, "qdq", name + "_qdq.h"))
        qq, qf, _ = run_bundle(qrunner, images, work, "quantopt_qdq", out_size)
        results.update({
            "qdq_excluded_nodes": args.exclude,
            "qdq_accuracy_ort": float((ort_qdq.argmax(1) == labels).mean()),
            "qdq_accuracy_quantopt": float((qf.argmax(1) == labels).mean()),
            "qdq_top1_agreement_with_ort": float((ort_qdq.argmax(1) == qf.argmax(1)).mean()),
            "qdq_float_max_abs_diff": float(np.abs(ort_qdq - qf).max()),
        })
        if f"{name}_qdq_OUTPUT_SCALE" in qm:
            scale = float(qm[f"{name}_qdq_OUTPUT_SCALE"].strip("()").rstrip("f"))
            zp = int(qm[f"{name}_qdq_OUTPUT_ZERO_POINT"].strip("()"))
            if qq.size == 0:
                # A float-API bundle: its float output is the exact
                # dequantized int8 output.
                qq = np.clip(np.rint(qf / np.float32(scale)) + zp, -128, 127).astype(np.int8)
            ort_q = np.clip(np.rint(ort_qdq / np.float32(scale)) + zp, -128, 127).astype(np.int8)
            diff = np.abs(ort_q.astype(np.int32) - qq.astype(np.int32))
            results.update({
                "qdq_int8_outputs_differing": float((diff != 0).mean()),
                "qdq_int8_max_abs_diff": int(diff.max()),
            })

    changed = {}
    for a, b in zip(ref.argmax(1), f.argmax(1)):
        if a != b:
            changed[(int(a), int(b))] = changed.get((int(a), int(b)), 0) + 1
    results["changed_predictions"] = sorted(changed.items(), key=lambda kv: -kv[1])[:10]

    if args.qdq:
        log("per-layer error of the QDQ model (200 images)")
        results["layers"] = layer_report.layer_errors(args.model, qdq, images[:200])

    if args.sweep:
        results["strategies"] = []
        for i, (sname, opts) in enumerate(STRATEGIES):
            log(f"strategy {i + 1}/{len(STRATEGIES)}: {sname}")
            sdir = os.path.join(work, f"strategy{i}")
            _, srunner, sobj, _ = compile_bundle(
                args, args.model, sdir, name,
                ([] if "--quantization=dynamic" in opts
                 else [f"--calibration-data={calib_npy}"]) + opts
                + (label_flags if any(o.startswith("--mixed-precision-accuracy")
                                      for o in opts) else []))
            _, sf, _ = run_bundle(srunner, images, work, f"strategy{i}", out_size)
            sm = header_macros(os.path.join(sdir, name + ".h"))
            results["strategies"].append({
                "name": sname, "options": " ".join(opts) or "(defaults)",
                "accuracy": float((sf.argmax(1) == labels).mean()),
                "const_bytes": section_sizes(sobj)[1],
                "arena_bytes": int(sm[f"{name}_ARENA_SIZE"])})

    if args.latency:
        log("latency against ONNX Runtime (bench/run_bench.py, 3 rounds)")
        bench_json = os.path.join(work, "bench.json")
        run([sys.executable, os.path.join(ROOT, "bench", "run_bench.py"), args.model,
             "--quant-opt", args.quant_opt, "--work", os.path.join(work, "bench"),
             "--rounds", "3", "--runs", "500", "--warmup", "50", "--json", bench_json])
        with open(bench_json) as fh:
            lat = json.load(fh)["results"][0]["latency_us"]
        results["latency"] = {k: v["median_us"] for k, v in lat.items()}

    drop = 100.0 * (acc_float - acc_int8)
    print(f"model:                 {results['model']}")
    source = args.images if args.images else "Fashion-MNIST test set"
    print(f"test images:           {len(images)} ({source})")
    print(f"float accuracy (ORT):  {100 * acc_float:.2f}%")
    kind = "dynamic" if args.quantization == "dynamic" else "int8"
    print(f"{kind + ' accuracy (C):':<23}{100 * acc_int8:.2f}%  (drop {drop:+.2f} points)")
    print(f"top-1 agreement:       {100 * agree:.2f}%")
    print(f"weights float:         {results['weight_bytes_float']} bytes")
    print(f"int8 constants:        {data} bytes (code {code} bytes)")
    print(f"arena:                 {results['arena_bytes']} bytes")
    for (a, b), n in results["changed_predictions"][:3]:
        print(f"changed prediction:    {report.CLASSES[a]} -> {report.CLASSES[b]}: {n} images")
    if args.latency:
        lat = results["latency"]
        print(f"latency (median, us):  QuantOpt {lat['quantopt']:.1f}, "
              f"ORT FP32 {lat['ort_fp32']:.1f}, ORT INT8 {lat['ort_int8']:.1f}")
    width = max([len(st["name"]) for st in results.get("strategies", [])] + [29])
    for st in results.get("strategies", []):
        print(f"strategy {st['name']:<{width}} {100 * st['accuracy']:.2f}%")
    if args.qdq:
        print(f"QDQ model, ORT:        {100 * results['qdq_accuracy_ort']:.2f}%")
        print(f"QDQ model, QuantOpt:   {100 * results['qdq_accuracy_quantopt']:.2f}%")
        if args.exclude:
            print(f"QDQ float nodes:       {', '.join(args.exclude)}")
        if "qdq_int8_outputs_differing" in results:
            print(f"int8 outputs differing from ORT: "
                  f"{100 * results['qdq_int8_outputs_differing']:.3f}% "
                  f"(max |diff| {results['qdq_int8_max_abs_diff']})")
        else:
            print(f"float outputs vs ORT:  max |diff| "
                  f"{results['qdq_float_max_abs_diff']:.3g}")
    print(f"generated C:           {c_file}")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
    if args.report:
        os.makedirs(args.report, exist_ok=True)
        with open(os.path.join(args.report, "results.json"), "w") as fh:
            json.dump(results, fh, indent=2)
        report.write_markdown(os.path.join(args.report, "report.md"), results,
                              svg_dir=args.report)
        report.write_html(os.path.join(args.report, "report.html"), results)
        print(f"report:                {os.path.join(args.report, 'report.html')}")
    if args.max_drop is not None and drop > args.max_drop:
        print(f"FAIL: int8 accuracy is {drop:.2f} points below float "
              f"(allowed {args.max_drop})")
        return 1
    if (args.qdq and args.max_qdq_diff is not None
            and results.get("qdq_int8_outputs_differing", 0.0) > args.max_qdq_diff):
        print(f"FAIL: {results['qdq_int8_outputs_differing']:.4%} of int8 outputs "
              f"differ from ONNX Runtime (allowed {args.max_qdq_diff:.4%})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
