//===- Int16.h - 16x8 activations: int16 uses -------------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// Which ops read int16 activations in their integer form, and the int8 QDQ
// pair that the others read an int16 value through (calibration inserts it
// so that its simulation sees it; qnn-fold-qdq inserts it for QDQ input).
// docs/IntegerSemantics.md, section 5.5.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_INT16_H
#define QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_INT16_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::quantopt::qnn {

/// Whether the integer form of the owner of `operand` reads an int16 value
/// there.
bool acceptsInt16(OpOperand &operand);

/// The int8 type an int16 activation is read through, given the float
/// value the int16 qcast quantizes; null for the default.
using NarrowTypeFn = llvm::function_ref<quant::UniformQuantizedType(Value)>;

/// Gives every use of an int16 `quant.dcast` result that cannot take int16
/// an int8 qcast + dcast: of the type `narrowTypeOf` gives, by default of
/// the same range (scale s16 * 32767 / 127, zero point 0). With
/// `narrowOverflowingProducts`, so does the input of a product whose int32
/// accumulator could overflow on an int16 input (checkInt16Accumulator).
void narrowInt16Uses(func::FuncOp func, NarrowTypeFn narrowTypeOf = {},
                     bool narrowOverflowingProducts = false);

/// Whether the int32 accumulator of the 16x8 `product` (conv, gemm, matmul
/// on a dequantized int16 input and constant int8 weights) cannot overflow:
/// for every output channel c, 32767 * sum_k |w[c, k]| + |bias_q[c]| <=
/// 2^31 - 1. Success for a product without an int16 input; a failure is
/// reported on `product` with `emitErrors`.
LogicalResult checkInt16Accumulator(Operation *product, bool emitErrors);

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_INT16_H
