//===- QuantMathTest.cpp - Tests for scales and fixed-point requantize ----===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Checks lib/Support/QuantMath.cpp against the seed vectors of
// docs/IntegerSemantics.md and against golden tables that
// golden/make_golden.py computes independently, in exact rational arithmetic,
// from the published TFLite/gemmlowp/ONNX formulas.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Support/QuantMath.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <utility>

using namespace mlir::quantopt;

namespace {
#include "golden/QuantMathGolden.inc"
} // namespace

static constexpr int32_t kInt32Min = std::numeric_limits<int32_t>::min();
static constexpr int32_t kInt32Max = std::numeric_limits<int32_t>::max();

/// Number of accumulators in [lo, hi] on which the two rounding modes differ.
static int countDisagreements(int32_t multiplier, int32_t shift, int32_t lo,
                              int32_t hi) {
  int count = 0;
  for (int32_t acc = lo; acc <= hi; ++acc)
    if (multiplyByQuantizedMultiplierSingle(acc, multiplier, shift) !=
        multiplyByQuantizedMultiplierDouble(acc, multiplier, shift))
      ++count;
  return count;
}

//===----------------------------------------------------------------------===//
// Seed vectors (ARCHITECTURE.md section 4, docs/IntegerSemantics.md).
//===----------------------------------------------------------------------===//

/// The spec's real multiplier 6.981382978723403e-4 is the double-precision
/// quotient of the *decimal* scales (0.0078125 * 0.0021 / 0.0235 in double);
/// it quantizes to M = 1535222353, shift = -10.
TEST(QuantMathSeed, MultiplierFromDecimalScales) {
  double real = 0.0078125 * 0.0021 / 0.0235;
  EXPECT_EQ(real, 6.981382978723403e-4);
  FixedPointMultiplier fp = quantizeMultiplier(real);
  EXPECT_EQ(fp.multiplier, 1535222353);
  EXPECT_EQ(fp.shift, -10);
}

/// The same scales as float32 (how an ONNX model stores them), widened to
/// double as the spec prescribes, give a different multiplier: 0.0021f and
/// 0.0235f are not the decimals. M = 1535222350 and the modes then disagree
/// on 200 (not 186) accumulators of -200000..200000; the two named seed
/// accumulators round the same way under both multipliers.
TEST(QuantMathSeed, MultiplierFromFloat32Scales) {
  float sIn = 0.0078125f, sW = 0.0021f, sOut = 0.0235f;
  double real = double(sIn) * double(sW) / double(sOut);
  EXPECT_EQ(real, 6.981382968842067e-4);
  FixedPointMultiplier fp = quantizeMultiplier(real);
  EXPECT_EQ(fp.multiplier, 1535222350);
  EXPECT_EQ(fp.shift, -10);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(-199817, fp.multiplier, -10),
            -140);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-199817, fp.multiplier, -10),
            -139);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(716, fp.multiplier, -10), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(716, fp.multiplier, -10), 0);
  EXPECT_EQ(countDisagreements(fp.multiplier, fp.shift, -200000, 200000), 200);
  // The golden table reproduces this from float32 scales too.
  EXPECT_EQ(kGoldenScaleTriples[0].inputScale, sIn);
  EXPECT_EQ(kGoldenScaleTriples[0].weightScale, sW);
  EXPECT_EQ(kGoldenScaleTriples[0].outputScale, sOut);
  EXPECT_EQ(kGoldenScaleTriples[0].multiplier, 1535222350);
}

/// -199817 * M * 2^-41 = -139.4999003. Double rounding first rounds the high
/// product -142847.898 to -142848 = -139.5 * 2^10, then that tie away from
/// zero to -140; single rounding rounds the exact value once, to -139.
/// 716 * M * 2^-41 = 0.49987: the high product 511.86 becomes 512 = 0.5 *
/// 2^10, so double gives 1 and single 0.
TEST(QuantMathSeed, SeedAccumulators) {
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(-199817, 1535222353, -10),
            -140);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-199817, 1535222353, -10),
            -139);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(716, 1535222353, -10), 1);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(716, 1535222353, -10), 0);
}

/// Both the spec and the independent Python count: 186 disagreements.
TEST(QuantMathSeed, DisagreementCount) {
  EXPECT_EQ(kGoldenSeedDisagreements, 186);
  EXPECT_EQ(countDisagreements(1535222353, -10, -200000, 200000), 186);
}

/// ONNX QuantizeLinear rounds half to even.
TEST(QuantMathSeed, FloatToIntProbes) {
  EXPECT_EQ(quantizeValue(-2.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quantizeValue(2.5f, 1.0f, 0, -128, 127), 2);
  EXPECT_EQ(quantizeValue(3.5f, 1.0f, 0, -128, 127), 4);
  EXPECT_EQ(roundHalfToEven(-2.5), -2.0);
  EXPECT_EQ(roundHalfToEven(2.5), 2.0);
  EXPECT_EQ(roundHalfToEven(3.5), 4.0);
}

//===----------------------------------------------------------------------===//
// Golden tables from golden/make_golden.py.
//===----------------------------------------------------------------------===//

TEST(QuantMathGolden, QuantizeMultiplier) {
  ASSERT_GE(std::size(kGoldenMultipliers), 300u);
  for (const GoldenMultiplier &g : kGoldenMultipliers) {
    FixedPointMultiplier fp = quantizeMultiplier(g.real);
    EXPECT_EQ(fp.multiplier, g.multiplier) << "real " << g.real;
    EXPECT_EQ(fp.shift, g.shift) << "real " << g.real;
  }
}

/// The real multiplier in double from float32 scales, then quantized.
TEST(QuantMathGolden, ScaleTriples) {
  ASSERT_GE(std::size(kGoldenScaleTriples), 400u);
  for (const GoldenScaleTriple &g : kGoldenScaleTriples) {
    double real =
        double(g.inputScale) * double(g.weightScale) / double(g.outputScale);
    EXPECT_EQ(real, g.real);
    FixedPointMultiplier fp = quantizeMultiplier(real);
    EXPECT_EQ(fp.multiplier, g.multiplier) << "real " << g.real;
    EXPECT_EQ(fp.shift, g.shift) << "real " << g.real;
  }
}

TEST(QuantMathGolden, RequantizeSingleAndDouble) {
  ASSERT_GE(std::size(kGoldenRequants), 2000u);
  int doubleChecked = 0;
  for (const GoldenRequant &g : kGoldenRequants) {
    EXPECT_EQ(multiplyByQuantizedMultiplierSingle(g.acc, g.multiplier, g.shift),
              g.single)
        << "acc " << g.acc << " M " << g.multiplier << " shift " << g.shift;
    if (!g.doubleDefined)
      continue;
    ++doubleChecked;
    EXPECT_EQ(multiplyByQuantizedMultiplierDouble(g.acc, g.multiplier, g.shift),
              g.dbl)
        << "acc " << g.acc << " M " << g.multiplier << " shift " << g.shift;
  }
  EXPECT_GE(doubleChecked, 2000);
}

TEST(QuantMathGolden, SaturatingRoundingDoublingHighMul) {
  for (const GoldenHighMul &g : kGoldenHighMuls)
    EXPECT_EQ(saturatingRoundingDoublingHighMul(g.a, g.b), g.result)
        << "a " << g.a << " b " << g.b;
}

TEST(QuantMathGolden, RoundingDivideByPOT) {
  for (const GoldenDivPOT &g : kGoldenDivPOTs)
    EXPECT_EQ(roundingDivideByPOT(g.x, g.exponent), g.result)
        << "x " << g.x << " exponent " << g.exponent;
}

TEST(QuantMathGolden, QuantizeValue) {
  for (const GoldenQuantize &g : kGoldenQuantizes)
    EXPECT_EQ(quantizeValue(g.x, g.scale, g.zeroPoint, g.qmin, g.qmax),
              g.result)
        << "x " << g.x << " scale " << g.scale << " zp " << g.zeroPoint
        << " range [" << g.qmin << ", " << g.qmax << "]";
}

TEST(QuantMathGolden, ChooseAsymmetricParams) {
  for (const GoldenAsymmetric &g : kGoldenAsymmetrics) {
    AffineParams p = chooseAsymmetricParams(g.min, g.max, g.qmin, g.qmax);
    EXPECT_EQ(p.scale, g.scale) << "[" << g.min << ", " << g.max << "]";
    EXPECT_EQ(p.zeroPoint, g.zeroPoint) << "[" << g.min << ", " << g.max << "]";
  }
}

TEST(QuantMathGolden, ChooseSymmetricScale) {
  for (const GoldenSymmetric &g : kGoldenSymmetrics)
    EXPECT_EQ(chooseSymmetricScale(g.absMax, g.qmax), g.scale)
        << "absMax " << g.absMax << " qmax " << g.qmax;
}

//===----------------------------------------------------------------------===//
// Hand-written edge cases.
//===----------------------------------------------------------------------===//

/// M is 0 or in [2^30, 2^31), and M * 2^(shift - 31) is within half a unit
/// of the real multiplier whenever it is not flushed to zero.
TEST(QuantizeMultiplier, RangeAndAccuracy) {
  for (const GoldenMultiplier &g : kGoldenMultipliers) {
    FixedPointMultiplier fp = quantizeMultiplier(g.real);
    if (fp.multiplier == 0) {
      EXPECT_EQ(fp.shift, 0);
      EXPECT_LT(g.real, std::ldexp(1.0, -32)) << g.real;
      continue;
    }
    EXPECT_GE(fp.multiplier, 1 << 30);
    EXPECT_GE(fp.shift, -31);
    double approx = std::ldexp(double(fp.multiplier), fp.shift - 31);
    EXPECT_LE(std::fabs(approx - g.real), std::ldexp(1.0, fp.shift - 32))
        << g.real;
  }
}

TEST(QuantizeMultiplier, Edges) {
  auto check = [](double real, int32_t m, int32_t shift) {
    FixedPointMultiplier fp = quantizeMultiplier(real);
    EXPECT_EQ(fp.multiplier, m) << real;
    EXPECT_EQ(fp.shift, shift) << real;
  };
  check(0.0, 0, 0);
  check(0.5, 1 << 30, 0);
  check(1.0, 1 << 30, 1);
  check(0.75, 3 << 29, 0);
  // Mantissa rounds up to 2^31: halve it and bump the shift.
  check(std::nextafter(1.0, 0.0), 1 << 30, 1);
  // Smallest kept shift is -31; below that the multiplier flushes to zero.
  check(std::ldexp(1.0, -32), 1 << 30, -31);
  check(std::ldexp(std::nextafter(1.0, 0.0), -32), 1 << 30, -31);
  check(std::ldexp(1.0, -33), 0, 0);
  check(std::ldexp(1.0 - std::ldexp(1.0, -31), -32), 0, 0);
  check(std::numeric_limits<double>::denorm_min(), 0, 0);
  // Ties of q * 2^31 round away from zero.
  check(0.5 + std::ldexp(1.0, -32), (1 << 30) + 1, 0);
  // Positive shifts (multipliers >= 1).
  check(3.0, 3 << 29, 2);
  check(std::ldexp(1.5, 29), 3 << 29, 30);
}

TEST(SaturatingRoundingDoublingHighMul, Edges) {
  // The only overflow: (-2^31)^2 * 2 / 2^32 = 2^31 saturates.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kInt32Min, kInt32Min), kInt32Max);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kInt32Min, kInt32Max),
            -kInt32Max);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kInt32Max, kInt32Max),
            kInt32Max - 1);
  EXPECT_EQ(saturatingRoundingDoublingHighMul(kInt32Min, 1 << 30), -(1 << 30));
  EXPECT_EQ(saturatingRoundingDoublingHighMul(0, kInt32Min), 0);
  // Ties (a * b = odd * 2^30) round toward +infinity, like NEON vqrdmulh:
  // the negative nudge is 1 - 2^30 and the division truncates.
  EXPECT_EQ(saturatingRoundingDoublingHighMul(1, 1 << 30), 1);   // 0.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-1, 1 << 30), 0);  // -0.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(3, 1 << 30), 2);   // 1.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-3, 1 << 30), -1); // -1.5
  EXPECT_EQ(saturatingRoundingDoublingHighMul(-5, 1 << 30), -2); // -2.5
}

TEST(RoundingDivideByPOT, Edges) {
  EXPECT_EQ(roundingDivideByPOT(12345, 0), 12345);
  EXPECT_EQ(roundingDivideByPOT(kInt32Min, 0), kInt32Min);
  // Ties round away from zero.
  EXPECT_EQ(roundingDivideByPOT(1, 1), 1);
  EXPECT_EQ(roundingDivideByPOT(-1, 1), -1);
  EXPECT_EQ(roundingDivideByPOT(5, 1), 3);
  EXPECT_EQ(roundingDivideByPOT(-5, 1), -3);
  EXPECT_EQ(roundingDivideByPOT(-3, 2), -1);     // -0.75
  EXPECT_EQ(roundingDivideByPOT(-2, 2), -1);     // -0.5
  EXPECT_EQ(roundingDivideByPOT(-1, 2), 0);      // -0.25
  EXPECT_EQ(roundingDivideByPOT(3 << 9, 10), 2); // 1.5
  EXPECT_EQ(roundingDivideByPOT(-(3 << 9), 10), -2);
  // The widest exponent.
  EXPECT_EQ(roundingDivideByPOT(kInt32Min, 31), -1);
  EXPECT_EQ(roundingDivideByPOT(kInt32Max, 31), 1);
  EXPECT_EQ(roundingDivideByPOT(1 << 30, 31), 1);
  EXPECT_EQ(roundingDivideByPOT(-(1 << 30), 31), -1);
  EXPECT_EQ(roundingDivideByPOT((1 << 30) - 1, 31), 0);
}

/// The two modes differ only in how they round a tie (single: half up on the
/// exact product; double: SRDHM then half away from zero).
TEST(Requantize, TiesAndShifts) {
  // acc * 2^30 * 2^-41 = acc * 2^-11; acc = 3 * 2^10 is exactly 1.5.
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(3 << 10, 1 << 30, -10), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(3 << 10, 1 << 30, -10), 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-(3 << 10), 1 << 30, -10), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(-(3 << 10), 1 << 30, -10), -2);
  // Positive (left) shifts: 3 * 0.5 * 2^2 = 6.
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(3, 1 << 30, 2), 6);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(3, 1 << 30, 2), 6);
  // Shift 0 leaves the tie to SRDHM, which also rounds it up: -3.5 -> -3.
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(-7, 1 << 30, 0), -3);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(-7, 1 << 30, 0), -3);
  // Extreme accumulators at the extreme shifts: -(2^31 - 1) / 2^31 -> -1.
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(kInt32Min, kInt32Max, -31), -1);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(kInt32Min, kInt32Max, -31), -1);
  // (2^31 - 1)^2 / 2 ends in .5 and rounds up; the result needs 61 bits.
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(kInt32Max, kInt32Max, 30),
            (int64_t(kInt32Max) * kInt32Max + 1) / 2);
  EXPECT_EQ(multiplyByQuantizedMultiplierSingle(kInt32Min, 0, 0), 0);
  EXPECT_EQ(multiplyByQuantizedMultiplierDouble(kInt32Min, 0, 0), 0);
}

TEST(RoundHalfToEven, Values) {
  EXPECT_EQ(roundHalfToEven(0.5), 0.0);
  EXPECT_EQ(roundHalfToEven(1.5), 2.0);
  EXPECT_EQ(roundHalfToEven(-1.5), -2.0);
  EXPECT_EQ(roundHalfToEven(-3.5), -4.0);
  EXPECT_EQ(roundHalfToEven(2.4999999999999996), 2.0);
  EXPECT_EQ(roundHalfToEven(2.5000000000000004), 3.0);
  EXPECT_EQ(roundHalfToEven(0.49999999999999994), 0.0);
  EXPECT_TRUE(std::signbit(roundHalfToEven(-0.5)));
  EXPECT_EQ(roundHalfToEven(4503599627370497.0), 4503599627370497.0);
  EXPECT_EQ(roundHalfToEven(1e300), 1e300);
  EXPECT_EQ(roundHalfToEven(-std::numeric_limits<double>::infinity()),
            -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(roundHalfToEven(std::nan(""))));
}

TEST(QuantizeValue, NaNAndSaturation) {
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(quantizeValue(nan, 0.1f, 3, -128, 127), 3);
  EXPECT_EQ(quantizeValue(nan, 0.1f, 128, 0, 255), 128);
  EXPECT_EQ(quantizeValue(nan, 0.1f, -200, -128, 127), -128);
  EXPECT_EQ(quantizeValue(inf, 0.1f, 0, -128, 127), 127);
  EXPECT_EQ(quantizeValue(-inf, 0.1f, 0, -128, 127), -128);
  EXPECT_EQ(quantizeValue(1e30f, 1e-30f, 0, 0, 255), 255);
  EXPECT_EQ(quantizeValue(-1.0f, 1.0f / 255.0f, 0, 0, 255), 0);
  // Weights saturate to the symmetric [-127, 127].
  EXPECT_EQ(quantizeValue(-1.0f, 1.0f / 127.0f, 0, -127, 127), -127);
  EXPECT_EQ(quantizeValue(-1.01f, 1.0f / 127.0f, 0, -127, 127), -127);
  // The division happens in float: 0.35f / 0.1f is 3.4999999 exactly but
  // 3.5f in float, a tie that goes to 4 (a double division would give 3).
  EXPECT_EQ(quantizeValue(0.35f, 0.1f, 0, -128, 127), 4);
  EXPECT_EQ(quantizeValue(0.45f, 0.1f, 0, -128, 127), 4); // 4.5000001 -> 4.5f
}

TEST(ChooseAsymmetricParams, Ranges) {
  // A uint8 image range [0, 1] and its int8 twin (zp - 128).
  AffineParams u8 = chooseAsymmetricParams(0.0f, 1.0f, 0, 255);
  AffineParams i8 = chooseAsymmetricParams(0.0f, 1.0f, -128, 127);
  EXPECT_EQ(u8.scale, 1.0f / 255.0f);
  EXPECT_EQ(u8.zeroPoint, 0);
  EXPECT_EQ(i8.scale, u8.scale);
  EXPECT_EQ(i8.zeroPoint, u8.zeroPoint - 128);
  // The range is widened to contain 0, so real 0 is exactly representable.
  AffineParams pos = chooseAsymmetricParams(2.0f, 6.0f, -128, 127);
  EXPECT_EQ(pos.scale, 6.0f / 255.0f);
  EXPECT_EQ(pos.zeroPoint, -128);
  AffineParams neg = chooseAsymmetricParams(-6.0f, -2.0f, 0, 255);
  EXPECT_EQ(neg.scale, 6.0f / 255.0f);
  EXPECT_EQ(neg.zeroPoint, 255);
  // Zero-width, NaN, tiny and infinite-width ranges fall back to scale 1.
  for (auto [lo, hi] :
       {std::pair{0.0f, 0.0f}, std::pair{3.0f, 0.0f},
        std::pair{std::nanf(""), 1.0f}, std::pair{-1.0f, std::nanf("")},
        std::pair{0.0f, 1e-44f}, std::pair{-3e38f, 3e38f}}) {
    AffineParams p = chooseAsymmetricParams(lo, hi, -128, 127);
    EXPECT_EQ(p.scale, 1.0f) << lo << " " << hi;
    EXPECT_EQ(p.zeroPoint, 0) << lo << " " << hi;
    AffineParams q = chooseAsymmetricParams(lo, hi, 0, 255);
    EXPECT_EQ(q.scale, 1.0f) << lo << " " << hi;
    EXPECT_EQ(q.zeroPoint, 0) << lo << " " << hi;
  }
  // 0 maps exactly onto the zero point, and the bounds stay in range.
  for (const GoldenAsymmetric &g : kGoldenAsymmetrics) {
    AffineParams p = chooseAsymmetricParams(g.min, g.max, g.qmin, g.qmax);
    EXPECT_EQ(quantizeValue(0.0f, p.scale, p.zeroPoint, g.qmin, g.qmax),
              p.zeroPoint);
    EXPECT_GE(p.zeroPoint, g.qmin);
    EXPECT_LE(p.zeroPoint, g.qmax);
  }
}

TEST(ChooseSymmetricScale, Values) {
  EXPECT_EQ(chooseSymmetricScale(1.0f, 127), 1.0f / 127.0f);
  EXPECT_EQ(chooseSymmetricScale(127.0f, 127), 1.0f);
  EXPECT_EQ(chooseSymmetricScale(0.0f, 127), 1.0f);
  EXPECT_EQ(chooseSymmetricScale(-1.0f, 127), 1.0f);
  EXPECT_EQ(chooseSymmetricScale(std::nanf(""), 127), 1.0f);
  EXPECT_EQ(chooseSymmetricScale(1e-40f, 127), 1.0f);
  // |w| <= absMax quantizes into [-127, 127] without saturating.
  float scale = chooseSymmetricScale(0.2667f, 127);
  EXPECT_EQ(quantizeValue(0.2667f, scale, 0, -127, 127), 127);
  EXPECT_EQ(quantizeValue(-0.2667f, scale, 0, -127, 127), -127);
}
