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

/// The int8 symmetric form of the constant weight `weight` (output channels
/// along `axis`), as `quant.scast` of an i8 constant; null if not constant.
Value quantizeWeight(OpBuilder &builder, Value weight, int32_t axis,
                     bool perChannel) {
  DenseElementsAttr values;
  if (!matchPattern(weight, m_Constant(&values)) ||
      !values.getElementType().isF32())
    return nullptr;
  auto type = cast<RankedTensorType>(weight.getType());
  SmallVector<float> w;
  for (APFloat v : values.getValues<APFloat>())
    w.push_back(v.convertToFloat());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t channels = perChannel ? shape[axis] : 1;
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= shape[d];
  auto channelOf = [&](int64_t i) {
    return perChannel ? (i / inner) % shape[axis] : 0;
  };
  SmallVector<float> absMax(channels, 0.0f);
  for (int64_t i = 0, e = w.size(); i < e; ++i)
    absMax[channelOf(i)] = std::max(absMax[channelOf(i)], std::fabs(w[i]));
  SmallVector<double> scales;
  for (float m : absMax)
    scales.push_back(chooseSymmetricScale(m, 127));
  SmallVector<int8_t> q;
  for (int64_t i = 0, e = w.size(); i < e; ++i)
    q.push_back(quantizeValue(w[i], scales[channelOf(i)], 0, -127, 127));

  MLIRContext *ctx = builder.getContext();
  auto i8 = IntegerType::get(ctx, 8);
  auto f32 = Float32Type::get(ctx);
  quant::QuantizedType qType;
  if (perChannel)
    qType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, i8, f32, scales,
        SmallVector<int64_t>(channels, 0), axis, -127, 127);
  else
    qType =
        quant::UniformQuantizedType::get(quant::QuantizationFlags::Signed, i8,
                                         f32, scales.front(), 0, -127, 127);
  Location loc = weight.getLoc();
  auto storage = arith::ConstantOp::create(
      builder, loc, DenseElementsAttr::get(type.clone(i8), ArrayRef(q)));
  return quant::StorageCastOp::create(builder, loc, type.clone(qType),
                                      storage.getResult());
}

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
          cast<RankedTensorType>(x.getType()).getRank() != 2)
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
      Value wq = quantizeWeight(builder, w, transB ? 0 : 1, perChannel);
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
