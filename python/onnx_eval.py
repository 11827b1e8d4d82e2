"""Minimal numpy evaluator for the ONNX subset used by QuantOpt's CNNs.

Supported ops: Conv (with groups), Relu, Clip, MaxPool, AveragePool,
GlobalAveragePool, BatchNormalization (inference), Concat, Flatten, Reshape,
Gemm, MatMul, Add, Identity, Constant, QuantizeLinear, DequantizeLinear
(int8/uint8/int32).
Float math is done in float32, like ONNX Runtime's CPU kernels (results agree
to float rounding, not bit-exactly).

    ev = Evaluator(onnx.load("model.onnx"))
    values = ev.run({"input": x}, keep_all=True)   # dict name -> ndarray
"""
import numpy as np
import onnx
from onnx import numpy_helper


class UnsupportedModel(ValueError):
    """The model uses an op or attribute outside the supported subset."""


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _check_auto_pad(node, at):
    if at.get("auto_pad", b"NOTSET") not in (b"NOTSET", "NOTSET"):
        raise UnsupportedModel(f"{node.op_type} '{node.name}': auto_pad is not supported (use explicit pads)")


def _windows(x, kernel, strides, dilations, pads, pad_value):
    """Yield (kernel index, strided view) for each kernel offset of a 2-D window."""
    n, c, h, w = x.shape
    kh, kw = kernel
    sh, sw = strides
    dh, dw = dilations
    pt, pl, pb, pr = pads
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)), constant_values=pad_value)
    oh = (h + pt + pb - dh * (kh - 1) - 1) // sh + 1
    ow = (w + pl + pr - dw * (kw - 1) - 1) // sw + 1
    if oh < 1 or ow < 1:
        raise UnsupportedModel(f"window {kernel} larger than padded input {xp.shape[2:]}")
    for i in range(kh):
        for j in range(kw):
            yield (i, j), xp[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                             j * dw:j * dw + sw * (ow - 1) + 1:sw]


def _spatial_attrs(node, at, kernel):
    _check_auto_pad(node, at)
    if len(kernel) != 2:
        raise UnsupportedModel(f"{node.op_type} '{node.name}': only 2-D windows are supported")
    return (at.get("strides", [1, 1]), at.get("dilations", [1, 1]), at.get("pads", [0, 0, 0, 0]))


def conv(node, x, w, b=None):
    at = _attrs(node)
    strides, dilations, pads = _spatial_attrs(node, at, w.shape[2:])
    group = at.get("group", 1)
    m, cg = w.shape[0], w.shape[1]
    if x.shape[1] != cg * group or m % group:
        raise UnsupportedModel(f"Conv '{node.name}': channel mismatch x{x.shape} w{w.shape} group {group}")
    mg = m // group
    y = None
    for (i, j), xs in _windows(x, w.shape[2:], strides, dilations, pads, 0.0):
        parts = [np.einsum("nchw,mc->nmhw", xs[:, g * cg:(g + 1) * cg], w[g * mg:(g + 1) * mg, :, i, j])
                 for g in range(group)]
        t = parts[0] if group == 1 else np.concatenate(parts, axis=1)
        y = t if y is None else y + t
    if b is not None:
        y = y + b.reshape(1, -1, 1, 1)
    return y.astype(np.float32, copy=False)


def max_pool(node, x):
    at = _attrs(node)
    if at.get("ceil_mode", 0) != 0:
        raise UnsupportedModel(f"MaxPool '{node.name}': ceil_mode=1 is not supported")
    if len(node.output) > 1 and node.output[1]:
        raise UnsupportedModel(f"MaxPool '{node.name}': Indices output is not supported")
    kernel = at["kernel_shape"]
    strides, dilations, pads = _spatial_attrs(node, at, kernel)
    y = None
    for _, xs in _windows(x, kernel, strides, dilations, pads, -np.inf):
        y = xs.copy() if y is None else np.maximum(y, xs)
    return y


def average_pool(node, x):
    at = _attrs(node)
    if at.get("ceil_mode", 0) != 0:
        raise UnsupportedModel(f"AveragePool '{node.name}': ceil_mode=1 is not supported")
    kernel = at["kernel_shape"]
    strides, dilations, pads = _spatial_attrs(node, at, kernel)
    if list(dilations) != [1, 1]:
        raise UnsupportedModel(f"AveragePool '{node.name}': dilations are not supported")
    total = None
    count = None
    ones = np.ones((1, 1) + x.shape[2:], dtype=np.float32)
    for (_, xs), (_, os_) in zip(_windows(x, kernel, strides, dilations, pads, 0.0),
                                 _windows(ones, kernel, strides, dilations, pads, 0.0)):
        total = xs.copy() if total is None else total + xs
        count = os_.copy() if count is None else count + os_
    if at.get("count_include_pad", 0):
        count = np.float32(kernel[0] * kernel[1])
    return (total / count).astype(np.float32)


def batch_norm(node, x, scale, bias, mean, var):
    at = _attrs(node)
    if at.get("training_mode", 0):
        raise UnsupportedModel(f"BatchNormalization '{node.name}': training_mode is not supported")
    shape = [1, -1] + [1] * (x.ndim - 2)
    eps = np.float32(at.get("epsilon", 1e-5))
    k = scale / np.sqrt(var + eps)
    return ((x - mean.reshape(shape)) * k.reshape(shape) + bias.reshape(shape)).astype(np.float32)


def clip(node, x, lo=None, hi=None):
    if lo is not None:
        x = np.maximum(x, lo)
    if hi is not None:
        x = np.minimum(x, hi)
    return x


def gemm(node, a, b, c=None):
    at = _attrs(node)
    if at.get("transA", 0):
        a = a.T
    if at.get("transB", 0):
        b = b.T
    y = np.float32(at.get("alpha", 1.0)) * (a @ b)
    if c is not None:
        y = y + np.float32(at.get("beta", 1.0)) * c
    return y.astype(np.float32, copy=False)


def reshape(node, x, shape):
    shape = [int(s) for s in shape]
    at = _attrs(node)
    if not at.get("allowzero", 0):
        shape = [x.shape[i] if s == 0 else s for i, s in enumerate(shape)]
    return x.reshape(shape)


def _qparams(node, x, scale, zp, at):
    axis = at.get("axis", 1)
    if scale.ndim == 1 and scale.size > 1:
        shape = [1] * x.ndim
        shape[axis % x.ndim] = -1
        scale = scale.reshape(shape)
        zp = zp.reshape(shape) if zp is not None else None
    elif scale.ndim > 1:
        raise UnsupportedModel(f"{node.op_type} '{node.name}': blocked quantization is not supported")
    return scale, zp


def quantize_linear(node, x, scale, zp=None):
    s, z = _qparams(node, x, scale, zp, _attrs(node))
    dtype = zp.dtype if zp is not None else np.dtype(np.uint8)
    info = np.iinfo(dtype)
    q = np.rint(x / s) + (z.astype(np.float32) if z is not None else 0)
    return np.clip(q, info.min, info.max).astype(dtype)


def dequantize_linear(node, x, scale, zp=None):
    s, z = _qparams(node, x, scale, zp, _attrs(node))
    xi = x.astype(np.int64) - (z.astype(np.int64) if z is not None else 0)
    return (xi.astype(np.float32) * s).astype(np.float32)


def squeeze(node, x, axes=None):
    axes = _attrs(node).get("axes") if axes is None else axes
    if axes is None:
        return np.squeeze(x)
    return np.squeeze(x, axis=tuple(int(a) % x.ndim for a in axes))


def unsqueeze(node, x, axes=None):
    axes = _attrs(node).get("axes") if axes is None else axes
    rank = x.ndim + len(axes)
    for a in sorted(int(a) % rank for a in axes):
        x = np.expand_dims(x, a)
    return x


def softmax(node, x):
    axis = _attrs(node).get("axis", -1)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return (e / e.sum(axis=axis, keepdims=True)).astype(np.float32)


def _f32(v):
    return np.float32(v)


_OPS = {
    "Conv": conv,
    "MaxPool": max_pool,
    "Gemm": gemm,
    "Reshape": reshape,
    "QuantizeLinear": quantize_linear,
    "DequantizeLinear": dequantize_linear,
    "AveragePool": average_pool,
    "GlobalAveragePool": lambda node, x: x.mean(axis=(2, 3), keepdims=True, dtype=np.float32),
    "BatchNormalization": batch_norm,
    "Clip": clip,
    "Concat": lambda node, *xs: np.concatenate(xs, axis=_attrs(node)["axis"]),
    "Relu": lambda node, x: np.maximum(x, np.float32(0)),
    "Flatten": lambda node, x: x.reshape(int(np.prod(x.shape[:_attrs(node).get("axis", 1)])), -1),
    "MatMul": lambda node, a, b: np.matmul(a, b),
    "Add": lambda node, a, b: a + b,
    "Identity": lambda node, x: x,
    "Mul": lambda node, a, b: a * b,
    "Sigmoid": lambda node, x: (1 / (1 + np.exp(-x))).astype(np.float32),
    "Tanh": lambda node, x: np.tanh(x),
    "LeakyRelu": lambda node, x: np.where(
        x >= 0, x, _f32(_attrs(node).get("alpha", 0.01)) * x).astype(np.float32),
    "HardSigmoid": lambda node, x: np.clip(
        _f32(_attrs(node).get("alpha", 0.2)) * x + _f32(_attrs(node).get("beta", 0.5)),
        0, 1).astype(np.float32),
    "HardSwish": lambda node, x: (x * np.clip(x / _f32(6) + _f32(0.5), 0, 1)).astype(np.float32),
    "Transpose": lambda node, x: np.transpose(x, _attrs(node).get("perm")),
    "Squeeze": squeeze,
    "Unsqueeze": unsqueeze,
    "Softmax": softmax,
}

SUPPORTED_OPS = sorted(set(_OPS) | {"Constant"})


class Evaluator:
    """Evaluates an ONNX graph (default domain, supported ops only) in numpy."""

    def __init__(self, model):
        self.graph = model.graph
        self.consts = {t.name: numpy_helper.to_array(t) for t in self.graph.initializer}
        for node in self.graph.node:
            if node.domain not in ("", "ai.onnx"):
                raise UnsupportedModel(f"node '{node.name}': custom domain '{node.domain}' is not supported")
            if node.op_type == "Constant":
                at = _attrs(node)
                if "value" not in at:
                    raise UnsupportedModel(f"Constant '{node.name}': only the 'value' attribute is supported")
                self.consts[node.output[0]] = numpy_helper.to_array(at["value"])
            elif node.op_type not in _OPS:
                raise UnsupportedModel(f"node '{node.name}': op {node.op_type} is not supported "
                                       f"(supported: {', '.join(SUPPORTED_OPS)})")
        self.input_names = [i.name for i in self.graph.input if i.name not in self.consts]
        self.output_names = [o.name for o in self.graph.output]

    def run(self, feeds, keep_all=False):
        """Run the graph; return {output name: array} (all tensors if keep_all)."""
        missing = set(self.input_names) - set(feeds)
        if missing:
            raise ValueError(f"missing graph inputs: {sorted(missing)}")
        values = dict(self.consts)
        values.update(feeds)
        for node in self.graph.node:
            if node.op_type == "Constant":
                continue
            args = [values[n] if n else None for n in node.input]
            try:
                values[node.output[0]] = _OPS[node.op_type](node, *args)
            except (ValueError, IndexError) as e:
                shapes = [list(a.shape) if a is not None else None for a in args]
                raise ValueError(f"{node.op_type} '{node.name}' failed on inputs {shapes}: {e}") from e
        if keep_all:
            return values
        return {n: values[n] for n in self.output_names}
