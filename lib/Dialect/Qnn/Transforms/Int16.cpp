//===- Int16.cpp - 16x8 activations: int16 uses -----------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Int16.h"

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

#include <cmath>
#include <cstdlib>
#include <limits>

using namespace mlir;
using namespace mlir::quantopt;
using namespace mlir::quantopt::qnn;

/// Whether the integer form of `user` reads an int16 value at `operand`:
/// the input of a product (conv, gemm, matmul not kept in float), and ops
/// that only move or clamp values; a qcast folds into a requantize.
bool qnn::acceptsInt16(OpOperand &operand) {
  Operation *user = operand.getOwner();
  if (isa<ConvOp, GemmOp, MatMulOp>(user))
    return operand.getOperandNumber() == 0 && !user->hasAttr("qnn.keep_float");
  return isa<MaxPoolOp, FlattenOp, ReshapeOp, TransposeOp, ReluOp, ClipOp,
             quant::QuantizeCastOp>(user);
}

/// The quantized value `v` is dequantized from, or null.
static Value dequantizedSource(Value v) {
  if (auto dcast = v.getDefiningOp<quant::DequantizeCastOp>())
    return dcast.getInput();
  return nullptr;
}

/// The int32 accumulator of a 16x8 product cannot overflow: for every
/// output channel c, 32767 * sum_k |w[c, k]| + |bias_q[c]| <= 2^31 - 1
/// (the input zero point is 0, so there is no correction term). Checked on
/// the constant weights.
LogicalResult qnn::checkInt16Accumulator(Operation *product, bool emitErrors) {
  Value xSource = dequantizedSource(product->getOperand(0));
  Value wSource = dequantizedSource(product->getOperand(1));
  if (!xSource || !wSource)
    return success();
  auto xType = dyn_cast_or_null<quant::UniformQuantizedType>(getQuantElementType(xSource.getType()));
  if (!xType || xType.getStorageTypeIntegralWidth() != 16)
    return success();
  auto scast = wSource.getDefiningOp<quant::StorageCastOp>();
  DenseIntElementsAttr weights;
  if (!scast || !matchPattern(scast.getInput(), m_Constant(&weights))) {
    if (!emitErrors)
      return failure();
    return product->emitOpError(
        "with an int16 input needs constant int8 weights (to bound the "
        "int32 accumulator)");
  }
  auto wType = cast<RankedTensorType>(wSource.getType());
  int64_t axis = 0;
  if (auto gemm = dyn_cast<GemmOp>(product))
    axis = gemm.getTransB() ? 0 : 1;
  else if (isa<MatMulOp>(product))
    axis = wType.getRank() - 1;
  ArrayRef<int64_t> shape = wType.getShape();
  int64_t channels = shape[axis], inner = 1;
  for (int64_t d = axis + 1; d < wType.getRank(); ++d)
    inner *= shape[d];
  SmallVector<int64_t> absSum(channels, 0);
  int64_t i = 0;
  for (APInt w : weights.getValues<APInt>())
    absSum[(i++ / inner) % channels] += std::abs(w.getSExtValue());
  SmallVector<double> wScales =
      getScales(getQuantElementType(wSource.getType()));
  SmallVector<double> biasQ(channels, 0.0);
  if (product->getNumOperands() > 2 && product->getOperand(2)) {
    Value bias = product->getOperand(2);
    DenseElementsAttr values;
    if (Value source = dequantizedSource(bias)) {
      auto biasScast = source.getDefiningOp<quant::StorageCastOp>();
      DenseIntElementsAttr ints;
      if (biasScast && matchPattern(biasScast.getInput(), m_Constant(&ints))) {
        // A Gemm's [M, N] bias: the largest value of each column.
        int64_t i = 0;
        for (APInt b : ints.getValues<APInt>()) {
          double &q = biasQ[i++ % channels];
          q = std::max(q, std::abs(static_cast<double>(b.getSExtValue())));
        }
      }
    } else if (matchPattern(bias, m_Constant(&values)) &&
               cast<ShapedType>(values.getType()).getElementType().isF32()) {
      int64_t i = 0;
      for (APFloat b : values.getValues<APFloat>()) {
        int64_t c = i++ % channels;
        double ws = wScales.size() == 1 ? wScales.front() : wScales[c];
        biasQ[c] = std::max(biasQ[c], std::abs(b.convertToDouble()) /
                                          (xType.getScale() * ws));
      }
    }
  }
  for (int64_t c = 0; c < channels; ++c) {
    double bound = 32767.0 * static_cast<double>(absSum[c]) + biasQ[c] + 1;
    if (bound <= static_cast<double>(std::numeric_limits<int32_t>::max()))
      continue;
    if (!emitErrors)
      return failure();
    return product->emitOpError("with an int16 input: the int32 "
                                  "accumulator of output channel ")
             << c << " could overflow (32767 * sum|w| + |bias| = "
             << static_cast<int64_t>(bound)
             << " > 2^31 - 1); keep this layer's input int8";
  }
  return success();
}

/// Every use of an int16 activation by an op that has no 16-bit integer
/// form (add, avg_pool, concat, pointwise functions, mul, softmax, a layer
/// kept in float, the function result) reads it through an int8 QDQ pair
/// (by default of the same range: scale s16 * 32767 / 127, zero point 0);
/// the cast pattern then folds it into a requantize int16 -> int8.
void qnn::narrowInt16Uses(func::FuncOp func, NarrowTypeFn narrowTypeOf,
                          bool narrowOverflowingProducts) {
  SmallVector<quant::DequantizeCastOp> dcasts;
  func.walk([&](quant::DequantizeCastOp dcast) {
    auto type = dyn_cast_or_null<quant::UniformQuantizedType>(
        getQuantElementType(dcast.getInput().getType()));
    if (type && type.getStorageTypeIntegralWidth() == 16)
      dcasts.push_back(dcast);
  });
  OpBuilder builder(func.getContext());
  for (quant::DequantizeCastOp dcast : dcasts) {
    auto type = cast<quant::UniformQuantizedType>(
        getQuantElementType(dcast.getInput().getType()));
    quant::UniformQuantizedType narrow;
    if (auto qcast = dcast.getInput().getDefiningOp<quant::QuantizeCastOp>();
        qcast && narrowTypeOf)
      narrow = narrowTypeOf(qcast.getInput());
    if (!narrow)
      narrow = getInt8Type(func.getContext(),
                           type.getScale() * type.getStorageTypeMax() / 127, 0);
    SmallVector<OpOperand *> uses;
    for (OpOperand &use : dcast.getResult().getUses())
      if (!acceptsInt16(use) ||
          (narrowOverflowingProducts &&
           isa<ConvOp, GemmOp, MatMulOp>(use.getOwner()) &&
           failed(checkInt16Accumulator(use.getOwner(), /*emitErrors=*/false))))
        uses.push_back(&use);
    if (uses.empty())
      continue;
    builder.setInsertionPointAfter(dcast);
    auto tensorType = cast<RankedTensorType>(dcast.getType());
    auto qcast = quant::QuantizeCastOp::create(
        builder, dcast.getLoc(), tensorType.clone(narrow), dcast.getResult());
    auto narrowed = quant::DequantizeCastOp::create(builder, dcast.getLoc(),
                                                    tensorType, qcast);
    for (OpOperand *use : uses)
      use->set(narrowed.getResult());
  }
}

