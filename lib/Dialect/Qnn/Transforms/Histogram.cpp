//===- Histogram.cpp - Activation histograms and range choosers --*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

Histogram::Histogram(float min, float max) : lo(0), hi(0), counts(kBins, 0) {
  if (!(min <= max))
    return; // nothing observed
  if (min >= 0.0f) {
    hi = max;
  } else if (max <= 0.0f) {
    lo = min;
  } else {
    float a = std::max(-min, max);
    lo = -a;
    hi = a;
  }
}

void Histogram::add(llvm::ArrayRef<float> values) {
  float width = binWidth();
  for (float x : values) {
    int64_t bin = width > 0 ? static_cast<int64_t>(std::floor((x - lo) / width))
                            : 0;
    ++counts[std::clamp<int64_t>(bin, 0, kBins - 1)];
  }
}

AffineParams qnn::chooseActivationParams(float min, float max,
                                         bool symmetric) {
  if (!symmetric)
    return chooseAsymmetricParams(min, max, -128, 127);
  AffineParams p;
  p.scale = chooseSymmetricScale(std::max(std::fabs(min), std::fabs(max)), 127);
  p.zeroPoint = 0;
  return p;
}

Range qnn::choosePercentileRange(const Histogram &hist, double percentile,
                                 float min, float max) {
  constexpr int64_t kBins = Histogram::kBins;
  const std::vector<int64_t> &counts = hist.counts;
  int64_t total = 0;
  for (int64_t c : counts)
    total += c;
  double tail = total * (100.0 - percentile) / 200.0;
  int64_t lo = 0, hi = kBins - 1;
  for (double seen = 0; lo < kBins - 1 && seen + counts[lo] <= tail; ++lo)
    seen += counts[lo];
  for (double seen = 0; hi > lo && seen + counts[hi] <= tail; --hi)
    seen += counts[hi];
  float width = hist.binWidth();
  float newMin = hist.lo + lo * width;
  float newMax = hist.lo + (hi + 1) * width;
  return {std::max(min, newMin), std::min(max, newMax)};
}

/// The histogram of |x| with the source's bin width: the source itself for
/// a non-negative tensor, reversed for a non-positive one, and the two
/// halves of a symmetric one added.
static std::vector<double> foldAbsolute(const Histogram &hist) {
  const std::vector<int64_t> &c = hist.counts;
  if (hist.lo == 0.0f)
    return std::vector<double>(c.begin(), c.end());
  if (hist.hi == 0.0f)
    return std::vector<double>(c.rbegin(), c.rend());
  int64_t half = Histogram::kBins / 2;
  std::vector<double> folded(half);
  for (int64_t k = 0; k < half; ++k)
    folded[k] = static_cast<double>(c[half + k]) + c[half - 1 - k];
  return folded;
}

Range qnn::chooseEntropyRange(const Histogram &hist, bool symmetric,
                              float min, float max) {
  bool isSigned = hist.lo < 0.0f && hist.hi > 0.0f;
  // Quantization levels available on [0, T]: 128 for a signed tensor (one
  // half of [-T, T]) or a symmetric scheme, 256 for an asymmetric
  // one-sided tensor.
  int64_t levels = isSigned || symmetric ? 128 : 256;
  constexpr int64_t kStartBin = 128;
  std::vector<double> bins = foldAbsolute(hist);
  int64_t n = bins.size();
  float width = hist.binWidth();
  double total = 0;
  for (double c : bins)
    total += c;
  if (!(width > 0.0f) || total == 0 || n < kStartBin)
    return {min, max};
  // The spike of exact zeros (ReLU outputs) is represented exactly by the
  // zero point; like NVIDIA's calibrator, bin 0 takes bin 1's count so the
  // spike does not steer the choice.
  bins[0] = bins[1];
  std::vector<double> suffix(n + 1, 0.0);
  for (int64_t j = n - 1; j >= 0; --j)
    suffix[j] = suffix[j + 1] + bins[j];

  double best = std::numeric_limits<double>::infinity();
  int64_t bestI = n;
  std::vector<double> groupSum(levels);
  std::vector<int64_t> groupCount(levels);
  for (int64_t i = kStartBin; i <= n; ++i) {
    std::fill(groupSum.begin(), groupSum.end(), 0.0);
    std::fill(groupCount.begin(), groupCount.end(), 0);
    for (int64_t j = 0; j < i; ++j)
      if (bins[j] > 0) {
        groupSum[j * levels / i] += bins[j];
        ++groupCount[j * levels / i];
      }
    double inside = suffix[0] - suffix[i];
    double pTotal = suffix[0];
    if (inside == 0)
      continue;
    double kl = 0;
    for (int64_t j = 0; j < i; ++j) {
      double p = bins[j] + (j == i - 1 ? suffix[i] : 0.0);
      if (p == 0)
        continue;
      int64_t g = j * levels / i;
      double q = bins[j] > 0 ? groupSum[g] / groupCount[g] : 0.0;
      if (q == 0) {
        kl = std::numeric_limits<double>::infinity();
        break;
      }
      p /= pTotal;
      q /= inside;
      kl += p * std::log(p / q);
    }
    if (kl <= best) {
      best = kl;
      bestI = i;
    }
  }
  float threshold = bestI * width;
  return {std::max(min, -threshold), std::min(max, threshold)};
}

/// The mean of (x - Q(x))^2 for x uniform on [a, b], Q the int8 quantizer
/// with `p` on [-128, 127] (clipping included).
static double meanSquaredError(double a, double b, AffineParams p) {
  constexpr int64_t qmin = -128, qmax = 127;
  double s = p.scale;
  int64_t zp = p.zeroPoint;
  if (!(b > a)) {
    double q = std::clamp<double>(std::floor(a / s + 0.5) + zp, qmin, qmax);
    double r = (q - zp) * s;
    return (a - r) * (a - r);
  }
  int64_t k = static_cast<int64_t>(
      std::clamp<double>(std::floor(a / s + 0.5) + zp, qmin, qmax));
  double x = a, sum = 0;
  while (x < b) {
    double upper = k < qmax ? (k - zp + 0.5) * s
                            : std::numeric_limits<double>::infinity();
    double e = std::min(b, upper);
    if (e > x) {
      double r = (k - zp) * s;
      sum += ((e - r) * (e - r) * (e - r) - (x - r) * (x - r) * (x - r)) / 3;
      x = e;
    }
    if (x >= b || k >= qmax)
      break;
    ++k;
  }
  return sum / (b - a);
}

Range qnn::chooseMseRange(const Histogram &hist, bool symmetric, float min,
                          float max) {
  constexpr int64_t kBins = Histogram::kBins;
  double width = hist.binWidth();
  if (!(width > 0))
    return {min, max};
  float lo = std::min(min, 0.0f), hi = std::max(max, 0.0f);
  double best = std::numeric_limits<double>::infinity();
  Range bestRange{min, max};
  for (int64_t i = 1; i <= kBins; ++i) {
    float k = static_cast<float>(i) / kBins;
    float cmin = lo * k, cmax = hi * k;
    AffineParams p = chooseActivationParams(cmin, cmax, symmetric);
    double err = 0;
    for (int64_t j = 0; j < kBins; ++j)
      if (int64_t c = hist.counts[j])
        err += c * meanSquaredError(hist.lo + j * width,
                                    hist.lo + (j + 1) * width, p);
    if (err <= best) {
      best = err;
      bestRange = {std::max(min, cmin), std::min(max, cmax)};
    }
  }
  return bestRange;
}
