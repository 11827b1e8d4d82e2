#!/usr/bin/python3
"""Memory report of compiled models: the arena the planner chose against the
largest set of buffers live at one op (the lower bound of any plan) and
against all buffers without reuse; the header's NAME_ARENA_SIZE; constant
and code bytes of the C bundle (`size -A` of `gcc -O2 -c`).

    bench/memory_report.py MODEL.onnx... --calibration-data calib.npy
"""

import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "python"))
from object_sizes import section_sizes  # noqa: E402


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit("memory_report: command failed: " + " ".join(cmd))
    return proc.stdout


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("models", nargs="+")
    ap.add_argument("--calibration-data", required=True)
    ap.add_argument("--quant-opt", default=os.path.join(ROOT, "build", "bin", "quant-opt"))
    ap.add_argument("--work", default=os.path.join(ROOT, "out", "memory"))
    args = ap.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    print("| model | arena (planner) B | largest live set B | arena / live set "
          "| all buffers B | NAME_ARENA_SIZE B | constants B | code B |")
    print("|---|---|---|---|---|---|---|---|")
    for model in args.models:
        name = re.sub(r"\W", "_", os.path.splitext(os.path.basename(model))[0])
        int8 = os.path.join(args.work, name + ".int8.mlir")
        run([args.quant_opt, model, "--emit=int8",
             f"--calibration-data={args.calibration_data}", "-o", int8])
        lowered = run([args.quant_opt, int8, "--quantopt-lower-to-buffers"])
        attrs = {k: int(v) for k, v in re.findall(
            r"quantopt\.(arena_size|arena_live_bound|buffer_bytes) = (\d+)", lowered)}
        c_file = os.path.join(args.work, name + ".c")
        run([args.quant_opt, model, "--emit=c", f"--calibration-data={args.calibration_data}",
             "-o", c_file, "--quiet"])
        header = open(os.path.join(args.work, name + ".h")).read()
        arena = int(re.search(rf"#define {name}_ARENA_SIZE (\d+)", header).group(1))
        obj = os.path.join(args.work, name + ".o")
        run(["gcc", "-std=c99", "-O2", "-c", c_file, "-o", obj])
        code, data = section_sizes(obj)
        ratio = attrs["arena_size"] / max(attrs["arena_live_bound"], 1)
        print(f"| {name} | {attrs['arena_size']} | {attrs['arena_live_bound']} | {ratio:.2f} "
              f"| {attrs['buffer_bytes']} | {arena} | {data} | {code} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
