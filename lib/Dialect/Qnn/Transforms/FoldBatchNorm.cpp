//===- FoldBatchNorm.cpp - Fold batch norm into conv / gemm -----*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Folds an inference-mode qnn.batch_norm into the constant weights and bias
// of the float qnn.conv or qnn.gemm that produces its input.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <functional>

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_FOLDBATCHNORMPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

/// The values of a constant f32 tensor, or std::nullopt.
static std::optional<SmallVector<double>> getConstantValues(Value v) {
  DenseElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)) ||
      !attr.getElementType().isF32())
    return std::nullopt;
  SmallVector<double> values;
  values.reserve(attr.getNumElements());
  for (float x : attr.getValues<float>())
    values.push_back(x);
  return values;
}

/// An f32 constant of `type` holding `values` rounded to f32.
static Value createF32Constant(PatternRewriter &rewriter, Location loc,
                               RankedTensorType type, ArrayRef<double> values) {
  SmallVector<float> rounded(values.begin(), values.end());
  return arith::ConstantOp::create(
      rewriter, loc, DenseElementsAttr::get(type, ArrayRef<float>(rounded)));
}

/// The four constant parameters of a batch norm, and its per-channel
/// factor k[c] = gamma[c] / sqrt(var[c] + epsilon) computed in double.
struct Normalization {
  SmallVector<double> gamma, beta, mean, var, k;
};

static std::optional<Normalization> getNormalization(BatchNormOp bn) {
  auto gamma = getConstantValues(bn.getScale());
  auto beta = getConstantValues(bn.getBias());
  auto mean = getConstantValues(bn.getMean());
  auto var = getConstantValues(bn.getVariance());
  if (!gamma || !beta || !mean || !var)
    return std::nullopt;
  Normalization n{*gamma, *beta, *mean, *var, {}};
  double eps = bn.getEpsilon().convertToDouble();
  for (size_t c = 0, e = n.gamma.size(); c < e; ++c)
    n.k.push_back(n.gamma[c] / std::sqrt(n.var[c] + eps));
  return n;
}

struct FoldBatchNormIntoProduct : public OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    Operation *product = bn.getInput().getDefiningOp();
    if (!isa_and_nonnull<ConvOp, GemmOp>(product) || !product->hasOneUse())
      return rewriter.notifyMatchFailure(bn, "input is not a conv/gemm with "
                                             "one use");
    if (!cast<RankedTensorType>(product->getResult(0).getType())
             .getElementType()
             .isF32())
      return rewriter.notifyMatchFailure(bn, "product is not float");
    std::optional<Normalization> norm = getNormalization(bn);
    if (!norm)
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    Value weight = product->getOperand(1);
    auto w = getConstantValues(weight);
    if (!w)
      return rewriter.notifyMatchFailure(bn, "weight is not constant");
    Value bias =
        product->getNumOperands() > 2 ? product->getOperand(2) : Value();
    std::optional<SmallVector<double>> b;
    if (bias) {
      b = getConstantValues(bias);
      if (!b)
        return rewriter.notifyMatchFailure(bn, "bias is not constant");
    }

    int64_t channels = norm->gamma.size();
    auto wType = cast<RankedTensorType>(weight.getType());
    ArrayRef<int64_t> wShape = wType.getShape();
    // The output channel of weight element i.
    std::function<int64_t(int64_t)> channelOf;
    double biasFactor = 1.0;
    auto gemm = dyn_cast<GemmOp>(product);
    if (gemm) {
      biasFactor = gemm.getBeta().convertToDouble();
      if (gemm.getTransB())
        channelOf = [k = wShape[1]](int64_t i) { return i / k; };
      else
        channelOf = [n = wShape[1]](int64_t i) { return i % n; };
      // C must be one value per output column ([N] or [1, N]).
      if (bias) {
        auto cShape = cast<RankedTensorType>(bias.getType()).getShape();
        bool perColumn =
            (cShape.size() == 1 && cShape[0] == channels) ||
            (cShape.size() == 2 && cShape[0] == 1 && cShape[1] == channels);
        if (!perColumn)
          return rewriter.notifyMatchFailure(bn, "C is not one value per "
                                                 "output column");
      }
    } else {
      int64_t inner = wType.getNumElements() / wShape[0];
      channelOf = [inner](int64_t i) { return i / inner; };
    }

    ArrayRef<double> k = norm->k;
    SmallVector<double> newBias(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double bc = b ? biasFactor * (*b)[c] : 0.0;
      newBias[c] = (bc - norm->mean[c]) * k[c] + norm->beta[c];
    }
    SmallVector<double> newWeight(w->size());
    for (int64_t i = 0, e = w->size(); i < e; ++i)
      newWeight[i] = (*w)[i] * k[channelOf(i)];

    Location loc = rewriter.getFusedLoc({product->getLoc(), bn.getLoc()});
    rewriter.setInsertionPoint(product);
    Value wConst =
        createF32Constant(rewriter, weight.getLoc(), wType, newWeight);
    Value bConst = createF32Constant(
        rewriter, bias ? bias.getLoc() : bn.getLoc(),
        RankedTensorType::get({channels}, rewriter.getF32Type()), newBias);
    Value folded;
    if (auto conv = dyn_cast<ConvOp>(product)) {
      folded =
          ConvOp::create(rewriter, loc, bn.getType(), conv.getInput(), wConst,
                         bConst, conv.getStridesAttr(), conv.getPadsAttr(),
                         conv.getDilationsAttr(), conv.getGroupAttr());
    } else {
      folded = GemmOp::create(rewriter, loc, bn.getType(), gemm.getA(), wConst,
                              bConst, gemm.getAlphaAttr(),
                              rewriter.getF32FloatAttr(1.0f),
                              gemm.getTransAAttr(), gemm.getTransBAttr());
    }
    rewriter.replaceOp(bn, folded);
    rewriter.eraseOp(product);
    return success();
  }
};

/// A batch norm with nothing to fold into (after an Add, a Concat, a pool,
/// the model input): `y[c] = x[c] * k[c] + (beta[c] - mean[c] * k[c])` is a
/// depthwise 1x1 convolution, which the int8 path quantizes exactly like
/// any other (its one weight per channel quantizes to +-127 with scale
/// |k[c]| / 127, so only the activations' rounding remains).
struct BatchNormAsDepthwiseConv : public OpRewritePattern<BatchNormOp> {
  BatchNormAsDepthwiseConv(MLIRContext *context)
      : OpRewritePattern(context, /*benefit=*/1) {}

  LogicalResult matchAndRewrite(BatchNormOp bn,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<RankedTensorType>(bn.getInput().getType());
    if (!type || type.getRank() != 4 || !type.hasStaticShape() ||
        !type.getElementType().isF32())
      return rewriter.notifyMatchFailure(bn, "input is not a static f32 "
                                             "NCHW tensor");
    std::optional<Normalization> norm = getNormalization(bn);
    if (!norm)
      return rewriter.notifyMatchFailure(bn, "parameters are not constant");
    int64_t channels = type.getDimSize(1);
    if (static_cast<int64_t>(norm->k.size()) != channels)
      return rewriter.notifyMatchFailure(bn, "one parameter per channel");
    ArrayRef<double> k = norm->k;
    SmallVector<double> bias(channels);
    for (int64_t c = 0; c < channels; ++c)
      bias[c] = norm->beta[c] - norm->mean[c] * k[c];
    Location loc = bn.getLoc();
    Type f32 = rewriter.getF32Type();
    Value weight = createF32Constant(
        rewriter, loc, RankedTensorType::get({channels, 1, 1, 1}, f32), k);
    Value biasConst = createF32Constant(
        rewriter, loc, RankedTensorType::get({channels}, f32), bias);
    rewriter.replaceOpWithNewOp<ConvOp>(
        bn, bn.getType(), bn.getInput(), weight, biasConst,
        rewriter.getDenseI64ArrayAttr({1, 1}),
        rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
        rewriter.getDenseI64ArrayAttr({1, 1}),
        rewriter.getI64IntegerAttr(channels));
    return success();
  }
};

struct FoldBatchNormPass
    : public qnn::impl::FoldBatchNormPassBase<FoldBatchNormPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBatchNormIntoProduct>(&getContext(), /*benefit=*/2);
    patterns.add<BatchNormAsDepthwiseConv>(&getContext());
    // The pass runs before QDQ folding: upstream quant.dcast folds
    // dcast(qcast(x)) to x, which would drop a QDQ model's quantization.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
