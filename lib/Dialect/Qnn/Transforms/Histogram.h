//===- Histogram.h - Activation histograms and range choosers ----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The histogram that calibration collects for every activation, and the
// range choosers of the percentile, entropy and mse methods. The algorithms
// are documented in docs/Pipeline.md ("Calibration").
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_HISTOGRAM_H
#define QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_HISTOGRAM_H

#include "quantopt/Support/QuantMath.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <utility>
#include <vector>

namespace mlir::quantopt::qnn {

/// Counts of values in `kBins` equal bins over [lo, hi]. The range always
/// has 0 on a bin edge: [0, max] for a non-negative tensor, [min, 0] for a
/// non-positive one, [-a, a] with a = max(|min|, |max|) otherwise.
struct Histogram {
  static constexpr int64_t kBins = 2048;

  /// An empty histogram for a tensor whose values span [min, max].
  Histogram(float min, float max);

  /// Adds values; values outside [lo, hi] go to the first or last bin.
  void add(llvm::ArrayRef<float> values);

  float binWidth() const { return (hi - lo) / kBins; }

  float lo, hi;
  std::vector<int64_t> counts;
};

/// A [min, max] activation range.
using Range = std::pair<float, float>;

/// The parameters of an activation with range [min, max]: asymmetric
/// (chooseAsymmetricParams over [-128, 127]) or symmetric (zero point 0,
/// scale = max(|min|, |max|) / 127, storage [-128, 127]).
AffineParams chooseActivationParams(float min, float max, bool symmetric);

/// Keeps the central `percentile` percent of the values (half of the rest
/// cut from each tail) to the nearest bin edge, within [min, max].
Range choosePercentileRange(const Histogram &hist, double percentile,
                            float min, float max);

/// The threshold minimising the KL divergence between the histogram of |x|
/// and its quantization (TensorRT's entropy calibration), as a range within
/// [min, max].
Range chooseEntropyRange(const Histogram &hist, bool symmetric, float min,
                         float max);

/// The range, among [k * min, k * max] for k = i / 2048, whose quantization
/// has the least expected squared error over the histogram.
Range chooseMseRange(const Histogram &hist, bool symmetric, float min,
                     float max);

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_HISTOGRAM_H
