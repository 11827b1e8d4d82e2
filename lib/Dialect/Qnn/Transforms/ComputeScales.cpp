//===- ComputeScales.cpp - int32 biases, requantize multipliers ---*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Quantizes f32 biases of integer products to int32 and computes the
// fixed-point multiplier and shift of every requantize, following
// docs/IntegerSemantics.md.
//
//===----------------------------------------------------------------------===//

#include "quantopt/Dialect/Qnn/Transforms/Passes.h"
#include "quantopt/Support/QuantMath.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

namespace mlir::quantopt::qnn {
#define GEN_PASS_DEF_COMPUTESCALESPASS
#include "quantopt/Dialect/Qnn/Transforms/Passes.h.inc"
} // namespace mlir::quantopt::qnn

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

namespace {

/// Replaces the f32 constant bias operand `biasOperand` of an integer product
/// whose result has accumulator type `accType` by an i32 constant.
static LogicalResult quantizeBias(Operation *op, OpOperand &biasOperand,
                                  quant::QuantizedType accType) {
  Value bias = biasOperand.get();
  auto biasType = cast<RankedTensorType>(bias.getType());
  if (!biasType.getElementType().isF32())
    return success();
  DenseElementsAttr values;
  if (!matchPattern(bias, m_Constant(&values)))
    return op->emitOpError("expects a constant f32 bias to quantize");
  // A 2-D bias (Gemm's [M, N] C) has the scale of its column.
  if (biasType.getRank() != 1 && !(isa<GemmOp>(op) && biasType.getRank() == 2))
    return op->emitOpError("expects a 1-D bias");
  int64_t columns = biasType.getShape().back();
  SmallVector<double> scales = getScales(accType);
  SmallVector<int32_t> quantized;
  int64_t i = 0;
  for (APFloat v : values.getValues<APFloat>()) {
    double scale = scales.size() == 1 ? scales.front() : scales[i % columns];
    if (!v.isFinite())
      return op->emitOpError("bias value ") << i << " is not finite";
    double q = roundHalfToEven(v.convertToDouble() / scale);
    q = std::clamp<double>(q, std::numeric_limits<int32_t>::min(),
                           std::numeric_limits<int32_t>::max());
    quantized.push_back(static_cast<int32_t>(q));
    ++i;
  }
  OpBuilder builder(op);
  auto i32Type = biasType.clone(builder.getI32Type());
  auto constant = arith::ConstantOp::create(
      builder, bias.getLoc(),
      DenseElementsAttr::get(i32Type, ArrayRef<int32_t>(quantized)));
  biasOperand.set(constant);
  return success();
}

/// Fills the multiplier and shift of a requantize or an integer avg_pool
/// from its real multipliers (one per channel, or per window size for
/// avg_pool: m = s_in / (window_size * s_out)).
template <typename OpTy>
static LogicalResult computeMultipliers(OpTy op) {
  SmallVector<int32_t> multipliers, shifts;
  for (double real : op.getRealMultipliers()) {
    if (!(real >= 0.0) || real >= 1073741824.0)
      return op.emitOpError("real multiplier ")
             << real << " is out of the fixed-point range [0, 2^30)";
    FixedPointMultiplier fp = quantizeMultiplier(real);
    multipliers.push_back(fp.multiplier);
    shifts.push_back(fp.shift);
  }
  Builder builder(op);
  op.setMultiplierAttr(builder.getDenseI32ArrayAttr(multipliers));
  op.setShiftAttr(builder.getDenseI32ArrayAttr(shifts));
  return success();
}

struct ComputeScalesPass
    : public qnn::impl::ComputeScalesPassBase<ComputeScalesPass> {
  using Base::Base;

  void runOnOperation() override {
    WalkResult result = getOperation().walk([](Operation *op) {
      if (isa<ConvOp, GemmOp>(op) && op->getNumOperands() > 2) {
        auto accType = getQuantElementType(op->getResult(0).getType());
        if (accType &&
            failed(quantizeBias(op, op->getOpOperand(2), accType)))
          return WalkResult::interrupt();
      }
      if (auto requant = dyn_cast<RequantizeOp>(op))
        if (failed(computeMultipliers(requant)))
          return WalkResult::interrupt();
      // A float avg_pool (left for the lowering to reject) has no scales.
      if (auto pool = dyn_cast<AvgPoolOp>(op);
          pool && getQuantElementType(pool.getInput().getType()))
        if (failed(computeMultipliers(pool)))
          return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
