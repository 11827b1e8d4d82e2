//===- WeightQuantization.h - Int8 weights from float constants -*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//
//
// The one rule for quantizing a float weight constant to int8, shared by
// static calibration (qnn-calibrate) and dynamic quantization
// (qnn-dynamic-quantize): symmetric, zero point 0, range [-127, 127], a
// scale per output channel or per tensor (docs/IntegerSemantics.md).
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_WEIGHTQUANTIZATION_H
#define QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_WEIGHTQUANTIZATION_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

namespace mlir::quantopt::qnn {

/// Builds, at the builder's insertion point, the int8 form of the f32
/// constant `weight` with output channels along `axis`: a `quant.scast` of an
/// i8 constant to the per-axis (or per-tensor) quantized type. Returns null
/// if `weight` is not an f32 constant.
Value buildInt8Weight(OpBuilder &builder, Value weight, int32_t axis,
                      bool perChannel);

} // namespace mlir::quantopt::qnn

#endif // QUANTOPT_LIB_DIALECT_QNN_TRANSFORMS_WEIGHTQUANTIZATION_H
