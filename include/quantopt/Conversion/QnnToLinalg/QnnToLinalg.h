//===- QnnToLinalg.h - Lower integer qnn ops to linalg ------------*- C++ -*-===//
//
// Part of the QuantOpt project, under the Apache License v2.0 with LLVM
// Exceptions.
//
//===----------------------------------------------------------------------===//

#ifndef QUANTOPT_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
#define QUANTOPT_CONVERSION_QNNTOLINALG_QNNTOLINALG_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::quantopt {

#define GEN_PASS_DECL_LOWERTOLINALGINT8PASS
#include "quantopt/Conversion/Passes.h.inc"

/// Converts quantized tensor types to their storage type.
class QuantStorageTypeConverter : public TypeConverter {
public:
  QuantStorageTypeConverter();
};

/// Patterns lowering integer qnn ops and quant casts to linalg/arith.
void populateQnnToLinalgInt8Patterns(const TypeConverter &converter,
                                     RewritePatternSet &patterns);

/// Patterns for the float half of the lowering (FloatLowering.cpp): float
/// qnn ops to linalg on f32, quant.qcast / quant.dcast between integer and
/// float layers, and the run-time quantization of qnn.dynamic_gemm.
void populateQnnToLinalgFloatPatterns(const TypeConverter &converter,
                                      RewritePatternSet &patterns);

/// The quant.qcast / quant.dcast lowerings alone: the int8 lowering uses
/// them for the conversions at the function boundary that the generated API
/// cannot carry as int8 (an int32 or per-axis quantized input or output).
void populateQuantCastPatterns(const TypeConverter &converter,
                               RewritePatternSet &patterns);

/// Whether `op`, a qnn op on f32 tensors, has a float lowering in
/// populateQnnToLinalgFloatPatterns (or is a shape op the integer patterns
/// lower for any element type).
bool hasFloatLowering(Operation *op);

} // namespace mlir::quantopt

#endif // QUANTOPT_CONVERSION_QNNTOLINALG_QNNTOLINALG_H
