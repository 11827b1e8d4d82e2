//===- QuantMath.h - Scales, zero points, fixed-point requantize --*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Pure C++ integer-quantization arithmetic shared by the passes, the
// calibration interpreter and the unit tests. The formulas are those of
// docs/IntegerSemantics.md (TFLite int8 spec, gemmlowp fixed point).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_SUPPORT_QUANTMATH_H
#define QUANTOPT_SUPPORT_QUANTMATH_H

#include <cstdint>

namespace mlir::quantopt {

/// A real multiplier in fixed point: real ~= multiplier * 2^(shift - 31),
/// multiplier in [2^30, 2^31) or 0.
struct FixedPointMultiplier {
  int32_t multiplier = 0;
  int32_t shift = 0;
};

/// TFLite / gemmlowp QuantizeMultiplier: frexp, M = round(q * 2^31),
/// M == 2^31 -> 2^30 and shift + 1, shift < -31 -> M = 0 (and shift 0).
/// `real` must be finite and non-negative, and below 2^30.
FixedPointMultiplier quantizeMultiplier(double real);

/// Single rounding: (acc * M + 2^(30 - shift)) >> (31 - shift), computed in
/// 64 bits (round half up, as TFLITE_SINGLE_ROUNDING and TOSA apply_scale).
int64_t multiplyByQuantizedMultiplierSingle(int64_t acc, int32_t multiplier,
                                            int32_t shift);

/// gemmlowp's SaturatingRoundingDoublingHighMul.
int32_t saturatingRoundingDoublingHighMul(int32_t a, int32_t b);

/// gemmlowp's RoundingDivideByPOT (round half away from zero).
int32_t roundingDivideByPOT(int32_t x, int32_t exponent);

/// Double rounding, as TFLite's reference MultiplyByQuantizedMultiplier.
int32_t multiplyByQuantizedMultiplierDouble(int32_t acc, int32_t multiplier,
                                            int32_t shift);

/// Rounds half to even (ONNX QuantizeLinear, C `nearbyint` in the default
/// rounding mode).
double roundHalfToEven(double x);

/// ONNX QuantizeLinear of one value: saturate(round_half_even(x / scale) +
/// zeroPoint) into [qmin, qmax]. The division is done in float, as ONNX
/// Runtime does; +-inf saturate and NaN gives the (clamped) zero point.
int32_t quantizeValue(float x, float scale, int32_t zeroPoint, int32_t qmin,
                      int32_t qmax);

/// Per-tensor asymmetric parameters for a range: the range is widened to
/// include 0, scale = (max - min) / (qmax - qmin) as float, zero point =
/// round_half_even(qmin - min / scale) clamped to [qmin, qmax], the division
/// in double. A zero-width or NaN range, or one whose scale is not a finite
/// normal float, gets scale 1 and zero point 0 clamped into range.
struct AffineParams {
  float scale = 1.0f;
  int32_t zeroPoint = 0;
};
AffineParams chooseAsymmetricParams(float min, float max, int32_t qmin,
                                    int32_t qmax);

/// Symmetric scale for weights: absMax / qmax as float (1 if absMax is 0 or
/// NaN, or if the scale is not a normal float).
float chooseSymmetricScale(float absMax, int32_t qmax);

} // namespace mlir::quantopt

#endif // QUANTOPT_SUPPORT_QUANTMATH_H
