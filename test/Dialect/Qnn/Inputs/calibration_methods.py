"""Independent numpy model of the histogram range choosers of qnn-calibrate.

Usage:
  calibration_methods.py data OUT_DIR
      writes OUT_DIR/data.npy: 64 samples of 1x1x16x16, Laplace-distributed
      (signed, heavy tails) with two outliers.
  calibration_methods.py check OUT.mlir DATA.npy METHOD SCHEME
      recomputes the scale and zero point of the input (signed) and of its
      ReLU (non-negative) for METHOD (minmax, entropy, mse) and SCHEME
      (asymmetric, symmetric) from the algorithm in docs/Pipeline.md, reads
      the two quant.qcast types from OUT.mlir and compares them.

The code follows the documentation, not the C++ code: float32 where the
documentation says float32, double elsewhere.
"""

import re
import sys

import numpy as np

BINS = 2048
F = np.float32


def histogram(values, vmin, vmax):
    """2048 bins with 0 on an edge: [0, max], [min, 0] or [-a, a]."""
    if vmin >= 0:
        lo, hi = F(0), F(vmax)
    elif vmax <= 0:
        lo, hi = F(vmin), F(0)
    else:
        a = max(-vmin, vmax)
        lo, hi = F(-a), F(a)
    width = F((hi - lo) / F(BINS))
    idx = np.floor((values.astype(F) - lo) / width).astype(np.int64)
    counts = np.bincount(np.clip(idx, 0, BINS - 1), minlength=BINS)
    return lo, hi, width, counts.astype(np.float64)


def asym_params(lo, hi):
    lo, hi = min(F(lo), F(0)), max(F(hi), F(0))
    scale = F(F(hi - lo) / F(255))
    zp = int(np.clip(np.round(-128.0 - float(lo) / float(scale)), -128, 127))
    return float(scale), zp


def sym_params(lo, hi):
    return float(F(max(abs(F(lo)), abs(F(hi))) / F(127))), 0


def params(lo, hi, symmetric):
    return sym_params(lo, hi) if symmetric else asym_params(lo, hi)


def entropy_range(values, symmetric):
    vmin, vmax = F(values.min()), F(values.max())
    lo, hi, width, counts = histogram(values, vmin, vmax)
    signed = lo < 0 < hi
    if lo == 0:
        folded = counts
    elif hi == 0:
        folded = counts[::-1]
    else:
        folded = counts[BINS // 2:] + counts[:BINS // 2][::-1]
    levels = 128 if (signed or symmetric) else 256
    bins = folded.copy()
    bins[0] = bins[1]
    best, best_i = np.inf, len(bins)
    for i in range(128, len(bins) + 1):
        p = bins[:i].copy()
        p[-1] += bins[i:].sum()
        group = (np.arange(i) * levels) // i
        nz = bins[:i] > 0
        sums = np.bincount(group[nz], weights=bins[:i][nz], minlength=levels)
        cnt = np.bincount(group[nz], minlength=levels)
        q = np.zeros(i)
        q[nz] = sums[group[nz]] / cnt[group[nz]]
        if bins[:i].sum() == 0:
            continue
        mask = p > 0
        if np.any(q[mask] == 0):
            kl = np.inf
        else:
            pn = p / p.sum()
            qn = q / bins[:i].sum()
            kl = float(np.sum(pn[mask] * np.log(pn[mask] / qn[mask])))
        if kl <= best:
            best, best_i = kl, i
    t = F(F(best_i) * width)
    return max(vmin, -t), min(vmax, t)


def mse_range(values, symmetric):
    vmin, vmax = F(values.min()), F(values.max())
    lo, hi, width, counts = histogram(values, vmin, vmax)
    edges = float(lo) + np.arange(BINS + 1) * float(width)
    rlo, rhi = min(vmin, F(0)), max(vmax, F(0))
    best, best_range = np.inf, (vmin, vmax)
    for i in range(1, BINS + 1):
        k = F(F(i) / F(BINS))
        cmin, cmax = F(rlo * k), F(rhi * k)
        s, zp = params(cmin, cmax, symmetric)
        # Breakpoints: bin edges and the quantizer's decision levels.
        decisions = (np.arange(-128, 127) - zp + 0.5) * s
        pts = np.union1d(edges, decisions[(decisions > edges[0]) &
                                          (decisions < edges[-1])])
        a, b = pts[:-1], pts[1:]
        mid = (a + b) / 2
        binidx = np.clip(np.searchsorted(edges, mid, side="right") - 1, 0,
                         BINS - 1)
        qv = (np.clip(np.floor(mid / s + 0.5) + zp, -128, 127) - zp) * s
        density = counts[binidx] / float(width)
        err = float(np.sum(density * ((b - qv) ** 3 - (a - qv) ** 3) / 3))
        if err <= best:
            best, best_range = err, (max(vmin, cmin), min(vmax, cmax))
    return best_range


def choose(values, method, symmetric):
    if method == "minmax":
        r = (F(values.min()), F(values.max()))
    elif method == "entropy":
        r = entropy_range(values, symmetric)
    else:
        r = mse_range(values, symmetric)
    return params(r[0], r[1], symmetric)


def main():
    if sys.argv[1] == "data":
        rng = np.random.default_rng(7)
        x = rng.laplace(0.2, 1.0, size=(64, 1, 16, 16)).astype(F)
        x[3, 0, 4, 5] = 14.0
        x[9, 0, 1, 2] = -11.0
        np.save(sys.argv[2] + "/data.npy", x)
        return
    _, _, mlir, data, method, scheme = sys.argv
    x = np.load(data).astype(F).ravel()
    symmetric = scheme == "symmetric"
    want = [choose(x, method, symmetric),
            choose(np.maximum(x, F(0)), method, symmetric)]
    text = open(mlir).read()
    got = re.findall(r"quant\.qcast .*? to tensor<1x1x16x16x!quant\.uniform"
                     r"<i8:f32, ([-0-9.e+]+)(?::(-?\d+))?>>", text)
    assert len(got) == 2, got
    for what, (ws, wz), (gs, gz) in zip(["input", "relu"], want, got):
        gs, gz = float(gs), int(gz or 0)
        ok = abs(gs - ws) <= 1e-6 * ws and gz == wz
        print(f"{method} {scheme} {what}: scale {gs:.6g} zp {gz} "
              f"(numpy {ws:.6g} {wz}) {'OK' if ok else 'MISMATCH'}")
        if not ok:
            sys.exit(1)


if __name__ == "__main__":
    main()
