#!/usr/bin/env python3
"""Links a node test's C harness (kept by run_node_tests.py --work) with the
x86-64 and aarch64 objects of its model, runs them on data set 0 and
compares every output file byte for byte with the C bundle's.

Usage: run_boundary_objects.py QUANT_OPT WORK TEST NUM_OUTPUTS
"""

import filecmp
import os
import subprocess
import sys


def main():
    quant_opt, work, test = sys.argv[1], sys.argv[2], sys.argv[3]
    num_outputs = int(sys.argv[4])
    d = os.path.join(work, test)
    # The C run's outputs: out0.f32 (one output) or out0_<i>.f32.
    c_outputs = ([os.path.join(d, "out0.f32")] if num_outputs == 1 else
                 [os.path.join(d, f"out0_{i}.f32") for i in range(num_outputs)])
    inputs = [os.path.join(d, "in0_0.f32")]
    for tag, target, cc, launcher in (
            ("x86_64", "x86_64-linux-gnu", "gcc", []),
            ("aarch64", "aarch64-linux-gnu", "aarch64-linux-gnu-gcc",
             ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"])):
        o = os.path.join(d, tag)
        os.makedirs(o, exist_ok=True)
        # A float model is calibrated on the runner's calibration data.
        calib = os.path.join(d, "calibration0.npy")
        subprocess.run([quant_opt, os.path.join(d, "model.onnx"),
                        "--emit=obj", "--target=" + target, "--quiet", "-o",
                        os.path.join(o, "m.o")] +
                       (["--calibration-data=" + calib]
                        if os.path.exists(calib) else []), check=True)
        exe = os.path.join(o, "harness")
        subprocess.run([cc, "-std=c99", "-O1", "-DBUNDLE=m",
                        '-DBUNDLE_HEADER="m.h"', "-I" + o,
                        os.path.join(d, "harness.c"), os.path.join(o, "m.o"),
                        "-o", exe], check=True)
        outputs = [os.path.join(o, f"out{i}.f32") for i in range(num_outputs)]
        # One output: harness IN OUT; several: harness OUT... IN.
        args = (inputs + outputs if num_outputs == 1 else outputs + inputs)
        subprocess.run(launcher + [exe] + args, check=True,
                       stdout=subprocess.DEVNULL)
        same = all(filecmp.cmp(a, b, shallow=False)
                   for a, b in zip(outputs, c_outputs))
        print(f"{tag}: {'same as C' if same else 'DIFFERENT from C'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
