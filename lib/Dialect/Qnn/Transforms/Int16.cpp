//===- Int16.cpp - 16x8 activations: int16 uses -----------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#include "Int16.h"

#include "quantopt/Dialect/Qnn/IR/QnnOps.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Builders.h"

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

/// Every use of an int16 activation by an op that has no 16-bit integer
/// form (add, avg_pool, concat, pointwise functions, mul, softmax, a layer
/// kept in float, the function result) reads it through an int8 QDQ pair
/// (by default of the same range: scale s16 * 32767 / 127, zero point 0);
/// the cast pattern then folds it into a requantize int16 -> int8.
void qnn::narrowInt16Uses(func::FuncOp func, NarrowTypeFn narrowTypeOf) {
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
      if (!acceptsInt16(use))
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

