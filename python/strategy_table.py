#!/usr/bin/python3
"""Compare every quantization strategy QuantOpt offers on several models and
write the comparison as a Markdown table (docs/Strategies.md).

For each model it runs python/evaluate.py with --sweep (in this process):
the float model in ONNX Runtime, then every strategy of evaluate.STRATEGIES
compiled to C and run on the test images. Each row gives top-1 accuracy, the
change against float, the constant bytes of the compiled object (weights,
biases and tables; for the float row, the float32 initializers) and the
arena bytes.

Models: the bundled seed CNN (models/seed_cnn.onnx) and any architecture of
python/train_seed_cnn.py, trained here (one epoch) into --work/models unless
already there.

    /usr/bin/python3 python/strategy_table.py --out docs/Strategies.md
    /usr/bin/python3 python/strategy_table.py --models seed --limit 500 \\
        --strategy "per-tensor weights" --out /tmp/t.md
"""

import argparse
import io
import json
import os
import shlex
import shutil
import sys
import time
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import evaluate  # noqa: E402

ARCHS = ["seed", "cnn2", "mobilenet", "deepcnn"]
DESCRIPTIONS = {
    "seed": "seed CNN (Conv 1->16 3x3, ReLU, MaxPool 2, Linear to 10)",
    "cnn2": "two-conv CNN (2 convs, 2 Gemms)",
    "mobilenet": "MobileNetV2-style (depthwise, inverted residuals, ReLU6, BatchNorm)",
    "deepcnn": "deeper CNN with unfused BatchNorm",
}


def model_path(arch, work, epochs):
    if arch == "seed":
        return os.path.join(ROOT, "models", "seed_cnn.onnx")
    path = os.path.join(work, "models", arch + ".onnx")
    if not os.path.isfile(path):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        evaluate.log(f"training {arch} ({epochs} epoch) -> {path}")
        evaluate.run([sys.executable, os.path.join(HERE, "train_seed_cnn.py"),
                      "--arch", arch, "--epochs", str(epochs), "--out", path])
    return path


def evaluate_model(path, work, args):
    argv = ["--model", path, "--quant-opt", args.quant_opt, "--work", work,
            "--sweep", "--json", os.path.join(work, "results.json")]
    if args.limit:
        argv += ["--limit", str(args.limit)]
    with redirect_stdout(io.StringIO()):
        status = evaluate.main(argv)
    if status:
        raise SystemExit(f"strategy_table: evaluate.py failed on {path}")
    with open(os.path.join(work, "results.json")) as fh:
        return json.load(fh)


def table(arch, r):
    lines = [f"### {DESCRIPTIONS.get(arch, arch)}", "",
             "| strategy | quant-opt options | top-1 accuracy | vs float "
             "| constant bytes | arena bytes |",
             "|---|---|---:|---:|---:|---:|"]
    fl = r["accuracy_float_ort"]
    lines.append(f"| float (ONNX Runtime) | | {100 * fl:.2f}% | | "
                 f"{r['weight_bytes_float']:,} | |")
    for st in r["strategies"]:
        lines.append(
            f"| {st['name']} | `{st['options']}` | {100 * st['accuracy']:.2f}% | "
            f"{100 * (st['accuracy'] - fl):+.2f} | {st['const_bytes']:,} | "
            f"{st['arena_bytes']:,} |")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", default=",".join(ARCHS),
                    help="comma-separated architectures (default: %(default)s)")
    ap.add_argument("--strategy", action="append", default=[],
                    help="a strategy name to run (repeatable; default: all of "
                         "evaluate.STRATEGIES)")
    ap.add_argument("--quant-opt", default=os.path.join(ROOT, "build", "bin", "quant-opt"))
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "strategies"))
    ap.add_argument("--epochs", type=int, default=1,
                    help="training epochs for the trained models (default: 1)")
    ap.add_argument("--limit", type=int, default=0,
                    help="evaluate only the first N test images (0: all 10000)")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "Strategies.md"))
    ap.add_argument("--json", help="also write all results here")
    args = ap.parse_args(argv)

    archs = [a for a in args.models.split(",") if a]
    for a in archs:
        if a not in ARCHS:
            ap.error(f"unknown model '{a}' (choose from {', '.join(ARCHS)})")
    if args.strategy:
        wanted = args.strategy
        known = {name for name, _ in evaluate.STRATEGIES}
        for s in wanted:
            if s not in known:
                ap.error(f"unknown strategy '{s}' (known: {'; '.join(sorted(known))})")
        evaluate.STRATEGIES[:] = [st for st in evaluate.STRATEGIES if st[0] in wanted]
    args.quant_opt = shutil.which(args.quant_opt) or args.quant_opt
    if not os.access(args.quant_opt, os.X_OK):
        ap.error(f"quant-opt not found at {args.quant_opt} (build first)")

    work = os.path.abspath(args.work)
    results, t0 = {}, time.time()
    for i, arch in enumerate(archs):
        evaluate.log(f"model {i + 1}/{len(archs)}: {arch}")
        path = model_path(arch, work, args.epochs)
        results[arch] = evaluate_model(path, os.path.join(work, arch), args)

    cmd = "/usr/bin/python3 python/strategy_table.py " + " ".join(
        shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:]))
    n = results[archs[0]]["test_images"]
    images = "all 10,000" if n == 10000 else f"the first {n:,}"
    out = ["# Quantization strategies compared",
           "",
           "<!-- Generated by python/strategy_table.py; do not edit by hand. -->",
           "",
           f"Made by `{cmd.strip()}` "
           f"({time.strftime('%Y-%m-%d')}, {time.time() - t0:.0f} s). Top-1 accuracy "
           f"on {images} Fashion-MNIST test images; calibration on the first "
           "1,000 training images. *constant bytes* is the .rodata of the generated "
           "C compiled with `cc -O2` (int8 weights, int32 biases, requantize tables; "
           "float weights where a strategy keeps layers in float); the float row "
           "gives the float32 initializers of the ONNX file. *arena bytes* is "
           "NAME_ARENA_SIZE. The trained models are trained by "
           "python/train_seed_cnn.py for one epoch with torch seed 0, so their float "
           "accuracy is below what longer training reaches; the comparison between "
           "strategies is what matters.",
           "",
           "Reading the tables: entropy calibration clips the early ReLU/ReLU6 "
           "outputs hard on the deeper models (docs/Pipeline.md, \"Calibration "
           "in detail\"), so min/max or mse is the better default there. The "
           "strategies with float layers (dynamic quantization, layers kept in "
           "float, mixed precision) store those layers' weights as float32 and "
           "need float activations in the arena (docs/FloatLayers.md). Per-tensor "
           "weights save the per-channel requantize tables, which are a large "
           "share of the constants of the small models.",
           ""]
    for arch in archs:
        out += table(arch, results[arch]) + [""]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        fh.write("\n".join(out))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
