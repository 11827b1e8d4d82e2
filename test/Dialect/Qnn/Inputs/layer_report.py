"""Independent numpy model of the layer report and of mixed precision for
the two-Gemm graph of calibrate-report.mlir (weights repeated below).

Usage:
  layer_report.py data OUT_DIR          writes OUT_DIR/x.npy (50 samples)
  layer_report.py report R.json X.npy   checks every number of the report
  layer_report.py mixed R.json X.npy TARGET MAXFLOAT
                                        checks the layers kept in float
  layer_report.py close OUT_DIR         writes OUT_DIR/close.npy: 50 samples
                                        near the decision boundary
  layer_report.py labels OUT_DIR X.npy  writes OUT_DIR/labels.npy: the float
                                        graph's top-1, every 4th flipped
  layer_report.py accuracy R.json X.npy BUDGET MAXFLOAT [LABELS.npy]
                                        checks the layers kept in float by
                                        the top-1 accuracy budget
  layer_report.py bundle OUT.f32 X.npy SCHEME
                                        compares the float outputs of the
                                        compiled C bundle with the simulation

Parameters follow docs/IntegerSemantics.md (activations: min/max widened
to 0, scale = float32(max - min) / 255, zp = round_half_even(-128 -
min / scale); weights: per output channel, scale = float32(max|w|) / 127,
q = round_half_even(w / scale) in [-127, 127]); the simulation is ONNX
QuantizeLinear / DequantizeLinear (round half to even, saturate). SQNR =
10 log10(sum f^2 / sum (f - q)^2) and cosine = <f, q> / (|f| |q|) over all
samples and elements. Top-1 is numpy.argmax (the first of equal scores).
Mixed precision ranks the layers by their own SQNR, keeps them in float one
at a time until the budget is met, and if it never is, keeps the best prefix
(the shortest among equals).
"""

import json
import math
import sys

import numpy as np

F = np.float32
W1 = np.array([[0.5, -0.3, 0.8, 0.1], [-0.7, 0.2, 0.05, 0.4],
               [0.3, 0.9, -0.6, -0.2]], F)
B1 = np.array([0.1, -0.2, 0.05], F)
W2 = np.array([[1.0, 0.013, -0.6], [0.004, -0.8, 0.35]], F)
B2 = np.array([0.2, -0.1], F)


def act_params(v, symmetric=False):
    if symmetric:
        return F(max(abs(F(v.min())), abs(F(v.max()))) / F(127)), 0
    lo, hi = min(F(v.min()), F(0)), max(F(v.max()), F(0))
    s = F(F(hi - lo) / F(255))
    zp = int(np.clip(np.round(-128.0 - float(lo) / float(s)), -128, 127))
    return s, zp


def fq(v, p):
    s, zp = p
    q = np.clip(np.round((v.astype(F) / s).astype(F)) + zp, -128, 127)
    return (s * (q - zp).astype(F)).astype(F)


def weight_q(w):
    s = (np.abs(w).max(axis=1) / F(127)).astype(F)
    q = np.clip(np.round((w / s[:, None]).astype(F)), -127, 127)
    return s, (s[:, None] * q).astype(F)


def gemm(x, w, b):
    return (x.astype(np.float64) @ w.T.astype(np.float64)).astype(F) + b


class Model:
    def __init__(self, x, symmetric=False):
        self.x = x
        self.h = np.maximum(gemm(x, W1, B1), F(0))
        self.y = gemm(self.h, W2, B2)
        self.px, self.ph, self.py = (act_params(x, symmetric),
                                     act_params(self.h, symmetric),
                                     act_params(self.y, symmetric))
        self.s1, self.w1q = weight_q(W1)
        self.s2, self.w2q = weight_q(W2)

    def simulate(self, float1=False, float2=False):
        w1 = W1 if float1 else self.w1q
        w2 = W2 if float2 else self.w2q
        h = fq(np.maximum(gemm(fq(self.x, self.px), w1, B1), F(0)), self.ph)
        y = fq(gemm(h, w2, B2), self.py)
        return h, y

    def own(self):
        h = fq(np.maximum(gemm(fq(self.x, self.px), self.w1q, B1), F(0)),
               self.ph)
        y = fq(gemm(fq(self.h, self.ph), self.w2q, B2), self.py)
        return h, y


def sqnr(f, q):
    f, q = f.astype(np.float64), q.astype(np.float64)
    noise = np.sum((f - q) ** 2)
    return math.inf if noise == 0 else 10 * math.log10(np.sum(f * f) / noise)


def cosine(f, q):
    f, q = f.astype(np.float64).ravel(), q.astype(np.float64).ravel()
    return float(f @ q / (np.linalg.norm(f) * np.linalg.norm(q)))


def close(a, b, tol):
    return abs(a - b) <= tol * max(1.0, abs(b))


def expect(what, got, want, tol=1e-5):
    ok = close(got, want, tol)
    print(f"{what}: {got:.6g} (numpy {want:.6g}) {'OK' if ok else 'MISMATCH'}")
    if not ok:
        sys.exit(1)


def main():
    if sys.argv[1] == "data":
        rng = np.random.default_rng(3)
        np.save(sys.argv[2] + "/x.npy", rng.normal(0, 1, (50, 4)).astype(F))
        return
    if sys.argv[1] == "close":
        # 50 of 400 samples with the smallest float margin between the two
        # scores: int8 noise flips some of their top-1 decisions.
        rng = np.random.default_rng(5)
        x = rng.normal(0, 1, (400, 4)).astype(F)
        y = Model(x).y
        keep = np.argsort(np.abs(y[:, 0] - y[:, 1]), kind="stable")[:50]
        np.save(sys.argv[2] + "/close.npy", x[np.sort(keep)])
        return
    if sys.argv[1] == "labels":
        m = Model(np.load(sys.argv[3]).astype(F))
        labels = np.argmax(m.y, axis=1)
        labels[::4] = 1 - labels[::4]
        np.save(sys.argv[2] + "/labels.npy", labels.astype(np.int64))
        return
    if sys.argv[1] == "bundle":
        # The integer program requantizes with fixed-point multipliers, the
        # simulation in float: outputs may differ by one output step.
        m = Model(np.load(sys.argv[3]).astype(F), sys.argv[4] == "symmetric")
        want = m.simulate()[1].reshape(-1, 2)
        got = np.fromfile(sys.argv[2], dtype="<f4").reshape(-1, 2)
        steps = np.abs(got - want) / float(m.py[0])
        print(f"output zero point {m.py[1]}, {len(got)} samples, "
              f"max difference {steps.max():.3f} steps, "
              f"{np.mean(steps < 0.01):.0%} equal")
        assert got.shape == want.shape and steps.max() < 1.01, steps.max()
        return
    report = json.load(open(sys.argv[2]))
    m = Model(np.load(sys.argv[3]).astype(F))
    if sys.argv[1] == "report":
        assert report["samples"] == 50, report["samples"]
        fc1, fc2 = report["layers"]
        h, y = m.simulate()
        oh, oy = m.own()
        for row, name, pin, pout, scales, wbytes, bbytes, f, q, o in [
                (fc1, "fc1", m.px, m.ph, m.s1, 12, 12, m.h, h, oh),
                (fc2, "fc2", m.ph, m.py, m.s2, 6, 8, m.y, y, oy)]:
            assert row["name"] == name and row["op"] == "Gemm", row
            expect(f"{name} input scale", row["inputs"][0]["scale"], float(pin[0]))
            assert row["inputs"][0]["zero_point"] == pin[1], row
            expect(f"{name} output scale", row["output"]["scale"], float(pout[0]))
            assert row["output"]["zero_point"] == pout[1], row
            expect(f"{name} weight scale min", row["weight"]["scale_min"],
                   float(scales.min()))
            expect(f"{name} weight scale max", row["weight"]["scale_max"],
                   float(scales.max()))
            assert row["weight"]["bytes"] == wbytes, row
            assert row["bias_bytes"] == bbytes, row
            expect(f"{name} sqnr", row["sqnr_db"], sqnr(f, q), 1e-4)
            expect(f"{name} cosine", row["cosine"], cosine(f, q), 1e-6)
            expect(f"{name} own sqnr", row["own_sqnr_db"], sqnr(f, o), 1e-4)
        assert fc1["activation"] == "Relu", fc1
        expect("final sqnr", report["final_output"]["sqnr_db"], sqnr(m.y, y), 1e-4)
        return
    # mixed / accuracy: rank by own SQNR, keep float one at a time until
    # the budget holds; if it never does, the best prefix.
    budget, cap = float(sys.argv[4]), int(sys.argv[5])
    oh, oy = m.own()
    own = {"fc1": sqnr(m.h, oh), "fc2": sqnr(m.y, oy)}
    order = sorted(own, key=lambda k: own[k])
    by_accuracy = sys.argv[1] == "accuracy"
    labels = np.load(sys.argv[6]) if len(sys.argv) > 6 else None
    truth = labels if labels is not None else np.argmax(m.y, axis=1)
    float_acc = 100.0 * np.mean(np.argmax(m.y, axis=1) == truth)

    def measure(kept):
        y = m.simulate("fc1" in kept, "fc2" in kept)[1]
        if by_accuracy:
            return 100.0 * np.mean(np.argmax(y, axis=1) == truth)
        return sqnr(m.y, y)

    def met(value):
        return float_acc - value <= budget + 1e-9 if by_accuracy \
            else value >= budget

    kept = []
    steps = [measure(kept)]
    print(f"all int8: {steps[0]:.4f}; own: fc1 {own['fc1']:.4f}, "
          f"fc2 {own['fc2']:.4f}")
    for name in order:
        if met(steps[-1]) or len(kept) >= cap:
            break
        kept.append(name)
        steps.append(measure(kept))
        print(f"float {kept}: {steps[-1]:.4f}")
    if not met(steps[-1]):
        best = max(range(len(steps)), key=lambda n: (steps[n], -n))
        kept = kept[:best]
    mp = report["mixed_precision"]
    print(f"kept {kept}, report {mp['float_layers']}")
    assert mp["float_layers"] == kept, (mp, kept)
    assert sorted(r["name"] for r in report["layers"] if r["keep_float"]) == \
        sorted(kept)
    expect("reached sqnr", report["final_output"]["sqnr_db"],
           sqnr(m.y, m.simulate("fc1" in kept, "fc2" in kept)[1]), 1e-4)
    if by_accuracy:
        assert mp["metric"] == ("top1_accuracy" if labels is not None
                                else "top1_agreement_with_float"), mp
        expect("float accuracy", mp["float_percent"], float_acc, 1e-9)
        expect("all int8 accuracy", mp["all_int8_percent"], steps[0], 1e-9)
        expect("reached accuracy", mp["reached_percent"], measure(kept), 1e-9)


if __name__ == "__main__":
    main()
