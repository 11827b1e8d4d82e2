#!/usr/bin/python3
"""Turn a float ONNX CNN into an ONNX Runtime-style QDQ (int8) model.

Independent numpy reference (does not use the QuantOpt compiler). The float
model is evaluated in numpy (onnx_eval.py) on the calibration samples and
min/max ranges are recorded per activation tensor.

Quantization scheme:
  activations  int8 asymmetric, per tensor. With m = min(min, 0) and
               M = max(max, 0) over all calibration samples:
                 scale = (M - m) / 255            (1.0 if M == m)
                 zero_point = clamp(round(-128 - m / scale), -128, 127)
               (scale is rounded to float32 first; round = half to even).
               MaxPool / Flatten / Reshape / Identity / Transpose / Squeeze /
               Unsqueeze outputs reuse their input's scale and zero point
               (exact in int8, as in ORT). Softmax outputs get scale 1/256
               and zero point -128 (ORT's quantizer for int8 Softmax).
  weights      int8 symmetric per output channel (or per tensor with
               --per-tensor): scale = max|w| / 127, q = clamp(round(w/scale),
               -127, 127), zero point 0. Channel axis: 0 for Conv W [M,C,kh,kw]
               and for Gemm B with transB=1 ([N,K]); 1 for Gemm transB=0 and
               MatMul B ([K,N]) - DequantizeLinear's axis is the axis of the
               weight tensor that indexes the per-channel scales.
  bias         int32, scale = s_in * s_w[c], zero point 0, fed through a
               DequantizeLinear node. Applies to Conv/Gemm biases and to an
               Add of a 1-D constant directly after a MatMul.

QuantizeLinear -> DequantizeLinear pairs are inserted after the graph input
and after every activation output, including the graph output. A Conv/Gemm
(or MatMul+bias Add) whose only consumer is a Relu or Clip is not quantized
itself: only the activation's output is (like ORT's QDQ Conv+Relu/Clip
fusion). AveragePool, GlobalAveragePool, Add, Concat, Mul and the pointwise
functions (Sigmoid, HardSigmoid, HardSwish, LeakyRelu, Tanh) get their own
parameters from their calibrated ranges.

--exclude NODE (repeatable) leaves a node in float, as ONNX Runtime's
quantize_static(nodes_to_exclude=[...]) does: its weights stay float, and a
tensor gets a Q/DQ pair only if a node that is not excluded produces or
consumes it. So an excluded node between quantized ones reads a
DequantizeLinear output and feeds a QuantizeLinear; an excluded first (last)
node reads the float graph input (writes the float graph output).

A BatchNormalization directly after a Conv (its only consumer, constant
parameters) is folded into the Conv's weights and bias first, as ORT's
quantizer does: with k = scale / sqrt(var + epsilon) (float64),
W' = W * k[c], b' = (b - mean) * k + B, rounded to float32.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_eval import Evaluator, UnsupportedModel  # noqa: E402

# Ops whose output keeps the input's quantization parameters.
PASS_THROUGH = {"MaxPool", "Flatten", "Reshape", "Identity", "Transpose",
                "Squeeze", "Unsqueeze"}
# Ops whose constant inputs are shapes or bounds, not tensors to quantize.
SHAPE_INPUTS = {"Reshape", "Clip", "Squeeze", "Unsqueeze"}
LINEAR = {"Conv", "Gemm", "MatMul"}


def activation_qparams(lo, hi):
    """int8 asymmetric (scale, zero_point) for the range [lo, hi] (widened to contain 0)."""
    lo, hi = min(float(lo), 0.0), max(float(hi), 0.0)
    scale = np.float32((hi - lo) / 255.0) if hi > lo else np.float32(1.0)
    zp = int(np.clip(np.rint(-128.0 - lo / float(scale)), -128, 127))
    return scale, zp


def fold_batchnorm(model):
    """Folds every BatchNormalization that directly follows a Conv (its only
    consumer, all parameters initializers) into the Conv; returns the number
    folded."""
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    outputs = {o.name for o in graph.output}
    producer = {o: n for n in graph.node for o in n.output}
    folded, remove = 0, []
    for bn in graph.node:
        if bn.op_type != "BatchNormalization":
            continue
        conv = producer.get(bn.input[0])
        if (conv is None or conv.op_type != "Conv" or bn.input[0] in outputs
                or len(consumers.get(bn.input[0], [])) != 1
                or any(n not in inits for n in bn.input[1:5])
                or conv.input[1] not in inits
                or (len(conv.input) > 2 and conv.input[2] and conv.input[2] not in inits)):
            continue
        at = {a.name: helper.get_attribute_value(a) for a in bn.attribute}
        if at.get("training_mode", 0):
            continue
        eps = float(np.float32(at.get("epsilon", 1e-5)))
        gamma, beta, mean, var = (numpy_helper.to_array(inits[n]).astype(np.float64)
                                  for n in bn.input[1:5])
        k = gamma / np.sqrt(var + eps)
        w = numpy_helper.to_array(inits[conv.input[1]]).astype(np.float64)
        has_bias = len(conv.input) > 2 and conv.input[2]
        b = (numpy_helper.to_array(inits[conv.input[2]]).astype(np.float64)
             if has_bias else np.zeros(w.shape[0]))
        w_name, b_name = f"{conv.input[1]}_bnfolded", f"{bn.output[0]}_bias_bnfolded"
        graph.initializer.append(numpy_helper.from_array(
            (w * k.reshape(-1, 1, 1, 1)).astype(np.float32), w_name))
        graph.initializer.append(numpy_helper.from_array(
            ((b - mean) * k + beta).astype(np.float32), b_name))
        conv.input[:] = [conv.input[0], w_name, b_name]
        conv.output[0] = bn.output[0]
        remove.append(bn)
        folded += 1
    for bn in remove:
        graph.node.remove(bn)
    used = {n for node in graph.node for n in node.input}
    keep = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    return folded


def weight_qparams(w, axis):
    """Symmetric int8 weights: (q int8, scale float32 array or scalar)."""
    if axis is None:
        amax = np.abs(w).max()
    else:
        amax = np.abs(np.moveaxis(w, axis, 0)).reshape(w.shape[axis], -1).max(axis=1)
    scale = np.where(amax > 0, amax / np.float32(127.0), np.float32(1.0)).astype(np.float32)
    bshape = [1] * w.ndim
    if axis is not None:
        bshape[axis] = -1
    q = np.clip(np.rint(w / scale.reshape(bshape)), -127, 127).astype(np.int8)
    return q, scale


class QDQBuilder:
    """Plans, calibrates and emits the QDQ version of one float model."""

    def __init__(self, model, per_tensor, verbose, exclude=()):
        self.model = model
        self.exclude = set(exclude)
        self.graph = model.graph
        self.per_tensor = per_tensor
        self.verbose = verbose
        self.inits = {t.name: t for t in self.graph.initializer}
        self.consumers = {}
        self.producer = {}
        for node in self.graph.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
            for name in node.output:
                self.producer[name] = node
        self.outputs = {o.name for o in self.graph.output}
        self.new_inits = []
        self.replaced = set()   # float initializers replaced by quantized ones
        self.qparams = {}       # activation tensor -> (scale, zp)

    # -- analysis -------------------------------------------------------
    def _sole_consumer(self, name, op_type):
        users = self.consumers.get(name, [])
        if name in self.outputs or len(users) != 1 or users[0].op_type != op_type:
            return None
        return users[0]

    def _bias_add(self, matmul):
        """(Add node, bias input index) if a MatMul with constant weights feeds an
        Add of a 1-D constant (its bias), else None."""
        add = self._sole_consumer(matmul.output[0], "Add")
        if add is None or matmul.input[1] not in self.inits or len(add.input) != 2:
            return None
        k = 1 if add.input[0] == matmul.output[0] else 0
        bias = self.inits.get(add.input[k])
        return (add, k) if bias is not None and len(bias.dims) == 1 else None

    def plan(self):
        """Decide which tensors get a Q/DQ pair and which nodes are fused away."""
        skip = set()   # linear-op outputs fused into a following bias Add / Relu
        for node in self.graph.node:
            if node.op_type not in LINEAR:
                continue
            out = node.output[0]
            if node.op_type == "MatMul":
                fused = self._bias_add(node)
                if fused is not None:
                    skip.add(out)
                    out = fused[0].output[0]
            if (self._sole_consumer(out, "Relu") is not None
                    or self._sole_consumer(out, "Clip") is not None):
                skip.add(out)
        self.quantize = []
        names = [i.name for i in self.graph.input if i.name not in self.inits]
        names += [o for n in self.graph.node if n.op_type != "Constant" for o in n.output if o]
        unknown = self.exclude - {n.name for n in self.graph.node}
        if unknown:
            raise UnsupportedModel(f"--exclude: no node named {sorted(unknown)}")
        # A tensor is quantized only if a node that is not excluded touches it.
        touched = set()
        for node in self.graph.node:
            if node.name not in self.exclude:
                touched.update(node.input)
                touched.update(node.output)
        for name in names:
            if name not in skip and name in touched:
                self.quantize.append(name)

    # -- calibration ----------------------------------------------------
    def calibrate(self, calib, chunk):
        ev = Evaluator(self.model)
        if len(ev.input_names) != 1:
            raise UnsupportedModel(f"expected exactly one graph input, found {ev.input_names}")
        ranges = {}
        for i in range(0, len(calib), chunk):
            values = ev.run({ev.input_names[0]: calib[i:i + chunk]}, keep_all=True)
            for name in self.quantize:
                v = values[name]
                lo, hi = float(v.min()), float(v.max())
                if name in ranges:
                    lo, hi = min(lo, ranges[name][0]), max(hi, ranges[name][1])
                ranges[name] = (lo, hi)
        for name in self.quantize:
            node = self.producer.get(name)
            if node is not None and node.op_type in PASS_THROUGH and node.input[0] in self.qparams:
                self.qparams[name] = self.qparams[node.input[0]]
                src = f"(shared with {node.input[0]})"
            elif node is not None and node.op_type == "Softmax":
                # ORT's quantizer: probabilities get scale 1/256, zero point -128.
                self.qparams[name] = (np.float32(1.0 / 256), -128)
                src = "(softmax output)"
            else:
                self.qparams[name] = activation_qparams(*ranges[name])
                src = ""
            if self.verbose:
                lo, hi = ranges[name]
                s, z = self.qparams[name]
                print(f"  act  {name}: range [{lo:.6g}, {hi:.6g}] scale {float(s):.8g} zp {z} {src}")

    # -- graph rewriting ------------------------------------------------
    def _add_init(self, name, array):
        self.new_inits.append(numpy_helper.from_array(array, name))
        return name

    def _qdq_nodes(self, name, src, dst):
        scale, zp = self.qparams[name]
        s = self._add_init(f"{name}_scale", np.array(scale, dtype=np.float32))
        z = self._add_init(f"{name}_zero_point", np.array(zp, dtype=np.int8))
        q = f"{name}_QuantizeLinear_Output"
        return [helper.make_node("QuantizeLinear", [src, s, z], [q], name=f"{name}_QuantizeLinear"),
                helper.make_node("DequantizeLinear", [q, s, z], [dst], name=f"{name}_DequantizeLinear")]

    def _dq_weight(self, wname, axis):
        if len(self.consumers.get(wname, [])) != 1:
            raise UnsupportedModel(f"weight '{wname}' is shared by several nodes")
        w = numpy_helper.to_array(self.inits[wname]).astype(np.float32)
        self.replaced.add(wname)
        axis = None if self.per_tensor else axis
        q, scale = weight_qparams(w, axis)
        attrs = {} if axis is None else {"axis": axis}
        zp = np.zeros(scale.shape, dtype=np.int8)
        self._add_init(f"{wname}_quantized", q)
        self._add_init(f"{wname}_scale", scale)
        self._add_init(f"{wname}_zero_point", zp)
        out = f"{wname}_DequantizeLinear_Output"
        if self.verbose:
            print(f"  wgt  {wname}: shape {list(w.shape)} axis {axis} "
                  f"scale [{scale.min():.6g} .. {scale.max():.6g}]")
        node = helper.make_node("DequantizeLinear", [f"{wname}_quantized", f"{wname}_scale",
                                                     f"{wname}_zero_point"], [out],
                                name=f"{wname}_DequantizeLinear", **attrs)
        return node, out, scale

    def _dq_bias(self, bname, in_scale, w_scale, channels):
        if len(self.consumers.get(bname, [])) != 1:
            raise UnsupportedModel(f"bias '{bname}' is shared by several nodes")
        b = numpy_helper.to_array(self.inits[bname]).astype(np.float64).reshape(-1)
        self.replaced.add(bname)
        if b.size != channels:
            raise UnsupportedModel(f"bias '{bname}' has {b.size} elements, expected {channels}")
        scale = (np.float32(in_scale) * w_scale).astype(np.float32)
        if scale.ndim == 0 or scale.size == 1:
            scale = scale.reshape(())
        info = np.iinfo(np.int32)
        q = np.clip(np.rint(b / scale.astype(np.float64)), info.min, info.max).astype(np.int32)
        zp = np.zeros(scale.shape, dtype=np.int32)
        self._add_init(f"{bname}_quantized", q)
        self._add_init(f"{bname}_scale", scale)
        self._add_init(f"{bname}_zero_point", zp)
        out = f"{bname}_DequantizeLinear_Output"
        if self.verbose:
            print(f"  bias {bname}: int32 [{q.min()} .. {q.max()}] scale "
                  f"[{scale.min():.6g} .. {scale.max():.6g}]")
        attrs = {"axis": 0} if scale.ndim == 1 else {}
        node = helper.make_node("DequantizeLinear", [f"{bname}_quantized", f"{bname}_scale",
                                                     f"{bname}_zero_point"], [out],
                                name=f"{bname}_DequantizeLinear", **attrs)
        return node, out

    def _in_scale(self, node, name):
        if name not in self.qparams:
            raise UnsupportedModel(f"{node.op_type} '{node.name}': input '{name}' is not quantized")
        return self.qparams[name][0]

    def _rewrite_linear(self, node, inputs, pre):
        """Quantize the weight (and bias) of a Conv / Gemm / MatMul node in place.

        Returns (input scale, weight scale, output channels), or None for a
        MatMul of two activations (nothing to quantize).
        """
        op = node.op_type
        if node.input[0] in self.inits:
            raise UnsupportedModel(f"{op} '{node.name}': constant first operand is not supported")
        w = self.inits.get(node.input[1])
        if w is None:
            if op == "MatMul":
                return None
            raise UnsupportedModel(f"{op} '{node.name}': weight must be an initializer")
        if op == "Conv":
            axis = 0                    # W [M, C/group, kh, kw]
        elif op == "MatMul":
            if len(w.dims) != 2:
                raise UnsupportedModel(f"MatMul '{node.name}': only 2-D weights are supported")
            axis = 1                    # B [K, N]
        else:
            at = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            if at.get("transA", 0) or at.get("alpha", 1.0) != 1.0 or at.get("beta", 1.0) != 1.0:
                raise UnsupportedModel(f"Gemm '{node.name}': only alpha=beta=1, transA=0 is supported")
            axis = 0 if at.get("transB", 0) else 1   # B [N, K] if transB else [K, N]
        channels = w.dims[axis]
        in_scale = self._in_scale(node, node.input[0])
        dq_w, inputs[1], w_scale = self._dq_weight(node.input[1], axis)
        pre.append(dq_w)
        if op in ("Conv", "Gemm") and len(inputs) > 2 and inputs[2]:
            dq_b, inputs[2] = self._dq_bias(node.input[2], in_scale, w_scale, channels)
            pre.append(dq_b)
        return in_scale, w_scale, channels

    def build(self):
        g = self.graph
        renamed = {}        # original tensor name -> dequantized tensor name
        nodes = []
        matmul_bias = {}    # id(Add node) -> (bias index, in_scale, w_scale, channels)

        def emit_qdq(name, producer=None):
            if name in self.outputs and producer is not None:
                # Keep the graph output name: the producer writes <name>_float.
                src = f"{name}_float"
                producer.output[:] = [src if o == name else o for o in producer.output]
                nodes.extend(self._qdq_nodes(name, src, name))
            else:
                dst = f"{name}_DequantizeLinear_Output"
                nodes.extend(self._qdq_nodes(name, name, dst))
                renamed[name] = dst

        for inp in g.input:
            if inp.name in self.qparams:
                emit_qdq(inp.name)
        for node in g.node:
            inputs = [renamed.get(n, n) for n in node.input]
            pre = []
            if node.name in self.exclude:
                pass  # float node: float weights, inputs as renamed
            elif node.op_type in LINEAR:
                info = self._rewrite_linear(node, inputs, pre)
                fused = self._bias_add(node) if node.op_type == "MatMul" else None
                if fused is not None:
                    matmul_bias[id(fused[0])] = (fused[1],) + info
            elif node.op_type == "Add" and id(node) in matmul_bias:
                k, in_scale, w_scale, channels = matmul_bias[id(node)]
                dq_b, b_out = self._dq_bias(node.input[k], in_scale, w_scale, channels)
                pre.append(dq_b)
                inputs[k] = b_out
            elif node.op_type not in SHAPE_INPUTS:
                for n in node.input:
                    if n in self.inits:
                        raise UnsupportedModel(f"{node.op_type} '{node.name}': constant input "
                                               f"'{n}' is not supported")
            new = helper.make_node(node.op_type, inputs, list(node.output), name=node.name)
            new.attribute.extend(node.attribute)
            nodes.extend(pre)
            nodes.append(new)
            for out in node.output:
                if out in self.qparams:
                    emit_qdq(out, new)

        keep = [t for t in g.initializer if t.name not in self.replaced]
        graph = helper.make_graph(nodes, g.name + "_qdq", list(g.input), list(g.output),
                                  initializer=keep + self.new_inits)
        model = helper.make_model(graph, opset_imports=list(self.model.opset_import),
                                  producer_name="quantopt-make_qdq")
        model.ir_version = self.model.ir_version
        return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="float ONNX model (opset >= 13)")
    ap.add_argument("--calib", required=True, help="calibration inputs, float32 .npy [N,...]")
    ap.add_argument("--out", required=True, help="output QDQ ONNX path")
    ap.add_argument("--per-tensor", action="store_true",
                    help="per-tensor weight scales (default: per output channel)")
    ap.add_argument("--chunk", type=int, default=250,
                    help="calibration samples evaluated at once (default: 250)")
    ap.add_argument("--exclude", action="append", default=[], metavar="NODE",
                    help="leave this node in float (repeatable), like ONNX "
                         "Runtime's nodes_to_exclude")
    ap.add_argument("--verbose", "-v", action="store_true",
                    help="print every tensor's range, scale and zero point")
    args = ap.parse_args(argv)

    try:
        model = onnx.load(args.model)
        calib = np.load(args.calib)
    except (OSError, ValueError) as e:
        sys.exit(f"error: {e}")
    opset = max((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0)
    if opset < 13:
        sys.exit(f"error: {args.model}: opset {opset} < 13 (per-axis DequantizeLinear needs opset 13)")
    if calib.dtype != np.float32 or calib.ndim < 2 or len(calib) == 0:
        sys.exit(f"error: {args.calib}: expected non-empty float32 [N,...], got {calib.dtype} {calib.shape}")
    if args.chunk < 1:
        sys.exit("error: --chunk must be >= 1")
    inputs = [i for i in model.graph.input if i.name not in {t.name for t in model.graph.initializer}]
    if len(inputs) == 1:
        dims = [d.dim_value if d.HasField("dim_value") else None
                for d in inputs[0].type.tensor_type.shape.dim]
        if len(dims) != calib.ndim or any(d not in (None, n) for d, n in zip(dims[1:], calib.shape[1:])):
            shown = [d if d is not None else "?" for d in dims]
            sys.exit(f"error: {args.calib}: shape {list(calib.shape)} does not match model "
                     f"input '{inputs[0].name}' {shown}")

    try:
        folded = onnx.load(args.model)  # `model`, the float reference, keeps them
        fold_batchnorm(folded)
        b = QDQBuilder(folded, args.per_tensor, args.verbose, args.exclude)
        b.plan()
        b.calibrate(calib, args.chunk)
        qmodel = b.build()
        onnx.checker.check_model(qmodel, full_check=True)
        # Sanity check: the numpy simulation of the QDQ model vs the float model.
        name = Evaluator(model).input_names[0]
        x = calib[:min(len(calib), args.chunk)]
        ref = Evaluator(model).run({name: x})
        got = Evaluator(qmodel).run({name: x})
    except (ValueError, onnx.checker.ValidationError, KeyError) as e:
        sys.exit(f"error: {args.model}: {e}")
    out_dir = os.path.dirname(args.out)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
    onnx.save(qmodel, args.out)
    out = qmodel.graph.output[0].name
    agree = np.mean(ref[out].reshape(len(x), -1).argmax(1) == got[out].reshape(len(x), -1).argmax(1))
    print(f"wrote {args.out}: {len(b.qparams)} quantized activations, "
          f"{'per-tensor' if args.per_tensor else 'per-channel'} weights, "
          f"{len(calib)} calibration samples; QDQ vs float top-1 agreement on "
          f"{len(x)} calibration samples: {agree:.4f}")


if __name__ == "__main__":
    main()
