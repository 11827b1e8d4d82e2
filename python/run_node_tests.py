#!/usr/bin/env python3
"""Runs the ONNX backend node tests numerically through quant-opt --emit=c.

For every node test (default: Debian's libonnx-testdata) whose ops the
importer supports (`quant-opt --list-onnx-ops`), the runner

1. binds the node's parameter inputs (weights, biases, scales, zero points,
   shapes, bounds: PARAMETER_INPUTS below) to the test's own values as
   initializers, so what is left are the data inputs (several only if all
   are FLOAT: each is calibrated from its own .npy);
2. gives an integer (UINT8/INT8) data input a float front door: a new float
   input `X__real` and `QuantizeLinear(X__real, scale, zero_point)` with the
   consuming node's own scale and zero point (or 1 and 0), fed with
   `(x - zero_point) * scale`, which QuantizeLinear maps back to x exactly;
   an integer output gets `DequantizeLinear` with the producing node's own
   scale and zero point, so the C bundle's int8 output is the ONNX integer
   output (re-centered by -128 for UINT8);
3. compiles the model with `quant-opt --emit=c` (a float model is calibrated
   on the test's own inputs), builds the C with the host compiler and a
   small harness, runs `NAME_run` on the float inputs (and `NAME_run_int8`
   on the integer inputs, which must agree), and compares with output_*.pb:
   - integer outputs (QuantizeLinear, QLinear*): exact match of the integers;
   - float outputs of a quantized model (DequantizeLinear): exact match;
   - float outputs of a calibrated float model: |y - ref| <= TOLERANCE_STEPS
     * s_out, s_out the output's quantization step (NAME_OUTPUT_SCALE).

Writes a Markdown report (--report) and fails (exit 1) if any test fails
(other than those listed as `xfail NAME: REASON` in --expected, known limits
of int8 quantization), a test listed in --expected does not pass, or an
xfail test passes.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper

DEFAULT_DATA = "/usr/share/libonnx-testdata/data/node"

# Calibrated float models: the C output may differ from the float reference
# by the input's rounding (half a step, propagated through the op), the
# weights' rounding and the output's own rounding (half a step). The bound
# is in units of the output quantization step.
TOLERANCE_STEPS = 2.0

# Inputs (by position) that are parameters of the op, bound as constants.
PARAMETER_INPUTS = {
    "BatchNormalization": {1, 2, 3, 4},
    "Clip": {1, 2},
    "Conv": {1, 2},
    "ConvInteger": {1, 2, 3},
    "DequantizeLinear": {1, 2},
    "Dropout": {1, 2},
    "Gemm": {1, 2},
    "MatMul": {1},
    "MatMulInteger": {1, 2, 3},
    "QLinearConv": {1, 2, 3, 4, 5, 6, 7, 8},
    "QLinearMatMul": {1, 2, 3, 4, 5, 6, 7},
    "QuantizeLinear": {1, 2},
    "Reshape": {1},
    "Squeeze": {1},
    "Unsqueeze": {1},
}
# Where an op's data input (position 0) finds its scale and zero point.
# (None: scale 1, as the integer products read raw integers minus the zero
# point.)
INPUT_QUANT = {
    "ConvInteger": (None, 2),
    "MatMulInteger": (None, 2),
    "DequantizeLinear": (1, 2),
    "QLinearConv": (1, 2),
    "QLinearMatMul": (1, 2),
}
# Where an op's integer output finds its scale and zero point.
OUTPUT_QUANT = {
    "QuantizeLinear": (1, 2),
    "QLinearConv": (6, 7),
    "QLinearMatMul": (6, 7),
}
QUANT_OPS = {"QuantizeLinear", "DequantizeLinear", "QLinearConv",
             "QLinearMatMul", "ConvInteger", "MatMulInteger",
             "DynamicQuantizeLinear"}
# Ops that compute a quantization scale in float at run time, which
# --require-int8 refuses: their models compile without it.
RUNTIME_SCALE_OPS = {"DynamicQuantizeLinear"}
# Ops the importer supports only inside ONNX Runtime's dynamic quantization
# pattern, which their node tests do not have: their tests are run so that
# the report gives the importer's reason.
DIAGNOSED_OPS = set()
# Ops supported only after others (Cast(to=FLOAT) of an integer product):
# a model that has them next to supported ops runs; their own node tests
# (a lone Cast between other types) do not.
PATTERN_OPS = {"Cast"}
INT_TYPES = {onnx.TensorProto.UINT8: np.uint8, onnx.TensorProto.INT8: np.int8}

# Node types that compute nothing at inference.
NO_OP_TYPES = {"Identity", "Dropout"}

HARNESS = r"""
#include BUNDLE_HEADER
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(BUNDLE, s)
/* harness IN.f32 OUT.f32 [IN.i8 OUT.i8] */
int main(int argc, char **argv) {
  static float in[SYM(_INPUT_SIZE)], out[SYM(_OUTPUT_SIZE)];
  static int8_t inQ[SYM(_INPUT_SIZE)], outQ[SYM(_OUTPUT_SIZE)];
  void *arena = malloc(SYM(_ARENA_SIZE));
  FILE *f = fopen(argv[1], "rb");
  if (!arena || !f || fread(in, 4, SYM(_INPUT_SIZE), f) != SYM(_INPUT_SIZE))
    return 2;
  fclose(f);
  if (SYM(_run)(in, out, arena) != 0)
    return 3;
  f = fopen(argv[2], "wb");
  fwrite(out, 4, SYM(_OUTPUT_SIZE), f);
  fclose(f);
#if defined(m_RUN_INT8_AVAILABLE) && !m_RUN_INT8_AVAILABLE
  /* A float boundary (an int32 or per-axis output converted in the model):
     NAME_run_int8 returns 3. */
  if (argc == 5 && SYM(_run_int8)(inQ, outQ, arena) != 3)
    return 4;
  argc = 3;
#endif
  if (argc == 5) {
    f = fopen(argv[3], "rb");
    if (!f || fread(inQ, 1, SYM(_INPUT_SIZE), f) != SYM(_INPUT_SIZE))
      return 2;
    fclose(f);
    if (SYM(_run_int8)(inQ, outQ, arena) != 0)
      return 3;
    f = fopen(argv[4], "wb");
    fwrite(outQ, 1, SYM(_OUTPUT_SIZE), f);
    fclose(f);
  }
#ifdef m_OUTPUT_SCALE
  printf("scale %.9g zero_point %d\n", (double)SYM(_OUTPUT_SCALE),
         (int)SYM(_OUTPUT_ZERO_POINT));
#else
  printf("float\n"); /* an op-less model: float input and output */
#endif
  free(arena);
  return 0;
}
"""


def multi_output_harness(n, m):
    """A harness for a bundle with `n` float inputs and `m` outputs (any
    model but one input and one output, which HARNESS runs):
    harness OUT0.f32 ... OUT<m-1>.f32 IN0.f32 ... IN<n-1>.f32 (NAME_run
    only); prints each output's scale and zero point, or "float"."""
    reads = "".join(
        f"  static float in{j}[SYM(_INPUT{j}_SIZE)];\n"
        f"  f = fopen(argv[{m + j + 1}], \"rb\");\n"
        f"  if (!f || fread(in{j}, 4, SYM(_INPUT{j}_SIZE), f) != "
        f"SYM(_INPUT{j}_SIZE))\n    return 2;\n  fclose(f);\n"
        for j in range(n))
    outs = "".join(f"  static float out{k}[SYM(_OUTPUT{k}_SIZE)];\n"
                   for k in range(m))
    writes = "".join(
        f"  f = fopen(argv[{k + 1}], \"wb\");\n"
        f"  fwrite(out{k}, 4, SYM(_OUTPUT{k}_SIZE), f);\n  fclose(f);\n"
        f"#ifdef m_OUTPUT{k}_SCALE\n"
        f"  printf(\"scale %.9g zero_point %d\\n\", "
        f"(double)SYM(_OUTPUT{k}_SCALE), (int)SYM(_OUTPUT{k}_ZERO_POINT));\n"
        f"#else\n  printf(\"float\\n\");\n#endif\n"
        for k in range(m))
    inputs = ", ".join(f"in{j}" for j in range(n))
    outputs = ", ".join(f"out{k}" for k in range(m))
    return (HARNESS.split("/* harness")[0] +
            "int main(int argc, char **argv) {\n" + outs +
            "  FILE *f;\n"
            "  void *arena = malloc(SYM(_ARENA_SIZE));\n"
            "  if (!arena)\n    return 2;\n" + reads +
            f"  const float *const input[{n}] = {{{inputs}}};\n"
            f"  float *const output[{m}] = {{{outputs}}};\n"
            "  if (SYM(_run)(input, output, arena) != 0)\n    return 3;\n" +
            writes + "  free(arena);\n  return 0;\n}\n")


class Skip(Exception):
    """The test cannot run through the C bundle; the message says why."""


class Fail(Exception):
    """The test ran and failed; the message says how."""


def load_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def load_data_sets(test_dir):
    sets = []
    for name in sorted(os.listdir(test_dir)):
        path = os.path.join(test_dir, name)
        if not name.startswith("test_data_set") or not os.path.isdir(path):
            continue

        def read(prefix):
            files = sorted((f for f in os.listdir(path) if f.startswith(prefix)),
                           key=lambda f: int(re.findall(r"\d+", f)[0]))
            return [load_tensor(os.path.join(path, f)) for f in files]
        sets.append((read("input_"), read("output_")))
    return sets


def consumers(graph, name):
    return [(node, i) for node in graph.node
            for i, inp in enumerate(node.input) if inp == name]


def prepare(model, sets):
    """Binds parameters, adds the integer front and back doors. Returns the
    model, the data input's name, its float and int8 feeds per data set,
    and how the output is compared ('int', 'exact' or 'tolerance')."""
    graph = model.graph
    init_names = {t.name for t in graph.initializer}
    graph_inputs = [i for i in graph.input if i.name not in init_names]
    if not sets:
        raise Skip("no test data set")
    for value in list(graph_inputs) + list(graph.output):
        if not value.type.HasField("tensor_type"):
            raise Skip(f"'{value.name}' is not a tensor")
    data = []
    for index, value in enumerate(graph_inputs):
        uses = consumers(graph, value.name)
        if uses and all(i in PARAMETER_INPUTS.get(n.op_type, ())
                        for n, i in uses):
            continue
        data.append((index, value))
    if not data:
        raise Skip("no data input")
    data_indices = [i for i, _ in data]
    for index, value in enumerate(graph_inputs):
        if index not in data_indices:
            array = sets[0][0][index]
            if any(not np.array_equal(s[0][index], array) for s in sets):
                raise Skip(f"parameter '{value.name}' differs between the "
                           "data sets")
            graph.initializer.append(numpy_helper.from_array(array, value.name))
    data_names = {v.name for _, v in data}
    keep = [i for i in graph.input
            if i.name in data_names or i.name in init_names]
    del graph.input[:]
    graph.input.extend(keep)

    quantized_model = any(n.op_type in QUANT_OPS for n in graph.node)
    # float_feeds[k][j]: data set k, data input j.
    float_feeds = [[s[0][i].astype(np.float32) for i in data_indices]
                   for s in sets]
    int_feeds = None
    # Each integer data input gets a float front door; NAME_run_int8 is fed
    # the integers when it is the only data input.
    for j, (index, value) in enumerate(data):
        elem = value.type.tensor_type.elem_type
        if elem == onnx.TensorProto.FLOAT:
            continue
        if elem not in INT_TYPES:
            raise Skip("data input type " +
                       onnx.TensorProto.DataType.Name(elem) +
                       " (the C bundle takes FLOAT or UINT8/INT8 data)")
        ints, reals = add_front_door(graph, value,
                                     [s[0][index] for s in sets])
        for k, real in enumerate(reals):
            float_feeds[k][j] = real
        if len(data) == 1:
            int_feeds = ints
        quantized_model = True

    output = graph.output[0]
    out_type = output.type.tensor_type.elem_type
    # The runner's DequantizeLinear of an integer output: scale, zero point
    # and axis (None: per tensor), to read the integers back from NAME_run's
    # float output when the model has no int8 output.
    out_dq = None
    if len(graph.output) != 1:
        # Each output as the model returns it: integers (a
        # DynamicQuantizeLinear's uint8 data and zero point) as int8 with
        # their scale, the rest float.
        compare = "multi"
    elif out_type in INT_TYPES or out_type == onnx.TensorProto.INT32:
        producer = next(n for n in graph.node if output.name in n.output)
        real = output.name + "__real"
        inputs = [output.name]
        params = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        out_dq = (np.array(1.0, np.float32), np.array(0), None)
        attrs = {}
        if producer.op_type in OUTPUT_QUANT:
            s_index, z_index = OUTPUT_QUANT[producer.op_type]
            inputs.append(producer.input[s_index])
            scale = params[producer.input[s_index]]
            zero_point = np.array(0)
            if len(producer.input) > z_index and producer.input[z_index]:
                inputs.append(producer.input[z_index])
                zero_point = params[producer.input[z_index]]
            axis = quant_axis(producer, scale)
            if axis is not None:
                attrs["axis"] = axis
            out_dq = (scale, zero_point, axis)
        else:
            graph.initializer.append(numpy_helper.from_array(
                np.array(1.0, np.float32), real + "_s"))
            inputs.append(real + "_s")
        graph.node.append(helper.make_node("DequantizeLinear", inputs, [real],
                                           name=real + "_dequantize", **attrs))
        shape = [d.dim_value for d in output.type.tensor_type.shape.dim]
        graph.output.remove(output)
        graph.output.append(helper.make_tensor_value_info(
            real, onnx.TensorProto.FLOAT, shape))
        compare = "int"
    elif out_type == onnx.TensorProto.FLOAT:
        compare = "exact" if quantized_model else "tolerance"
    else:
        raise Skip("output type " + onnx.TensorProto.DataType.Name(out_type))
    return model, float_feeds, int_feeds, compare, quantized_model, out_dq


def add_front_door(graph, value, feeds):
    """Replaces the integer graph input `value` by a float input and a
    QuantizeLinear with the consuming node's own scale and zero point (or
    1 and 0); returns the int8 feeds (UINT8 re-centred) and the float feeds
    `(x - zp) * s`, which quantize back to x exactly."""
    node, position = consumers(graph, value.name)[0]
    scale = np.array(1.0, np.float32)
    zero_point = np.array(0, INT_TYPES[value.type.tensor_type.elem_type])
    axis = None
    if node.op_type in INPUT_QUANT and position == 0:
        s_index, z_index = INPUT_QUANT[node.op_type]
        params = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        if s_index is not None:
            scale = params[node.input[s_index]]
        if len(node.input) > z_index and node.input[z_index]:
            zero_point = params[node.input[z_index]]
        axis = quant_axis(node, scale)
    real = value.name + "__real"
    graph.initializer.extend([
        numpy_helper.from_array(scale.astype(np.float32), real + "_s"),
        numpy_helper.from_array(zero_point, real + "_zp")])
    graph.node.insert(0, helper.make_node(
        "QuantizeLinear", [real, real + "_s", real + "_zp"], [value.name],
        name=real + "_quantize", **({"axis": axis} if axis is not None else {})))
    shape = [d.dim_value for d in value.type.tensor_type.shape.dim]
    position = list(graph.input).index(value)
    graph.input.remove(value)
    graph.input.insert(position, helper.make_tensor_value_info(
        real, onnx.TensorProto.FLOAT, shape))
    reals = [((x.astype(np.int32) -
               broadcast(zero_point, axis, x.ndim).astype(np.int32))
              .astype(np.float32) *
              broadcast(scale, axis, x.ndim).astype(np.float32))
             for x in feeds]
    ints = [(x.astype(np.int32) - (128 if x.dtype == np.uint8 else 0))
            .astype(np.int8) for x in feeds]
    return ints, reals


def quant_axis(node, scale):
    """The axis attribute of a per-axis (Quantize|Dequantize)Linear, or None
    when `scale` is one value."""
    if np.asarray(scale).size == 1:
        return None
    axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
    return axis


def broadcast(values, axis, ndim):
    """Per-axis `values` shaped to broadcast along `axis` of an ndim array."""
    values = np.asarray(values)
    if axis is None:
        return values.reshape(())
    shape = [1] * ndim
    shape[axis % ndim] = values.size
    return values.reshape(shape)


def build_harness(source, args, work):
    """Writes the harness `source`, builds it with the bundle m.c in `work`
    and returns the executable's path."""
    harness = os.path.join(work, "harness.c")
    with open(harness, "w") as f:
        f.write(source)
    exe = os.path.join(work, "harness")
    build = subprocess.run(
        [args.cc, "-std=c99", "-O1"] + compile_flags(args) +
        ["-DBUNDLE=m", '-DBUNDLE_HEADER="m.h"',
         "-I" + work, harness, os.path.join(work, "m.c"), "-o", exe],
        capture_output=True, text=True)
    if build.returncode != 0:
        raise Fail("the C does not compile: " + first_error(build.stderr))
    return exe


def run_multi_output(model, sets, float_feeds, quantized, args, work):
    """Runs a model with several outputs through NAME_run; integer outputs
    must equal the reference integers, float outputs the reference floats
    (a quantized model computes them exactly; a calibrated float model's
    int8 outputs are within TOLERANCE_STEPS)."""
    num_inputs, num_outputs = len(float_feeds[0]), len(model.graph.output)
    exe = build_harness(multi_output_harness(num_inputs, num_outputs), args,
                        work)
    worst = None
    for k, (_, outputs) in enumerate(sets):
        out_files = [os.path.join(work, f"out{k}_{i}.f32")
                     for i in range(num_outputs)]
        in_files = [os.path.join(work, f"in{k}_{j}.f32")
                    for j in range(num_inputs)]
        for j, path in enumerate(in_files):
            float_feeds[k][j].astype("<f4").tofile(path)
        try:
            ran = subprocess.run([exe] + out_files + in_files,
                                 capture_output=True, text=True, timeout=60,
                                 preexec_fn=harness_limits(args))
        except subprocess.TimeoutExpired:
            raise Fail("the C program timed out")
        if ran.returncode != 0:
            raise Fail(f"the C program failed (exit {ran.returncode})")
        lines = ran.stdout.splitlines()
        for i, (expected, path, line) in enumerate(zip(outputs, out_files,
                                                       lines)):
            got = np.fromfile(path, "<f4")
            if got.size != expected.size:
                raise Fail(f"output {i} has {got.size} values, expected "
                           f"{expected.size}")
            got = got.reshape(expected.shape)
            match = re.match(r"scale (\S+) zero_point (-?\d+)", line)
            if expected.dtype == np.bool_:
                # A BOOL output (Dropout's mask) is int8 0 / 1.
                expected = expected.astype(np.int8)
            if expected.dtype.kind in "iu":
                if match:
                    scale, zero_point = np.float32(match.group(1)), \
                        int(match.group(2))
                    q = np.rint(got / scale).astype(np.int64) + zero_point
                    want = expected.astype(np.int64) - \
                        (128 if expected.dtype == np.uint8 else 0)
                else:
                    # Integers the model converts to exact floats itself
                    # (MaxPool's INT64 Indices).
                    q = got.astype(np.int64)
                    if not np.array_equal(q.astype(np.float32), got):
                        raise Fail(f"output {i} is not integer-valued")
                    want = expected.astype(np.int64)
                if not np.array_equal(q, want):
                    raise Fail(f"output {i}: {np.count_nonzero(q != want)} of "
                               f"{q.size} integers differ")
            elif match and not quantized:
                # A calibrated float model's int8 output: within the
                # tolerance, in steps of its scale.
                scale = float(match.group(1))
                steps = float(np.abs(got.astype(np.float64) -
                                     expected.astype(np.float64)).max()) / scale
                if steps > TOLERANCE_STEPS:
                    raise Fail(f"output {i}: max error {steps:.3f} steps of "
                               f"{scale:.4g} (tolerance {TOLERANCE_STEPS})")
                worst = steps if worst is None else max(worst, steps)
            elif not np.array_equal(got, expected.astype(np.float32)):
                raise Fail(f"output {i}: max difference "
                           f"{np.abs(got - expected).max():.3g}")
    if worst is not None:
        return (f"max error {worst:.3f} steps on float outputs, integers "
                f"exact ({num_outputs} outputs)")
    return f"exact ({num_outputs} outputs)"


SANITIZE_FLAGS = ["-g", "-fsanitize=address,undefined",
                  "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]


def compile_flags(args):
    """Extra C compiler flags of the harness build (--sanitize)."""
    return SANITIZE_FLAGS if args.sanitize else []


def harness_limits(args):
    """AddressSanitizer reserves terabytes of address space for its shadow
    memory: lift the soft address-space limit for the harness."""
    if not args.sanitize:
        return None

    def lift():
        import resource
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    return lift


def first_error(text):
    for line in text.splitlines():
        if "error:" in line:
            line = line[line.index("error:") + len("error:"):].strip()
            return line
    return text.strip().splitlines()[-1] if text.strip() else "(no message)"


def run_test(name, test_dir, args, work):
    model = onnx.load(os.path.join(test_dir, "model.onnx"))
    try:
        sets = load_data_sets(test_dir)
    except Exception:
        raise Skip("the test data are not tensors (sequence or optional)")
    model, float_feeds, int_feeds, compare, quantized, out_dq = \
        prepare(model, sets)
    os.makedirs(work, exist_ok=True)
    model_path = os.path.join(work, "model.onnx")
    onnx.save(model, model_path)
    # --require-int8: the node tests measure the int8 path; a model that
    # would keep a layer (or its boundary) in float is skipped with the
    # diagnostic (float layers have their own tests, docs/FloatLayers.md).
    command = [args.quant_opt, model_path, "--emit=c", "--quiet",
               "--require-int8", "-o", os.path.join(work, "m.c")]
    if any(n.op_type in RUNTIME_SCALE_OPS for n in model.graph.node):
        command.remove("--require-int8")
    if not quantized:
        # One .npy per data input, each holding every data set's value.
        calibs = []
        for j in range(len(float_feeds[0])):
            calibs.append(os.path.join(work, f"calibration{j}.npy"))
            np.save(calibs[-1], np.stack([feeds[j] for feeds in float_feeds]))
        command.append("--calibration-data=" + ",".join(calibs))
    try:
        result = subprocess.run(command, capture_output=True, text=True,
                                timeout=120)
        # A model of only no-op nodes (Identity, inference Dropout) has no
        # layer to quantize: its boundary stays float, which --require-int8
        # refuses. It compiles without the flag and must copy exactly.
        if result.returncode == 1 and not quantized and \
                "input or output is float" in result.stderr and \
                all(n.op_type in NO_OP_TYPES for n in model.graph.node):
            command.remove("--require-int8")
            if compare != "multi":
                compare = "copy"
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=120)
    except subprocess.TimeoutExpired:
        raise Fail("quant-opt timed out")
    if result.returncode != 0:
        message = first_error(result.stderr)
        if result.returncode != 1 or "error:" not in result.stderr:
            raise Fail(f"quant-opt crashed (exit {result.returncode}): "
                       + message)
        # The verifier of an upstream op rejecting what a pass built is a
        # compiler bug, not a diagnosed limitation.
        if re.match(r"'(linalg|tensor|arith|memref|emitc|scf|bufferization|"
                    r"func|builtin|quant)\.", message):
            raise Fail("quant-opt built invalid IR: " + message)
        raise Skip("quant-opt: " + message)
    num_inputs = len(float_feeds[0])
    if compare == "multi":
        return run_multi_output(model, sets, float_feeds, quantized, args,
                                work)
    exe = build_harness(
        HARNESS if num_inputs == 1 else multi_output_harness(num_inputs, 1),
        args,
        work)

    worst, differ, total = 0.0, 0, 0
    for k, (inputs, outputs) in enumerate(sets):
        expected = outputs[0]
        in_files = [os.path.join(work, f"in{k}_{j}.f32") for j in range(num_inputs)]
        for j, path in enumerate(in_files):
            float_feeds[k][j].astype("<f4").tofile(path)
        if num_inputs == 1:
            files = [in_files[0], os.path.join(work, f"out{k}.f32")]
        else:
            files = [os.path.join(work, f"out{k}.f32")] + in_files
        if int_feeds is not None:
            files += [os.path.join(work, f"in{k}.i8"), os.path.join(work, f"out{k}.i8")]
            int_feeds[k].astype(np.int8).tofile(files[2])
        try:
            ran = subprocess.run([exe] + files, capture_output=True, text=True,
                                 timeout=60, preexec_fn=harness_limits(args))
        except subprocess.TimeoutExpired:
            raise Fail("the C program timed out")
        if ran.returncode != 0:
            raise Fail(f"the C program failed (exit {ran.returncode})")
        got = np.fromfile(os.path.join(work, f"out{k}.f32"), "<f4")
        if got.size != expected.size:
            raise Fail(f"output has {got.size} values, expected {expected.size}")
        got = got.reshape(expected.shape)
        if compare == "copy":
            if ran.stdout.strip() != "float" or not np.array_equal(
                    got, expected.astype(np.float32)):
                raise Fail("the op-less model does not copy its input")
            continue
        match = re.match(r"scale (\S+) zero_point (-?\d+)", ran.stdout)
        if match:
            scale, zero_point = np.float32(match.group(1)), int(match.group(2))
            q = np.rint(got / scale).astype(np.int64) + zero_point
        elif ran.stdout.strip() == "float" and compare == "exact":
            # A float output computed from integers in the model (the Cast
            # of an integer product): exact.
            scale, q = np.float32(1.0), None
        elif ran.stdout.strip() == "float" and compare == "int":
            # An int32 or per-axis output: NAME_run dequantized it with the
            # runner's DequantizeLinear parameters (exact for |q| < 2^24).
            dq_scale, dq_zp, axis = out_dq
            scale = np.float32(np.asarray(dq_scale).reshape(-1)[0])
            zp = broadcast(dq_zp, axis, got.ndim).astype(np.int64)
            zp = zp - (128 if np.asarray(dq_zp).dtype == np.uint8 else 0)
            q = np.rint(got.astype(np.float64) /
                        broadcast(dq_scale, axis, got.ndim)).astype(np.int64) + zp
        else:
            raise Fail("unexpected harness output: " + ran.stdout.strip())
        if int_feeds is not None and q is not None and \
                os.path.exists(files[3]):
            q8 = np.fromfile(files[3], np.int8).reshape(expected.shape)
            if not np.array_equal(q8.astype(np.int64), q):
                raise Fail("NAME_run and NAME_run_int8 disagree")
        if compare in ("int", "exact"):
            if compare == "int":
                want = expected.astype(np.int64) - \
                    (128 if expected.dtype == np.uint8 else 0)
                diff = np.abs(q - want)
            else:
                # Both are multiples of the output step: count whole steps.
                diff = np.rint(np.abs(got.astype(np.float64) -
                                      expected.astype(np.float64)) /
                               float(scale))
            differ += int(np.count_nonzero(diff))
            total += diff.size
            steps = float(diff.max()) if diff.size else 0.0
            worst = max(worst, steps)
            if steps > args.quantized_tolerance:
                raise Fail(f"{np.count_nonzero(diff)} of {diff.size} values "
                           f"differ, by up to {steps:.3g} steps (tolerance "
                           f"{args.quantized_tolerance:g})")
        else:
            err = np.abs(got.astype(np.float64) - expected.astype(np.float64))
            steps = float(err.max() / float(scale)) if err.size else 0.0
            worst = max(worst, steps)
            if steps > TOLERANCE_STEPS:
                raise Fail(f"max error {steps:.3f} steps of {float(scale):.4g} "
                           f"(tolerance {TOLERANCE_STEPS})")
    if compare == "copy":
        return "exact (op-less model, float input and output)"
    if compare == "tolerance":
        return f"max error {worst:.3f} steps"
    if differ:
        return (f"{differ} of {total} values differ by {worst:g} step "
                f"({100.0 * differ / total:.2f}%)")
    return "exact"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quant-opt", default="quant-opt")
    parser.add_argument("--cc", default=os.environ.get("CC", "cc"))
    parser.add_argument(
        "--sanitize", action="store_true",
        help="build the C with AddressSanitizer and UndefinedBehaviorSanitizer "
             "(the harness allocates exactly NAME_ARENA_SIZE bytes of arena): "
             "any access outside the model's buffers fails the test")
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--work", help="scratch directory (default: temp)")
    parser.add_argument("--report", help="write the Markdown report here")
    parser.add_argument("--expected", help="file of tests that must pass")
    parser.add_argument("--filter", default="", help="regex on test names")
    parser.add_argument(
        "--quantized-tolerance", type=float, default=0.0,
        help="steps by which outputs of quantized models may differ "
             "(default 0: exact; 1 for goldens from ONNX Runtime, which "
             "requantizes through a float scale)")
    args = parser.parse_args()

    listed = subprocess.run([args.quant_opt, "--list-onnx-ops"],
                            capture_output=True, text=True, check=True)
    supported = dict(line.split() for line in listed.stdout.splitlines())
    # --expected: `NAME` must pass; `xfail NAME: REASON` must fail (a known
    # limit, reported with its reason; passing is an error so the list
    # stays current).
    expected, xfail = [], {}
    if args.expected:
        with open(args.expected) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                match = re.match(r"xfail\s+(\S+):\s*(.*)", line)
                if match:
                    xfail[match.group(1)] = match.group(2)
                else:
                    expected.append(line)
    work_root = args.work or tempfile.mkdtemp(prefix="node-tests-")
    rows, unsupported = [], {}
    not_run = set()
    for name in sorted(os.listdir(args.data)):
        test_dir = os.path.join(args.data, name)
        if not re.search(args.filter, name) or \
                not os.path.isfile(os.path.join(test_dir, "model.onnx")):
            continue
        model = onnx.load(os.path.join(test_dir, "model.onnx"))
        ops = sorted({n.op_type for n in model.graph.node})
        missing = [op for op in ops
                   if op not in supported and op not in DIAGNOSED_OPS and
                   (op not in PATTERN_OPS or len(ops) == 1)]
        if missing:
            for op in missing:
                unsupported.setdefault(op, []).append(name)
            not_run.add(name)
            continue
        try:
            detail = run_test(name, test_dir, args, os.path.join(work_root, name))
            status = "passed"
        except Skip as e:
            status, detail = "skipped", str(e)
        except Fail as e:
            status, detail = "failed", str(e)
            if name in xfail:
                status = "xfail"
                detail = f"{detail}; expected: {xfail[name]}"
        if status == "passed" and name in xfail:
            status, detail = "xpass", f"{detail}; listed as xfail"
        rows.append((name, "+".join(ops), status, detail))
        print(f"{status.upper():8} {name}: {detail}", flush=True)

    counts = {s: sum(1 for r in rows if r[2] == s)
              for s in ("passed", "skipped", "failed", "xfail", "xpass")}
    print(f"{counts['passed']} passed, {counts['skipped']} skipped, "
          f"{counts['failed']} failed, {counts['xfail']} expected "
          f"failures, {counts['xpass']} unexpected passes; {len(not_run)} "
          f"tests of {len(unsupported)} unsupported op types not run")
    if args.report:
        write_report(args.report, rows, unsupported, counts, len(not_run))
    status = 1 if counts["failed"] or counts["xpass"] else 0
    passed = {r[0] for r in rows if r[2] == "passed"}
    for name in expected:
        if name not in passed and re.search(args.filter, name):
            print(f"EXPECTED TO PASS: {name}")
            status = 1
    if not args.work:
        shutil.rmtree(work_root, ignore_errors=True)
    return status


def write_report(path, rows, unsupported, counts, num_not_run):
    per_op = {}
    for _, op, status, _ in rows:
        per_op.setdefault(op, {"passed": 0, "skipped": 0, "failed": 0,
                               "xfail": 0, "xpass": 0})
        per_op[op][status] += 1
    lines = [
        "# ONNX node tests",
        "",
        "<!-- Generated by python/run_node_tests.py; do not edit by hand. -->",
        "",
        "`python/run_node_tests.py` runs the ONNX backend node tests of "
        "Debian's `libonnx-testdata` (ONNX 1.12) through `quant-opt "
        "--emit=c` and the host C compiler, for every test whose op types "
        "`quant-opt --list-onnx-ops` lists, and compares with the tests' "
        "outputs. How parameters are bound, how integer inputs and outputs "
        "are fed and read, and the tolerances are described in the script's "
        "header and in the section below. `test/Target/ONNX/node-tests.test` "
        "runs it; the tests that must pass are listed in "
        "`test/Target/ONNX/Inputs/node-tests-expected.txt`.",
        "",
        "## How a test is run",
        "",
        "- Inputs that are parameters of the op (weights, biases, scales, zero "
        "points, Reshape shapes, Clip bounds) are bound as initializers with "
        "the test's values. Several data inputs are calibrated together, "
        "one .npy per input (`--calibration-data=a.npy,b.npy`), and run "
        "through the array-of-pointers entry point.",
        "- An integer data input (UINT8/INT8) is fed through a "
        "`QuantizeLinear` with the consuming node's own scale and zero point "
        "(1 and 0 for an op that takes integers without one): the C bundle "
        "gets the real values `(x - zp) * s`, which quantize back to x "
        "exactly, and, when it is the only data input, `NAME_run_int8` gets "
        "x itself; both must agree.",
        "- An integer output gets a `DequantizeLinear` with the producing "
        "node's scale and zero point; the int8 result must equal the ONNX "
        "integers exactly (UINT8 re-centered by -128).",
        "- A float output of a quantized model (DequantizeLinear) must match "
        "exactly.",
        f"- A float model is calibrated on the test's own inputs; its float "
        f"output must be within {TOLERANCE_STEPS:g} output quantization steps "
        f"(`NAME_OUTPUT_SCALE`) of the reference: half a step for the "
        f"output's rounding plus the input's rounding as the op propagates "
        f"it. The table gives the largest error in steps.",
        "- A model with several outputs is run through the array entry "
        "point; each output is compared on its own (integers exactly, floats "
        "exactly; a BOOL output, inference Dropout's mask, is int8 0 / 1).",
        "- Dropout in training mode is the identity when its ratio is 0 "
        "(those tests run); with another ratio it draws a random mask, "
        "which an inference compiler does not reproduce (skipped with the "
        "importer's error).",
        "- Every model compiles with `--require-int8`. A model of only "
        "no-op nodes (Identity, inference Dropout) has no layer to quantize "
        "and keeps a float input and output, which that flag refuses; it "
        "compiles without it and its output must equal the reference exactly "
        "(a copy).",
        "- A test listed as `xfail NAME: REASON` in the expectations file "
        "fails for a known limit of int8 quantization, not of the compiler; "
        "it is reported as *xfail* with its measured error and the reason "
        "(and the lit test fails if it starts to pass).",
        "- With `--sanitize`, as `test/Target/ONNX/node-tests.test` runs it, "
        "the C is built with gcc's AddressSanitizer and "
        "UndefinedBehaviorSanitizer and the harness allocates exactly "
        "`NAME_ARENA_SIZE` bytes of arena: a read or write outside the "
        "model's buffers fails the test.",
        "- quant-opt errors (a clear diagnostic, exit status 1) make a test "
        "*skipped* with the diagnostic as the reason; wrong numbers, crashes "
        "and C that does not compile make it *failed*.",
        "",
        "## Opsets and pre-quantized ops",
        "",
        "The node tests of ONNX 1.12 use the opset in which each op last "
        "changed (Conv 11, MaxPool 12, GlobalAveragePool 1, ...). The "
        "importer accepts an op from the oldest version whose semantics it "
        "implements and names the node, op, opset and the difference "
        "otherwise; `quant-opt --list-onnx-ops` prints each supported op "
        "with that version.",
        "",
        "- `QLinearConv` and `QLinearMatMul` import as their QDQ form "
        "(DequantizeLinear -> Conv/MatMul -> QuantizeLinear) and become "
        "integer ops in `qnn-fold-qdq`: uint8 or int8 activations per "
        "tensor, INT8 or UINT8 weights per tensor or per output channel, "
        "INT32 bias. The int8 product takes symmetric weights in [-127, "
        "127], so the importer uses `w - zw`; where that leaves the int8 "
        "range (the node tests' asymmetric UINT8 weights, zero points 255 "
        "and 114) it is split exactly into int8 pieces along the reduction "
        "axis and the input is repeated (group 1 only). "
        "`test/Target/ONNX/qlinear-ort.test` runs eight QLinearConv / "
        "QLinearMatMul models (per tensor, per channel, grouped, asymmetric, "
        "uint8 and int8 weights) through this runner against ONNX Runtime's "
        "outputs: all match exactly except one value of 2592 in the grouped "
        "convolution, one step apart (ONNX Runtime requantizes through a "
        "float scale). Batched QLinearMatMul (`[..., M, K] x [..., K, N]`) "
        "splits and repeats along K the same way.",
        "- `MatMulInteger` and `ConvInteger` of a statically quantized "
        "input (a `QuantizeLinear`'s output, or the runner's front door) are "
        "the integer product itself: `sum (x - x_zp) * (w - w_zp)` as an "
        "int32 accumulator of scale 1 (weights split into int8 pieces as "
        "above when `w - w_zp` leaves [-127, 127]). Their int32 output, "
        "which the int8 API cannot carry, is converted to float inside the "
        "program (the runner's `DequantizeLinear` of scale 1, or a "
        "`Cast(to=FLOAT)`), so `NAME_run` returns the exact sums (below "
        "2^24) and `NAME_run_int8` is not available (it returns 3). The "
        "same ops after a `DynamicQuantizeLinear` are ONNX Runtime's "
        "dynamic quantization (`DynamicQuantizeLinear -> MatMulInteger / "
        "ConvInteger -> Cast(to=FLOAT) -> Mul` by `x_scale * W_scale`, one "
        "`qnn.dynamic_gemm` / `qnn.dynamic_conv`, float in and out; "
        "[FloatLayers.md](FloatLayers.md)). "
        "`test/Target/ONNX/qlinear-ort.test` checks four more such products "
        "(uint8 weights with zero points up to 255 apart, int8 weights with "
        "a zero point, per-column zero points, strides and asymmetric pads) "
        "against ONNX Runtime: exact.",
        "- `DynamicQuantizeLinear` alone (its three outputs are graph "
        "outputs) is `qnn.dynamic_quantize`: the uint8 data and zero point "
        "are returned as raw integers (int8 with scale 1 and zero point "
        "-128, so `NAME_run` gives the uint8 values), the scale as a float. "
        "Its scale is computed in float at run time, which `--require-int8` "
        "refuses, so these models compile without that flag; every output "
        "must match exactly.",
        "- Per-axis quantized inputs and outputs (the per-axis node tests, "
        "through the runner's per-axis front or back door) are converted "
        "inside the function, so `NAME_run` takes and returns floats and "
        "`NAME_run_int8` is not available; the integers are read back with "
        "the per-channel scales and must match exactly.",
        "",
        "## Summary per op",
        "",
        "| op | passed | skipped | failed | failed (known limit) |",
        "|---|---|---|---|---|",
    ]
    for op in sorted(per_op):
        c = per_op[op]
        lines.append(f"| {op} | {c['passed']} | {c['skipped']} | "
                     f"{c['failed'] + c['xpass']} | {c['xfail']} |")
    lines += [
        f"| **total** | {counts['passed']} | {counts['skipped']} | "
        f"{counts['failed'] + counts['xpass']} | {counts['xfail']} |",
        "",
        "## Tests",
        "",
        "| test | op | result | detail |",
        "|---|---|---|---|",
    ]
    for name, op, status, detail in rows:
        detail = detail.replace("|", "\\|")
        lines.append(f"| {name} | {op} | {status} | {detail} |")
    lines += [
        "",
        "## Op types the importer does not support",
        "",
        f"{num_not_run} node tests use one of these "
        f"{len(unsupported)} op types and are not run:",
        "",
        ", ".join(f"{op} ({len(t)})" for op, t in sorted(unsupported.items())),
        "",
    ]
    with open(path, "w") as f:
        f.write("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
