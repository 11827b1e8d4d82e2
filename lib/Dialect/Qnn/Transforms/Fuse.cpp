//===- Fuse.cpp - Fuse activations and conv+relu+maxpool ----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Integer-form fusions: a relu/clip after a requantize becomes the
// requantize's clamp, and conv -> requantize -> max_pool becomes one
// qnn.conv_relu_pool.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_FUSEPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

/// requantize -> relu/clip  =>  requantize with narrowed clamp.
template <typename ActOp>
struct FoldActivationIntoRequantize : public OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActOp act,
                                PatternRewriter &rewriter) const override {
    auto requant = act.getInput().template getDefiningOp<RequantizeOp>();
    if (!requant || !requant->hasOneUse())
      return failure();
    auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
        getQuantElementType(act.getType()));
    if (!type)
      return failure();
    std::pair<int64_t, int64_t> actBounds = getActivationClampRange(act, type);
    std::pair<int64_t, int64_t> range = requant.getClampRange();
    int64_t lo = std::max(range.first, actBounds.first);
    int64_t hi = std::min(range.second, actBounds.second);
    if (lo > hi)
      return rewriter.notifyMatchFailure(act, "empty clamp range");
    rewriter.modifyOpInPlace(requant, [&] {
      requant.setClampMinAttr(rewriter.getI64IntegerAttr(lo));
      requant.setClampMaxAttr(rewriter.getI64IntegerAttr(hi));
    });
    rewriter.replaceOp(act, requant.getResult());
    return success();
  }
};

/// conv -> requantize -> max_pool  =>  conv_relu_pool.
struct FuseConvRequantizePool : public OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MaxPoolOp pool,
                                PatternRewriter &rewriter) const override {
    // The fused op's pooling window has no dilations.
    if (pool.getDilations() &&
        llvm::any_of(*pool.getDilations(), [](int64_t d) { return d != 1; }))
      return rewriter.notifyMatchFailure(pool, "dilated pooling window");
    auto requant = pool.getInput().getDefiningOp<RequantizeOp>();
    if (!requant || !requant->hasOneUse() || !requant.getMultiplier())
      return failure();
    auto conv = requant.getInput().getDefiningOp<ConvOp>();
    if (!conv || !conv->hasOneUse() || conv.getGroup() != 1 ||
        !getQuantElementType(conv.getInput().getType()))
      return failure();
    Value bias = conv.getBias();
    int64_t channels = conv.getFilter().getType().getDimSize(0);
    auto biasType = RankedTensorType::get({channels}, rewriter.getI32Type());
    if (!bias) {
      bias = arith::ConstantOp::create(
          rewriter, conv.getLoc(),
          DenseElementsAttr::get(biasType, rewriter.getI32IntegerAttr(0)));
    } else if (bias.getType() != biasType) {
      return rewriter.notifyMatchFailure(conv, "bias is not i32");
    }
    auto [lo, hi] = requant.getClampRange();
    Location loc = rewriter.getFusedLoc(
        {conv.getLoc(), requant.getLoc(), pool.getLoc()});
    auto fused = ConvReluPoolOp::create(
        rewriter, loc, pool.getType(), conv.getInput(), conv.getFilter(), bias,
        conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
        pool.getKernelShapeAttr(), pool.getStridesAttr(), pool.getPadsAttr(),
        requant.getRoundingAttr(), requant.getMultiplierAttr(),
        requant.getShiftAttr(), rewriter.getI64IntegerAttr(lo),
        rewriter.getI64IntegerAttr(hi));
    rewriter.replaceOp(pool, fused.getResult());
    return success();
  }
};

struct FusePass : public qnn::impl::FusePassBase<FusePass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldActivationIntoRequantize<ReluOp>,
                 FoldActivationIntoRequantize<ClipOp>, FuseConvRequantizePool>(
        &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
