//===- DynamicQuantize.cpp - Gemm/MatMul to qnn.dynamic_gemm -----*- C++
//-*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The dynamic quantization strategy: float Gemm / MatMul ops with constant
// weights get symmetric int8 weights (as qnn-calibrate quantizes them) and
// become qnn.dynamic_gemm, whose float input is quantized at run time.
// Everything else stays in float.
//
//===----------------------------------------------------------------------===//

#include "WeightQuantization.h"

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_DYNAMICQUANTIZEPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

struct DynamicQuantizePass
    : public qnn::impl::DynamicQuantizePassBase<DynamicQuantizePass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (weightGranularity != "per-channel" &&
        weightGranularity != "per-tensor") {
      func.emitError() << "unknown weight granularity '" << weightGranularity
                       << "' (expected per-channel or per-tensor)";
      return signalPassFailure();
    }
    bool perChannel = weightGranularity == "per-channel";
    // A QDQ model already carries its quantization: only a float model is
    // dynamically quantized.
    WalkResult qdq = func.walk([](Operation *op) {
      if (!isa<quant::QuantizeCastOp, quant::DequantizeCastOp>(op))
        return WalkResult::advance();
      op->emitError() << "dynamic quantization expects a float model; this "
                         "one is already quantized (QDQ), compile it with "
                         "--quantization=static";
      return WalkResult::interrupt();
    });
    if (qdq.wasInterrupted())
      return signalPassFailure();
    SmallVector<Operation *> products;
    func.walk([&](Operation *op) {
      if (isa<GemmOp, MatMulOp>(op))
        products.push_back(op);
    });
    for (Operation *op : products) {
      auto isF32 = [](Value v) {
        return cast<RankedTensorType>(v.getType()).getElementType().isF32();
      };
      Value x = op->getOperand(0), w = op->getOperand(1);
      if (!isF32(x) || !isF32(w) ||
          cast<RankedTensorType>(x.getType()).getRank() != 2 ||
          cast<RankedTensorType>(w.getType()).getRank() != 2)
        continue;
      bool transB = false;
      Value bias;
      if (auto gemm = dyn_cast<GemmOp>(op)) {
        // Other Gemm forms stay in float.
        if (gemm.getTransA() || gemm.getAlpha().convertToFloat() != 1.0f ||
            gemm.getBeta().convertToFloat() != 1.0f)
          continue;
        bias = gemm.getC();
        auto resultShape =
            cast<RankedTensorType>(gemm.getResult().getType()).getShape();
        if (bias && cast<RankedTensorType>(bias.getType()).getShape() !=
                        ArrayRef<int64_t>{resultShape[1]})
          continue;
        transB = gemm.getTransB();
      }
      OpBuilder builder(op);
      Value wq = buildInt8Weight(builder, w, transB ? 0 : 1, perChannel);
      if (!wq)
        continue;
      auto dynamic = DynamicGemmOp::create(builder, op->getLoc(),
                                           op->getResult(0).getType(), x, wq,
                                           bias, builder.getBoolAttr(transB));
      op->getResult(0).replaceAllUsesWith(dynamic.getResult());
      op->erase();
    }
  }
};

} // namespace
