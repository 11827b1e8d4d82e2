#!/usr/bin/python3
"""Checks that one model gives bit-identical outputs from every backend.

Compiles MODEL with quant-opt three ways, C (`--emit=c`, built with gcc),
an x86-64 object and an aarch64 object (`--emit=obj`), links each with
tools/bundle-runner, runs them on the first N images (the aarch64 one under
qemu-aarch64) and compares the int8 and float outputs byte for byte. Exits
non-zero, naming the backend, on any difference.
"""

import argparse
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNNER = os.path.join(ROOT, "tools", "bundle-runner", "bundle_runner.c")


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit("check_backends: command failed: " + " ".join(cmd))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--quant-opt", required=True)
    ap.add_argument("--images", required=True, help="float32 .npy inputs")
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--work", required=True)
    ap.add_argument("--qo-arg", action="append", default=[],
                    help="extra quant-opt option (repeatable)")
    args = ap.parse_args(argv)

    images = np.load(args.images)[:args.count].astype("<f4")
    os.makedirs(args.work, exist_ok=True)
    raw = os.path.join(args.work, "images.f32")
    images.tofile(raw)
    builds = [
        ("c", ["--emit=c"], "gcc", []),
        ("x86_64", ["--emit=obj", "--target=x86_64-linux-gnu"], "gcc", []),
        ("aarch64", ["--emit=obj", "--target=aarch64-linux-gnu"],
         "aarch64-linux-gnu-gcc", ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]),
    ]
    outputs = {}
    for tag, emit, cc, launcher in builds:
        d = os.path.join(args.work, tag)
        os.makedirs(d, exist_ok=True)
        code = os.path.join(d, "net.c" if tag == "c" else "net.o")
        run([args.quant_opt, args.model, "--quiet", "-o", code] + emit + args.qo_arg)
        exe = os.path.join(d, "runner")
        # A float input or output (NAME_run_int8 not available): NAME_run only.
        with open(os.path.join(d, "net.h")) as header:
            float_api = "net_RUN_INT8_AVAILABLE 0" in header.read()
        run([cc, "-std=c99", "-O2", "-DBUNDLE=net", '-DBUNDLE_HEADER="net.h"', "-I", d]
            + (["-DBUNDLE_FLOAT_API"] if float_api else []) +
            [RUNNER, code, "-lm", "-o", exe])
        q, f = os.path.join(d, "int8.bin"), os.path.join(d, "float.f32")
        run(launcher + [exe, raw, str(len(images)), q, f])
        outputs[tag] = (open(q, "rb").read(), open(f, "rb").read())
    reference = outputs["c"]
    for tag, out in outputs.items():
        if out != reference:
            raise SystemExit(f"check_backends: {tag} outputs differ from the C bundle's")
    print(f"bit-identical: c, x86_64, aarch64 on {len(images)} images "
          f"({len(reference[0])} int8 outputs, {len(reference[1]) // 4} "
          f"float outputs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
