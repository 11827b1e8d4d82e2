"""Independent numpy model of a small 16x8 network (conv + relu, depthwise
conv + clip, max pool, flatten, gemm) for test/Integration/int16-activations.test.

Usage:
  int16_net.py mlir                  prints the float qnn graph
  int16_net.py data X.npy            writes 40 input samples
  int16_net.py check Q.bin X.npy     simulates the integer 16x8 program
                                     (--int16-layers=Conv,Gemm) and compares
                                     its int8 outputs with the C bundle's
  int16_net.py scales X.npy < IR       checks the int16 scales of the
                                     calibrated graph (conv1 + relu1, fc)
  int16_net.py sqnr F16.f32 F8.f32 X.npy
                                     output SQNR vs float of the int16 and
                                     the all-int8 bundles

The simulation follows docs/IntegerSemantics.md with exact real
multipliers (round half to even in float64) where the compiled code uses
fixed-point multipliers, so outputs may differ by one int8 step: input int8
asymmetric from min/max; weights int8 per output channel, symmetric;
int16 activations symmetric, scale = float32(max|x|) / 32767, storage
[-32767, 32767]; bias_q = round(b / (s_in * s_w[c])); the int16 model
output is requantized to the int8 type calibration gives it (asymmetric,
from the min/max of the output).
"""

import sys

import numpy as np

F = np.float32
rng = np.random.default_rng(7)
W1 = (rng.standard_normal((4, 2, 3, 3)) * 0.4).astype(F)
B1 = (rng.standard_normal(4) * 0.1).astype(F)
W2 = (rng.standard_normal((3, 16)) * 0.3).astype(F)
B2 = (rng.standard_normal(3) * 0.1).astype(F)
WD = (rng.standard_normal((4, 1, 3, 3)) * 0.5).astype(F)
BD = (rng.standard_normal(4) * 0.1).astype(F)


def conv(x, w, b):
    """NCHW 3x3 conv, pads 1, stride 1, in float64 or int64."""
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros((n, w.shape[0], h, wd), dtype=x.dtype)
    for i in range(3):
        for j in range(3):
            out += np.einsum("nchw,fc->nfhw", xp[:, :, i:i + h, j:j + wd],
                             w[:, :, i, j])
    return out + b[None, :, None, None]


def dwconv(x, w, b):
    """NCHW depthwise 3x3 conv (group = channels), pads 1, stride 1."""
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    out = np.zeros_like(x)
    for i in range(3):
        for j in range(3):
            out += xp[:, :, i:i + h, j:j + wd] * w[None, :, 0, i, j, None, None]
    return out + b[None, :, None, None]


def pool_flat(x):
    n, c = x.shape[:2]
    return x.reshape(n, c, 2, 3, 2, 3).max(axis=(3, 5)).reshape(n, 16)


def float_model(x):
    r = np.maximum(conv(x.astype(np.float64), W1.astype(np.float64),
                        B1.astype(np.float64)), 0).astype(F)
    d = np.clip(dwconv(r.astype(np.float64), WD.astype(np.float64),
                       BD.astype(np.float64)), 0, 6).astype(F)
    f = pool_flat(d)
    y = (f.astype(np.float64) @ W2.T.astype(np.float64) + B2).astype(F)
    return r, d, y


def asym8(v):
    lo, hi = min(F(v.min()), F(0)), max(F(v.max()), F(0))
    s = F(F(hi - lo) / F(255))
    return s, int(np.clip(np.round(-128.0 - float(lo) / float(s)), -128, 127))


def sym16(v):
    return F(F(np.abs(v).max()) / F(32767))


def weight_q(w):
    s = (np.abs(w.reshape(w.shape[0], -1)).max(axis=1) / F(127)).astype(F)
    shape = (-1,) + (1,) * (w.ndim - 1)
    q = np.clip(np.round((w / s.reshape(shape)).astype(F)), -127, 127)
    return s, q.astype(np.int64)


def requant(acc, m, lo, hi):
    return np.clip(np.round(acc.astype(np.float64) * m), lo, hi).astype(np.int64)


def simulate(x):
    r, d, y = float_model(x)
    sx, zx = asym8(x)
    s1, sd, s2 = sym16(r), sym16(d), sym16(y)
    sw1, q1 = weight_q(W1)
    swd, qd = weight_q(WD)
    sw2, q2 = weight_q(W2)
    xq = np.clip(np.round((x / sx).astype(F)) + zx, -128, 127).astype(np.int64)
    acc_s1 = float(sx) * sw1.astype(np.float64)
    b1 = np.round(B1.astype(np.float64) / acc_s1).astype(np.int64)
    acc1 = conv(xq - zx, q1, b1)
    # int32 accumulator bound of docs/IntegerSemantics.md (16x8 section).
    assert np.abs(acc1).max() < 2**31
    h = requant(acc1, (acc_s1 / float(s1))[None, :, None, None], 0, 32767)
    # Depthwise 16x8: int16 in, int16 out, Clip(0, 6) as the clamp
    # [0, round(6 / sd)].
    acc_sd = float(s1) * swd.astype(np.float64)
    bd = np.round(BD.astype(np.float64) / acc_sd).astype(np.int64)
    accd = dwconv(h, qd, bd)
    assert np.abs(accd).max() < 2**31
    six = int(np.clip(np.round(F(6) / sd), -32767, 32767))
    hd = requant(accd, (acc_sd / float(sd))[None, :, None, None], 0, six)
    f = pool_flat(hd)
    acc_s2 = float(sd) * sw2.astype(np.float64)
    b2 = np.round(B2.astype(np.float64) / acc_s2).astype(np.int64)
    acc2 = f @ q2.T + b2
    bound = 32767 * np.abs(q2).sum(axis=1) + np.abs(b2)
    assert bound.max() < 2**31
    y16 = requant(acc2, (acc_s2 / float(s2))[None, :], -32767, 32767)
    # The model output reads the int16 value through the int8 type its
    # calibration gives it (asymmetric over the min/max of y).
    s_out, z_out = asym8(y)
    y8 = np.clip(requant(y16, float(s2) / float(s_out), -10**9, 10**9) + z_out,
                 -128, 127)
    return y8, s_out


def sqnr(ref, q):
    return 10 * np.log10(np.sum(ref.astype(np.float64) ** 2) /
                         np.sum((ref.astype(np.float64) - q) ** 2))


def main():
    mode = sys.argv[1]
    if mode == "mlir":
        def arr(a):
            return np.array2string(a, separator=", ", threshold=10**6,
                                   floatmode="unique").replace("\n", "")
        print(f"""func.func @net(%x: tensor<1x2x6x6xf32>) -> tensor<1x3xf32> {{
  %w1 = arith.constant dense<{arr(W1)}> : tensor<4x2x3x3xf32>
  %b1 = arith.constant dense<{arr(B1)}> : tensor<4xf32>
  %w2 = arith.constant dense<{arr(W2)}> : tensor<3x16xf32>
  %b2 = arith.constant dense<{arr(B2)}> : tensor<3xf32>
  %c = qnn.conv %x, %w1, %b1 {{dilations = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}} : (tensor<1x2x6x6xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32> loc("conv1")
  %r = qnn.relu %c : tensor<1x4x6x6xf32> loc("relu1")
  %wd = arith.constant dense<{arr(WD)}> : tensor<4x1x3x3xf32>
  %bd = arith.constant dense<{arr(BD)}> : tensor<4xf32>
  %dc = qnn.conv %r, %wd, %bd {{dilations = array<i64: 1, 1>, group = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>}} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32> loc("dw1")
  %d = qnn.clip %dc {{min = 0.0 : f32, max = 6.0 : f32}} : tensor<1x4x6x6xf32> loc("clip1")
  %p = qnn.max_pool %d {{kernel_shape = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 3, 3>}} : (tensor<1x4x6x6xf32>) -> tensor<1x4x2x2xf32> loc("pool1")
  %f = qnn.flatten %p {{axis = 1 : i64}} : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32> loc("flat")
  %y = qnn.gemm %f, %w2, %b2 {{transB = true}} : (tensor<1x16xf32>, tensor<3x16xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("fc")
  return %y : tensor<1x3xf32>
}}""")
    elif mode == "data":
        np.save(sys.argv[2],
                np.random.default_rng(11).standard_normal((40, 2, 6, 6))
                .astype(F))
    elif mode == "check":
        x = np.load(sys.argv[3])
        got = np.fromfile(sys.argv[2], dtype=np.int8).astype(np.int64)
        want, s_out = simulate(x)
        want = want.reshape(-1)
        diff = np.abs(got - want)
        print(f"output scale {s_out:.6g}, {len(x)} samples, "
              f"{np.count_nonzero(diff == 0)}/{diff.size} exact, "
              f"max difference {diff.max()} steps")
    elif mode == "scales":
        import re
        x = np.load(sys.argv[2])
        r, d, y = float_model(x)
        want = {"relu": float(sym16(r)), "clip": float(sym16(d)),
                "fc": float(sym16(y))}
        ir = sys.stdin.read()
        got = [float(v) for v in re.findall(
            r"quant\.qcast .* to tensor<[0-9x]+!quant\.uniform<"
            r"i16<-32767:32767>:f32, ([0-9.eE+-]+)>>", ir)]
        # relu1 (conv1's output point), clip1 (dw1's), pool1 and flat (the
        # same type as clip1), fc. Scales agree to 1e-6 relative: the ranges
        # come from the interpreter's float32 arithmetic.
        print(f"{len(got)} int16 qcasts, pool and flatten keep the clip's "
              f"scale: {got[2:4] == [got[1]] * 2}")
        for name, got_s in zip(want, [got[0], got[1], got[-1]]):
            ok = abs(got_s - want[name]) <= 1e-6 * want[name]
            print(f"{name} int16 scale {got_s:.8g}: {'OK' if ok else 'BAD'} "
                  f"(numpy {want[name]:.8g})")
        s8, z8 = asym8(y)
        m = re.findall(r"quant\.qcast .* to tensor<1x3x!quant\.uniform<"
                       r"i8:f32, ([0-9.eE+-]+):(-?[0-9]+)>>", ir)
        ok = (len(m) == 1 and abs(float(m[0][0]) - s8) <= 1e-6 * s8
              and int(m[0][1]) == z8)
        print(f"fc int8 output type {m}: {'OK' if ok else 'BAD'} "
              f"(numpy {s8:.8g}:{z8})")
    elif mode == "sqnr":
        x = np.load(sys.argv[4])
        _, _, y = float_model(x)
        s16 = sqnr(y, np.fromfile(sys.argv[2], dtype=F).reshape(y.shape))
        s8 = sqnr(y, np.fromfile(sys.argv[3], dtype=F).reshape(y.shape))
        print(f"output SQNR vs float: int16 {s16:.2f} dB, int8 {s8:.2f} dB")
        print("int16 better" if s16 > s8 else "int16 NOT better")


if __name__ == "__main__":
    main()
