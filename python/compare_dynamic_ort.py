#!/usr/bin/python3
"""Compares QuantOpt with ONNX Runtime on a model in ONNX Runtime's dynamic
quantization form (DynamicQuantizeLinear -> MatMulInteger -> Cast -> Mul).

  compare_dynamic_ort.py --work DIR [--model FLOAT.onnx | --dynamic-model
                         DYN.onnx] [--weight-type int8|uint8] [--per-channel]
                         [--limit N] [--images X.npy [--labels Y.npy]]
                         [--object] [--aarch64]

1. With --model, python/ort_dynamic_quantize.py writes DIR/dynamic.onnx
   (the form onnxruntime.quantization.quantize_dynamic writes); with
   --dynamic-model that model is used as is.
2. ONNX Runtime 1.30 (ort/run_model.js, one thread) runs it on the images
   (default: the Fashion-MNIST test set, or --images) with its default
   graph optimizations and with them disabled.
3. quant-opt compiles the same model (--emit=c; the imported model needs
   no calibration data and no flag: the layers ONNX Runtime left in float
   run in float), the bundle runner (tools/bundle-runner) runs the C on the
   same images.
4. Prints the largest absolute difference from each ORT run, how many
   values are bit-identical, top-1 agreement and, with labels, accuracy.
   With --object the x86-64 object (--emit=obj), with --aarch64 the
   aarch64 object (run under qemu-aarch64), must give the C bundle's
   outputs bit for bit.

Exit status 1 when --max-abs-diff is given and exceeded, when the top-1
agreement is below --min-agreement, or when the object differs.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("compare_dynamic_ort: command failed: " + " ".join(cmd))
    return proc.stdout + proc.stderr


def build_runner(args, work, tag, emit, cc=None):
    d = os.path.join(work, tag)
    os.makedirs(d, exist_ok=True)
    code = os.path.join(d, "net.c" if tag == "c" else "net.o")
    run([args.quant_opt, args.dynamic_path, "--quiet", "-o", code] + emit
        + args.quant_opt_flag)
    exe = os.path.join(d, "runner")
    run([cc or args.cc, "-std=c99", "-O2", "-DBUNDLE=net", "-DBUNDLE_FLOAT_API",
         '-DBUNDLE_HEADER="net.h"', "-I", d,
         os.path.join(ROOT, "tools", "bundle-runner", "bundle_runner.c"),
         code, "-lm", "-o", exe])
    return exe


def run_bundle(exe, raw, count, work, tag, out_shape, launcher=()):
    q, f = os.path.join(work, tag + "_int8.bin"), os.path.join(work, tag + ".f32")
    run(list(launcher) + [exe, raw, str(count), q, f])
    return np.fromfile(f, dtype="<f4").reshape((count,) + out_shape)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=os.path.join(ROOT, "models", "seed_cnn.onnx"))
    ap.add_argument("--dynamic-model", help="an ORT dynamic model to use as is")
    ap.add_argument("--weight-type", choices=["int8", "uint8"], default="int8")
    ap.add_argument("--per-channel", action="store_true")
    ap.add_argument("--work", required=True)
    ap.add_argument("--quant-opt", default=os.path.join(ROOT, "build", "bin", "quant-opt"))
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    ap.add_argument("--images")
    ap.add_argument("--labels")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--object", action="store_true")
    ap.add_argument("--aarch64", action="store_true",
                    help="also the aarch64 object (aarch64-linux-gnu-gcc, "
                         "run under qemu-aarch64): bit-identical to C")
    ap.add_argument("--quant-opt-flag", action="append", default=[],
                    metavar="FLAG", help="extra quant-opt option (repeatable)")
    ap.add_argument("--max-abs-diff", type=float)
    ap.add_argument("--min-agreement", type=float, default=0.0)
    args = ap.parse_args(argv)

    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    if args.dynamic_model:
        args.dynamic_path = args.dynamic_model
    else:
        args.dynamic_path = os.path.join(work, "dynamic.onnx")
        run([sys.executable, os.path.join(HERE, "ort_dynamic_quantize.py"),
             args.model, args.dynamic_path, "--weight-type", args.weight_type]
            + (["--per-channel"] if args.per_channel else []))

    labels = None
    if args.images:
        images = np.load(args.images).astype(np.float32)
        if args.labels:
            labels = np.load(args.labels)
    else:
        import fashion_mnist
        images, labels = fashion_mnist.load("test")
    if args.limit:
        images = images[:args.limit]
        labels = labels[:args.limit] if labels is not None else None
    count = len(images)
    images_path = os.path.join(work, "images.npy")
    np.save(images_path, images.astype("<f4"))
    raw = os.path.join(work, "images.f32")
    images.astype("<f4").tofile(raw)

    ort = {}
    for level in ["all", "disabled"]:
        out = os.path.join(work, f"ort_{level}.npy")
        run(["node", os.path.join(ROOT, "ort", "run_model.js"), args.dynamic_path,
             images_path, out, "--threads", "1", "--opt-level", level])
        ort[level] = np.load(out).reshape(count, -1)

    out_shape = (ort["all"].shape[1],)
    c_out = run_bundle(build_runner(args, work, "c", ["--emit=c"]), raw, count,
                       work, "c", out_shape)
    failed = False
    print(f"model:                 {args.dynamic_path}")
    print(f"inputs:                {count}")
    for level, ref in ort.items():
        diff = np.abs(c_out.astype(np.float64) - ref.astype(np.float64))
        same = int(np.sum(c_out.view(np.uint32) == ref.view(np.uint32)))
        agree = float(np.mean(c_out.argmax(1) == ref.argmax(1)))
        rel = diff.max() / max(float(np.abs(ref).max()), 1e-30)
        print(f"vs ORT (opt {level + '):':<10} max |diff| {diff.max():.3g} "
              f"(relative to max |y| {rel:.3g}), bit-identical "
              f"{same} of {diff.size}, top-1 agreement {100 * agree:.2f}%")
        if args.max_abs_diff is not None and diff.max() > args.max_abs_diff:
            print(f"FAIL: max |diff| {diff.max():.3g} > {args.max_abs_diff}")
            failed = True
        if agree < args.min_agreement:
            print(f"FAIL: top-1 agreement {agree:.4f} < {args.min_agreement}")
            failed = True
    if labels is not None:
        print(f"accuracy ORT:          {100 * np.mean(ort['all'].argmax(1) == labels):.2f}%")
        print(f"accuracy QuantOpt (C): {100 * np.mean(c_out.argmax(1) == labels):.2f}%")
    if args.object:
        o_out = run_bundle(build_runner(args, work, "x86_64",
                                        ["--emit=obj", "--target=x86_64-linux-gnu"]),
                           raw, count, work, "x86_64", out_shape)
        if o_out.tobytes() == c_out.tobytes():
            print(f"x86-64 object:         bit-identical to C ({c_out.size} values)")
        else:
            print("FAIL: the x86-64 object's outputs differ from the C bundle's")
            failed = True
    if args.aarch64:
        a_out = run_bundle(
            build_runner(args, work, "aarch64",
                         ["--emit=obj", "--target=aarch64-linux-gnu"],
                         cc="aarch64-linux-gnu-gcc"),
            raw, count, work, "aarch64", out_shape,
            launcher=["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"])
        if a_out.tobytes() == c_out.tobytes():
            print(f"aarch64 object:        bit-identical to C ({c_out.size} values)")
        else:
            print("FAIL: the aarch64 object's outputs differ from the C bundle's")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
