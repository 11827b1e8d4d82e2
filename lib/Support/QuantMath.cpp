//===- QuantMath.cpp - Scales, zero points, fixed-point requantize -*- C++ -*-=//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Support/QuantMath.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>

using namespace mlir::quantopt;

FixedPointMultiplier mlir::quantopt::quantizeMultiplier(double real) {
  assert(real >= 0.0 && std::isfinite(real) && "bad real multiplier");
  FixedPointMultiplier result;
  if (real == 0.0)
    return result;
  int exponent = 0;
  double q = std::frexp(real, &exponent);
  int64_t m = static_cast<int64_t>(std::round(q * (1LL << 31)));
  assert(m <= (1LL << 31));
  if (m == (1LL << 31)) {
    m /= 2;
    ++exponent;
  }
  if (exponent < -31) {
    exponent = 0;
    m = 0;
  }
  result.multiplier = static_cast<int32_t>(m);
  result.shift = exponent;
  return result;
}

int64_t mlir::quantopt::multiplyByQuantizedMultiplierSingle(int64_t acc,
                                                            int32_t multiplier,
                                                            int32_t shift) {
  assert(shift <= 30 && shift >= -31 && "shift out of range");
  int64_t total = 31 - shift;
  int64_t round = int64_t(1) << (total - 1);
  return (acc * int64_t(multiplier) + round) >> total;
}

int32_t mlir::quantopt::saturatingRoundingDoublingHighMul(int32_t a,
                                                          int32_t b) {
  bool overflow = a == b && a == std::numeric_limits<int32_t>::min();
  if (overflow)
    return std::numeric_limits<int32_t>::max();
  int64_t ab = int64_t(a) * int64_t(b);
  int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
  // Division truncates toward zero, as gemmlowp's reference does.
  return static_cast<int32_t>((ab + nudge) / (1LL << 31));
}

int32_t mlir::quantopt::roundingDivideByPOT(int32_t x, int32_t exponent) {
  assert(exponent >= 0 && exponent <= 31);
  int32_t mask = static_cast<int32_t>((int64_t(1) << exponent) - 1);
  int32_t remainder = x & mask;
  int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t mlir::quantopt::multiplyByQuantizedMultiplierDouble(int32_t acc,
                                                            int32_t multiplier,
                                                            int32_t shift) {
  int32_t left = shift > 0 ? shift : 0;
  int32_t right = shift > 0 ? 0 : -shift;
  int32_t shifted = static_cast<int32_t>(
      static_cast<uint32_t>(acc) << static_cast<uint32_t>(left));
  return roundingDivideByPOT(
      saturatingRoundingDoublingHighMul(shifted, multiplier), right);
}

double mlir::quantopt::roundHalfToEven(double x) {
  double r = std::round(x); // half away from zero
  if (std::fabs(x - std::trunc(x)) == 0.5)
    r = 2.0 * std::round(x / 2.0);
  return r;
}

int32_t mlir::quantopt::quantizeValue(float x, float scale, int32_t zeroPoint,
                                      int32_t qmin, int32_t qmax) {
  float scaled = x / scale;
  if (std::isnan(scaled))
    return std::clamp<int32_t>(zeroPoint, qmin, qmax);
  double r = roundHalfToEven(scaled) + zeroPoint;
  return static_cast<int32_t>(std::clamp<double>(r, qmin, qmax));
}

AffineParams mlir::quantopt::chooseAsymmetricParams(float min, float max,
                                                    int32_t qmin,
                                                    int32_t qmax) {
  min = std::min(min, 0.0f);
  max = std::max(max, 0.0f);
  AffineParams p;
  p.zeroPoint = std::clamp<int32_t>(0, qmin, qmax);
  // A NaN bound makes the width NaN; `!(x > 0)` catches it with the empty
  // range.
  float width = max - min;
  if (!(width > 0.0f))
    return p;
  float scale = width / static_cast<float>(qmax - qmin);
  // A scale below FLT_MIN (denormal or flushed to 0) or infinite would give a
  // NaN zero point or a zero/infinite requantization multiplier downstream;
  // fall back to the defaults, as ONNX Runtime's calibrator does for tiny
  // scales.
  if (!(scale >= std::numeric_limits<float>::min()) || std::isinf(scale))
    return p;
  p.scale = scale;
  double zp = roundHalfToEven(static_cast<double>(qmin) -
                              static_cast<double>(min) / p.scale);
  p.zeroPoint = static_cast<int32_t>(std::clamp<double>(zp, qmin, qmax));
  return p;
}

float mlir::quantopt::chooseSymmetricScale(float absMax, int32_t qmax) {
  if (!(absMax > 0.0f))
    return 1.0f;
  float scale = absMax / static_cast<float>(qmax);
  // A zero or denormal scale cannot be divided by reliably (x / scale
  // overflows) and its multipliers leave quantizeMultiplier's range; treat it
  // like absMax == 0.
  if (!(scale >= std::numeric_limits<float>::min()))
    return 1.0f;
  return scale;
}
