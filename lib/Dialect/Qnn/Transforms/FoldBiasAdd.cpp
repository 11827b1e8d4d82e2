//===- FoldBiasAdd.cpp - Fold a bias Add into a MatMul ----------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// MatMul by a constant weight followed by an Add of a constant bias (a dense
// layer as converters and PyTorch's rank-3 Linear export it) becomes one
// qnn.gemm with that bias, so that the bias joins the int32 accumulator
// instead of staying a float Add.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_FOLDBIASADDPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

/// Whether `v` is a constant f32 tensor.
bool isF32Constant(Value v) {
  DenseElementsAttr attr;
  return matchPattern(v, m_Constant(&attr)) && attr.getElementType().isF32();
}

struct FoldBiasAddIntoMatMul : public OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp add,
                                PatternRewriter &rewriter) const override {
    for (unsigned i = 0; i < 2; ++i) {
      auto matmul = add->getOperand(i).getDefiningOp<MatMulOp>();
      Value bias = add->getOperand(1 - i);
      if (!matmul || !matmul->hasOneUse())
        continue;
      auto resultType = dyn_cast<RankedTensorType>(matmul.getType());
      auto addType = dyn_cast<RankedTensorType>(add.getType());
      auto biasType = dyn_cast<RankedTensorType>(bias.getType());
      if (!resultType || !addType || !biasType || resultType != addType ||
          resultType.getRank() != 2 || !resultType.hasStaticShape() ||
          !resultType.getElementType().isF32() ||
          !isF32Constant(matmul->getOperand(1)) || !isF32Constant(bias))
        continue;
      int64_t m = resultType.getDimSize(0), n = resultType.getDimSize(1);
      ArrayRef<int64_t> shape = biasType.getShape();
      // One value per column ([N] or [1, N]), or the result's own shape.
      bool perColumn = (shape.size() == 1 && shape[0] == n) ||
                       (shape.size() == 2 && shape[0] == 1 && shape[1] == n);
      bool matrix = shape.size() == 2 && shape[0] == m && shape[1] == n;
      if (!perColumn && !matrix)
        continue;
      DenseElementsAttr values;
      matchPattern(bias, m_Constant(&values));
      Location loc = rewriter.getFusedLoc({matmul.getLoc(), add.getLoc()});
      Value c = bias;
      if (perColumn && shape.size() == 2)
        c = arith::ConstantOp::create(
            rewriter, bias.getLoc(),
            values.reshape(RankedTensorType::get({n}, rewriter.getF32Type())));
      // Both ONNX node names stay in the location, the MatMul's first.
      auto gemm = GemmOp::create(rewriter, loc, resultType,
                                 matmul->getOperand(0), matmul->getOperand(1),
                                 c, /*alpha=*/rewriter.getF32FloatAttr(1.0),
                                 /*beta=*/rewriter.getF32FloatAttr(1.0),
                                 /*transA=*/rewriter.getBoolAttr(false),
                                 /*transB=*/rewriter.getBoolAttr(false));
      rewriter.replaceOp(add, gemm.getResult());
      rewriter.eraseOp(matmul);
      return success();
    }
    return failure();
  }
};

class FoldBiasAddPass
    : public qnn::impl::FoldBiasAddPassBase<FoldBiasAddPass> {
public:
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldBiasAddIntoMatMul>(&getContext());
    // Before QDQ folding, as qnn-fold-batchnorm: no op folding, which would
    // fold a QDQ model's dcast(qcast(x)) to x.
    GreedyRewriteConfig config;
    config.enableFolding(false);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
