#!/usr/bin/python3
# ===- make_golden.py - Golden vectors for QuantMathTest -------------------===#
#
# Part of the QuantOpt project, under the Apache License v2.0 with LLVM
# Exceptions.
#
# ===-----------------------------------------------------------------------===#
"""Writes QuantMathGolden.inc, the golden tables read by QuantMathTest.cpp.

The values are computed here, independently of lib/Support/QuantMath.cpp,
with exact rational (fractions.Fraction) and unbounded integer arithmetic
from the published formulas:

  * TFLite QuantizeMultiplier (tensorflow/lite/kernels/internal/
    quantization_util.cc): frexp, M = round(q * 2^31) half away from zero,
    M == 2^31 -> 2^30 and shift + 1, shift < -31 -> M = 0 and shift = 0.
  * Single rounding (TFLITE_SINGLE_ROUNDING, TOSA apply_scale):
    (acc * M + 2^(30 - shift)) >> (31 - shift).
  * Double rounding (TFLite reference MultiplyByQuantizedMultiplier):
    RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc * 2^left, M),
    right), with gemmlowp's definitions of both helpers (C++ integer division
    truncates toward zero; >> on negative values is a floor).
  * ONNX QuantizeLinear: float32 division, round half to even, + zero point,
    saturate.
  * Asymmetric activation / symmetric weight parameters as documented in
    include/quantopt/Support/QuantMath.h.

Every float32 and float64 operation of the C++ code is modelled by rounding
the exact rational result to the nearest representable value (ties to even),
so the tables do not depend on the host's floating point.

Usage (from the repository root):
  /usr/bin/python3 unittests/Support/golden/make_golden.py
writes unittests/Support/golden/QuantMathGolden.inc; `-o FILE` writes
elsewhere and `--check` exits non-zero if the committed file is stale.
"""

import argparse
import os
import random
import sys
from fractions import Fraction

SEED = 20240607
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
FLT_MIN = Fraction(1, 2**126)  # smallest normal float32
INF = float("inf")

# ===-----------------------------------------------------------------------===#
# Exact models of IEEE rounding and of the published formulas.
# ===-----------------------------------------------------------------------===#


def floor_log2(x):
    """Largest e with 2^e <= x, for a positive Fraction x."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    while Fraction(2) ** e > x:
        e -= 1
    while Fraction(2) ** (e + 1) <= x:
        e += 1
    return e


def round_binary(x, mantissa_bits, min_exp, max_exp):
    """Rounds a Fraction to the nearest binary float (ties to even).

    Returns a Fraction, or +-INF on overflow. `min_exp` is the exponent of the
    smallest normal number, `max_exp` that of the largest finite one.
    """
    if x == 0:
        return Fraction(0)
    sign = -1 if x < 0 else 1
    a = abs(x)
    e = max(floor_log2(a), min_exp)
    quantum = Fraction(2) ** (e - (mantissa_bits - 1))
    r = round(a / quantum) * quantum  # Fraction.__round__ is half to even
    if r >= Fraction(2) ** (max_exp + 1):
        return sign * INF
    return sign * r


def f32(x):
    """float32 rounding of an exact value (or a Python float)."""
    if x in (INF, -INF):
        return x
    return round_binary(Fraction(x), 24, -126, 127)


def f64(x):
    """float64 rounding of an exact value (or a Python float)."""
    if x in (INF, -INF):
        return x
    return round_binary(Fraction(x), 53, -1022, 1023)


def round_half_away(x):
    """std::round / TfLiteRound on an exact value."""
    n = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
    return n if x >= 0 else -n


def quantize_multiplier(real):
    """TFLite QuantizeMultiplier of an exact non-negative value."""
    real = Fraction(real)
    if real == 0:
        return 0, 0
    shift = floor_log2(real) + 1  # frexp: real = q * 2^shift, q in [1/2, 1)
    q = real / Fraction(2) ** shift
    assert Fraction(1, 2) <= q < 1
    m = round_half_away(q * 2**31)
    assert m <= 2**31
    if m == 2**31:
        m //= 2
        shift += 1
    if shift < -31:
        shift = 0
        m = 0
    return m, shift


def single_rounding(acc, m, shift):
    assert -31 <= shift <= 30
    return (acc * m + (1 << (30 - shift))) >> (31 - shift)


def trunc_div(n, d):
    """C++ integer division (truncates toward zero)."""
    q = abs(n) // abs(d)
    return q if (n >= 0) == (d > 0) else -q


def srdhm(a, b):
    """gemmlowp SaturatingRoundingDoublingHighMul on int32 values."""
    if a == b == INT32_MIN:
        return INT32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    return trunc_div(ab + nudge, 1 << 31)


def rdbpot(x, exponent):
    """gemmlowp RoundingDivideByPOT on an int32 value."""
    assert 0 <= exponent <= 31
    mask = (1 << exponent) - 1
    remainder = x & mask  # two's complement bit pattern of x
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> exponent) + (1 if remainder > threshold else 0)


def double_rounding(acc, m, shift):
    """TFLite reference MultiplyByQuantizedMultiplier; None where undefined."""
    left = shift if shift > 0 else 0
    right = 0 if shift > 0 else -shift
    shifted = acc * (1 << left)
    if not INT32_MIN <= shifted <= INT32_MAX:
        return None  # signed overflow in `x * (1 << left_shift)`
    return rdbpot(srdhm(shifted, m), right)


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def quantize_value(x, scale, zp, qmin, qmax):
    """ONNX QuantizeLinear of float32 x (exact Fractions or +-INF)."""
    if x in (INF, -INF):
        scaled = x
    else:
        scaled = f32(Fraction(x) / scale)
    if scaled == INF:
        return qmax
    if scaled == -INF:
        return qmin
    return clamp(round(scaled) + zp, qmin, qmax)


def choose_asymmetric(lo, hi, qmin, qmax):
    lo = min(lo, Fraction(0))
    hi = max(hi, Fraction(0))
    width = f32(hi - lo)
    default = (Fraction(1), clamp(0, qmin, qmax))
    if not width > 0 or width == INF:
        return default
    scale = f32(width / (qmax - qmin))
    if scale < FLT_MIN:
        return default
    zp = f64(qmin - f64(lo / scale))
    return scale, clamp(round(zp), qmin, qmax)


def choose_symmetric(abs_max, qmax):
    if not abs_max > 0:
        return Fraction(1)
    scale = f32(abs_max / qmax)
    return scale if scale >= FLT_MIN else Fraction(1)


def real_from_scales(s_in, s_w, s_out):
    """double(s_in) * double(s_w) / double(s_out), each op rounded."""
    return f64(f64(s_in * s_w) / s_out)


# ===-----------------------------------------------------------------------===#
# C++ literal printing.
# ===-----------------------------------------------------------------------===#


def c_i32(v):
    assert INT32_MIN <= v <= INT32_MAX
    return "INT32_MIN" if v == INT32_MIN else str(v)


def c_i64(v):
    assert -(2**63) < v < 2**63
    return str(v) + ("LL" if not INT32_MIN < v <= INT32_MAX else "")


def c_float(v, suffix):
    """An exact C++ hexadecimal floating literal (trailing zeros dropped)."""
    if v == INF:
        return "kGoldenInf"
    if v == -INF:
        return "-kGoldenInf"
    mantissa, exponent = float(v).hex().split("p")
    return mantissa.rstrip("0").rstrip(".") + "p" + exponent + suffix


def c_f32(v):
    return c_float(v, "f")


def c_f64(v):
    return c_float(v, "")


# ===-----------------------------------------------------------------------===#
# Case generation.
# ===-----------------------------------------------------------------------===#


def rand_f32(rng, lo_exp, hi_exp):
    """A random positive float32, log-uniform in [2^lo_exp, 2^hi_exp)."""
    return f32(Fraction(2.0 ** rng.uniform(lo_exp, hi_exp)))


def rand_acc(rng, max_bits=31):
    kind = rng.random()
    if kind < 0.25:
        v = rng.randint(-(2 ** (max_bits)), 2 ** (max_bits) - 1)
    elif kind < 0.75:
        v = rng.getrandbits(rng.randint(1, max_bits))
        v = -v if rng.random() < 0.5 else v
    else:
        v = rng.randint(-1000, 1000)
    return clamp(v, INT32_MIN, INT32_MAX)


def multiplier_cases(rng):
    two = Fraction(2)
    reals = [
        Fraction(0),
        Fraction(1, 2),
        Fraction(1),
        Fraction(3, 4),
        Fraction(0.1),
        Fraction(6.981382978723403e-4),  # ARCHITECTURE.md seed multiplier
        # frexp mantissa just below 1: M rounds up to 2^31, shift + 1.
        Fraction(1) - two**-53,
        (Fraction(1) - two**-40) * two**-10,
        (Fraction(1) - two**-33) * two**-5,
        # q * 2^31 ends in exactly .5: ties round away from zero.
        (two**30 + Fraction(1, 2)) / two**31,
        (two**31 - Fraction(3, 2)) / two**31,
        (two**30 + Fraction(1, 2)) / two**41,
        # Around the shift < -31 flush to zero.
        two**-32,
        two**-32 * (1 + two**-52),
        two**-32 * (1 - two**-53),  # rounds to 2^31 at shift -32 -> kept
        two**-32 * (1 - two**-31),  # M = 2^31 - 1 at shift -32 -> flushed
        two**-33,
        Fraction(3, 4) * two**-32,
        Fraction(2.2250738585072014e-308),  # DBL_MIN
        Fraction(5e-324),  # smallest subnormal double
        # Positive shifts (multipliers >= 1, e.g. Add's rescale).
        Fraction(1.5),
        Fraction(3.7),
        Fraction(1000.5),
        Fraction(123456.789),
        two**29,
        two**29 * Fraction(3, 2),
        (two**30 - 1) / 2,
    ]
    for e in range(-34, 30):
        reals.append(two**e)
        reals.append(f64(two**e * Fraction(rng.uniform(0.5, 1.0))))
    while len(reals) < 300:
        reals.append(f64(Fraction(2.0 ** rng.uniform(-40.0, 29.0))))
    return [(f64(r), *quantize_multiplier(f64(r))) for r in reals]


def scale_triple_cases(rng):
    triples = [
        (f32(0.0078125), f32(0.0021), f32(0.0235)),  # ARCHITECTURE.md seed
        (f32(1.0 / 255), f32(0.5 / 127), f32(6.0 / 255)),
        (f32(1.0), f32(1.0), f32(1.0)),
        (f32(2.0**-20), f32(2.0**-20), f32(1.0)),
    ]
    while len(triples) < 400:
        triples.append(
            (rand_f32(rng, -12, 0), rand_f32(rng, -16, -3), rand_f32(rng, -10, 2))
        )
    rows = []
    for s_in, s_w, s_out in triples:
        real = real_from_scales(s_in, s_w, s_out)
        rows.append((s_in, s_w, s_out, real, *quantize_multiplier(real)))
    return rows


def requant_cases(rng):
    cases = []
    # The seed vectors of ARCHITECTURE.md section 4.
    for acc in (-199817, 716, 0, 1, -1, 199817, -716):
        cases.append((acc, 1535222353, -10))
    # Edge grid.
    shifts = [-31, -30, -16, -10, -1, 0, 1, 2, 15, 29, 30]
    mults = [0, 2**30, 2**30 + 1, 1535222353, 2**31 - 2, 2**31 - 1]
    accs = [INT32_MIN, INT32_MIN + 1, -(2**20), -1, 0, 1, 2**20, INT32_MAX]
    for s in shifts:
        for m in mults:
            for a in accs:
                cases.append((a, m, s))
    # Exact single-rounding ties: with M = m' * 2^t (m' odd) and
    # n = 31 - shift - t >= 1, acc * M / 2^(31 - shift) ends in .5 exactly
    # iff acc is an odd multiple of 2^(n - 1).  Neighbours acc +- 1 too.
    for _ in range(150):
        s = rng.randint(-30, 10)
        t = rng.randint(max(0, -s), min(30, 30 - s))
        n = 31 - s - t
        odd = rng.randrange(2 ** (30 - t), 2 ** (31 - t)) | 1
        if odd >= 2 ** (31 - t):
            odd -= 2
        m = odd << t
        assert 2**30 <= m < 2**31
        limit = max(1, (2**31 >> (n - 1)) // 2 - 1)
        k = rng.randint(-limit, limit - 1)
        acc = (2 * k + 1) << (n - 1)
        acc = clamp(acc, INT32_MIN, INT32_MAX)
        for a in (acc, acc - 1, acc + 1):
            if INT32_MIN <= a <= INT32_MAX:
                cases.append((a, m, s))
    # Random cases.
    while len(cases) < 2400:
        r = rng.random()
        if r < 0.60:
            s = rng.randint(-15, -1)
        elif r < 0.75:
            s = rng.randint(-31, -16)
        elif r < 0.85:
            s = 0
        else:
            s = rng.randint(1, 30)
        m = rng.randrange(2**30, 2**31)
        # For left shifts keep most accumulators in the defined range.
        bits = 31 - s if s > 0 and rng.random() < 0.8 else 31
        cases.append((rand_acc(rng, bits), m, s))
    rows = []
    for acc, m, s in cases:
        single = single_rounding(acc, m, s)
        # Single rounding is exact round-half-up of acc * M * 2^(shift - 31).
        exact = Fraction(acc * m, 2 ** (31 - s))
        assert single == (exact + Fraction(1, 2)).__floor__()
        rows.append((acc, m, s, single, double_rounding(acc, m, s)))
    return rows


def highmul_cases(rng):
    edges = [INT32_MIN, INT32_MIN + 1, -(2**30), -3, -1, 0, 1, 3, 2**30,
             INT32_MAX - 1, INT32_MAX]
    pairs = [(a, b) for a in edges for b in edges]
    # a * b / 2^31 exactly +-k.5: ties round toward +infinity (the negative
    # nudge is 1 - 2^30 and the division truncates).
    for k in range(-4, 4):
        pairs.append((2 * k + 1, 2**30))
        pairs.append((2**30, 2 * k + 1))
    while len(pairs) < 300:
        pairs.append((rand_acc(rng), rand_acc(rng)))
    return [(a, b, srdhm(a, b)) for a, b in pairs]


def divpot_cases(rng):
    exps = [0, 1, 2, 5, 10, 30, 31]
    xs = [INT32_MIN, INT32_MIN + 1, -(2**30), -3, -2, -1, 0, 1, 2, 3, 2**30,
          INT32_MAX]
    pairs = [(x, e) for x in xs for e in exps]
    # Exact ties +-(odd * 2^(e-1)) round away from zero; and neighbours.
    for e in range(1, 32):
        for odd in (1, 3, 5):
            v = odd << (e - 1)
            for x in (v, -v, v - 1, -v + 1, v + 1, -v - 1):
                if INT32_MIN <= x <= INT32_MAX:
                    pairs.append((x, e))
    while len(pairs) < 800:
        pairs.append((rand_acc(rng), rng.randint(0, 31)))
    return [(x, e, rdbpot(x, e)) for x, e in pairs]


INT8 = (-128, 127)
UINT8 = (0, 255)
WEIGHT = (-127, 127)


def quantize_cases(rng):
    one = f32(1.0)
    cases = []
    # Ties to even, both signs, and the ARCHITECTURE.md probes.
    for x in (-2.5, 2.5, 3.5, -3.5, 0.5, -0.5, 1.5, -1.5, 126.5, -127.5,
              0.49999997, -0.49999997, 0.0, -0.0):
        cases.append((f32(x), one, 0, *INT8))
    # Saturation and infinities, per range.
    for qmin, qmax in (INT8, UINT8, WEIGHT):
        for x in (127.5, 128.0, -128.5, -129.0, 255.5, 256.0, 1e9, -1e9,
                  3.4028234663852886e38, INF, -INF):
            cases.append((f32(x) if x not in (INF, -INF) else x, one, 0,
                          qmin, qmax))
    # Non-trivial scales and zero points (uint8 images, ReLU6 outputs).
    for scale, zp, (qmin, qmax) in (
        (1.0 / 255, 0, UINT8),
        (1.0 / 255, -128, INT8),
        (6.0 / 255, -128, INT8),
        (0.0235, 3, INT8),
        (0.0021, 0, WEIGHT),
        (2.0**-7, 128, UINT8),
    ):
        s = f32(scale)
        for k in range(-6, 7):
            # Exactly representable multiples and half-multiples of s, plus
            # the float32 values next to them.
            for half in (Fraction(0), Fraction(1, 2)):
                cases.append((f32((k + half) * s), s, zp, qmin, qmax))
        cases.append((f32(1e-45), s, zp, qmin, qmax))
        cases.append((f32(-1e30), s, zp, qmin, qmax))
        cases.append((f32(1e30), s, zp, qmin, qmax))
    # x / scale overflows float32 to infinity.
    cases.append((f32(3e38), f32(1e-3), 0, *INT8))
    cases.append((f32(-3e38), f32(1e-3), 0, *UINT8))
    while len(cases) < 700:
        qmin, qmax = rng.choice((INT8, UINT8, WEIGHT))
        s = rand_f32(rng, -12, 1)
        zp = 0 if qmin == -127 else rng.randint(qmin, qmax)
        k = Fraction(rng.uniform(-300.0, 300.0))
        if rng.random() < 0.3:
            k = Fraction(round(k * 2), 2)  # exact .5 before float rounding
        cases.append((f32(k * s), s, zp, qmin, qmax))
    rows = []
    for x, s, zp, qmin, qmax in cases:
        rows.append((x, s, zp, qmin, qmax, quantize_value(x, s, zp, qmin, qmax)))
    return rows


def asym_cases(rng):
    ranges = [
        (0.0, 6.0), (-1.0, 1.0), (-3.2, 0.7), (2.0, 5.0), (-5.0, -2.0),
        (0.0, 0.0), (5.0, 5.0), (-4.0, -4.0), (0.0, 1.0), (-1.0, 0.0),
        (-0.5, 127.5), (-128.0, 127.0), (0.0, 255.0), (-1e-3, 1e-3),
        (0.0, 1e-44), (-1e-44, 0.0), (-1e-30, 1e-30), (-3e38, 3e38),
        (-1.0, 3e-8),
    ]
    cases = []
    for lo, hi in ranges:
        for qmin, qmax in (INT8, UINT8):
            cases.append((f32(lo), f32(hi), qmin, qmax))
    while len(cases) < 250:
        qmin, qmax = rng.choice((INT8, UINT8))
        r = rng.random()
        hi = Fraction(2.0 ** rng.uniform(-10, 8))
        lo = -Fraction(2.0 ** rng.uniform(-10, 8))
        if r < 0.2:
            lo = Fraction(0)
        elif r < 0.3:
            hi = -hi * Fraction(rng.random())
        cases.append((f32(lo), f32(hi), qmin, qmax))
    rows = []
    for lo, hi, qmin, qmax in cases:
        rows.append((lo, hi, qmin, qmax, *choose_asymmetric(lo, hi, qmin, qmax)))
    return rows


def sym_cases(rng):
    vals = [f32(v) for v in (0.0, 1.0, 127.0, 0.26670000000000005, 1e-3,
                             1e-37, 1e-40, 3.4028234663852886e38)]
    while len(vals) < 60:
        vals.append(rand_f32(rng, -20, 4))
    rows = []
    for v in vals:
        for qmax in (127, 255):
            rows.append((v, qmax, choose_symmetric(v, qmax)))
    return rows


def seed_disagreements():
    return sum(
        1
        for acc in range(-200000, 200001)
        if single_rounding(acc, 1535222353, -10)
        != double_rounding(acc, 1535222353, -10)
    )


# ===-----------------------------------------------------------------------===#
# Output.
# ===-----------------------------------------------------------------------===#


def emit(out):
    rng = random.Random(SEED)
    w = out.append
    w("//===- QuantMathGolden.inc - Golden vectors for QuantMathTest -*- C++ -*-===//")
    w("//")
    w("// Part of the QuantOpt project, under the Apache License v2.0 with LLVM")
    w("// Exceptions.")
    w("//")
    w("//===----------------------------------------------------------------------===//")
    w("//")
    w("// Test data generated by unittests/Support/golden/make_golden.py (seed")
    w("// %d) from the published TFLite/gemmlowp/ONNX formulas in exact" % SEED)
    w("// rational arithmetic, independently of lib/Support/QuantMath.cpp.")
    w("// Regenerate from the repository root with")
    w("//   /usr/bin/python3 unittests/Support/golden/make_golden.py")
    w("// and check that the committed copy is current with `--check`.")
    w("//")
    w("//===----------------------------------------------------------------------===//")
    w("")
    w("constexpr float kGoldenInf = std::numeric_limits<float>::infinity();")
    w("")
    w("/// Disagreements of single and double rounding over accumulators")
    w("/// -200000..200000 at M = 1535222353, shift = -10.")
    w("constexpr int kGoldenSeedDisagreements = %d;" % seed_disagreements())
    w("")

    w("/// quantizeMultiplier(real) -> {multiplier, shift}.")
    w("struct GoldenMultiplier {")
    w("  double real;")
    w("  int32_t multiplier;")
    w("  int32_t shift;")
    w("};")
    w("static const GoldenMultiplier kGoldenMultipliers[] = {")
    for real, m, s in multiplier_cases(rng):
        w("    {%s, %s, %d}," % (c_f64(real), c_i32(m), s))
    w("};")
    w("")

    w("/// float32 scales -> real = double(sIn) * double(sW) / double(sOut)")
    w("/// -> quantizeMultiplier(real).")
    w("struct GoldenScaleTriple {")
    w("  float inputScale, weightScale, outputScale;")
    w("  double real;")
    w("  int32_t multiplier;")
    w("  int32_t shift;")
    w("};")
    w("static const GoldenScaleTriple kGoldenScaleTriples[] = {")
    for s_in, s_w, s_out, real, m, s in scale_triple_cases(rng):
        w("    {%s, %s, %s, %s, %s, %d}," % (c_f32(s_in), c_f32(s_w), c_f32(s_out),
                                          c_f64(real), c_i32(m), s))
    w("};")
    w("")

    w("/// (acc, M, shift) -> single and double rounding. `doubleDefined` is")
    w("/// false where TFLite's `acc * (1 << shift)` would overflow int32.")
    w("struct GoldenRequant {")
    w("  int32_t acc;")
    w("  int32_t multiplier;")
    w("  int32_t shift;")
    w("  int64_t single;")
    w("  int32_t dbl;")
    w("  bool doubleDefined;")
    w("};")
    w("static const GoldenRequant kGoldenRequants[] = {")
    for acc, m, s, single, dbl in requant_cases(rng):
        w("    {%s, %s, %d, %s, %s, %s}," % (
            c_i32(acc), c_i32(m), s, c_i64(single),
            c_i32(dbl if dbl is not None else 0),
            "true" if dbl is not None else "false"))
    w("};")
    w("")

    w("/// saturatingRoundingDoublingHighMul(a, b).")
    w("struct GoldenHighMul {")
    w("  int32_t a, b, result;")
    w("};")
    w("static const GoldenHighMul kGoldenHighMuls[] = {")
    for a, b, r in highmul_cases(rng):
        w("    {%s, %s, %s}," % (c_i32(a), c_i32(b), c_i32(r)))
    w("};")
    w("")

    w("/// roundingDivideByPOT(x, exponent).")
    w("struct GoldenDivPOT {")
    w("  int32_t x, exponent, result;")
    w("};")
    w("static const GoldenDivPOT kGoldenDivPOTs[] = {")
    for x, e, r in divpot_cases(rng):
        w("    {%s, %d, %s}," % (c_i32(x), e, c_i32(r)))
    w("};")
    w("")

    w("/// quantizeValue(x, scale, zeroPoint, qmin, qmax).")
    w("struct GoldenQuantize {")
    w("  float x, scale;")
    w("  int32_t zeroPoint, qmin, qmax, result;")
    w("};")
    w("static const GoldenQuantize kGoldenQuantizes[] = {")
    for x, s, zp, qmin, qmax, r in quantize_cases(rng):
        w("    {%s, %s, %d, %d, %d, %d}," % (c_f32(x), c_f32(s), zp, qmin, qmax, r))
    w("};")
    w("")

    w("/// chooseAsymmetricParams(min, max, qmin, qmax) -> {scale, zeroPoint}.")
    w("struct GoldenAsymmetric {")
    w("  float min, max;")
    w("  int32_t qmin, qmax;")
    w("  float scale;")
    w("  int32_t zeroPoint;")
    w("};")
    w("static const GoldenAsymmetric kGoldenAsymmetrics[] = {")
    for lo, hi, qmin, qmax, scale, zp in asym_cases(rng):
        w("    {%s, %s, %d, %d, %s, %d}," % (c_f32(lo), c_f32(hi), qmin, qmax,
                                          c_f32(scale), zp))
    w("};")
    w("")

    w("/// chooseSymmetricScale(absMax, qmax).")
    w("struct GoldenSymmetric {")
    w("  float absMax;")
    w("  int32_t qmax;")
    w("  float scale;")
    w("};")
    w("static const GoldenSymmetric kGoldenSymmetrics[] = {")
    for v, qmax, scale in sym_cases(rng):
        w("    {%s, %d, %s}," % (c_f32(v), qmax, c_f32(scale)))
    w("};")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output",
                        default=os.path.join(here, "QuantMathGolden.inc"))
    parser.add_argument("--check", action="store_true",
                        help="fail if the output file differs")
    args = parser.parse_args()
    lines = []
    emit(lines)
    text = "\n".join(lines) + "\n"
    if args.check:
        with open(args.output) as f:
            if f.read() != text:
                sys.exit("%s is stale; rerun %s" % (args.output, sys.argv[0]))
        return
    with open(args.output, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
