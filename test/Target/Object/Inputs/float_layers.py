#!/usr/bin/python3
"""Models with float layers, and their outputs computed independently in
numpy (not by QuantOpt), for the execution tests of the C and object
bundles.

  float_layers.py mixed-model     > mixed.mlir   QDQ-form model, float in/out
  float_layers.py mixed-expected  > expected.h
  float_layers.py dynamic-model   > dynamic.mlir float Gemm (--quantization=dynamic)
  float_layers.py dynamic-expected > expected.h
  float_layers.py ops-model       > ops.mlir     every other float op
  float_layers.py ops-expected    > expected.h

mixed: x f32 [1,2,5,5] -> float Conv (3 filters 3x3, pads 1, stride 2,
bias) -> Relu -> QuantizeLinear (0.05, -10) -> int8 MaxPool 2x2 ->
DequantizeLinear -> Flatten -> float Gemm (transB, bias) -> f32 [1,4].
The float ops are evaluated in float32 in the loop order of the generated
code (each output: bias, then + x * w over c, kh, kw; the Gemm sums k from
0 then adds the bias), so the expected values are exact, bit for bit.

dynamic: x f32 [2,16] -> Gemm (w [5,16] transB, bias) computed as ONNX
DynamicQuantizeLinear (uint8, re-centred to int8) + MatMulInteger: weights
int8 symmetric per output row (scale = max|w| / 127 in float32, round half
to even), s_x = (max(0, max x) - min(0, min x)) / 255 (1 if 0),
zp = saturate(round(-min / s_x)), q = saturate(round(x / s_x) + zp),
y = float(sum (q - zp) * w) * (s_x * s_w[n]) + b[n].

ops: x f32 [1,2,4,4] -> AveragePool 3x3 (pads 1, stride 2, padding not
counted: divisors 4, 6, 6, 9) -> Clip [-0.5, 0.5] -> Add of a [2,1,1]
constant (broadcast) -> BatchNormalization (constant statistics; k =
scale / sqrt(var + eps) in double, rounded to f32) -> Concat (axis 1) with
a float MaxPool 3x3 (pads 1, stride 2) of x -> Mul by a [4,1,1] constant
-> HardSwish -> LeakyRelu (0.1) -> Transpose (0, 2, 3, 1) -> Reshape [1,16] -> Gemm
(alpha 2: not dynamically quantized) [16,3], all in float32 in the
generated code's order. Compiled with --quantization=dynamic, which needs
no calibration data and leaves every one of these ops in float.
"""
import sys

import numpy as np

f32 = np.float32


def fmt(a):
    return ", ".join(np.format_float_positional(f32(v), unique=True) + "f"
                     if np.isfinite(v) else "0" for v in np.ravel(a))


def mlir_dense(a):
    return "dense<" + np.array2string(
        np.asarray(a, dtype=np.float64), separator=", ", threshold=1 << 30,
        floatmode="unique", max_line_width=1 << 30) + ">"


rng = np.random.RandomState(7)
# mixed
CW = (rng.randn(3, 2, 3, 3) * 0.4).astype(f32)
CB = (rng.randn(3) * 0.1).astype(f32)
GW = (rng.randn(4, 3) * 0.3).astype(f32)
GB = (rng.randn(4) * 0.1).astype(f32)
S, ZP = f32(0.05), -10
MIXED_INPUTS = [(rng.randn(1, 2, 5, 5)).astype(f32) for _ in range(3)]
# dynamic
DW = (rng.randn(5, 16) * 0.5).astype(f32)
DB = (rng.randn(5) * 0.2).astype(f32)
OPS_ADD = (rng.randn(2, 1, 1) * 0.2).astype(f32)
BN = [(rng.rand(2) + 0.5).astype(f32), (rng.randn(2) * 0.1).astype(f32),
      (rng.randn(2) * 0.1).astype(f32), (rng.rand(2) + 0.5).astype(f32)]
MW = (rng.randn(16, 3) * 0.3).astype(f32)
MK = (rng.randn(4, 1, 1) * 2).astype(f32)
OPS_INPUTS = [rng.randn(1, 2, 4, 4).astype(f32) for _ in range(3)]
DYN_INPUTS = [rng.randn(2, 16).astype(f32),
              np.abs(rng.randn(2, 16)).astype(f32),         # min 0: zp 0
              -np.abs(rng.randn(2, 16)).astype(f32),        # max 0: zp 255
              np.zeros((2, 16), f32)]                       # scale 1


def quantize(v, scale, zp, lo=-128, hi=127):
    return np.clip(np.rint(f32(v) / f32(scale)) + zp, lo, hi).astype(np.int32)


def mixed(x):
    xp = np.pad(x[0], ((0, 0), (1, 1), (1, 1)))
    out = np.zeros((3, 3, 3), f32)
    for f in range(3):
        for oh in range(3):
            for ow in range(3):
                acc = CB[f]
                for c in range(2):
                    for kh in range(3):
                        for kw in range(3):
                            acc = f32(acc + f32(xp[c, oh * 2 + kh, ow * 2 + kw] * CW[f, c, kh, kw]))
                out[f, oh, ow] = acc
    out = np.where(out > 0, out, f32(0))
    q = quantize(out, S, ZP)
    pooled = q[:, :2, :2].max(axis=(1, 2))  # one 2x2 window per channel
    deq = ((pooled - ZP).astype(f32) * S).astype(f32)
    y = np.zeros(4, f32)
    for n in range(4):
        acc = f32(0)
        for k in range(3):
            acc = f32(acc + f32(deq[k] * GW[n, k]))
        y[n] = f32(acc + GB[n])
    return y


def dynamic(x):
    absmax = np.abs(DW).max(axis=1)
    ws = np.where(absmax > 0, absmax / f32(127), f32(1)).astype(f32)
    wq = np.clip(np.rint(DW / ws[:, None]), -127, 127).astype(np.int32)
    lo, hi = min(f32(0), x.min()), max(f32(0), x.max())
    s = f32(f32(hi - lo) / f32(255))
    if s == 0:
        s = f32(1)
    zp = int(np.clip(np.rint(f32(f32(0) - lo) / s), 0, 255))
    q = np.clip(np.rint(x / s) + zp, 0, 255).astype(np.int32)
    acc = (q - zp) @ wq.T
    return (acc.astype(f32) * (s * ws)[None, :] + DB[None, :]).astype(f32)


def ops(x):
    x = x[0]
    avg = np.zeros((2, 2, 2), f32)
    mx = np.zeros((2, 2, 2), f32)
    for c in range(2):
        for oh in range(2):
            for ow in range(2):
                acc, best, count = f32(0), None, 0
                for kh in range(3):
                    for kw in range(3):
                        h, w = oh * 2 + kh - 1, ow * 2 + kw - 1
                        if 0 <= h < 4 and 0 <= w < 4:
                            acc = f32(acc + x[c, h, w])
                            best = x[c, h, w] if best is None else max(best, x[c, h, w])
                            count += 1
                avg[c, oh, ow] = f32(acc / f32(count))
                mx[c, oh, ow] = best
    v = np.clip(avg, f32(-0.5), f32(0.5)).astype(f32)
    v = (v + OPS_ADD).astype(f32)
    # qnn-fold-batchnorm makes the batch norm (after an Add: nothing to fold
    # into) a depthwise 1x1 convolution: weight k and bias beta - mean * k,
    # computed in double and rounded to f32; the float convolution starts
    # from the bias and adds the f32 product.
    scale, bias, mean, var = BN
    k64 = scale.astype(np.float64) / np.sqrt(var.astype(np.float64) + float(f32(1e-5)))
    k = k64.astype(f32)
    b = (bias.astype(np.float64) - mean.astype(np.float64) * k64).astype(f32)
    v = (b[:, None, None] + (v * k[:, None, None]).astype(f32)).astype(f32)
    v = (np.concatenate([v, mx]) * MK).astype(f32)
    t = ((v / f32(6)).astype(f32) + f32(0.5)).astype(f32)
    m = np.where(t < 1, t, f32(1))
    v = (v * np.where(0 < m, m, f32(0))).astype(f32)
    v = np.where(v >= 0, v, (f32(0.1) * v).astype(f32))
    flat = v.transpose(1, 2, 0).reshape(-1)
    y = np.zeros(3, f32)
    for n in range(3):
        acc = f32(0)
        for kk in range(16):
            acc = f32(acc + f32(flat[kk] * MW[kk, n]))
        y[n] = f32(acc * f32(2))
    return y


def main():
    what = sys.argv[1]
    if what == "mixed-model":
        print(f"""!q = !quant.uniform<i8:f32, {float(S)!r}:{ZP}>
func.func @main(%x: tensor<1x2x5x5xf32>) -> tensor<1x4xf32> {{
  %w = arith.constant {mlir_dense(CW)} : tensor<3x2x3x3xf32>
  %b = arith.constant {mlir_dense(CB)} : tensor<3xf32>
  %c = qnn.conv %x, %w, %b {{dilations = array<i64: 1, 1>, group = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}} : (tensor<1x2x5x5xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x3x3xf32>
  %r = qnn.relu %c : tensor<1x3x3x3xf32>
  %q = quant.qcast %r : tensor<1x3x3x3xf32> to tensor<1x3x3x3x!q>
  %d = quant.dcast %q : tensor<1x3x3x3x!q> to tensor<1x3x3x3xf32>
  %p = qnn.max_pool %d {{kernel_shape = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 2, 2>}} : (tensor<1x3x3x3xf32>) -> tensor<1x3x1x1xf32>
  %q2 = quant.qcast %p : tensor<1x3x1x1xf32> to tensor<1x3x1x1x!q>
  %d2 = quant.dcast %q2 : tensor<1x3x1x1x!q> to tensor<1x3x1x1xf32>
  %f = qnn.flatten %d2 {{axis = 1 : i64}} : (tensor<1x3x1x1xf32>) -> tensor<1x3xf32>
  %gw = arith.constant {mlir_dense(GW)} : tensor<4x3xf32>
  %gb = arith.constant {mlir_dense(GB)} : tensor<4xf32>
  %y = qnn.gemm %f, %gw, %gb {{transB = true}} : (tensor<1x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  return %y : tensor<1x4xf32>
}}""")
    elif what == "dynamic-model":
        print(f"""func.func @main(%x: tensor<2x16xf32>) -> tensor<2x5xf32> {{
  %w = arith.constant {mlir_dense(DW)} : tensor<5x16xf32>
  %b = arith.constant {mlir_dense(DB)} : tensor<5xf32>
  %y = qnn.gemm %x, %w, %b {{transB = true}} : (tensor<2x16xf32>, tensor<5x16xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  return %y : tensor<2x5xf32>
}}""")
    elif what == "ops-model":
        pool = ("kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, "
                "strides = array<i64: 2, 2>")
        t = "tensor<2xf32>"
        print(f"""func.func @main(%x: tensor<1x2x4x4xf32>) -> tensor<1x3xf32> {{
  %a = qnn.avg_pool %x {{{pool}}} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %c = qnn.clip %a {{min = -5.000000e-01 : f32, max = 5.000000e-01 : f32}} : tensor<1x2x2x2xf32>
  %k = arith.constant {mlir_dense(OPS_ADD)} : tensor<2x1x1xf32>
  %s = qnn.add %c, %k : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %g = arith.constant {mlir_dense(BN[0])} : {t}
  %b = arith.constant {mlir_dense(BN[1])} : {t}
  %m = arith.constant {mlir_dense(BN[2])} : {t}
  %v = arith.constant {mlir_dense(BN[3])} : {t}
  %n = qnn.batch_norm %s, %g, %b, %m, %v {{epsilon = 9.99999974E-6 : f32}} : (tensor<1x2x2x2xf32>, {t}, {t}, {t}, {t}) -> tensor<1x2x2x2xf32>
  %p = qnn.max_pool %x {{{pool}}} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %cat = qnn.concat %n, %p {{axis = 1 : i64}} : (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  %mk = arith.constant {mlir_dense(MK)} : tensor<4x1x1xf32>
  %mul = qnn.mul %cat, %mk : (tensor<1x4x2x2xf32>, tensor<4x1x1xf32>) -> tensor<1x4x2x2xf32>
  %hs = qnn.unary %mul {{function = "hard_swish"}} : tensor<1x4x2x2xf32>
  %lr = qnn.unary %hs {{function = "leaky_relu", alpha = 1.000000e-01 : f32}} : tensor<1x4x2x2xf32>
  %tr = qnn.transpose %lr {{perm = array<i64: 0, 2, 3, 1>}} : (tensor<1x4x2x2xf32>) -> tensor<1x2x2x4xf32>
  %r = qnn.reshape %tr : (tensor<1x2x2x4xf32>) -> tensor<1x16xf32>
  %w = arith.constant {mlir_dense(MW)} : tensor<16x3xf32>
  %y = qnn.gemm %r, %w {{alpha = 2.0 : f32}} : (tensor<1x16xf32>, tensor<16x3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}}""")
    elif what in ("mixed-expected", "dynamic-expected", "ops-expected"):
        inputs, fn = {"mixed-expected": (MIXED_INPUTS, mixed),
                      "dynamic-expected": (DYN_INPUTS, dynamic),
                      "ops-expected": (OPS_INPUTS, ops)}[what]
        print(f"#define NUM_CASES {len(inputs)}")
        print(f"static const float kInputs[{len(inputs)}][{inputs[0].size}] = {{")
        for x in inputs:
            print(f"  {{{fmt(x)}}},")
        print("};")
        outs = [fn(x) for x in inputs]
        print(f"static const float kExpected[{len(outs)}][{outs[0].size}] = {{")
        for y in outs:
            print(f"  {{{fmt(y)}}},")
        print("};")
    else:
        sys.exit(f"unknown command {what}")


if __name__ == "__main__":
    main()
